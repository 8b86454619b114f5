//! Sites, salts and rollup reads over D1 (the daily clean-up is `cleanup.rs`). Counts are written
//! only by the queue consumer (`count_store.rs`); multi-statement writes go through `batch`, which
//! D1 runs as one transaction, so a failing request writes nothing.

use super::app::storage;
use crate::site::{hosts_from_stored, Site, SiteId};
use crate::stats::{Counts, Period, Rollups};
use crate::time::Day;
use crate::{Error, Result};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// A text parameter.
pub fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

/// An integer parameter (D1 numbers are JavaScript numbers).
pub fn n(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

/// A prepared statement with its parameters bound.
pub fn stmt(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement> {
    db.prepare(sql).bind(args).map_err(storage)
}


#[derive(Deserialize)]
struct SiteRow {
    id: String,
    name: String,
    hosts: String,
    token_sha256: String,
}

/// The site with this id, if registered.
pub async fn load_site(db: &D1Database, id: &SiteId) -> Result<Option<Site>> {
    let row: Option<SiteRow> = stmt(db, "SELECT id, name, hosts, token_sha256 FROM sites WHERE id = ?1", &[s(id.as_str())])?
        .first(None)
        .await
        .map_err(storage)?;
    Ok(row.map(|r| {
        let hosts: Vec<String> = serde_json::from_str(&r.hosts).unwrap_or_default();
        Site { id: SiteId::parse(&r.id).unwrap_or_else(|_| id.clone()), name: r.name, hosts: hosts_from_stored(&hosts), token_sha256: r.token_sha256 }
    }))
}

/// The id of the site whose stats token hashes to `token_sha256`, if any.
pub async fn site_of_token(db: &D1Database, token_sha256: &str) -> Result<Option<String>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
    }
    let row: Option<Row> = stmt(db, "SELECT id FROM sites WHERE token_sha256 = ?1", &[s(token_sha256)])?.first(None).await.map_err(storage)?;
    Ok(row.map(|r| r.id))
}

/// Registers a site.
///
/// # Errors
/// `Error::SiteExists` when the id is taken.
pub async fn insert_site(db: &D1Database, site: &Site, now_ms: i64) -> Result<()> {
    let hosts = serde_json::to_string(&site.host_texts()).map_err(|e| Error::Storage(e.to_string()))?;
    let result = stmt(
        db,
        "INSERT OR IGNORE INTO sites (id, name, hosts, token_sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[s(site.id.as_str()), s(&site.name), s(&hosts), s(&site.token_sha256), n(now_ms)],
    )?
    .run()
    .await
    .map_err(storage)?;
    let changes = result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0);
    if changes == 0 { Err(Error::SiteExists) } else { Ok(()) }
}

/// The salt of `day`, creating it from `fresh` if this is the day's first request.
pub async fn daily_salt(db: &D1Database, day: Day, fresh: &str) -> Result<String> {
    #[derive(Deserialize)]
    struct Row {
        salt: String,
    }
    let results = db
        .batch(vec![
            stmt(db, "INSERT OR IGNORE INTO salts (day, salt) VALUES (?1, ?2)", &[n(day.0), s(fresh)])?,
            stmt(db, "SELECT salt FROM salts WHERE day = ?1", &[n(day.0)])?,
        ])
        .await
        .map_err(storage)?;
    let rows: Vec<Row> = results.get(1).ok_or_else(|| Error::Storage("no salt row".into()))?.results().map_err(storage)?;
    rows.into_iter().next().map(|r| r.salt).ok_or_else(|| Error::Storage("no salt row".into()))
}

/// The rollup rows of a period: four grouped reads in one round trip.
pub async fn rollups(db: &D1Database, site: &str, period: Period) -> Result<Rollups> {
    let range = [s(site), n(period.from.0), n(period.to.0)];
    let results = db
        .batch(vec![
            stmt(db, "SELECT day, channel, SUM(views) AS views, SUM(copies) AS copies, SUM(shares) AS shares, SUM(clicks) AS clicks, SUM(dark_clicks) AS dark_clicks, SUM(previews) AS previews FROM daily_channels WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY day, channel", &range)?,
            stmt(db, "SELECT page, SUM(views) AS views, SUM(shares) AS shares, SUM(clicks) AS clicks FROM daily_pages WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY page ORDER BY SUM(clicks) DESC, SUM(shares) DESC, SUM(views) DESC LIMIT 20", &range)?,
            stmt(db, "SELECT text, SUM(copies) AS copies FROM daily_texts WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY text ORDER BY SUM(copies) DESC LIMIT 20", &range)?,
            stmt(db, "SELECT depth, SUM(clicks) AS clicks FROM daily_channels WHERE site = ?1 AND day BETWEEN ?2 AND ?3 AND depth > 0 GROUP BY depth", &range)?,
        ])
        .await
        .map_err(storage)?;
    let [by_day, pages, texts, depths] = results.as_slice() else {
        return Err(Error::Storage("incomplete stats batch".into()));
    };

    #[derive(Deserialize)]
    struct DayRow {
        day: f64,
        channel: String,
        views: f64,
        copies: f64,
        shares: f64,
        clicks: f64,
        dark_clicks: f64,
        previews: f64,
    }
    #[derive(Deserialize)]
    struct PageRow {
        page: String,
        views: f64,
        shares: f64,
        clicks: f64,
    }
    #[derive(Deserialize)]
    struct TextRow {
        text: String,
        copies: f64,
    }
    #[derive(Deserialize)]
    struct DepthRow {
        depth: f64,
        clicks: f64,
    }
    let u = |x: f64| x.max(0.0) as u64;
    Ok(Rollups {
        by_day_channel: by_day
            .results::<DayRow>()
            .map_err(storage)?
            .into_iter()
            .map(|r| {
                let counts = Counts { views: u(r.views), copies: u(r.copies), shares: u(r.shares), clicks: u(r.clicks), dark_clicks: u(r.dark_clicks), previews: u(r.previews) };
                (Day(r.day as i64), r.channel, counts)
            })
            .collect(),
        pages: pages
            .results::<PageRow>()
            .map_err(storage)?
            .into_iter()
            .map(|r| (r.page, Counts { views: u(r.views), shares: u(r.shares), clicks: u(r.clicks), ..Counts::default() }))
            .collect(),
        texts: texts.results::<TextRow>().map_err(storage)?.into_iter().map(|r| (r.text, u(r.copies))).collect(),
        depths: depths.results::<DepthRow>().map_err(storage)?.into_iter().map(|r| (r.depth as u32, u(r.clicks))).collect(),
        // Cascades, key sharers and sources are read by their own stores.
        ..Rollups::default()
    })
}
