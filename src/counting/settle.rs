//! The batch planner: the keys a batch's effects depend on (`keys`, read by the edge in one round
//! trip), then `settle`: every effect applied against those reads and the events before it, summed
//! into one `Write` (one transaction).

use super::rules::{message_effects, Effect, Message};
use super::tables::{Cell, Table};
use crate::cascade::Growth;
use std::collections::{HashMap, HashSet};

/// What the edge must read before settling a batch.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Keys {
    /// De-duplication keys: which of them are already remembered?
    pub once: Vec<String>,
    /// Capped counters: how far has each got?
    pub capped: Vec<String>,
    /// Whether any of them could have been written by another event (all but page views' and
    /// copies' own ids, which only a redelivery can find remembered).
    pub shared: bool,
}

impl Keys {
    /// Whether the batch depends on nothing but keys only a redelivery can find (it holds page
    /// views and copies alone). Such a batch can be written without reading first: the write
    /// remembers its keys with a plain INSERT, so if one is there after all (a redelivery, or a
    /// producer that sent the same events twice) the whole write fails and changes nothing, and
    /// the batch is then read and settled as any other.
    pub fn only_redelivery(&self) -> bool {
        !self.shared
    }
}

/// Every key the batch's effects may depend on (each once).
pub fn keys(batch: &[Message]) -> Keys {
    fn walk(effects: &[Effect], seen: &mut HashSet<String>, keys: &mut Keys) {
        for effect in effects {
            match effect {
                Effect::Once { key, then, .. } | Effect::Redelivery { key, then, .. } | Effect::Capped { key, then, .. } => {
                    keys.shared |= !matches!(effect, Effect::Redelivery { .. });
                    if seen.insert(key.clone()) {
                        let list = if matches!(effect, Effect::Capped { .. }) { &mut keys.capped } else { &mut keys.once };
                        list.push(key.clone());
                    }
                    walk(then, seen, keys);
                }
                Effect::Add { .. } | Effect::Insert { .. } | Effect::Grow(_) => {}
            }
        }
    }
    let (mut seen, mut keys) = (HashSet::new(), Keys::default());
    for (_, effects) in batch.iter().flat_map(|message| message_effects(message)) {
        walk(&effects, &mut seen, &mut keys);
    }
    keys
}

/// What storage said about the batch's keys.
#[derive(Debug, Default)]
pub struct Reads {
    /// The de-duplication keys already remembered.
    pub seen: HashSet<String>,
    /// Capped counters and how far each has got.
    pub capped: HashMap<String, i64>,
}

/// One row's summed counter increments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upsert {
    pub table: &'static Table,
    pub key: Vec<Cell>,
    /// One value per `table.counters`, in that order.
    pub add: Vec<i64>,
}

/// Everything one batch writes, in one transaction.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Write {
    /// Keys seen for the first time, each with the day after which it may be forgotten.
    pub remember: Vec<(String, i64)>,
    /// Capped counters with their new totals, and the day each belongs to.
    pub capped: Vec<(String, i64, i64)>,
    /// Counter increments, one per row.
    pub upserts: Vec<Upsert>,
    /// Rows to insert if absent, in event order.
    pub inserts: Vec<(&'static Table, Vec<Cell>)>,
    /// Cascade steps, in event order.
    pub growth: Vec<Growth>,
}

impl Write {
    pub fn is_empty(&self) -> bool {
        self.remember.is_empty() && self.capped.is_empty() && self.upserts.is_empty() && self.inserts.is_empty() && self.growth.is_empty()
    }
}

/// Applies every event's effects, in order, against `reads` and against the events before it.
pub fn settle(batch: &[Message], reads: &Reads) -> Write {
    let mut state = Settling { reads, remembered: HashSet::new(), capped: Vec::new(), capped_at: HashMap::new(), sums: Vec::new(), rows: HashMap::new(), write: Write::default() };
    for (day, effects) in batch.iter().flat_map(|message| message_effects(message)) {
        state.apply(&effects, day);
    }
    let Settling { capped, sums, mut write, .. } = state;
    write.capped = capped.into_iter().filter(|c| c.after > c.before).map(|c| (c.key, c.day, c.after)).collect();
    write.upserts = sums;
    write
}

/// A rollup row: its table's name and its key.
type RowId = (&'static str, Vec<Cell>);

/// The batch being settled. Maps index into vectors (first-seen order, so a write is
/// deterministic) rather than being ordered maps: B-tree code for these key types cost 8 KB of wasm.
struct Settling<'a> {
    reads: &'a Reads,
    remembered: HashSet<String>,
    capped: Vec<Capped>,
    capped_at: HashMap<String, usize>,
    /// Summed increments, one per row; `rows` finds a row's index.
    sums: Vec<Upsert>,
    rows: HashMap<RowId, usize>,
    write: Write,
}

/// A capped counter's day, its total in storage, and its total after this batch.
struct Capped {
    key: String,
    day: i64,
    before: i64,
    after: i64,
}

impl Settling<'_> {
    fn apply(&mut self, effects: &[Effect], day: i64) {
        for effect in effects {
            match effect {
                Effect::Add { table, key, counter, by } => {
                    let Some(column) = table.counters.iter().position(|c| c == counter) else { continue };
                    let next = self.sums.len();
                    let index = *self.rows.entry((table.name, key.clone())).or_insert(next);
                    if index == next {
                        self.sums.push(Upsert { table, key: key.clone(), add: vec![0; table.counters.len()] });
                    }
                    self.sums[index].add[column] += by;
                }
                Effect::Once { key, keep_days, then } | Effect::Redelivery { key, keep_days, then } => {
                    if self.reads.seen.contains(key) || !self.remembered.insert(key.clone()) {
                        continue;
                    }
                    self.write.remember.push((key.clone(), day + keep_days));
                    self.apply(then, day);
                }
                Effect::Capped { key, cap, then } => {
                    let before = self.reads.capped.get(key).copied().unwrap_or(0);
                    let next = self.capped.len();
                    let index = *self.capped_at.entry(key.clone()).or_insert(next);
                    if index == next {
                        self.capped.push(Capped { key: key.clone(), day, before, after: before });
                    }
                    let entry = &mut self.capped[index];
                    if entry.after >= *cap {
                        continue;
                    }
                    entry.after += 1;
                    self.apply(then, day);
                }
                Effect::Insert { table, row } => self.write.inserts.push((table, row.clone())),
                Effect::Grow(step) => self.write.growth.push(step.clone()),
            }
        }
    }
}
