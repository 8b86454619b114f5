//! The SQL of the link list: a page of a site's link index with each link's counters, and one
//! link's counters. (The rows are written by the queue consumer's counting rules.)

use crate::edge::app::storage;
use crate::link_list::{Cursor, IndexRow, LinkCounts};
use crate::Result;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

const COLUMNS: &str = "l.code, l.created_at, COALESCE(c.clicks, 0) AS clicks, COALESCE(c.dark_clicks, 0) AS dark_clicks, \
     COALESCE(c.previews, 0) AS previews, COALESCE(c.scans, 0) AS scans \
     FROM links l LEFT JOIN link_counts c ON c.site = l.site AND c.fp = l.fp";

/// One row of `COLUMNS`: the only shape read here, so its deserializer is compiled once.
#[derive(Deserialize)]
struct Row {
    code: String,
    created_at: f64,
    clicks: f64,
    dark_clicks: f64,
    previews: f64,
    scans: f64,
}

impl From<Row> for IndexRow {
    fn from(r: Row) -> IndexRow {
        let u = |x: f64| x.max(0.0) as u64;
        let counts = LinkCounts { clicks: u(r.clicks), dark_clicks: u(r.dark_clicks), previews: u(r.previews), scans: u(r.scans) };
        IndexRow { code: r.code, created_at: r.created_at as i64, counts }
    }
}

/// Up to `rows` index rows of `site`, newest first, strictly after `after` (keyset paging on the
/// `links_newest` index: a page costs its own rows, however deep it is).
pub async fn page(db: &D1Database, site: &str, after: Option<&Cursor>, rows: usize) -> Result<Vec<IndexRow>> {
    let site = JsValue::from_str(site);
    let limit = JsValue::from_f64(rows as f64);
    let statement = match after {
        None => db.prepare(format!("SELECT {COLUMNS} WHERE l.site = ?1 ORDER BY l.created_at DESC, l.code DESC LIMIT ?2")).bind(&[site, limit]),
        Some(c) => db
            .prepare(format!("SELECT {COLUMNS} WHERE l.site = ?1 AND (l.created_at, l.code) < (?2, ?3) ORDER BY l.created_at DESC, l.code DESC LIMIT ?4"))
            .bind(&[site, JsValue::from_f64(c.created_at as f64), JsValue::from_str(&c.code), limit]),
    };
    let result = statement.map_err(storage)?.all().await.map_err(storage)?;
    let rows: Vec<Row> = result.results().map_err(storage)?;
    Ok(rows.into_iter().map(IndexRow::from).collect())
}

/// The counters of the link `code` (zeros before it is indexed or first counted).
pub async fn counts(db: &D1Database, site: &str, code: &str) -> Result<LinkCounts> {
    let rows: Vec<Row> = db
        .prepare(format!("SELECT {COLUMNS} WHERE l.site = ?1 AND l.code = ?2"))
        .bind(&[JsValue::from_str(site), JsValue::from_str(code)])
        .map_err(storage)?
        .all()
        .await
        .map_err(storage)?
        .results()
        .map_err(storage)?;
    Ok(rows.into_iter().next().map(|r| IndexRow::from(r).counts).unwrap_or_default())
}
