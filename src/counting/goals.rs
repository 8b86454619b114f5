//! Goal events inside a batch: what `keys` and `settle` need to count one, found in the same order
//! for both (so the keys read are the keys settled).
//!
//! A goal's de-duplication keys depend on who converted, and a server-side goal's converter is the
//! visitor of the view it names: stored ([`Views`], read first, see `Keys::nodes`) or counted
//! earlier in the same batch. Its credit depends on the visitor's day of views: stored (read with
//! the keys, `Keys::visits`) merged with the batch's own visits before it. The credit changes which
//! rows are raised, never which keys are read.

use crate::event::GoalReached;
use crate::goal::credit::{visit_key, Credit, VisitState};
use crate::goal::resolve::{self, Converting, NamedView};
use std::collections::HashMap;

/// Stored views by their node (`goal::rules::VIEW_NODES`): what server-side goals name.
pub type Views = HashMap<String, NamedView>;

/// What the batch has shown so far, over what storage holds.
#[derive(Default)]
pub(super) struct Seen {
    nodes: HashMap<String, NamedView>,
    /// The batch's own visits, merged per key in event order, with their day (first-seen order
    /// kept in `order`, so a write is deterministic).
    visits: HashMap<String, (i64, VisitState)>,
    order: Vec<String>,
}

/// A goal event resolved: who, the key of their day, the credit, and whether the node it names
/// (for a server-side goal) was found nowhere.
pub(super) struct Resolved {
    pub who: Converting,
    pub visit: String,
    pub credit: Credit,
    pub unknown_node: Option<String>,
}

impl Seen {
    /// A view counted in this batch.
    pub fn visit(&mut self, key: &str, state: &VisitState, node: &str, view: &NamedView) {
        self.nodes.entry(node.to_owned()).or_insert_with(|| view.clone());
        match self.visits.get_mut(key) {
            Some((_, merged)) => *merged = merged.merge(state),
            None => {
                self.visits.insert(key.to_owned(), (view.day, state.clone()));
                self.order.push(key.to_owned());
            }
        }
    }

    /// Who converted and the credit, given what storage holds (`stored_visits` is empty while
    /// listing keys: the credit is not needed then).
    pub fn resolve(&self, goal: &GoalReached, views: &Views, stored_visits: &HashMap<String, VisitState>) -> Resolved {
        let mut unknown_node = None;
        let (who, named) = resolve::converting(goal, |node| {
            let found = self.nodes.get(node).or_else(|| views.get(node)).cloned();
            if found.is_none() {
                unknown_node = Some(node.to_owned());
            }
            found
        });
        let day = goal.minute.div_euclid(crate::event::MINUTES_PER_DAY);
        let visit = visit_key(&goal.site, day, &who.visitor);
        let state = match (stored_visits.get(&visit), self.visits.get(&visit)) {
            (Some(stored), Some((_, batch))) => Some(stored.merge(batch)),
            (stored, batch) => stored.cloned().or_else(|| batch.map(|(_, s)| s.clone())),
        };
        let credit = resolve::credit(state.as_ref(), named.as_ref());
        Resolved { who, visit, credit, unknown_node }
    }

    /// The batch's visits to write: (key, day, merged state), in first-seen order.
    pub fn into_writes(mut self) -> Vec<(String, i64, VisitState)> {
        self.order.into_iter().filter_map(|key| self.visits.remove(&key).map(|(day, state)| (key, day, state))).collect()
    }
}
