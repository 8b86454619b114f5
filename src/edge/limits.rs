//! Abuse limits on the write endpoints, with the runtime's rate-limiting bindings (counters shared
//! by every isolate in a location, unlike per-isolate memory). Short-link clicks are never limited.
//!
//! Two limits apply to `POST /api/links`, `/api/views` and `/api/events` (numbers in
//! `wrangler.toml`, documented in README.md): one per visitor and site (keyed by the daily visitor
//! hash, so no IP is handed to the limiter), and one per site, a ceiling that a real site's
//! traffic burst never reaches.

use super::app::App;
use crate::site::SiteId;
use crate::visitor::VisitorHash;
use crate::{Error, Result};

/// The period of both limits, in seconds: what `Retry-After` says.
const PERIOD_S: u32 = 10;

/// Checks both limits for one write request.
///
/// # Errors
/// `Error::RateLimited` when either limit is exhausted.
pub async fn check(app: &App, site: &SiteId, visitor: &VisitorHash) -> Result<()> {
    allow(app, "VISITOR_LIMIT", format!("{}:{}", site.as_str(), visitor.as_str())).await?;
    allow(app, "SITE_LIMIT", site.as_str().to_owned()).await
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
