//! `GET /api/cascades/{id}?site=…`: one whole cascade (at most 5,000 nodes, level by level),
//! behind the site's stats token.

use crate::edge::app::App;
use crate::edge::http::{with_type, JSON};
use crate::edge::site::client::SiteObject;
use crate::edge::store::sites;
use crate::cascade::is_node_id;
use crate::{Error, Result};
use worker::{Request, Response};

/// `GET /api/cascades/{id}?site=…` → `200` the tree; an id that is no cascade's root → `404`.
pub async fn tree(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::of_query(app, &req).await?.site;
    if !is_node_id(id) {
        return Err(Error::UnknownCascade);
    }
    // One call: the site's object answers the tree, or `unknown_cascade`.
    let body = SiteObject::of(app, site.id.as_str())?.get("/cascade", &[("id", id.to_owned())]).await?;
    Ok(with_type(200, body, JSON))
}
