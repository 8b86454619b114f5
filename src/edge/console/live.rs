//! `GET /api/live?site=…`: the last 30 minutes, behind the site's stats token.

use crate::edge::app::App;
use crate::edge::http::{with_type, JSON};
use crate::edge::site::client::SiteObject;
use crate::edge::store::sites;
use crate::Result;
use worker::{Request, Response};

pub async fn report(app: &App, req: Request) -> Result<Response> {
    let site = sites::of_query(app, &req).await?.site;
    let now_minute = app.now_ms.div_euclid(60_000);
    // One call: the site's object renders the window from its minute rollups.
    let body = SiteObject::of(app, site.id.as_str())?.get("/live", &[("minute", now_minute.to_string())]).await?;
    // Polled every 15 s: never served from a cache (`with_type` sets no-store).
    Ok(with_type(200, body, JSON))
}
