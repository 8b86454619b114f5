//! The facts the request path records: what the edge sends to the `EVENTS` queue and the queue
//! consumer counts (see `counting.rs` for which event bumps which rollup).
//!
//! An event is owned data (`wire.rs` is the queue's format) and carries no raw IP:
//! visitors and addresses are daily-salted hashes. Every event can be told apart from every other
//! one (an `id`, or a key made of its fields), so a redelivered event is recognised and counts once.

use crate::view_source::ViewSource;
use crate::Channel;

mod goals;
mod wire;
pub use goals::{Converter, GoalReached, Visit};
pub use wire::{decode, encode};

/// Minutes in a UTC day.
pub const MINUTES_PER_DAY: i64 = 1440;

/// One recorded fact. On the queue it travels as one line of tab-separated fields (`wire.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An accepted page view (`POST /api/views`).
    View {
        /// Random; the view's de-duplication key.
        id: String,
        site: String,
        /// Unix minutes, UTC.
        minute: i64,
        page: String,
        source: ViewSource,
    },
    /// A human arrival through a share, seen at the redirect or at the landing view.
    Click(Click),
    /// A copy of at least the snippet's minimum length (`POST /api/events`).
    Copy { id: String, site: String, minute: i64, page: String, text: String },
    /// A link-preview fetch of a short link: a hint of the channel it was pasted into.
    Preview {
        site: String,
        minute: i64,
        page: String,
        channel: Channel,
        /// The link's fingerprint (its key in per-link counters).
        link_fp: String,
        code: String,
        /// Daily-salted hash of the fetcher's IP address.
        fetcher: String,
    },
    /// A short link stored (one share).
    LinkCreated {
        site: String,
        minute: i64,
        page: String,
        channel: Channel,
        code: String,
        fp: String,
        /// The creator's page-view fingerprint, when the share button knew it.
        parent: Option<String>,
        url: String,
        created_at: i64,
    },
    /// What an accepted page view leaves for the credit of later conversions (`goals.rs`).
    Visit(Visit),
    /// An accepted goal event (`POST /api/goals`, or a view matching a page goal).
    Goal(GoalReached),
}

/// A click through a share. Counted once per site, share, visitor and day, whichever of the
/// redirect and the landing view reports it first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    pub site: String,
    pub minute: i64,
    pub page: String,
    pub channel: Channel,
    /// 1 for a click on an original share, 2 on a reshare, …
    pub depth: u8,
    pub dark: bool,
    /// The fingerprint clicked: a page view's, or a short link's.
    pub share: String,
    /// Whether `share` is a short link's fingerprint.
    pub from_link: bool,
    /// Daily-salted hash of IP + user agent + site.
    pub visitor: String,
    /// Daily-salted hash of the IP alone: one address's clicks on one share are capped.
    pub address: String,
    /// The arrival's own cascade node (the id of the fingerprint the arriving visitor gets).
    pub node: String,
    /// The short code, when the redirect saw the click.
    pub link: Option<String>,
    /// Opened from a QR code (`?qr=1`).
    pub scan: bool,
}

impl Event {
    pub fn site(&self) -> &str {
        match self {
            Event::View { site, .. } | Event::Copy { site, .. } | Event::Preview { site, .. } | Event::LinkCreated { site, .. } => site,
            Event::Click(click) => &click.site,
            Event::Visit(visit) => &visit.site,
            Event::Goal(goal) => &goal.site,
        }
    }

    pub fn minute(&self) -> i64 {
        match self {
            Event::View { minute, .. } | Event::Copy { minute, .. } | Event::Preview { minute, .. } | Event::LinkCreated { minute, .. } => *minute,
            Event::Click(click) => click.minute,
            Event::Visit(visit) => visit.minute,
            Event::Goal(goal) => goal.minute,
        }
    }

    /// The UTC day (days since 1970-01-01) the event happened on.
    pub fn day(&self) -> i64 {
        self.minute().div_euclid(MINUTES_PER_DAY)
    }
}

/// Unix minutes of a millisecond timestamp.
pub fn minute_of_ms(ms: i64) -> i64 {
    ms.div_euclid(60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_knows_its_day() {
        let view = Event::View { id: "x1".into(), site: "demo".into(), minute: 29_000_000, page: "https://e.com/a".into(), source: ViewSource::Direct };
        assert_eq!(view.day(), 29_000_000 / 1440);
    }

    #[test]
    fn a_minute_before_the_epoch_belongs_to_the_day_before() {
        assert_eq!(minute_of_ms(-1), -1);
        let copy = Event::Copy { id: "c".into(), site: "s".into(), minute: -1, page: String::new(), text: String::new() };
        assert_eq!(copy.day(), -1);
    }
}
