//! Which channel an arrival came through (placeholder until the classification lands).

use crate::Channel;

/// The channel of an arrival and whether it is "dark" (invisible to ordinary web analytics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub channel: Channel,
    pub dark: bool,
}

/// What a request shows about where it came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The `Referer` header or `document.referrer`; empty or absent when none.
    pub referrer: Option<&'a str>,
    pub user_agent: &'a str,
    /// A hint from the snippet, e.g. `"telegram"` when `window.TelegramWebview` exists.
    pub hint: Option<&'a str>,
    /// The channel of the short link the click went through, if any.
    pub link_channel: Option<Channel>,
}

/// Classifies an arrival.
pub fn classify(evidence: &Evidence<'_>) -> Source {
    let referrer = evidence.referrer.filter(|r| !r.is_empty());
    let dark = referrer.is_none();
    let channel = evidence.link_channel.unwrap_or(if dark { Channel::Dark } else { Channel::Web });
    Source { channel, dark: dark || channel.is_private() }
}
