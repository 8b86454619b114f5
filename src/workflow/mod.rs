//! The workflows: what a view, a click at the redirect, a copy, a preview, a link creation and a goal mean,
//! as pure functions from typed, owned facts to a plan (what to answer and which events to record).
//!
//! The edge parses a request into facts, calls one of these, sends the plan's events to the queue
//! and answers. Nothing here reads storage: everything a decision needs is in the facts, the
//! signed fingerprints, or the signing secret.

mod click;
mod goal;
mod records;
mod view;

pub use click::{plan_click, ClickFacts};
pub use goal::{page_goal_events, plan_goal, GoalBody, GoalFacts, GoalFields, GoalFrom};
pub use records::{copy_event, link_created_event, preview_event, PreviewFacts};
pub use view::{plan_view, ViewFacts, ViewPlan};

#[cfg(test)]
mod tests;
