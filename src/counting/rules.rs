//! The counting rules: what one event does to storage (`effects`), and how the events of one queue
//! message share one key. Read this file to answer "why was this counted, or not?".

use super::tables::*;
use super::{CLICKS_PER_ADDRESS, KEY_RETENTION_DAYS, SHARE_RETENTION_DAYS};
use crate::cascade::Growth;
use crate::event::{Click, Event, MINUTES_PER_DAY};

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
    /// each step reading the ones before it (`edge/site/cascade_sql.rs`).
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

/// The events a producer sent together in one queue message (`edge/hot/outbox.rs`).
pub type Message = Vec<Event>;

/// The rules for one message: every event's `effects`, except that the page views and copies of a
/// message share one key, the first one's own. A message is delivered (and redelivered) whole, so
/// one key guards them as well as one each did, for a tenth of the key rows to read, write and
/// keep; and a message counted by a consumer that keyed each event finds its first key remembered.
pub(super) fn message_effects(message: &[Event]) -> Vec<(i64, Vec<Effect>)> {
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
