//! Goals and conversions (`../shared/API.md`, "Goals and conversions"): a goal is a named outcome
//! on a site (a sign-up, a purchase); a conversion is a visitor reaching it, credited to where that
//! visitor came from, so a marketer sees which private channels, cascades and sharers bring
//! outcomes, not only clicks.
//!
//! # Layout
//! - [`fields`]: the validating newtypes of a goal request (`GoalName`, `Cents`, `Currency`,
//!   `Amount`).
//! - [`pages`]: page goals (`{name, path}`), matched against every accepted view's page.
//! - [`credit`]: the credit rule: the visitor's latest view that day that is neither internal nor
//!   self, and the state a day of views leaves for it.
//! - [`resolve`]: who converted (a server-side goal names a view by its fingerprint) and the credit
//!   the conversion takes.
//! - [`rules`]: what visits and goal events count, as `counting::Effect`s (conversions per visitor
//!   per goal per day, capped per address; events; value in hundredths per currency).
//! - [`report`]: rollup rows → the report's `goals`, and conversion rates per source.
//!
//! The request path only validates and plans (`workflow::plan_goal`); nothing here reads storage.

pub mod credit;
pub mod fields;
pub mod pages;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod sql;

pub use credit::{Credit, VisitState};
pub use fields::{Amount, Cents, Currency, GoalName};
pub use pages::{PageGoal, PageGoals};

#[cfg(test)]
pub(crate) mod memory_store;
#[cfg(test)]
mod truth_tests;
