//! `GET /api/live?site=…`: the last 30 minutes, behind the site's stats token.

use crate::edge::app::App;
use crate::edge::http::json;
use crate::edge::site::live_store;
use crate::edge::store::sites;
use crate::{live, Result};
use worker::{Request, Response};

pub async fn report(app: &App, req: Request) -> Result<Response> {
    let site = sites::of_query(app, &req).await?.site;
    let now_minute = app.now_ms.div_euclid(60_000);
    let rollups = live_store::live(&app.db()?, site.id.as_str(), now_minute).await?;
    let mut response = json(200, &live::report(site.id.as_str(), now_minute, rollups));
    // Polled every 15 s: never serve a stale window from a cache.
    let _ = response.headers_mut().set("cache-control", "no-store");
    Ok(response)
}
