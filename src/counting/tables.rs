//! The rollup tables the queue consumer writes, described as data: the edge generates every
//! statement from these descriptions, so no SQL knows a counting rule.

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
