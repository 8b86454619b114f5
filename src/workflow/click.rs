//! A human opening a short link: whether the redirect counts it, and the click it records.

use crate::attribution::{redirect_counts, RequestSignals};
use crate::event::{minute_of_ms, Click, Event};
use crate::fingerprint::{arrival_high, view_id, Fingerprint};
use crate::site::SiteId;
use crate::source::{self, Evidence};
use crate::time::Day;
use crate::visitor::VisitorHash;
use crate::Channel;

/// What the redirect knows about one human request to a live short link.
#[derive(Debug, Clone)]
pub struct ClickFacts<'a> {
    pub site: SiteId,
    pub code: &'a str,
    /// The link's verified fingerprint.
    pub link_fp: &'a Fingerprint,
    pub channel: Channel,
    /// The link target's page, without query and fragment.
    pub page: &'a str,
    pub now_ms: i64,
    pub visitor: VisitorHash,
    pub address: String,
    pub referrer: Option<&'a str>,
    pub user_agent: &'a str,
    pub signals: RequestSignals<'a>,
    /// Opened with `?qr=1`: a scan of the link's QR code.
    pub scan: bool,
}

/// The click a redirect records, or `None` when the request must not count (see
/// `attribution::redirect_counts`).
pub fn plan_click(secret: &[u8], facts: ClickFacts<'_>) -> Option<Event> {
    if !redirect_counts(&facts.signals) {
        return None;
    }
    let arrival = source::classify(&Evidence { referrer: facts.referrer, user_agent: facts.user_agent, hint: None, link_channel: Some(facts.channel) });
    // A scan is offline: whatever the link was made for, this visitor came from paper or a screen.
    let channel = if facts.scan { Channel::Qr } else { arrival.channel };
    let day = Day::from_ms(facts.now_ms).0;
    let share = facts.link_fp.as_str();
    let node = view_id(secret, &facts.visitor, arrival_high(secret, &facts.site, share, &facts.visitor, day));
    Some(Event::Click(Click {
        site: facts.site.as_str().to_owned(),
        minute: minute_of_ms(facts.now_ms),
        page: facts.page.to_owned(),
        channel,
        depth: facts.link_fp.click_depth(),
        dark: arrival.dark,
        share: share.to_owned(),
        from_link: true,
        visitor: facts.visitor.as_str().to_owned(),
        address: facts.address,
        node: base62::encode(node),
        link: Some(facts.code.to_owned()),
        scan: facts.scan,
    }))
}
