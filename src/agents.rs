//! Crawlers, link-preview fetchers and in-app browsers (placeholder until the corpus lands).

use crate::Channel;

/// Who is behind a user agent, as far as counting goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    /// A person's browser, including messenger in-app browsers: counts as a click.
    Human,
    /// A crawler or tool that is not a link preview: never counted.
    Crawler,
    /// A link-preview fetcher; the channel it suggests, when it says.
    Preview(Option<Channel>),
}

/// Classifies a `User-Agent` header value.
pub fn classify(user_agent: &str) -> Agent {
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("whatsapp") {
        Agent::Preview(Some(Channel::Whatsapp))
    } else if ua.contains("bot") || ua.is_empty() {
        Agent::Crawler
    } else {
        Agent::Human
    }
}
