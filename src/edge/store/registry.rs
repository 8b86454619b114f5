//! The console's statements over the D1 site registry: who holds a bearer, the site list with its
//! install check, name/hosts changes, token rotation, shared links and a site's erasure.
//!
//! Tokens and secrets are looked up here on every request that presents one, never from a cache:
//! a rotated token or a revoked secret stops working in every isolate of both workers at once
//! (README, "The console"). The lookup is one indexed read (`token_sha256` and `secret_sha256` are
//! both UNIQUE).

use crate::access::Holder;
use crate::edge::app::storage;
use crate::edge::store::d1::{n, s, stmt};
use crate::site::Site;
use crate::{Error, Result};
use serde::Deserialize;
use worker::D1Database;

/// How long a host counts as seen for the install check.
pub const SEEN_DAYS: i64 = 7;

/// The holder of a stats token or shared secret, by its SHA-256 (the admin token is checked before,
/// without storage).
pub async fn holder(db: &D1Database, token_sha256: &str) -> Result<Holder> {
    #[derive(Deserialize)]
    struct Row {
        kind: String,
        site: String,
    }
    let row: Option<Row> = stmt(
        db,
        "SELECT 'site' AS kind, id AS site FROM sites WHERE token_sha256 = ?1 \
         UNION ALL SELECT 'shared', site FROM shared_links WHERE secret_sha256 = ?1 LIMIT 1",
        &[s(token_sha256)],
    )?
    .first(None)
    .await
    .map_err(storage)?;
    Ok(match row {
        Some(r) if r.kind == "site" => Holder::Site(r.site),
        Some(r) => Holder::Shared(r.site),
        None => Holder::Unknown,
    })
}

/// A site as the console lists it.
#[derive(Deserialize)]
pub struct SiteRow {
    pub id: String,
    pub name: String,
    /// JSON array of host patterns, as stored.
    pub hosts: String,
    pub created_at: f64,
    pub last_view_at: Option<f64>,
}

/// Every site, by id, with the time of its latest view seen by the install check.
pub async fn list(db: &D1Database) -> Result<Vec<SiteRow>> {
    let sql = "SELECT s.id, s.name, s.hosts, s.created_at, \
               (SELECT MAX(h.last_view_at) FROM site_hosts h WHERE h.site = s.id) AS last_view_at \
               FROM sites s ORDER BY s.id";
    stmt(db, sql, &[])?.all().await.map_err(storage)?.results().map_err(storage)
}

/// One site's registration time, latest view, and hosts seen in the last `SEEN_DAYS` days.
pub struct Activity {
    pub created_at: i64,
    pub last_view_at: Option<i64>,
    pub seen_hosts: Vec<String>,
}

pub async fn activity(db: &D1Database, site: &str, now_ms: i64) -> Result<Activity> {
    #[derive(Deserialize)]
    struct Created {
        created_at: f64,
    }
    #[derive(Deserialize)]
    struct Seen {
        host: String,
        last_view_at: f64,
    }
    let results = db
        .batch(vec![
            stmt(db, "SELECT created_at FROM sites WHERE id = ?1", &[s(site)])?,
            stmt(db, "SELECT host, last_view_at FROM site_hosts WHERE site = ?1 ORDER BY host", &[s(site)])?,
        ])
        .await
        .map_err(storage)?;
    let [created, seen] = results.as_slice() else {
        return Err(Error::Storage("incomplete site batch".into()));
    };
    let created: Vec<Created> = created.results().map_err(storage)?;
    let seen: Vec<Seen> = seen.results().map_err(storage)?;
    let since = now_ms - SEEN_DAYS * 86_400_000;
    Ok(Activity {
        created_at: created.first().map_or(0, |c| c.created_at as i64),
        last_view_at: seen.iter().map(|h| h.last_view_at as i64).max(),
        seen_hosts: seen.into_iter().filter(|h| h.last_view_at as i64 >= since).map(|h| h.host).collect(),
    })
}

/// Writes a site's name and hosts (already validated).
pub async fn update(db: &D1Database, site: &Site) -> Result<()> {
    let hosts = serde_json::to_string(&site.host_texts()).map_err(|e| Error::Storage(e.to_string()))?;
    stmt(db, "UPDATE sites SET name = ?2, hosts = ?3 WHERE id = ?1", &[s(site.id.as_str()), s(&site.name), s(&hosts)])?
        .run()
        .await
        .map_err(storage)?;
    Ok(())
}

