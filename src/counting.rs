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

use crate::cascade::Growth;
use crate::event::{Click, Event, MINUTES_PER_DAY};
use std::collections::{HashMap, HashSet};

/// Raw de-duplication keys are kept this long (days): longer than any redelivery.
pub const KEY_RETENTION_DAYS: i64 = 2;
/// A page-view fingerprint that brought an arrival counts as one share; remembered this long.
pub const SHARE_RETENTION_DAYS: i64 = 400;
/// Clicks one address may add to one share per day, whatever its user agents (README, "Abuse
/// limits"): enough for a household or an office behind one address, small against an attack.
pub const CLICKS_PER_ADDRESS: i64 = 10;

/// A value in a rollup key or row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cell {
    Int(i64),
    Text(String),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Cell {
        Cell::Int(v)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Text(v.to_owned())
    }
}

/// A table the consumer writes: its key columns, its additive counter columns (rollups) and its
/// plain columns (rows written once, `Effect::Insert`: one cell per key, then per column).
#[derive(Debug, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub counters: &'static [&'static str],
    pub columns: &'static [&'static str],
}

/// Per site, day, channel and depth (channel `''` holds views and copies; depth 0 what is not a click).
pub const DAILY_CHANNELS: Table = Table {
    name: "daily_channels",
    keys: &["site", "day", "channel", "depth"],
    counters: &["views", "copies", "shares", "clicks", "dark_clicks", "previews"],
    columns: &[],
};
/// Per site, day and page.
pub const DAILY_PAGES: Table = Table { name: "daily_pages", keys: &["site", "day", "page"], counters: &["views", "shares", "clicks"], columns: &[] };
/// Copied texts (first 200 characters) per site and day.
pub const DAILY_TEXTS: Table = Table { name: "daily_texts", keys: &["site", "day", "text"], counters: &["copies"], columns: &[] };
/// Views per site, day and source (`view_source.rs`).
pub const DAILY_SOURCES: Table = Table { name: "daily_sources", keys: &["site", "day", "source"], counters: &["views"], columns: &[] };
/// Per site and unix minute (`GET /api/live`; kept 2 days).
pub const MINUTE_COUNTS: Table = Table {
    name: "minute_counts",
    keys: &["site", "minute"],
    counters: &["views", "clicks", "dark_clicks", "shares", "previews"],
    columns: &[],
};
/// Per site, minute and page (live pages, the alert check; kept 2 days).
pub const MINUTE_PAGES: Table = Table { name: "minute_pages", keys: &["site", "minute", "page"], counters: &["views", "clicks", "dark_clicks"], columns: &[] };
/// Clicks per site, minute, page and channel (live channels, an alert's top channel; kept 2 days).
pub const MINUTE_CHANNELS: Table = Table { name: "minute_channels", keys: &["site", "minute", "page", "channel"], counters: &["clicks"], columns: &[] };

/// A site's short links, newest first (`GET /api/links`): one row per link, written once.
pub const LINKS: Table = Table { name: "links", keys: &["site", "code"], counters: &[], columns: &["fp", "created_at"] };
/// All-time counters of one short link, keyed by the link's own fingerprint (the share a click
/// through it carries, at the redirect and at the landing view alike).
pub const LINK_COUNTS: Table = Table { name: "link_counts", keys: &["site", "fp"], counters: &["clicks", "dark_clicks", "previews", "scans"], columns: &[] };

/// What an event does to storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Raises `counter` of the `table` row `key` by `by`; summed per batch before it is written.
    Add { table: &'static Table, key: Vec<Cell>, counter: &'static str, by: i64 },
    /// `then` happens only the first time `key` is seen; the key is remembered `keep_days`.
    Once { key: String, keep_days: i64, then: Vec<Effect> },
    /// Like `Once`, for a key no other event can have: an event's own random id, repeated only
    /// when its message is delivered again (`Keys::only_redelivery`).
    Redelivery { key: String, keep_days: i64, then: Vec<Effect> },
    /// `then` happens only while fewer than `cap` earlier events reached this same `key` (the key
    /// names its day, so the count starts afresh every day).
    Capped { key: String, cap: i64, then: Vec<Effect> },
    /// A row inserted unless one with the same key exists: one cell per key, then per column.
    Insert { table: &'static Table, row: Vec<Cell> },
    /// A cascade grows (a node under its sharer, or a short link's parent): written in event order,
    /// each step reading the ones before it (`edge/cascade_sql.rs`).
    Grow(Growth),
}

