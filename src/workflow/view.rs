//! A page view reported by the snippet: organic, an arrival through a share, a self-visit or an
//! internal navigation; the fingerprint the view gets; the events it records.

use crate::attribution::{self, ViewKind};
use crate::event::{minute_of_ms, Click, Event, Visit};
use crate::fingerprint::{arrival_high, view_id, Fingerprint, Origin};
use crate::site::SiteId;
use crate::source::{self, Evidence};
use crate::time::Day;
use crate::view_source::{self, Attribution};
use crate::visitor::VisitorHash;

/// Everything the edge knows about one accepted view request.
#[derive(Debug, Clone)]
pub struct ViewFacts {
    pub site: SiteId,
    /// The page, without query and fragment.
    pub page: String,
    pub now_ms: i64,
    pub visitor: VisitorHash,
    /// Daily-salted hash of the IP alone.
    pub address: String,
    /// The verified fingerprint of the arrived URL.
    pub parent: Option<Fingerprint>,
    pub referrer: Option<String>,
    pub referrer_is_same_site: bool,
    pub user_agent: String,
    /// The snippet's channel hint (e.g. "telegram" inside Telegram's in-app browser).
    pub hint: Option<String>,
    /// Fresh randomness: 32 bits for a new fingerprint, 64 for the view's event id.
    pub random: [u64; 2],
}

/// The answer (this view's own fingerprint) and the events to record.
#[derive(Debug, Clone)]
pub struct ViewPlan {
    pub fp: Fingerprint,
    pub events: Vec<Event>,
}

/// Plans one page view.
pub fn plan_view(secret: &[u8], facts: ViewFacts) -> ViewPlan {
    let parent = facts.parent.as_ref();
    let parent_is_own = parent.is_some_and(|p| p.is_owned_by(secret, &facts.visitor));
    let kind = attribution::classify_view(&attribution::ViewFacts { parent, referrer_is_same_site: facts.referrer_is_same_site, parent_is_own });
    let day = Day::from_ms(facts.now_ms).0;
    let minute = minute_of_ms(facts.now_ms);
    let generation = attribution::own_generation(kind, parent);
    let fp = match (kind, parent) {
        (ViewKind::SelfVisit, Some(own)) => own.clone(),
        (ViewKind::Arrival { .. }, Some(share)) => {
            let high = arrival_high(secret, &facts.site, share.as_str(), &facts.visitor, day);
            Fingerprint::mint(secret, &facts.site, Origin::View, generation, view_id(secret, &facts.visitor, high))
        }
        _ => Fingerprint::mint(secret, &facts.site, Origin::View, generation, view_id(secret, &facts.visitor, facts.random[0] as u32)),
    };
    // Only an arrival has a channel to find (the user agent scan is most of a view's plan).
    let arrival = matches!(kind, ViewKind::Arrival { .. }).then(|| {
        source::classify(&Evidence {
            referrer: facts.referrer.as_deref(),
            user_agent: &facts.user_agent,
            hint: facts.hint.as_deref(),
            // A click through a short link belongs to the link's channel, whether the redirect or
            // this view records it first.
            link_channel: parent.and_then(Fingerprint::link_channel),
        })
    });
    let attribution = match (kind, &arrival) {
        (ViewKind::Arrival { .. }, Some(arrival)) => Attribution::Arrival { dark: arrival.dark },
        (ViewKind::SelfVisit, _) => Attribution::SelfVisit,
        _ => Attribution::None,
    };
    let source = view_source::classify(attribution, facts.referrer.as_deref(), facts.referrer_is_same_site);
    let site = facts.site.as_str().to_owned();
    let mut events = vec![
        Event::View { id: base62::encode(facts.random[1]), site: site.clone(), minute, page: facts.page.clone(), source },
        // What later conversions of this visitor are credited to (`goal::credit`).
        Event::Visit(Visit {
            site: site.clone(),
            minute,
            page: facts.page.clone(),
            visitor: facts.visitor.as_str().to_owned(),
            node: fp.node_id(),
            source,
            channel: arrival.as_ref().map(|a| a.channel),
        }),
    ];
    if let (ViewKind::Arrival { depth }, Some(share), Some(arrival)) = (kind, parent, arrival) {
        events.push(Event::Click(Click {
            site,
            minute,
            page: facts.page,
            channel: arrival.channel,
            depth,
            dark: arrival.dark,
            share: share.as_str().to_owned(),
            from_link: share.origin == Origin::Link,
            visitor: facts.visitor.as_str().to_owned(),
            address: facts.address,
            node: fp.node_id(),
            link: None,
            scan: false,
        }));
    }
    ViewPlan { fp, events }
}
