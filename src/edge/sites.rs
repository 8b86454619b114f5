//! `POST /api/sites`, and how every other handler finds a site and checks its stats token.

use super::app::{random_bytes, App, SITES};
use super::{d1, suffixes};
use super::http::{bearer, json, read_json};
use crate::crypto::{constant_time_eq, sha256_hex};
use crate::site::{NewSiteRequest, Site, SiteId};
use crate::{Error, Result};
use serde::Serialize;
use std::rc::Rc;
use worker::{Request, Response};

/// `POST /api/sites` (admin token) → `201 {id, name, hosts, stats_token}`.
pub async fn create(app: &App, req: Request) -> Result<Response> {
    let presented = bearer(&req).ok_or(Error::MissingToken)?;
    if !constant_time_eq(presented.as_bytes(), app.admin_token()?.as_bytes()) {
        return Err(Error::BadToken);
    }
    let body: NewSiteRequest = read_json(req.inner()).await?;
    let token = random_token("dst_")?;
    let site = body.into_site(&token)?;
    let db = app.db()?;
    suffixes::check_wildcards(&db, &site.hosts).await?;
    d1::insert_site(&db, &site, app.now_ms).await?;

    #[derive(Serialize)]
    struct Created<'a> {
        id: &'a str,
        name: &'a str,
        hosts: Vec<String>,
        stats_token: &'a str,
    }
    Ok(json(201, &Created { id: site.id.as_str(), name: &site.name, hosts: site.host_texts(), stats_token: &token }))
}

/// A secret token (stats token, webhook secret): `prefix` and 256 random bits in base62.
pub fn random_token(prefix: &str) -> Result<String> {
    let bytes = random_bytes::<32>()?;
    let hi = u128::from_be_bytes(bytes[..16].try_into().unwrap_or([0; 16]));
    let lo = u128::from_be_bytes(bytes[16..].try_into().unwrap_or([0; 16]));
    Ok(format!("{prefix}{}{}", base62::encode(hi), base62::encode(lo)))
}

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
