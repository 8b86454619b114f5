//! A goal event: from the snippet (a visitor on a page of the site), from the site's own server
//! (naming the converting visitor's page view by its fingerprint), or a page goal matched by an
//! accepted view. Facts → the events to record; the answer is always `202` once the facts hold.

use crate::event::{minute_of_ms, Converter, Event, GoalReached};
use crate::fingerprint::{Fingerprint, Origin};
use crate::goal::{Amount, GoalName, PageGoals};
use crate::site::SiteId;
use crate::visitor::VisitorHash;
use crate::{Error, Result};
use serde::Deserialize;

/// The body of `POST /api/goals` (both forms: `url` from the snippet, `fp` from a server).
#[derive(Debug, Deserialize)]
pub struct GoalBody {
    pub site: String,
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub fp: Option<String>,
    /// Kept as JSON so a string or a float with 3 decimals is a `bad_field`, not a `bad_json`.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    #[serde(default)]
    pub currency: Option<String>,
}

/// A goal body's fields, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalFields {
    pub name: GoalName,
    pub amount: Option<Amount>,
}

impl GoalBody {
    /// The name and the amount, validated (the `url` and the `fp` are checked by the edge,
    /// against the site's hosts and the signing secret).
    ///
    /// # Errors
    /// `bad_field` as in `goal::fields`.
    pub fn fields(&self) -> Result<GoalFields> {
        Ok(GoalFields { name: GoalName::parse(&self.name)?, amount: Amount::parse(self.value.as_ref(), self.currency.as_deref())? })
    }
}

/// Who reached the goal, as the edge established it.
#[derive(Debug, Clone)]
pub enum GoalFrom {
    /// The snippet, on `page` (the URL checked against the site's hosts, without query and fragment).
    Snippet { page: String, visitor: VisitorHash, address: String },
    /// The site's server (stats bearer checked), with the verified fingerprint of the converting
    /// visitor's page view.
    Server { fp: Fingerprint },
}

/// Everything the edge knows about one accepted goal request.
#[derive(Debug, Clone)]
pub struct GoalFacts {
    pub site: SiteId,
    pub fields: GoalFields,
    pub from: GoalFrom,
    pub now_ms: i64,
    /// Fresh randomness for the event's id.
    pub random: u64,
}

/// Plans one goal event.
///
/// # Errors
/// `bad_fingerprint` when a server names a short link's fingerprint: a goal is reached by a
/// visitor, whom only a page view's fingerprint names.
pub fn plan_goal(facts: GoalFacts) -> Result<Vec<Event>> {
    let (page, by) = match facts.from {
        GoalFrom::Snippet { page, visitor, address } => (page, Converter::Visitor { visitor: visitor.as_str().to_owned(), address }),
        GoalFrom::Server { fp } if fp.origin == Origin::View => (String::new(), Converter::View { node: fp.node_id() }),
        GoalFrom::Server { .. } => return Err(Error::BadFingerprint),
    };
    let GoalFields { name, amount } = facts.fields;
    Ok(vec![Event::Goal(GoalReached {
        id: base62::encode(facts.random),
        site: facts.site.as_str().to_owned(),
        minute: minute_of_ms(facts.now_ms),
        page,
        name: name.as_str().to_owned(),
        value: amount.map(|a| (a.cents.0, a.currency.as_str().to_owned())),
        by,
    })])
}

