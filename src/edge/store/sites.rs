//! How every handler finds a site (this isolate's cache, else the D1 registry) and checks a
//! bearer against it (admin token, stats token or shared secret: `access.rs`).

use crate::edge::app::{App, SITES};
use crate::access::{grant, Holder, Need};
use crate::edge::store::{d1, registry};
use crate::edge::http::bearer;
use crate::crypto::{constant_time_eq, sha256_hex};
use crate::site::{Site, SiteId};
use crate::{Error, Result};
use std::rc::Rc;
use worker::Request;

/// The site named by a request, from this isolate's cache or D1.
///
/// # Errors
/// `Error::BadSiteId` for a malformed id, `Error::UnknownSite` when none is registered.
pub async fn load(app: &App, raw_id: &str) -> Result<Rc<Site>> {
    let id = SiteId::parse(raw_id)?;
    if let Some(site) = SITES.with(|c| c.borrow().get(id.as_str(), app.now_ms)) {
        return Ok(site);
    }
    let site = Rc::new(d1::load_site(&app.db()?, &id).await?.ok_or(Error::UnknownSite)?);
    SITES.with(|c| c.borrow_mut().insert(id.as_str(), site.clone(), app.now_ms));
    Ok(site)
}

/// Who holds the request's bearer: the admin token (compared without storage), else the stats
/// token or shared secret it hashes to, looked up in D1 on every call (never cached, so a rotated
/// token or a revoked secret is refused at once everywhere).
///
/// # Errors
/// `Error::MissingToken` without a bearer.
pub async fn holder(app: &App, req: &Request) -> Result<Holder> {
    holder_of(app, bearer(req)).await
}

/// Who holds `token` (a bearer read elsewhere than the `Authorization` header's usual place).
///
/// # Errors
/// `Error::MissingToken` without one.
pub async fn holder_of(app: &App, token: Option<String>) -> Result<Holder> {
    let token = token.ok_or(Error::MissingToken)?;
    if let Ok(admin) = app.admin_token() {
        if constant_time_eq(token.as_bytes(), admin.as_bytes()) {
            return Ok(Holder::Admin);
        }
    }
    registry::holder(&app.db()?, &sha256_hex(token.as_bytes())).await
}

/// The site `raw_id`, once the request's bearer may do `need` on it. The bearer is looked up first:
/// a rotated, revoked or deleted one is `401` even when its site is gone (not `404`).
///
/// # Errors
/// `Error::MissingToken` / `Error::BadToken` first; then those of `load` and `access::grant`.
pub async fn load_for(app: &App, req: &Request, raw_id: &str, need: Need) -> Result<Rc<Site>> {
    let holder = holder(app, req).await?;
    if holder == Holder::Unknown {
        return Err(Error::BadToken);
    }
    let site = load(app, raw_id).await?;
    grant(&holder, site.id.as_str(), need)?;
    Ok(site)
}

/// Checks that the request's bearer may do `need` on `site` (`access::grant`).
///
/// # Errors
/// `Error::MissingToken` without one; those of `access::grant`.
pub async fn authorize_for(app: &App, req: &Request, site: &Site, need: Need) -> Result<()> {
    grant(&holder(app, req).await?, site.id.as_str(), need)
}

/// Checks the request's bearer for managing `site`: its stats token or the admin token (a shared
/// dashboard's secret is `403 read_only`).
///
/// # Errors
/// `Error::MissingToken` without one; `Error::WrongSite` when it is another site's token;
/// `Error::ReadOnly` for a shared secret; `Error::BadToken` otherwise.
pub async fn authorize(app: &App, req: &Request, site: &Site) -> Result<()> {
    authorize_for(app, req, site, Need::Manage).await
}

/// Checks a presented bearer for managing `site`, as `authorize` does for the request's.
///
/// # Errors
/// As `authorize`.
pub async fn authorize_token(app: &App, token: Option<String>, site: &Site) -> Result<()> {
    grant(&holder_of(app, token).await?, site.id.as_str(), Need::Manage)
}

/// Drops a site from this isolate's cache (after its hosts changed or it was deleted).
pub fn forget(id: &str) {
    SITES.with(|c| c.borrow_mut().remove(id));
}

/// A marketer's `GET` on a site's data: the site named by `?site=`, loaded, with the request's token
/// checked against it. Every read of the site's stats API starts here.
pub struct SiteQuery {
    pub site: Rc<Site>,
    pub url: url::Url,
}

impl SiteQuery {
    /// The query parameter `name`, if present.
    pub fn param(&self, name: &str) -> Option<String> {
        self.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    }
}

/// Reads `?site=`, loads that site and checks that the bearer may do `need` on it (`Need::Report`
/// for the reports a shared dashboard's secret may read).
///
/// # Errors
/// `Error::BadField` without the parameter; those of `load` and `authorize_for`.
pub async fn of_query(app: &App, req: &Request, need: Need) -> Result<SiteQuery> {
    let url = req.url().map_err(|_| Error::NotFound)?;
    let site_id = url.query_pairs().find(|(k, _)| k == "site").map(|(_, v)| v.into_owned());
    let site = load_for(app, req, &site_id.ok_or_else(|| Error::field("site", "the site query parameter is required"))?, need).await?;
    Ok(SiteQuery { site, url })
}