/// Replaces a site's stats token (by its hash); the old one is unknown from this statement on.
///
/// # Errors
/// `Error::UnknownSite` when no row changed (the site was deleted meanwhile).
pub async fn rotate(db: &D1Database, site: &str, token_sha256: &str) -> Result<()> {
    let result = stmt(db, "UPDATE sites SET token_sha256 = ?2 WHERE id = ?1", &[s(site), s(token_sha256)])?
        .run()
        .await
        .map_err(storage)?;
    let changes = result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0);
    if changes == 0 { Err(Error::UnknownSite) } else { Ok(()) }
}

/// A shared link as listed (never its secret).
#[derive(Deserialize)]
pub struct SharedRow {
    pub id: String,
    pub label: Option<String>,
    pub created_at: f64,
}

pub async fn add_shared(db: &D1Database, site: &str, id: &str, label: Option<&str>, secret_sha256: &str, now_ms: i64) -> Result<()> {
    let label = label.map_or(worker::wasm_bindgen::JsValue::NULL, s);
    stmt(
        db,
        "INSERT INTO shared_links (id, site, label, secret_sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[s(id), s(site), label, s(secret_sha256), n(now_ms)],
    )?
    .run()
    .await
    .map_err(storage)?;
    Ok(())
}

pub async fn shared(db: &D1Database, site: &str) -> Result<Vec<SharedRow>> {
    stmt(db, "SELECT id, label, created_at FROM shared_links WHERE site = ?1 ORDER BY created_at DESC, id", &[s(site)])?
        .all()
        .await
        .map_err(storage)?
        .results()
        .map_err(storage)
}

/// Revokes one shared link of `site`.
///
/// # Errors
/// `Error::UnknownSharedLink` when the site has no such link.
pub async fn revoke(db: &D1Database, site: &str, id: &str) -> Result<()> {
    let result = stmt(db, "DELETE FROM shared_links WHERE site = ?1 AND id = ?2", &[s(site), s(id)])?
        .run()
        .await
        .map_err(storage)?;
    let changes = result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0);
    if changes == 0 { Err(Error::UnknownSharedLink) } else { Ok(()) }
}

/// Tables whose rows are one site's, by their `site` column: the registry's, and the counts' from
/// before the site objects (issue 20; an object imports them once, so they must not outlive the site).
const SITE_TABLES: &[&str] = &[
    "shared_links", "site_hosts", "site_alerts", "alerts_sent", "links", "link_counts",
    "daily_channels", "daily_pages", "daily_texts", "daily_sources",
    "cascade_nodes", "cascades", "cascade_days", "sharer_days", "cascade_links",
    "minute_counts", "minute_pages", "minute_channels",
];

/// De-duplication keys that name their site (`counting/rules.rs`): `<prefix>:<site>:…`.
const SITE_KEYS: &[(&str, &str)] = &[("seen", "k"), ("seen", "s"), ("seen", "p"), ("seen", "l"), ("capped", "a")];

/// Erases a site and everything D1 holds for it, in one transaction; the `sites` row goes last, so
/// a failure leaves the site registered and the request can be repeated.
///
/// # Errors
/// `Error::UnknownSite` when the site was not registered.
pub async fn erase(db: &D1Database, site: &str) -> Result<()> {
    let mut statements = Vec::with_capacity(SITE_TABLES.len() + SITE_KEYS.len() + 1);
    for table in SITE_TABLES {
        statements.push(stmt(db, &format!("DELETE FROM {table} WHERE site = ?1"), &[s(site)])?);
    }
    // A key range, not LIKE: site ids have no ':' or ';' (';' sorts right after ':').
    for (table, prefix) in SITE_KEYS {
        statements.push(stmt(db, &format!("DELETE FROM {table} WHERE key >= ?1 AND key < ?2"), &[s(&format!("{prefix}:{site}:")), s(&format!("{prefix}:{site};"))])?);
    }
    statements.push(stmt(db, "DELETE FROM sites WHERE id = ?1", &[s(site)])?);
    let results = db.batch(statements).await.map_err(storage)?;
    let changes = results.last().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0);
    if changes == 0 { Err(Error::UnknownSite) } else { Ok(()) }
}

/// Records the hosts the install check saw: `(site, host, ms)`; a deleted site gets no row.
pub async fn saw_hosts(db: &D1Database, seen: &[(String, String, i64)]) -> Result<()> {
    let mut statements = Vec::with_capacity(seen.len());
    for (site, host, at) in seen {
        statements.push(stmt(
            db,
            "INSERT INTO site_hosts (site, host, last_view_at) SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM sites WHERE id = ?1) \
             ON CONFLICT (site, host) DO UPDATE SET last_view_at = MAX(last_view_at, excluded.last_view_at)",
            &[s(site), s(host), n(*at)],
        )?);
    }
    db.batch(statements).await.map_err(storage)?;
    Ok(())
}
