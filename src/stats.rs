//! The stats report: the period a marketer asks for, rollup rows → the contract's JSON, and CSV.
//!
//! The store answers with pre-aggregated rows (per site, day, page, channel, depth), so building a
//! report costs days × dimensions, never events. This module only shapes, fills and divides.
//! A page-filtered report (`filter.rs`) is the same report over the per-page rollups: the store
//! reads other tables, the shaping here is the same but for `pages`, which then lists that page
//! alone (from the filtered totals). `compare.rs` adds the previous period's totals.

use crate::small_sort::sort_small_by;
use crate::cascade::{CascadeRow, KeySharerRow, StoredCascade};
use crate::goal::report::{GoalRollup, GoalRow};
use crate::time::Day;
use crate::view_source::ViewSource;
use crate::{Error, Result};
use serde::Serialize;

pub use compare::{Previous, PreviousRollups};
pub use filter::Filter;

/// Longest period one request may cover.
pub const MAX_PERIOD_DAYS: i64 = 400;
/// Period when `from`/`to` are absent: the last 30 days including today.
pub const DEFAULT_PERIOD_DAYS: i64 = 30;
/// How many pages and copied texts a report lists.
pub const TOP_N: usize = 20;

/// An inclusive range of UTC days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Day,
    pub to: Day,
}

impl Period {
    /// Parses the query's `from`/`to` (each optional), relative to `today`.
    ///
    /// # Errors
    /// `Error::BadDate` for a malformed date, `from` after `to`, or a period over `MAX_PERIOD_DAYS`.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: Day) -> Result<Period> {
        let to = to.map(Day::parse).transpose()?.unwrap_or(today);
        let from = from.map(Day::parse).transpose()?.unwrap_or(to.plus(1 - DEFAULT_PERIOD_DAYS));
        if from > to {
            return Err(Error::BadDate("from is after to".into()));
        }
        if to.0 - from.0 + 1 > MAX_PERIOD_DAYS {
            return Err(Error::BadDate(format!("a period may span at most {MAX_PERIOD_DAYS} days")));
        }
        Ok(Period { from, to })
    }

    /// Every day of the period, in order.
    pub fn days(self) -> impl Iterator<Item = Day> {
        (self.from.0..=self.to.0).map(Day)
    }
}

/// The additive counters every rollup row carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub views: u64,
    pub copies: u64,
    pub shares: u64,
    pub clicks: u64,
    pub dark_clicks: u64,
    pub previews: u64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.views += o.views;
        self.copies += o.copies;
        self.shares += o.shares;
        self.clicks += o.clicks;
        self.dark_clicks += o.dark_clicks;
        self.previews += o.previews;
    }
}

