//! The credit rule: where a conversion came from.
//!
//! One visitor is one daily visitor hash on the site (with `fp`, the visitor of that view). A
//! conversion takes the visitor's latest view that day whose source is neither `internal` nor
//! `self`; when there is none, the latest view of any source that day (the converting view's own);
//! and when no view of that visitor is known that day (a page opened before midnight, a view not
//! counted yet), `direct`. It gets that view's source and, when the view was an arrival through a
//! share, its channel and its cascade node.
//!
//! The store keeps one [`VisitState`] per (site, day, visitor), merged from every view's [`Visit`]
//! without reading it first ([`VisitState::merge`] is what its upsert does: per half, the later
//! view wins). A goal's settle step reads it for the visitors it converts.

use crate::event::Visit;
use crate::view_source::ViewSource;
use crate::Channel;

/// What one view offers to credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    /// Unix minute of the view (the later one wins).
    pub minute: i64,
    pub source: ViewSource,
    /// For an arrival through a share: its channel and its cascade node (a raw node id).
    pub arrival: Option<(Channel, String)>,
}

impl Credit {
    /// What a view offers.
    pub fn of(visit: &Visit) -> Credit {
        Credit { minute: visit.minute, source: visit.source, arrival: visit.channel.map(|c| (c, visit.node.clone())) }
    }

    /// The credit when no view of the visitor is known that day.
    pub fn direct() -> Credit {
        Credit { minute: i64::MIN, source: ViewSource::Direct, arrival: None }
    }

    /// Whether a view of this source may take credit (`internal` and `self` never do: they are
    /// the same visit going on, not where it came from).
    pub fn creditable(source: ViewSource) -> bool {
        !matches!(source, ViewSource::Internal | ViewSource::SelfVisit)
    }
}

/// One visitor's views on one day, as much as credit needs: the latest creditable view, and the
/// latest view of any source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitState {
    pub credited: Option<Credit>,
    pub latest: Option<Credit>,
}

impl VisitState {
    /// The state of one view.
    pub fn of(visit: &Visit) -> VisitState {
        let credit = Credit::of(visit);
        VisitState { credited: Credit::creditable(visit.source).then(|| credit.clone()), latest: Some(credit) }
    }

    /// Both states together: per half, the later view (on a tie, `newer`'s, the one counted later).
    pub fn merge(&self, newer: &VisitState) -> VisitState {
        fn later(old: &Option<Credit>, new: &Option<Credit>) -> Option<Credit> {
            match (old, new) {
                (Some(o), Some(n)) if o.minute > n.minute => Some(o.clone()),
                (_, Some(n)) => Some(n.clone()),
                (o, None) => o.clone(),
            }
        }
        VisitState { credited: later(&self.credited, &newer.credited), latest: later(&self.latest, &newer.latest) }
    }

    /// The credit a conversion of this visitor gets: the latest creditable view, else the latest
    /// view, else `direct`.
    pub fn credit(&self) -> Credit {
        self.credited.clone().or_else(|| self.latest.clone()).unwrap_or_else(Credit::direct)
    }
}

/// The key of a visitor's day (`site`, `day`, `visitor`), as the store and the batch name it.
pub fn visit_key(site: &str, day: i64, visitor: &str) -> String {
    format!("{site}:{day}:{visitor}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(minute: i64, source: ViewSource, channel: Option<Channel>, node: &str) -> Visit {
        Visit { site: "s".into(), minute, page: "https://e.com/".into(), visitor: "v".into(), node: node.into(), source, channel }
    }

    fn fold(visits: &[Visit]) -> VisitState {
        visits.iter().fold(VisitState::default(), |state, v| state.merge(&VisitState::of(v)))
    }

    #[test]
    fn the_latest_creditable_view_takes_the_credit() {
        let state = fold(&[
            visit(10, ViewSource::Search, None, "a"),
            visit(20, ViewSource::DarkSocial, Some(Channel::Whatsapp), "b"),
            visit(30, ViewSource::Internal, None, "c"),
            visit(40, ViewSource::SelfVisit, None, "b"),
        ]);
        let credit = state.credit();
        assert_eq!(credit.source, ViewSource::DarkSocial);
        assert_eq!(credit.arrival, Some((Channel::Whatsapp, "b".into())));
    }

    #[test]
    fn a_later_direct_view_takes_it_from_an_earlier_share() {
        let state = fold(&[visit(20, ViewSource::DarkSocial, Some(Channel::Slack), "b"), visit(25, ViewSource::Direct, None, "d")]);
        assert_eq!((state.credit().source, state.credit().arrival), (ViewSource::Direct, None));
    }

    #[test]
    fn without_a_creditable_view_the_converting_views_own_source_counts() {
        let state = fold(&[visit(5, ViewSource::Internal, None, "x"), visit(6, ViewSource::SelfVisit, None, "y")]);
        assert_eq!(state.credit().source, ViewSource::SelfVisit);
        assert_eq!(VisitState::default().credit().source, ViewSource::Direct, "no view known: direct");
    }

    #[test]
    fn merging_is_order_free_for_different_minutes() {
        let views = [visit(3, ViewSource::Social, None, "a"), visit(9, ViewSource::Shared, Some(Channel::Email), "b"), visit(7, ViewSource::Internal, None, "c")];
        let forward = fold(&views);
        let mut reversed = views.clone();
        reversed.reverse();
        assert_eq!(fold(&reversed), forward, "a batch counted late does not overwrite a later view");
        assert_eq!(forward.credit().source, ViewSource::Shared);
        assert_eq!(forward.latest.map(|c| c.minute), Some(9));
    }
}
