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

use crate::edge::app::App;
use crate::edge::chain::awaited;
use crate::edge::hot::visitors::{Hashes, VisitorKey};
use crate::site::SiteId;
use crate::{Error, Result};
use worker::js_sys::{Array, Object, Promise, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::worker_sys;

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
    let mut checks = vec![(&VISITOR, format!("{}:{}", site.as_str(), hashes.visitor.as_str())), (&SITE, site.as_str().to_owned())];
    if let Some(limit) = address_limit {
        checks.push((limit, format!("{}:{}", site.as_str(), hashes.address)));
    }
    // Asked together and awaited as one promise: each awaited promise costs the request a wake-up
    // of its task (a microtask and a call into the module) of its own.
    let asked: Vec<(&Limit, Promise)> = checks.into_iter().filter_map(|(limit, key)| Some((limit, ask(app, limit, &key)?))).collect();
    if asked.is_empty() {
        return Ok(hashes);
    }
    let pending: Array = asked.iter().map(|(_, promise)| JsValue::from(promise)).collect();
    let Ok(settled) = awaited(Promise::all_settled(&pending)).await else { return Ok(hashes) };
    let settled = Array::from(&settled);
    for (i, (Limit(_, period_s), _)) in asked.iter().enumerate() {
        if refused(&settled.get(i as u32)) {
            return Err(Error::RateLimited(*period_s));
        }
    }
    Ok(hashes)
}

/// Asks the limiter `binding` to count one request of `key`. A deployment without the binding, or
/// a limiter that fails, lets the request through (`None`): a rate limit protects the service, it
/// must not take it down.
fn ask(app: &App, Limit(binding, _): &Limit, key: &str) -> Option<Promise> {
    // The binding as it is: `Env::rate_limiter` would first compare its constructor's name, three
    // more calls into JavaScript per limit and request.
    let limiter = Reflect::get(&app.env, &JsValue::from_str(binding)).ok().filter(JsValue::is_object)?;
    let limiter: &worker_sys::RateLimiter = limiter.unchecked_ref();
    let options = Object::new();
    Reflect::set(&options, &JsValue::from_str("key"), &JsValue::from_str(key)).ok()?;
    limiter.limit(options).ok()
}

/// Whether a settled limiter answer (`{status, value: {success}}`) refused the request; a rejected
/// or unreadable one lets it through.
fn refused(settled: &JsValue) -> bool {
    let value = Reflect::get(settled, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
    Reflect::get(&value, &JsValue::from_str("success")).ok().and_then(|s| s.as_bool()) == Some(false)
}
