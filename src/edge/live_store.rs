//! SQL over issue 13's rollups (migration 0004): views by source for a period, and the minute
//! rollups that `GET /api/live` and the alert check read. Writes come from the queue consumer.

use super::app::storage;
use crate::alert::LastHour;
use crate::live::{window_start, LiveRollups, MinuteCounts, TOP_N};
use crate::stats::Period;
use crate::time::Day;
use crate::view_source::ViewSource;
use crate::Result;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

pub(super) fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

pub(super) fn n(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

pub(super) fn stmt(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement> {
    db.prepare(sql).bind(args).map_err(storage)
}

fn count(x: f64) -> u64 {
    x.max(0.0) as u64
}

/// Views per (day, source) of a period; unknown source names (none today) are skipped.
pub async fn sources(db: &D1Database, site: &str, period: Period) -> Result<Vec<(Day, ViewSource, u64)>> {
    #[derive(Deserialize)]
    struct Row {
        day: f64,
        source: String,
        views: f64,
    }
    let rows: Vec<Row> = stmt(
        db,
        "SELECT day, source, views FROM daily_sources WHERE site = ?1 AND day BETWEEN ?2 AND ?3",
        &[s(site), n(period.from.0), n(period.to.0)],
    )?
    .all()
    .await
    .map_err(storage)?
    .results()
    .map_err(storage)?;
    Ok(rows.into_iter().filter_map(|r| Some((Day(r.day as i64), ViewSource::parse(&r.source)?, count(r.views)))).collect())
}

/// The live window ending at `now_minute`: three grouped reads in one round trip.
pub async fn live(db: &D1Database, site: &str, now_minute: i64) -> Result<LiveRollups> {
    let window = [s(site), n(window_start(now_minute)), n(now_minute)];
    let top = format!("LIMIT {TOP_N}");
    let results = db
        .batch(vec![
            stmt(db, "SELECT minute, views, clicks, dark_clicks, shares, previews FROM minute_counts WHERE site = ?1 AND minute BETWEEN ?2 AND ?3", &window)?,
            stmt(db, &format!("SELECT page, SUM(views) AS views, SUM(clicks) AS clicks FROM minute_pages WHERE site = ?1 AND minute BETWEEN ?2 AND ?3 GROUP BY page ORDER BY SUM(clicks) DESC, SUM(views) DESC, page {top}"), &window)?,
            stmt(db, &format!("SELECT channel, SUM(clicks) AS clicks FROM minute_channels WHERE site = ?1 AND minute BETWEEN ?2 AND ?3 GROUP BY channel ORDER BY SUM(clicks) DESC, channel {top}"), &window)?,
        ])
        .await
        .map_err(storage)?;
    let [minutes, pages, channels] = results.as_slice() else {
        return Err(crate::Error::Storage("incomplete live batch".into()));
    };
    #[derive(Deserialize)]
    struct MinuteRow {
        minute: f64,
        views: f64,
        clicks: f64,
        dark_clicks: f64,
        shares: f64,
        previews: f64,
    }
    #[derive(Deserialize)]
    struct PageRow {
        page: String,
        views: f64,
        clicks: f64,
    }
    #[derive(Deserialize)]
    struct ChannelRow {
        channel: String,
        clicks: f64,
    }
    Ok(LiveRollups {
        minutes: minutes
            .results::<MinuteRow>()
            .map_err(storage)?
            .into_iter()
            .map(|r| {
                let counts = MinuteCounts { views: count(r.views), clicks: count(r.clicks), dark_clicks: count(r.dark_clicks), shares: count(r.shares), previews: count(r.previews) };
                (r.minute as i64, counts)
            })
            .collect(),
        pages: pages.results::<PageRow>().map_err(storage)?.into_iter().map(|r| (r.page, count(r.views), count(r.clicks))).collect(),
        channels: channels.results::<ChannelRow>().map_err(storage)?.into_iter().map(|r| (r.channel, count(r.clicks))).collect(),
    })
}

/// A page's last hour up to `now_minute` (the alert check): its counters and top channel.
pub async fn last_hour(db: &D1Database, site: &str, page: &str, now_minute: i64) -> Result<LastHour> {
    let window = [s(site), s(page), n(now_minute - (crate::alert::WINDOW_MINUTES - 1)), n(now_minute)];
    let results = db
        .batch(vec![
            stmt(db, "SELECT COALESCE(SUM(views), 0) AS views, COALESCE(SUM(clicks), 0) AS clicks, COALESCE(SUM(dark_clicks), 0) AS dark_clicks FROM minute_pages WHERE site = ?1 AND page = ?2 AND minute BETWEEN ?3 AND ?4", &window)?,
            stmt(db, "SELECT channel FROM minute_channels WHERE site = ?1 AND page = ?2 AND minute BETWEEN ?3 AND ?4 GROUP BY channel ORDER BY SUM(clicks) DESC, channel LIMIT 1", &window)?,
        ])
        .await
        .map_err(storage)?;
    let [sums, top] = results.as_slice() else {
        return Err(crate::Error::Storage("incomplete alert batch".into()));
    };
    #[derive(Deserialize)]
    struct Sums {
        views: f64,
        clicks: f64,
        dark_clicks: f64,
    }
    #[derive(Deserialize)]
    struct Top {
        channel: String,
    }
    let sums = sums.results::<Sums>().map_err(storage)?.into_iter().next();
    let top_channel = top.results::<Top>().map_err(storage)?.into_iter().next().map(|t| t.channel);
    Ok(sums.map_or_else(LastHour::default, |r| LastHour {
        clicks: count(r.clicks),
        dark_clicks: count(r.dark_clicks),
        views: count(r.views),
        top_channel: top_channel.clone(),
    }))
}

/// Minute rollups and alerts-sent keys are kept this many days (today included).
pub const MINUTE_RETENTION_DAYS: i64 = 2;

/// The daily clean-up of these tables: minute rollups and alerts-sent keys older than 2 days.
pub async fn clean_up(db: &D1Database, today: Day) -> Result<()> {
    let first_kept_day = today.plus(1 - MINUTE_RETENTION_DAYS).0;
    let first_kept_minute = n(first_kept_day * 1440);
    let statements = vec![
        stmt(db, "DELETE FROM minute_counts WHERE minute < ?1", std::slice::from_ref(&first_kept_minute))?,
        stmt(db, "DELETE FROM minute_pages WHERE minute < ?1", std::slice::from_ref(&first_kept_minute))?,
        stmt(db, "DELETE FROM minute_channels WHERE minute < ?1", std::slice::from_ref(&first_kept_minute))?,
        stmt(db, "DELETE FROM alerts_sent WHERE day < ?1", &[n(first_kept_day)])?,
    ];
    db.batch(statements).await.map_err(storage).map(|_| ())
}
