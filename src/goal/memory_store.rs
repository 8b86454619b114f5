//! An in-memory site store for native tests: what the site object keeps for counting, applied
//! from `counting::Write` exactly as the storage contract says (keys remembered, capped totals,
//! summed rollups, rows inserted once, cascades grown, visitors' days merged), and the reads a
//! batch needs. The consumer's loop over it is [`MemoryStore::consume`].

use crate::cascade::Growth;
use crate::counting::{self, Cell, Message, Reads, Table, Views, Write};
use crate::fingerprint::Fingerprint;
use crate::goal::credit::VisitState;
use crate::goal::report::GoalRollup;
use crate::goal::resolve::NamedView;
use crate::goal::rules::{GOAL_DAYS, SOURCE_VISITORS, VIEW_NODES};
use crate::site::SiteId;
use crate::view_source::ViewSource;
use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub struct MemoryStore {
    pub secret: Vec<u8>,
    seen: HashSet<String>,
    capped: HashMap<String, i64>,
    rows: HashMap<(&'static str, Vec<Cell>), Vec<i64>>,
    inserted: HashMap<(&'static str, Vec<Cell>), Vec<Cell>>,
    visits: HashMap<String, VisitState>,
    /// Cascade node → its parent (`None` for a root).
    pub parents: HashMap<String, Option<String>>,
    /// Conversions per node (of its subtree, itself excluded) and per cascade root.
    pub node_conversions: HashMap<String, u64>,
    pub cascade_conversions: HashMap<String, u64>,
    /// Batches whose server-side goals named views stored by an earlier batch.
    pub node_reads: usize,
}

impl MemoryStore {
    pub fn new(secret: &[u8]) -> MemoryStore {
        MemoryStore { secret: secret.to_vec(), ..MemoryStore::default() }
    }

    /// What the consumer does with one batch: list keys (after reading the views its server-side
    /// goals name), read, settle, write in one step.
    pub fn consume(&mut self, batch: &[Message]) {
        let mut keys = counting::keys(batch);
        let views = self.views(&keys.nodes);
        if !keys.nodes.is_empty() {
            self.node_reads += 1;
            keys = counting::keys_with(batch, &views);
        }
        let reads = Reads {
            seen: keys.once.iter().filter(|k| self.seen.contains(*k)).cloned().collect(),
            capped: keys.capped.iter().filter_map(|k| self.capped.get(k).map(|n| (k.clone(), *n))).collect(),
            views,
            visits: keys.visits.iter().filter_map(|k| self.visits.get(k).map(|s| (k.clone(), s.clone()))).collect(),
        };
        let write = counting::settle(batch, &reads);
        self.apply(&write);
    }

    fn views(&self, nodes: &[String]) -> Views {
        nodes
            .iter()
            .filter_map(|node| {
                let (_, row) = self.inserted.iter().find(|((table, key), _)| *table == VIEW_NODES.name && key.get(1) == Some(&Cell::Text(node.clone())))?;
                let text = |i: usize| if let Some(Cell::Text(t)) = row.get(i) { t.clone() } else { String::new() };
                let day = if let Some(Cell::Int(d)) = row.get(1) { *d } else { 0 };
                Some((node.clone(), NamedView { visitor: text(0), day, page: text(2), source: ViewSource::parse(&text(3))? }))
            })
            .collect()
    }

    fn apply(&mut self, write: &Write) {
        for (key, _) in &write.remember {
            assert!(self.seen.insert(key.clone()), "a key is remembered once: {key}");
        }
        for (key, _, total) in &write.capped {
            self.capped.insert(key.clone(), *total);
        }
        for upsert in &write.upserts {
            let row = self.rows.entry((upsert.table.name, upsert.key.clone())).or_insert_with(|| vec![0; upsert.table.counters.len()]);
            row.iter_mut().zip(&upsert.add).for_each(|(v, a)| *v += a);
        }
        for (table, row) in &write.inserts {
            let (key, columns) = row.split_at(table.keys.len());
            self.inserted.entry((table.name, key.to_vec())).or_insert_with(|| columns.to_vec());
        }
        for (key, _, state) in &write.visits {
            let merged = self.visits.get(key).map_or_else(|| state.clone(), |stored| stored.merge(state));
            self.visits.insert(key.clone(), merged);
        }
        for step in &write.growth {
            self.grow(step);
        }
    }

    fn grow(&mut self, step: &Growth) {
        match step {
            Growth::Node { site, node, share, .. } => {
                let Some(parent) = SiteId::parse(site).ok().and_then(|s| Fingerprint::verify(&self.secret, &s, share).ok()).map(|f| f.node_id()) else { return };
                if self.parents.contains_key(node) || *node == parent {
                    return;
                }
                self.parents.entry(parent.clone()).or_insert(None);
                self.parents.insert(node.clone(), Some(parent));
            }
            Growth::Link { .. } => {}
            Growth::Conversion { node, .. } => {
                if !self.parents.contains_key(node) {
                    return;
                }
                let mut at = self.parents.get(node).cloned().flatten();
                let mut root = node.clone();
                while let Some(ancestor) = at {
                    *self.node_conversions.entry(ancestor.clone()).or_default() += 1;
                    root = ancestor.clone();
                    at = self.parents.get(&ancestor).cloned().flatten();
                }
                *self.cascade_conversions.entry(root).or_default() += 1;
            }
        }
    }

    /// A rollup table's rows.
    fn table(&self, table: &Table) -> impl Iterator<Item = (&Vec<Cell>, &Vec<i64>)> {
        let name = table.name;
        self.rows.iter().filter(move |((t, _), _)| *t == name).map(|((_, k), v)| (k, v))
    }

    /// `goal_days` grouped by (goal, source, channel, currency), as the report reads it.
    pub fn goal_rollups(&self) -> Vec<GoalRollup> {
        type Group = (String, String, String, String);
        let mut out: HashMap<Group, (u64, u64, i64)> = HashMap::new();
        for (key, counters) in self.table(&GOAL_DAYS) {
            let text = |i: usize| if let Some(Cell::Text(t)) = key.get(i) { t.clone() } else { String::new() };
            let slot = out.entry((text(2), text(4), text(5), text(6))).or_default();
            slot.0 += counters[0] as u64;
            slot.1 += counters[1] as u64;
            slot.2 += counters[2];
        }
        out.into_iter().map(|((goal, source, channel, currency), (conversions, events, cents))| GoalRollup { goal, source, channel, currency, conversions, events, cents }).collect()
    }

    /// `source_visitors` per source.
    pub fn source_visitors(&self) -> Vec<(ViewSource, u64)> {
        self.table(&SOURCE_VISITORS)
            .filter_map(|(key, counters)| match key.get(2) {
                Some(Cell::Text(s)) => Some((ViewSource::parse(s)?, counters[0] as u64)),
                _ => None,
            })
            .collect()
    }
}
