//! A site's alert settings (`site_alerts`, migration 0004): they stay in D1 beside the site record,
//! the registry both the console and the alert deliveries read. What alerts were sent is counting
//! state and lives in the site's object (`alerts_sent`, `count.rs`).

use crate::alert::{AlertSettings, WebhookUrl, DEFAULT_CLICKS_PER_HOUR};
use crate::edge::app::storage;
use crate::edge::store::d1::{n, s, stmt};
use crate::Result;
use serde::Deserialize;
use worker::D1Database;

#[derive(Deserialize)]
struct Row {
    webhook: Option<String>,
    secret: Option<String>,
    clicks_per_hour: Option<f64>,
}

/// A site's alert settings; the defaults (no webhook, 50 clicks per hour) when it never set any.
pub async fn load(db: &D1Database, site: &str) -> Result<AlertSettings> {
    let row: Option<Row> = stmt(db, "SELECT webhook, secret, clicks_per_hour FROM site_alerts WHERE site = ?1", &[s(site)])?.first(None).await.map_err(storage)?;
    Ok(row.map_or_else(AlertSettings::default, |r| AlertSettings {
        // A stored URL that no longer passes the rules turns alerts off rather than being used.
        webhook: r.webhook.as_deref().and_then(|w| WebhookUrl::parse(w).ok()),
        secret: r.secret,
        clicks_per_hour: match r.clicks_per_hour {
            Some(n) if n >= 1.0 => n as u32,
            _ => DEFAULT_CLICKS_PER_HOUR,
        },
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
