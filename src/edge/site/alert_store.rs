//! SQL for alerts (migration 0004): a site's settings, and the one-alert-per-page-and-day key.

use crate::edge::app::storage;
use crate::edge::store::d1::{n, s, stmt};
use crate::edge::site::live_store::rows;
use crate::alert::{AlertSettings, WebhookUrl, DEFAULT_CLICKS_PER_HOUR};
use crate::Result;
use worker::D1Database;

/// A site's alert settings; the defaults (no webhook, 50 clicks per hour) when it never set any.
pub async fn load(db: &D1Database, site: &str) -> Result<AlertSettings> {
    let result = stmt(db, "SELECT webhook AS t, secret AS u, clicks_per_hour AS a FROM site_alerts WHERE site = ?1", &[s(site)])?
        .all()
        .await
        .map_err(storage)?;
    Ok(rows(&result)?.into_iter().next().map_or_else(AlertSettings::default, |r| AlertSettings {
        // A stored URL that no longer passes the rules turns alerts off rather than being used.
        webhook: r.t.as_deref().and_then(|w| WebhookUrl::parse(w).ok()),
        secret: r.u,
        clicks_per_hour: if r.a >= 1.0 { r.a as u32 } else { DEFAULT_CLICKS_PER_HOUR },
    }))
}

/// Stores a site's settings (one statement).
pub async fn save(db: &D1Database, site: &str, settings: &AlertSettings) -> Result<()> {
    let webhook = settings.webhook.as_ref().map_or(worker::wasm_bindgen::JsValue::NULL, |w| s(w.as_str()));
    let secret = settings.secret.as_deref().map_or(worker::wasm_bindgen::JsValue::NULL, s);
    stmt(
        db,
        "INSERT INTO site_alerts (site, webhook, secret, clicks_per_hour) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (site) DO UPDATE SET webhook = ?2, secret = ?3, clicks_per_hour = ?4",
        &[s(site), webhook, secret, n(i64::from(settings.clicks_per_hour))],
    )?
    .run()
    .await
    .map_err(storage)
    .map(|_| ())
}

/// Claims the (site, page, day) alert: `true` only for the first claim.
pub async fn claim(db: &D1Database, site: &str, page: &str, day: i64) -> Result<bool> {
    let result = stmt(db, "INSERT OR IGNORE INTO alerts_sent (site, page, day) VALUES (?1, ?2, ?3)", &[s(site), s(page), n(day)])?
        .run()
        .await
        .map_err(storage)?;
    Ok(result.meta().map_err(storage)?.and_then(|m| m.changes).unwrap_or(0) > 0)
}

/// Gives a claim back (its alert could not be queued), so a later check can try again.
pub async fn release(db: &D1Database, site: &str, page: &str, day: i64) -> Result<()> {
    stmt(db, "DELETE FROM alerts_sent WHERE site = ?1 AND page = ?2 AND day = ?3", &[s(site), s(page), n(day)])?
        .run()
        .await
        .map_err(storage)
        .map(|_| ())
}
