//! How every handler finds a site (this isolate's cache, else the D1 registry) and checks a stats
//! bearer against it.

use crate::edge::app::{App, SITES};
use crate::edge::store::d1;
use crate::edge::http::bearer;
use crate::crypto::sha256_hex;
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

/// Checks the request's bearer token against the site's stats token.
///
/// # Errors
/// `Error::MissingToken` without one; `Error::WrongSite` when it is another site's token;
/// `Error::BadToken` otherwise.
pub async fn authorize(app: &App, req: &Request, site: &Site) -> Result<()> {
    let token = bearer(req).ok_or(Error::MissingToken)?;
    if site.check_token(&token).is_ok() {
        return Ok(());
    }
    match d1::site_of_token(&app.db()?, &sha256_hex(token.as_bytes())).await? {
        Some(other) if other != site.id.as_str() => Err(Error::WrongSite),
        _ => Err(Error::BadToken),
    }
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

/// Reads `?site=`, loads that site and checks the bearer token against it.
///
/// # Errors
/// `Error::BadField` without the parameter; those of `load` and `authorize`.
pub async fn of_query(app: &App, req: &Request) -> Result<SiteQuery> {
    let url = req.url().map_err(|_| Error::NotFound)?;
    let site_id = url.query_pairs().find(|(k, _)| k == "site").map(|(_, v)| v.into_owned());
    let site = load(app, &site_id.ok_or_else(|| Error::field("site", "the site query parameter is required"))?).await?;
    authorize(app, req, &site).await?;
    Ok(SiteQuery { site, url })
}
