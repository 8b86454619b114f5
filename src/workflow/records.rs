//! The events that need no decision beyond validation: a copy, a link-preview fetch, a link stored.

use crate::event::{minute_of_ms, Event};
use crate::link::Link;
use crate::site::SiteId;
use crate::Channel;

/// Copied text is kept to this many characters, whitespace collapsed.
pub const MAX_TEXT_CHARS: usize = 200;

/// A copy of `text` on `page`; `random` is the event's id.
pub fn copy_event(site: &SiteId, page: String, text: &str, now_ms: i64, random: u64) -> Event {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(MAX_TEXT_CHARS).collect();
    Event::Copy { id: base62::encode(random), site: site.as_str().to_owned(), minute: minute_of_ms(now_ms), page, text }
}

/// What the redirect knows about a link-preview fetch.
#[derive(Debug, Clone)]
pub struct PreviewFacts<'a> {
    pub link: &'a Link,
    pub code: &'a str,
    pub page: &'a str,
    /// The channel the preview fetcher reveals (see `agents::preview_channel`).
    pub channel: Channel,
    /// Daily-salted hash of the fetcher's IP.
    pub fetcher: String,
    pub now_ms: i64,
}

pub fn preview_event(facts: PreviewFacts<'_>) -> Event {
    Event::Preview {
        site: facts.link.site.clone(),
        minute: minute_of_ms(facts.now_ms),
        page: facts.page.to_owned(),
        channel: facts.channel,
        link_fp: facts.link.fp.clone(),
        code: facts.code.to_owned(),
        fetcher: facts.fetcher,
    }
}

/// A link that was just stored under `code`.
pub fn link_created_event(code: &str, link: &Link, page: &str) -> Event {
    Event::LinkCreated {
        site: link.site.clone(),
        minute: minute_of_ms(link.created_at),
        page: page.to_owned(),
        channel: link.channel,
        code: code.to_owned(),
        fp: link.fp.clone(),
        parent: link.parent.clone(),
        url: link.url.clone(),
        created_at: link.created_at,
    }
}