fn add(table: &'static Table, key: Vec<Cell>, counter: &'static str, by: i64) -> Effect {
    Effect::Add { table, key, counter, by }
}

/// THE rules: what one event does.
pub fn effects(event: &Event) -> Vec<Effect> {
    let site = event.site();
    let day = event.day();
    let minute = event.minute();
    match event {
        Event::View { .. } | Event::Copy { .. } => activity(event).map(|(key, then)| vec![Effect::Redelivery { key, keep_days: KEY_RETENTION_DAYS, then }]).unwrap_or_default(),
        Event::Preview { page: _, channel, link_fp, fetcher, .. } => vec![Effect::Once {
            // One fetcher fetching the same link again the same day is one preview.
            key: format!("p:{site}:{link_fp}:{fetcher}:{day}"),
            keep_days: KEY_RETENTION_DAYS,
            then: vec![
                add(&DAILY_CHANNELS, channel_key(site, day, channel.as_str(), 0), "previews", 1),
                add(&MINUTE_COUNTS, minute_key(site, minute), "previews", 1),
                add(&LINK_COUNTS, vec![site.into(), link_fp.as_str().into()], "previews", 1),
            ],
        }],
        Event::LinkCreated { page, channel, code, fp, parent, created_at, .. } => {
            let mut then = share_counted(site, minute, page, channel.as_str());
            then.push(Effect::Grow(Growth::Link { site: site.to_owned(), link: fp.clone(), parent: parent.clone() }));
            then.push(Effect::Insert { table: &LINKS, row: vec![site.into(), code.as_str().into(), fp.as_str().into(), (*created_at).into()] });
            vec![Effect::Once { key: format!("l:{site}:{code}"), keep_days: KEY_RETENTION_DAYS, then }]
        }
        Event::Click(click) => click_effects(click),
    }
}

/// A page view's or copy's own de-duplication key and what it counts (`None` for other events).
/// Their keys exist only for redelivery: a random id per event, nothing another event could share.
fn activity(event: &Event) -> Option<(String, Vec<Effect>)> {
    let (site, day, minute) = (event.site(), event.day(), event.minute());
    match event {
        Event::View { id, page, source, .. } => Some((
            format!("v:{id}"),
            vec![
                add(&DAILY_CHANNELS, channel_key(site, day, "", 0), "views", 1),
                add(&DAILY_PAGES, page_key(site, day, page), "views", 1),
                add(&DAILY_SOURCES, vec![site.into(), day.into(), source.as_str().into()], "views", 1),
                add(&MINUTE_COUNTS, minute_key(site, minute), "views", 1),
                add(&MINUTE_PAGES, page_key(site, minute, page), "views", 1),
            ],
        )),
        Event::Copy { id, text, .. } => {
            let mut then = vec![add(&DAILY_CHANNELS, channel_key(site, day, "", 0), "copies", 1)];
            if !text.is_empty() {
                then.push(add(&DAILY_TEXTS, vec![site.into(), day.into(), text.as_str().into()], "copies", 1));
            }
            Some((format!("c:{id}"), then))
        }
        _ => None,
    }
}

/// The events a producer sent together in one queue message (`edge/queue.rs`).
pub type Message = Vec<Event>;

