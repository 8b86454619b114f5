//! Abuse limits on the write endpoints, with the runtime's rate-limiting bindings (counters shared
//! by every isolate in a location, unlike per-isolate memory). Short-link clicks are never limited.
//!
//! Limits on `POST /api/links`, `/api/views` and `/api/events` (numbers in `wrangler.toml`, the
//! reasons in README.md, "Abuse limits"). Every key is a daily-salted hash, never an IP:
//! - per visitor and site (`VISITOR_LIMIT`, IP + user agent): one person's burst;
//! - per address and site (IP alone, so a changing user agent does not reset it): page activity
//!   (`ADDRESS_LIMIT`: views and copies, sized for a busy carrier-grade NAT address) and anonymous
//!   short links (`ADDRESS_LINK_LIMIT`, each of which counts a share);
//! - per site (`SITE_LIMIT`): a ceiling that a real site's traffic burst never reaches.

use super::app::App;
use super::visitors::{Hashes, VisitorKey};
use crate::site::SiteId;
use crate::{Error, Result};
use futures_util::future::join_all;

/// A rate-limiting binding and its period in seconds (as in `wrangler.toml`: what `Retry-After`
/// says when it refuses).
struct Limit(&'static str, u32);

const VISITOR: Limit = Limit("VISITOR_LIMIT", 10);
const ADDRESS: Limit = Limit("ADDRESS_LIMIT", 60);
const ADDRESS_LINKS: Limit = Limit("ADDRESS_LINK_LIMIT", 60);
const SITE: Limit = Limit("SITE_LIMIT", 10);

/// Admits one page-activity write (a view or a copy) of `visitor` to `site`, and returns the
/// visitor's hashes for the handler to use.
///
/// # Errors
/// `Error::RateLimited` when a limit is exhausted; storage errors while fetching the day's salt.
pub async fn admit(app: &App, visitor: &VisitorKey, site: &SiteId) -> Result<Hashes> {
    admit_under(app, visitor, site, Some(&ADDRESS)).await
}

/// Admits one `POST /api/links`: an anonymous one (a share button) under the per-address link
/// limit too; a marketer's (checked stats token) only under the visitor and site limits.
///
/// # Errors
/// As `admit`.
pub async fn admit_link(app: &App, visitor: &VisitorKey, site: &SiteId, marketer: bool) -> Result<Hashes> {
    admit_under(app, visitor, site, (!marketer).then_some(&ADDRESS_LINKS)).await
}

async fn admit_under(app: &App, visitor: &VisitorKey, site: &SiteId, address_limit: Option<&Limit>) -> Result<Hashes> {
    let hashes = visitor.hashes(app, site).await?;
    let mut checks = vec![
        allow(app, &VISITOR, format!("{}:{}", site.as_str(), hashes.visitor.as_str())),
        allow(app, &SITE, site.as_str().to_owned()),
    ];
    if let Some(limit) = address_limit {
        checks.push(allow(app, limit, format!("{}:{}", site.as_str(), hashes.address)));
    }
    // Asked together: each check is a call to the runtime's limiter, and one after another they
    // were most of what a view waits for.
    join_all(checks).await.into_iter().collect::<Result<Vec<()>>>()?;
    Ok(hashes)
}

async fn allow(app: &App, Limit(binding, period_s): &Limit, key: String) -> Result<()> {
    // A deployment without the binding, or a limiter that fails, lets the request through: a rate
    // limit protects the service, it must not take it down.
    let Ok(limiter) = app.env.rate_limiter(binding) else { return Ok(()) };
    match limiter.limit(key).await {
        Ok(outcome) if !outcome.success => Err(Error::RateLimited(*period_s)),
        _ => Ok(()),
    }
}