/// The page goals an accepted view reaches: one goal event per matching goal name, its id derived
/// from the view's own (so a redelivered view repeats them, and they count once).
pub fn page_goal_events(goals: &PageGoals, view: &Event, visitor: &VisitorHash, address: &str) -> Vec<Event> {
    let Event::View { id, site, minute, page, .. } = view else { return Vec::new() };
    goals
        .matching(page)
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            Event::Goal(GoalReached {
                id: format!("{id}.{i}"),
                site: site.clone(),
                minute: *minute,
                page: page.clone(),
                name: name.to_owned(),
                value: None,
                by: Converter::Visitor { visitor: visitor.as_str().to_owned(), address: address.to_owned() },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Visit;
    use crate::view_source::ViewSource;
    use crate::workflow::{plan_view, ViewFacts};
    use crate::Channel;
    use serde_json::json;

    const SECRET: &[u8] = b"test-signing-secret";
    const NOW: i64 = 1_764_000_000_000;

    fn site() -> SiteId {
        SiteId::parse("demo").unwrap()
    }

    fn person(c: char) -> VisitorHash {
        VisitorHash::from_stored(c.to_string().repeat(32))
    }

    fn body(raw: serde_json::Value) -> GoalBody {
        serde_json::from_value(raw).unwrap()
    }

    fn view(visitor: char, parent: Option<Fingerprint>) -> crate::workflow::ViewPlan {
        plan_view(
            SECRET,
            ViewFacts {
                site: site(),
                page: "https://example.com/thanks".into(),
                now_ms: NOW,
                visitor: person(visitor),
                address: "addr".into(),
                parent,
                referrer: None,
                referrer_is_same_site: false,
                user_agent: "Mozilla/5.0".into(),
                hint: Some("whatsapp".into()),
                random: [7, 8],
            },
        )
    }

    #[test]
    fn a_body_with_a_bad_field_is_refused_before_anything_is_planned() {
        let refused = |raw: serde_json::Value| match body(raw).fields() {
            Err(Error::BadField { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(refused(json!({"site": "demo", "name": "", "url": "u"})), "name");
        assert_eq!(refused(json!({"site": "demo", "name": "buy", "value": 10})), "currency");
        assert_eq!(refused(json!({"site": "demo", "name": "buy", "value": 9.999, "currency": "EUR"})), "value");
        assert_eq!(refused(json!({"site": "demo", "name": "buy", "value": -1, "currency": "EUR"})), "value");
        assert_eq!(refused(json!({"site": "demo", "name": "buy", "value": "10", "currency": "EUR"})), "value");
        let ok = body(json!({"site": "demo", "name": "buy", "value": 59.9, "currency": "EUR"})).fields().unwrap();
        assert_eq!(ok.amount.map(|a| a.cents.0), Some(5990));
    }

    #[test]
    fn a_snippet_goal_records_its_visitor_address_page_and_value() {
        let fields = body(json!({"site": "demo", "name": "buy", "value": 5, "currency": "USD"})).fields().unwrap();
        let from = GoalFrom::Snippet { page: "https://example.com/cart".into(), visitor: person('a'), address: "addr".into() };
        let events = plan_goal(GoalFacts { site: site(), fields, from, now_ms: NOW, random: 42 }).unwrap();
        let [Event::Goal(goal)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(goal.value, Some((500, "USD".into())));
        assert_eq!(goal.page, "https://example.com/cart");
        assert_eq!(goal.by, Converter::Visitor { visitor: person('a').as_str().into(), address: "addr".into() });
    }

    #[test]
    fn a_server_goal_names_the_views_node_and_never_a_links() {
        let arrival = view('b', Some(view('a', None).fp));
        let fields = body(json!({"site": "demo", "name": "buy", "fp": arrival.fp.as_str()})).fields().unwrap();
        let events = plan_goal(GoalFacts { site: site(), fields: fields.clone(), from: GoalFrom::Server { fp: arrival.fp.clone() }, now_ms: NOW, random: 1 }).unwrap();
        let [Event::Goal(goal)] = events.as_slice() else { panic!() };
        assert_eq!(goal.by, Converter::View { node: arrival.fp.node_id() });
        let visit = arrival.events.iter().find_map(|e| if let Event::Visit(v) = e { Some(v.clone()) } else { None }).unwrap();
        assert_eq!(visit.node, arrival.fp.node_id(), "the view leaves the node the server will name");
        assert_eq!((visit.source, visit.channel), (ViewSource::DarkSocial, Some(Channel::Whatsapp)));
        let link = Fingerprint::mint(SECRET, &site(), Origin::Link, 0, 99);
        assert_eq!(plan_goal(GoalFacts { site: site(), fields, from: GoalFrom::Server { fp: link }, now_ms: NOW, random: 1 }), Err(Error::BadFingerprint));
    }

    #[test]
    fn a_view_of_a_goal_page_is_one_event_per_goal_name_keyed_by_the_view() {
        let goals = PageGoals::parse(&json!([{"name": "thanks", "path": "/thanks"}, {"name": "any", "path": "/*"}, {"name": "no", "path": "/x"}])).unwrap();
        let plan = view('a', None);
        let events = page_goal_events(&goals, &plan.events[0], &person('a'), "addr");
        let names: Vec<_> = events.iter().map(|e| if let Event::Goal(g) = e { (g.name.as_str(), g.id.clone()) } else { panic!() }).collect();
        let Event::View { id, .. } = &plan.events[0] else { panic!() };
        assert_eq!(names, [("thanks", format!("{id}.0")), ("any", format!("{id}.1"))]);
        assert!(page_goal_events(&goals, &Event::Visit(Visit { site: "demo".into(), minute: 0, page: "p".into(), visitor: "v".into(), node: "n".into(), source: ViewSource::Direct, channel: None }), &person('a'), "a").is_empty());
    }
}