/// The rules for one message: every event's `effects`, except that the page views and copies of a
/// message share one key, the first one's own. A message is delivered (and redelivered) whole, so
/// one key guards them as well as one each did, for a tenth of the key rows to read, write and
/// keep; and a message counted by a consumer that keyed each event finds its first key remembered.
fn message_effects(message: &[Event]) -> Vec<(i64, Vec<Effect>)> {
    let mut out = Vec::new();
    let mut guarded: Option<(i64, String, Vec<Effect>)> = None;
    for event in message {
        match (activity(event), &mut guarded) {
            (Some((_, then)), Some((_, _, all))) => all.extend(then),
            (Some((key, then)), None) => guarded = Some((event.day(), key, then)),
            (None, _) => out.push((event.day(), effects(event))),
        }
    }
    if let Some((day, key, then)) = guarded {
        out.push((day, vec![Effect::Redelivery { key, keep_days: KEY_RETENTION_DAYS, then }]));
    }
    out
}

fn click_effects(click: &Click) -> Vec<Effect> {
    let Click { site, minute, page, channel, depth, dark, share, visitor, address, from_link, node, scan, .. } = click;
    let (minute, day) = (*minute, minute.div_euclid(MINUTES_PER_DAY));
    let mut counted = vec![
        add(&DAILY_CHANNELS, channel_key(site, day, channel.as_str(), i64::from(*depth)), "clicks", 1),
        add(&DAILY_CHANNELS, channel_key(site, day, channel.as_str(), i64::from(*depth)), "dark_clicks", i64::from(*dark)),
        add(&DAILY_PAGES, page_key(site, day, page), "clicks", 1),
        add(&MINUTE_COUNTS, minute_key(site, minute), "clicks", 1),
        add(&MINUTE_COUNTS, minute_key(site, minute), "dark_clicks", i64::from(*dark)),
        add(&MINUTE_PAGES, page_key(site, minute, page), "clicks", 1),
        add(&MINUTE_PAGES, page_key(site, minute, page), "dark_clicks", i64::from(*dark)),
        add(&MINUTE_CHANNELS, vec![site.as_str().into(), minute.into(), page.as_str().into(), channel.as_str().into()], "clicks", 1),
        // Every counted click, and only a counted one, is a node of its cascade.
        Effect::Grow(Growth::Node { site: site.clone(), node: node.clone(), share: share.clone(), channel: channel.as_str().to_owned(), day, page: page.clone(), minute }),
    ];
    if *from_link {
        // The link's own counters (`GET /api/links`), under the same key and cap as the rollups.
        let link = || vec![Cell::from(site.as_str()), Cell::from(share.as_str())];
        counted.push(add(&LINK_COUNTS, link(), "clicks", 1));
        counted.push(add(&LINK_COUNTS, link(), "dark_clicks", i64::from(*dark)));
        counted.push(add(&LINK_COUNTS, link(), "scans", i64::from(*scan)));
    } else {
        // A page-view fingerprint that brings its first arrival is one address-bar or copy-paste
        // share (short links count as shares when they are created).
        counted.push(Effect::Once { key: format!("s:{site}:{share}"), keep_days: SHARE_RETENTION_DAYS, then: share_counted(site, minute, page, channel.as_str()) });
    }
    vec![Effect::Once {
        key: format!("k:{site}:{share}:{visitor}:{day}"),
        keep_days: KEY_RETENTION_DAYS,
        then: vec![Effect::Capped { key: format!("a:{site}:{share}:{address}:{day}"), cap: CLICKS_PER_ADDRESS, then: counted }],
    }]
}

fn share_counted(site: &str, minute: i64, page: &str, channel: &str) -> Vec<Effect> {
    let day = minute.div_euclid(MINUTES_PER_DAY);
    vec![
        add(&DAILY_CHANNELS, channel_key(site, day, channel, 0), "shares", 1),
        add(&DAILY_PAGES, page_key(site, day, page), "shares", 1),
        add(&MINUTE_COUNTS, minute_key(site, minute), "shares", 1),
    ]
}

fn minute_key(site: &str, minute: i64) -> Vec<Cell> {
    vec![site.into(), minute.into()]
}

fn channel_key(site: &str, day: i64, channel: &str, depth: i64) -> Vec<Cell> {
    vec![site.into(), day.into(), channel.into(), depth.into()]
}

/// (site, day or minute, page).
fn page_key(site: &str, day: i64, page: &str) -> Vec<Cell> {
    vec![site.into(), day.into(), page.into()]
}

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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod sources_live_tests;
