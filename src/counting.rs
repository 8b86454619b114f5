//! The counting rules, in one place: which event bumps which rollup, and the batch planner the queue
//! consumer runs them through.
//!
//! A consumer batch is counted in three steps, so that the one write can be a single transaction:
//! 1. [`keys`]: the de-duplication keys and capped counters the batch's effects depend on;
//! 2. the edge reads those from storage (one round trip);
//! 3. [`settle`]: every event's effects, applied against what was read and against the events
//!    before it in the same batch, become one [`Write`]: keys to remember, counters to raise (summed
//!    per row), rows to insert.
//!
//! Delivery is at-least-once. An event whose key was already seen changes nothing, so a redelivered
//! batch counts once; a key is only remembered in the same transaction as the counts it guards.
//!
//! # Layout
//! - `tables`: the rollup tables the consumer writes (`Table`) and the values in their rows (`Cell`).
//! - `rules`: **the rules**: `effects`, which event bumps which rollup inside which key or cap.
//! - `settle`: the batch planner: `keys` to read, then `settle` into one `Write`.

mod rules;
mod settle;
mod tables;

pub use rules::{effects, Effect, Message};
pub use settle::{keys, settle, Keys, Reads, Upsert, Write};
pub use tables::*;

/// Raw de-duplication keys are kept this long (days): longer than any redelivery.
pub const KEY_RETENTION_DAYS: i64 = 2;
/// A page-view fingerprint that brought an arrival counts as one share; remembered this long.
pub const SHARE_RETENTION_DAYS: i64 = 400;
/// Clicks one address may add to one share per day, whatever its user agents (README, "Abuse
/// limits"): enough for a household or an office behind one address, small against an attack.
pub const CLICKS_PER_ADDRESS: i64 = 10;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod sources_live_tests;

