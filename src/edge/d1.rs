//! Events and rollups over D1: every SQL statement of the worker lives here.
//!
//! Clicks and fingerprint shares are recorded with `INSERT OR IGNORE` into tables whose primary key
//! is the de-duplication key; triggers (see `migrations/`) roll a row up only when it was really
//! inserted. Multi-statement writes go through `batch`, which D1 runs as one transaction, so a
//! failing request writes nothing.

use super::app::storage;
use crate::site::{hosts_from_stored, Site, SiteId};
use crate::stats::{Counts, Period, Rollups};
use crate::time::Day;
use crate::{Error, Result};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// Raw rows older than this many days are deleted by the daily clean-up (salts after 48 h).
pub const RAW_RETENTION_DAYS: i64 = 2;
/// Fingerprint shares are remembered this long, so a late click does not count a share twice.
pub const SHARE_RETENTION_DAYS: i64 = 400;

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

fn stmt(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement> {
    db.prepare(sql).bind(args).map_err(storage)
}

async fn run_batch(db: &D1Database, statements: Vec<D1PreparedStatement>) -> Result<()> {
    db.batch(statements).await.map_err(storage).map(|_| ())
}

/// The additive counter a rollup statement increments; never user input.
#[derive(Clone, Copy)]
pub enum Counter {
    Views,
    Copies,
    Shares,
    Previews,
}

/// The statements that add one to `counter`: always the per-channel rollup, and the per-page
/// rollup for the counters a page shows (views, shares).
fn bump(db: &D1Database, counter: Counter, site: &str, day: Day, page: &str, channel: &str) -> Result<Vec<D1PreparedStatement>> {
    let (col, per_page) = match counter {
        Counter::Views => ("views", true),
        Counter::Copies => ("copies", false),
        Counter::Shares => ("shares", true),
        Counter::Previews => ("previews", false),
    };
    let by_channel = format!(
        "INSERT INTO daily_channels (site, day, channel, depth, {col}) VALUES (?1, ?2, ?3, 0, 1) \
         ON CONFLICT (site, day, channel, depth) DO UPDATE SET {col} = {col} + 1"
    );
    let mut statements = vec![stmt(db, &by_channel, &[s(site), n(day.0), s(channel)])?];
    if per_page {
        let by_page = format!(
            "INSERT INTO daily_pages (site, day, page, {col}) VALUES (?1, ?2, ?3, 1) \
             ON CONFLICT (site, day, page) DO UPDATE SET {col} = {col} + 1"
        );
        statements.push(stmt(db, &by_page, &[s(site), n(day.0), s(page)])?);
    }
    Ok(statements)
}

/// Increments one rollup counter (one transaction).
pub async fn count(db: &D1Database, counter: Counter, site: &str, day: Day, page: &str, channel: &str) -> Result<()> {
    run_batch(db, bump(db, counter, site, day, page, channel)?).await
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

/// A click to count once per site, share, visitor and day.
pub struct Click<'a> {
    pub site: &'a str,
    pub share: &'a str,
    pub visitor: &'a str,
    pub day: Day,
    pub page: &'a str,
    pub channel: &'a str,
    pub depth: u8,
    pub dark: bool,
}

fn click_statement(db: &D1Database, c: &Click<'_>) -> Result<D1PreparedStatement> {
    stmt(
        db,
        "INSERT OR IGNORE INTO clicks (site, share, visitor, day, page, channel, depth, dark) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[s(c.site), s(c.share), s(c.visitor), n(c.day.0), s(c.page), s(c.channel), n(i64::from(c.depth)), n(i64::from(c.dark))],
    )
}

/// Counts a click through a short link (seen at the redirect).
pub async fn record_click(db: &D1Database, click: &Click<'_>) -> Result<()> {
    click_statement(db, click)?.run().await.map_err(storage).map(|_| ())
}

/// The visitor a page-view fingerprint was minted for, while it is kept.
pub async fn view_fp_owner(db: &D1Database, site: &str, fp: &str) -> Result<Option<String>> {
    #[derive(Deserialize)]
    struct Row {
        visitor: String,
    }
    let row: Option<Row> = stmt(db, "SELECT visitor FROM view_fps WHERE site = ?1 AND fp = ?2", &[s(site), s(fp)])?.first(None).await.map_err(storage)?;
    Ok(row.map(|r| r.visitor))
}

/// Everything one accepted page view writes, in one transaction.
pub struct ViewWrite<'a> {
    pub site: &'a str,
    pub day: Day,
    pub page: &'a str,
    pub visitor: &'a str,
    /// The fingerprint minted for this view (`None` when the visitor keeps their own).
    pub minted_fp: Option<&'a str>,
    /// The click this view is, when it is an arrival.
    pub click: Option<Click<'a>>,
    /// The page-view fingerprint this arrival proves was shared (not a short link's).
    pub shared_fp: Option<&'a str>,
}

pub async fn record_view(db: &D1Database, v: &ViewWrite<'_>) -> Result<()> {
    let mut batch = bump(db, Counter::Views, v.site, v.day, v.page, "")?;
    if let Some(fp) = v.minted_fp {
        batch.push(stmt(db, "INSERT OR IGNORE INTO view_fps (site, fp, visitor, day) VALUES (?1, ?2, ?3, ?4)", &[s(v.site), s(fp), s(v.visitor), n(v.day.0)])?);
    }
    if let Some(click) = &v.click {
        batch.push(click_statement(db, click)?);
        if let Some(fp) = v.shared_fp {
            batch.push(stmt(
                db,
                "INSERT OR IGNORE INTO shared_fps (site, fp, day, page, channel) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[s(v.site), s(fp), n(v.day.0), s(click.page), s(click.channel)],
            )?);
        }
    }
    run_batch(db, batch).await
}

/// Counts a copy of `text` on `page`.
pub async fn record_copy(db: &D1Database, site: &str, day: Day, page: &str, text: &str) -> Result<()> {
    let mut batch = bump(db, Counter::Copies, site, day, page, "")?;
    if !text.is_empty() {
        batch.push(stmt(
            db,
            "INSERT INTO daily_texts (site, day, text, copies) VALUES (?1, ?2, ?3, 1) ON CONFLICT (site, day, text) DO UPDATE SET copies = copies + 1",
            &[s(site), n(day.0), s(text)],
        )?);
    }
    run_batch(db, batch).await
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
        // Read by `live_store::sources` (issue 13's tables).
        sources: Vec::new(),
    })
}

/// Deletes what is no longer needed: salts and raw de-duplication rows after 48 h, remembered
/// fingerprint shares after `SHARE_RETENTION_DAYS`. Rollups are kept.
pub async fn clean_up(db: &D1Database, today: Day) -> Result<()> {
    let raw = n(today.plus(1 - RAW_RETENTION_DAYS).0);
    run_batch(
        db,
        vec![
            stmt(db, "DELETE FROM salts WHERE day < ?1", std::slice::from_ref(&raw))?,
            stmt(db, "DELETE FROM view_fps WHERE day < ?1", std::slice::from_ref(&raw))?,
            stmt(db, "DELETE FROM clicks WHERE day < ?1", std::slice::from_ref(&raw))?,
            stmt(db, "DELETE FROM shared_fps WHERE day < ?1", &[n(today.plus(-SHARE_RETENTION_DAYS).0)])?,
        ],
    )
    .await
}
