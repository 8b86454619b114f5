//! Who converted and which credit the conversion takes, from the batch and what the store read.
//!
//! A snippet's (or a page goal's) event carries its visitor and address. A server-side event names
//! a page view by its fingerprint's node; the store kept that node's visitor for 2 days
//! ([`super::rules::VIEW_NODES`]), and a view counted earlier in the same batch is found there too.
//! A node that is unknown (older than 2 days, or its view not counted yet) still counts: as a
//! visitor of its own (`fp:<node>`), credited `direct`: the event is not lost, its credit is.

use super::credit::{Credit, VisitState};
use crate::event::{Converter, GoalReached};
use crate::view_source::ViewSource;

/// Who converted, once resolved (for a server-side goal, from the view its `fp` names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converting {
    pub visitor: String,
    /// The address hash, whose conversions are capped; `None` for a server-side goal.
    pub address: Option<String>,
    /// The page the goal is counted on.
    pub page: String,
}

/// A view as [`super::rules::VIEW_NODES`] keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedView {
    pub visitor: String,
    pub day: i64,
    pub page: String,
    pub source: ViewSource,
}

/// Who converted: `views` finds the view a server-side goal names.
pub fn converting(goal: &GoalReached, views: impl FnOnce(&str) -> Option<NamedView>) -> (Converting, Option<NamedView>) {
    match &goal.by {
        Converter::Visitor { visitor, address } => (Converting { visitor: visitor.clone(), address: Some(address.clone()), page: goal.page.clone() }, None),
        Converter::View { node } => match views(node) {
            Some(view) => {
                let page = if goal.page.is_empty() { view.page.clone() } else { goal.page.clone() };
                (Converting { visitor: view.visitor.clone(), address: None, page }, Some(view))
            }
            None => (Converting { visitor: format!("fp:{node}"), address: None, page: goal.page.clone() }, None),
        },
    }
}

/// The credit of a conversion: the visitor's day of views (`state`, stored and earlier in the
/// batch, merged), else the named view's own source (a server-side goal whose view was on another
/// day), else `direct`.
pub fn credit(state: Option<&VisitState>, named: Option<&NamedView>) -> Credit {
    let known = state.and_then(|s| s.credited.clone().or_else(|| s.latest.clone()));
    known.or_else(|| named.map(|v| Credit { minute: i64::MIN, source: v.source, arrival: None })).unwrap_or_else(Credit::direct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Visit;
    use crate::Channel;

    fn goal(by: Converter, page: &str) -> GoalReached {
        GoalReached { id: "g1".into(), site: "s".into(), minute: 100, page: page.into(), name: "signup".into(), value: None, by }
    }

    fn named() -> NamedView {
        NamedView { visitor: "v9".into(), day: 0, page: "https://e.com/p".into(), source: ViewSource::Search }
    }

    #[test]
    fn a_snippet_goal_is_its_visitor_and_capped_by_its_address() {
        let (who, view) = converting(&goal(Converter::Visitor { visitor: "v".into(), address: "a".into() }, "https://e.com/x"), |_| None);
        assert_eq!(who, Converting { visitor: "v".into(), address: Some("a".into()), page: "https://e.com/x".into() });
        assert_eq!(view, None);
    }

    #[test]
    fn a_server_goal_is_the_visitor_of_the_view_it_names_on_that_views_page() {
        let (who, view) = converting(&goal(Converter::View { node: "n1".into() }, ""), |node| (node == "n1").then(named));
        assert_eq!(who, Converting { visitor: "v9".into(), address: None, page: "https://e.com/p".into() });
        assert_eq!(credit(None, view.as_ref()).source, ViewSource::Search, "no visit that day: the named view's source");
    }

    #[test]
    fn an_unknown_node_is_a_visitor_of_its_own_credited_direct() {
        let (who, view) = converting(&goal(Converter::View { node: "gone".into() }, ""), |_| None);
        assert_eq!(who.visitor, "fp:gone");
        assert_eq!(credit(None, view.as_ref()).source, ViewSource::Direct);
    }

    #[test]
    fn the_days_views_come_before_the_named_views_source() {
        let arrival = Visit { site: "s".into(), minute: 5, page: "p".into(), visitor: "v9".into(), node: "n0".into(), source: ViewSource::DarkSocial, channel: Some(Channel::Signal) };
        let state = VisitState::of(&arrival);
        let got = credit(Some(&state), Some(&named()));
        assert_eq!((got.source, got.arrival), (ViewSource::DarkSocial, Some((Channel::Signal, "n0".into()))));
    }
}
