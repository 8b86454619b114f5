//! `GET /api/cascades/{id}?site=…`: one whole cascade (at most 5,000 nodes, level by level),
//! behind the site's stats token.

use crate::edge::app::App;
use crate::edge::site::cascade_sql;
use crate::edge::http::json;
use crate::edge::store::sites;
use crate::cascade::{is_node_id, CascadeTree};
use crate::{Error, Result};
use worker::{Request, Response};

/// `GET /api/cascades/{id}?site=…` → `200` the tree; an id that is no cascade's root → `404`.
pub async fn tree(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::of_query(app, &req).await?.site;
    if !is_node_id(id) {
        return Err(Error::UnknownCascade);
    }
    let (cascade, nodes) = cascade_sql::tree(&app.db()?, site.id.as_str(), id).await?.ok_or(Error::UnknownCascade)?;
    Ok(json(200, &CascadeTree::new(cascade, nodes)))
}
