//! `GET /api/cascades/{id}?site=…`: one whole cascade (at most 5,000 nodes, level by level),
//! behind the site's stats token.

use super::app::App;
use super::cascade_sql;
use super::http::json;
use super::sites;
use crate::cascade::{is_node_id, CascadeTree};
use crate::{Error, Result};
use worker::{Request, Response};

/// `GET /api/cascades/{id}?site=…` → `200` the tree; an id that is no cascade's root → `404`.
pub async fn tree(app: &App, req: Request, id: &str) -> Result<Response> {
    let url = req.url().map_err(|_| Error::NotFound)?;
    let site_id = url
        .query_pairs()
        .find(|(k, _)| k == "site")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| Error::field("site", "the site query parameter is required"))?;
    let site = sites::load(app, &site_id).await?;
    sites::authorize(app, &req, &site).await?;
    if !is_node_id(id) {
        return Err(Error::UnknownCascade);
    }
    let (cascade, nodes) = cascade_sql::tree(&app.db()?, site.id.as_str(), id).await?.ok_or(Error::UnknownCascade)?;
    Ok(json(200, &CascadeTree::new(cascade, nodes)))
}
