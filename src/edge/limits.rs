//! Abuse limits on the write endpoints, with the runtime's rate-limiting bindings (counters shared
//! by every isolate in a location, unlike per-isolate memory). Short-link clicks are never limited.
//!
//! Two limits apply to `POST /api/links`, `/api/views` and `/api/events` (numbers in
//! `wrangler.toml`, documented in README.md): one per visitor and site (keyed by the daily visitor
//! hash, so no IP is handed to the limiter), and one per site, a ceiling that a real site's
//! traffic burst never reaches.

use super::app::App;
use super::visitors::{Hashes, VisitorKey};
use crate::site::SiteId;
use crate::{Error, Result};

/// The period of both limits, in seconds: what `Retry-After` says.
const PERIOD_S: u32 = 10;

/// Admits one write request of `visitor` to `site` under both limits, and returns the visitor's
/// hashes for the handler to use.
///
/// # Errors
/// `Error::RateLimited` when either limit is exhausted; storage errors while fetching the salt.
pub async fn admit(app: &App, visitor: &VisitorKey, site: &SiteId) -> Result<Hashes> {
    let hashes = visitor.hashes(app, site).await?;
    allow(app, "VISITOR_LIMIT", format!("{}:{}", site.as_str(), hashes.visitor.as_str())).await?;
    allow(app, "SITE_LIMIT", site.as_str().to_owned()).await?;
    Ok(hashes)
}

async fn allow(app: &App, binding: &str, key: String) -> Result<()> {
    // A deployment without the binding, or a limiter that fails, lets the request through: a rate
    // limit protects the service, it must not take it down.
    let Ok(limiter) = app.env.rate_limiter(binding) else { return Ok(()) };
    match limiter.limit(key).await {
        Ok(outcome) if !outcome.success => Err(Error::RateLimited(PERIOD_S)),
        _ => Ok(()),
    }
}
