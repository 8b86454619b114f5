//! SQL over issue 13's rollups (migration 0004): views by source for a period, and the minute
//! rollups that `GET /api/live` and the alert check read. Writes come from the queue consumer.
//!
//! Every read here (and in `alert_store.rs`) answers one row shape, [`Row`]: up to two texts and
//! six numbers, named by SQL alias. The worker then carries one row decoder instead of one per
//! query, which the upload budget notices.

use crate::edge::app::storage;
use crate::edge::store::d1::{n, s, stmt};
use crate::alert::LastHour;
use crate::live::{window_start, LiveRollups, MinuteCounts, TOP_N};
use crate::stats::Period;
use crate::time::Day;
use crate::view_source::ViewSource;
use crate::Result;
use serde::Deserialize;
use worker::{D1Database, D1Result};

/// A result row: texts `t` and `u` (may be NULL), numbers `a`…`f` (never NULL: `COALESCE` sums);
/// columns a query does not select stay empty or 0.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Row {
    pub t: Option<String>,
    pub u: Option<String>,
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
    pub e: f64,
    pub f: f64,
}

impl Row {
    fn text(&self) -> String {
        self.t.clone().unwrap_or_default()
    }
}

pub(super) fn rows(result: &D1Result) -> Result<Vec<Row>> {
    result.results::<Row>().map_err(storage)
}




fn count(x: f64) -> u64 {
    x.max(0.0) as u64
}

/// Views per (day, source) of a period; unknown source names (none today) are skipped.
pub async fn sources(db: &D1Database, site: &str, period: Period) -> Result<Vec<(Day, ViewSource, u64)>> {
    let result = stmt(
        db,
        "SELECT source AS t, day AS a, views AS b FROM daily_sources WHERE site = ?1 AND day BETWEEN ?2 AND ?3",
        &[s(site), n(period.from.0), n(period.to.0)],
    )?
    .all()
    .await
    .map_err(storage)?;
    Ok(rows(&result)?.iter().filter_map(|r| Some((Day(r.a as i64), ViewSource::parse(r.t.as_deref()?)?, count(r.b)))).collect())
}

/// The live window ending at `now_minute`: three grouped reads in one round trip.
pub async fn live(db: &D1Database, site: &str, now_minute: i64) -> Result<LiveRollups> {
    let window = [s(site), n(window_start(now_minute)), n(now_minute)];
    let top = format!("LIMIT {TOP_N}");
    let results = db
        .batch(vec![
            stmt(db, "SELECT minute AS a, views AS b, clicks AS c, dark_clicks AS d, shares AS e, previews AS f FROM minute_counts WHERE site = ?1 AND minute BETWEEN ?2 AND ?3", &window)?,
            stmt(db, &format!("SELECT page AS t, SUM(views) AS a, SUM(clicks) AS b FROM minute_pages WHERE site = ?1 AND minute BETWEEN ?2 AND ?3 GROUP BY page ORDER BY SUM(clicks) DESC, SUM(views) DESC, page {top}"), &window)?,
            stmt(db, &format!("SELECT channel AS t, SUM(clicks) AS a FROM minute_channels WHERE site = ?1 AND minute BETWEEN ?2 AND ?3 GROUP BY channel ORDER BY SUM(clicks) DESC, channel {top}"), &window)?,
        ])
        .await
        .map_err(storage)?;
    let [minutes, pages, channels] = results.as_slice() else {
        return Err(crate::Error::Storage("incomplete live batch".into()));
    };
    Ok(LiveRollups {
        minutes: rows(minutes)?
            .iter()
            .map(|r| (r.a as i64, MinuteCounts { views: count(r.b), clicks: count(r.c), dark_clicks: count(r.d), shares: count(r.e), previews: count(r.f) }))
            .collect(),
        pages: rows(pages)?.iter().map(|r| (r.text(), count(r.a), count(r.b))).collect(),
        channels: rows(channels)?.iter().map(|r| (r.text(), count(r.a))).collect(),
    })
}

/// A page's last hour up to `now_minute` (the alert check): its counters and top channel.
pub async fn last_hour(db: &D1Database, site: &str, page: &str, now_minute: i64) -> Result<LastHour> {
    let window = [s(site), s(page), n(now_minute - (crate::alert::WINDOW_MINUTES - 1)), n(now_minute)];
    let results = db
        .batch(vec![
            stmt(db, "SELECT COALESCE(SUM(views), 0) AS a, COALESCE(SUM(clicks), 0) AS b, COALESCE(SUM(dark_clicks), 0) AS c FROM minute_pages WHERE site = ?1 AND page = ?2 AND minute BETWEEN ?3 AND ?4", &window)?,
            stmt(db, "SELECT channel AS t FROM minute_channels WHERE site = ?1 AND page = ?2 AND minute BETWEEN ?3 AND ?4 GROUP BY channel ORDER BY SUM(clicks) DESC, channel LIMIT 1", &window)?,
        ])
        .await
        .map_err(storage)?;
    let [sums, top] = results.as_slice() else {
        return Err(crate::Error::Storage("incomplete alert batch".into()));
    };
    let sums = rows(sums)?.into_iter().next().unwrap_or_default();
    let top_channel = rows(top)?.into_iter().next().and_then(|r| r.t);
    Ok(LastHour { clicks: count(sums.b), dark_clicks: count(sums.c), views: count(sums.a), top_channel })
}

/// Minute rollups and alerts-sent keys are kept this many days, today included (`pipeline/cleanup.rs`).
pub const MINUTE_RETENTION_DAYS: i64 = 2;