/// What the store returns for a period; each list already grouped by its key.
#[derive(Debug, Clone, Default)]
pub struct Rollups {
    /// Grouped by (day, channel); channel `""` holds views and copies, which have none.
    pub by_day_channel: Vec<(Day, String, Counts)>,
    /// Grouped by page, any order.
    pub pages: Vec<(String, Counts)>,
    /// Grouped by copied text, any order.
    pub texts: Vec<(String, u64)>,
    /// Clicks grouped by depth (depth ≥ 1).
    pub depths: Vec<(u32, u64)>,
    /// The largest cascades with a click in the period, largest first (see `cascade`).
    pub cascades: Vec<StoredCascade>,
    /// The nodes of largest reach with a direct click in the period, largest first.
    pub key_sharers: Vec<KeySharerRow>,
    /// Views grouped by (day, source).
    pub sources: Vec<(Day, ViewSource, u64)>,
    /// The page every row above is restricted to (`page=`); `None` for the whole site.
    pub page: Option<String>,
    /// The previous period and its sums (`compare=previous`).
    pub previous: Option<(Period, PreviousRollups)>,
    /// Goal events grouped by (goal, source, channel, currency) over the period.
    pub goals: Vec<GoalRollup>,
    /// Daily visitors per source, summed over the period (conversion rates).
    pub source_visitors: Vec<(ViewSource, u64)>,
    /// Conversions and goal events grouped by (day, credited channel; `""` when not a share's), for
    /// the CSV.
    pub goal_days: Vec<(Day, String, u64, u64)>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Totals {
    #[serde(flatten)]
    pub counts: Counts,
    /// Clicks per share; `null` without shares.
    pub share_to_click: Option<f64>,
    /// Of the "direct" views, the share that came through private channels (see `sources`).
    pub direct_dark_share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChannelRow {
    pub channel: String,
    pub shares: u64,
    pub clicks: u64,
    pub previews: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DayRow {
    pub date: String,
    pub views: u64,
    pub copies: u64,
    pub shares: u64,
    pub clicks: u64,
    pub dark_clicks: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PageRow {
    pub url: String,
    pub views: u64,
    pub shares: u64,
    pub clicks: u64,
    /// This page's clicks per view; `null` without views.
    pub k_factor: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TextRow {
    pub text: String,
    pub copies: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DepthRow {
    pub depth: u32,
    pub clicks: u64,
}

/// The body of `GET /api/stats`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub site: String,
    pub from: String,
    pub to: String,
    pub totals: Totals,
    pub channels: Vec<ChannelRow>,
    pub timeseries: Vec<DayRow>,
    pub pages: Vec<PageRow>,
    pub copied_texts: Vec<TextRow>,
    pub generations: Vec<DepthRow>,
    /// Arrivals through shares per page view: how many new visits each visit brings.
    pub k_factor: Option<f64>,
    pub cascades: Vec<CascadeRow>,
    pub key_sharers: Vec<KeySharerRow>,
    pub sources: Vec<sources::SourceRow>,
    /// Views by source per day of the period (the stats page's chart).
    pub source_timeseries: Vec<sources::SourceDayRow>,
    /// The same totals over the period before (`compare=previous`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Previous>,
    /// Goals with at least one event in the period (`goal::report`).
    pub goals: Vec<GoalRow>,
}

/// Totals from summed counters and the sources' ratio (the report's and the previous period's).
fn totals(counts: Counts, direct_dark_share: Option<f64>) -> Totals {
    Totals { counts, share_to_click: ratio(counts.clicks, counts.shares), direct_dark_share }
}

/// Builds the report: totals, zero-filled time series, sorted breakdowns and ratios.
pub fn report(site: &str, period: Period, rollups: Rollups) -> Report {
    let mut totals = Counts::default();
    let mut per_day: std::collections::BTreeMap<Day, Counts> = period.days().map(|d| (d, Counts::default())).collect();
    let mut per_channel: std::collections::BTreeMap<String, Counts> = Default::default();
    for (day, channel, counts) in &rollups.by_day_channel {
        totals.add(counts);
        if let Some(slot) = per_day.get_mut(day) {
            slot.add(counts);
        }
        if !channel.is_empty() {
            per_channel.entry(channel.clone()).or_default().add(counts);
        }
    }
    let mut channels: Vec<ChannelRow> = per_channel
        .into_iter()
        .map(|(channel, c)| ChannelRow { channel, shares: c.shares, clicks: c.clicks, previews: c.previews })
        .filter(|r| r.shares + r.clicks + r.previews > 0)
        .collect();
    sort_small_by(&mut channels, |a, b| (b.clicks, b.shares, b.previews).cmp(&(a.clicks, a.shares, a.previews)).then(a.channel.cmp(&b.channel)));

    // Under a page filter, the page's row is the filtered totals: the per-page rollups count the
    // same views, shares and clicks as `daily_pages` does for it, so no read of its own is needed.
    let listed = match rollups.page {
        Some(url) => vec![(url, totals)],
        None => rollups.pages,
    };
    let mut pages: Vec<PageRow> =
        listed.into_iter().map(|(url, c)| PageRow { url, views: c.views, shares: c.shares, clicks: c.clicks, k_factor: ratio(c.clicks, c.views) }).collect();
    sort_small_by(&mut pages, |a, b| (b.clicks, b.shares, b.views).cmp(&(a.clicks, a.shares, a.views)).then(a.url.cmp(&b.url)));
    pages.truncate(TOP_N);

    let mut copied_texts: Vec<TextRow> = rollups.texts.into_iter().map(|(text, copies)| TextRow { text, copies }).collect();
    sort_small_by(&mut copied_texts, |a, b| b.copies.cmp(&a.copies).then(a.text.cmp(&b.text)));
    copied_texts.truncate(TOP_N);

    let mut generations: Vec<DepthRow> = rollups.depths.into_iter().filter(|(d, _)| *d >= 1).map(|(depth, clicks)| DepthRow { depth, clicks }).collect();
    sort_small_by(&mut generations, |a, b| a.depth.cmp(&b.depth));
    let sources = sources::summarize(period, &rollups.sources);

    Report {
        site: site.to_owned(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        totals: self::totals(totals, sources.direct_dark_share),
        channels,
        timeseries: per_day
            .into_iter()
            .map(|(day, c)| DayRow { date: day.to_string(), views: c.views, copies: c.copies, shares: c.shares, clicks: c.clicks, dark_clicks: c.dark_clicks })
            .collect(),
        pages,
        copied_texts,
        generations,
        k_factor: ratio(totals.clicks, totals.views),
        cascades: rollups.cascades.into_iter().map(CascadeRow::from).collect(),
        key_sharers: rollups.key_sharers,
        sources: sources.rows,
        source_timeseries: sources.by_day,
        previous: rollups.previous.map(|(period, sums)| compare::previous(period, &sums)),
        goals: crate::goal::report::goals(&rollups.goals, &rollups.source_visitors),
    }
}

/// `a / b` rounded to three decimals, or `None` when `b` is zero.
fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| (a as f64 / b as f64 * 1000.0).round() / 1000.0)
}

/// The CSV export: one row per day and channel that has any count, in date then channel order;
/// views and copies, which have no channel, are on the rows whose channel is `none`. The goal
/// columns: `conversions` and `goal_events` credited that day to arrivals through that channel
/// (`none`: credited to anything but a share's arrival). Values, per currency, are in the JSON.
pub fn csv(rollups: &Rollups) -> String {
    let mut rows: Vec<(Day, &str, Counts, u64, u64)> = rollups
        .by_day_channel
        .iter()
        .filter(|(_, _, c)| *c != Counts::default())
        .map(|(day, channel, c)| (*day, if channel.is_empty() { "none" } else { channel.as_str() }, *c, 0, 0))
        .collect();
    for (day, channel, conversions, events) in &rollups.goal_days {
        let channel = if channel.is_empty() { "none" } else { channel.as_str() };
        match rows.iter_mut().find(|r| r.0 == *day && r.1 == channel) {
            Some(row) => (row.3, row.4) = (row.3 + conversions, row.4 + events),
            None => rows.push((*day, channel, Counts::default(), *conversions, *events)),
        }
    }
    sort_small_by(&mut rows, |a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut out = String::from("date,channel,views,copies,shares,clicks,dark_clicks,previews,conversions,goal_events\r\n");
    for (day, channel, c, conversions, events) in rows {
        out.push_str(&format!(
            "{day},{},{},{},{},{},{},{},{conversions},{events}\r\n",
            csv_field(channel),
            c.views,
            c.copies,
            c.shares,
            c.clicks,
            c.dark_clicks,
            c.previews
        ));
    }
    out
}

/// Quotes a field when needed and defuses spreadsheet formulas (`=`, `+`, `-`, `@` first).
fn csv_field(raw: &str) -> String {
    let defused = if raw.starts_with(['=', '+', '-', '@']) { format!("'{raw}") } else { raw.to_owned() };
    if defused.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

pub mod compare;
pub mod filter;
pub mod sources;
#[cfg(test)]
mod tests;
