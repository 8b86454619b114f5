//! The D1 registry: sites and the day's salts, and the statement helpers every D1 adapter binds
//! with. Counts are written only by the queue consumer (`site/count_store.rs`); multi-statement
//! writes go through `batch`, which D1 runs as one transaction, so a failing request writes nothing.

use crate::edge::app::storage;
use crate::site::{hosts_from_stored, Site, SiteId};
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
