//! `GET /api/live?site=…`: the last 30 minutes, behind the site's stats token.

use super::app::App;
use super::http::json;
use super::{live_store, sites};
use crate::{live, Error, Result};
use worker::{Request, Response};

pub async fn report(app: &App, req: Request) -> Result<Response> {
    let url = req.url().map_err(|_| Error::NotFound)?;
    let site_id = url
        .query_pairs()
        .find(|(k, _)| k == "site")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| Error::field("site", "the site query parameter is required"))?;
    let site = sites::load(app, &site_id).await?;
    sites::authorize(app, &req, &site).await?;
    let now_minute = app.now_ms.div_euclid(60_000);
    let rollups = live_store::live(&app.db()?, site.id.as_str(), now_minute).await?;
    let mut response = json(200, &live::report(site.id.as_str(), now_minute, rollups));
    // Polled every 15 s: never serve a stale window from a cache.
    let _ = response.headers_mut().set("cache-control", "no-store");
    Ok(response)
}
