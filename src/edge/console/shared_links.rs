//! Shared dashboards: `POST|GET /api/sites/{id}/shared-links`, `DELETE …/shared-links/{link_id}`
//! (the site's stats token or the admin token). A shared link's secret is a bearer that reads the
//! site's reports and nothing else (`access.rs`); only its SHA-256 is stored, and it is shown once,
//! inside the link's `url` (in the fragment, so it never reaches a server log).

use crate::access::{shared_label, Need, SHARED_SECRET_PREFIX};
use crate::edge::app::{random_bytes, random_token, App};
use crate::edge::http::{empty, json, read_json};
use crate::edge::store::{registry, sites};
use crate::crypto::sha256_hex;
use crate::time::format_rfc3339_ms;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use worker::{Request, Response};

#[derive(Serialize)]
struct Listed {
    id: String,
    label: Option<String>,
    created_at: String,
}

/// `POST /api/sites/{id}/shared-links {"label"?}` → `201 {id, label, url, created_at}`.
pub async fn create(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load_for(app, &req, id, Need::Manage).await?;
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        label: Option<String>,
    }
    let body: Body = read_json(req.inner()).await?;
    let label = shared_label(body.label)?;
    let secret = random_token(SHARED_SECRET_PREFIX)?;
    let link_id = base62::encode(u64::from_be_bytes(random_bytes::<8>()?));
    registry::add_shared(&app.db()?, site.id.as_str(), &link_id, label.as_deref(), &sha256_hex(secret.as_bytes()), app.now_ms).await?;
    let url = req.url().map_err(|_| Error::NotFound)?;
    #[derive(Serialize)]
    struct Created {
        id: String,
        label: Option<String>,
        url: String,
        created_at: String,
    }
    let url = format!("{}/stats#share={secret}&site={}", app.public_origin(&url), site.id.as_str());
    Ok(json(201, &Created { id: link_id, label, url, created_at: format_rfc3339_ms(app.now_ms) }))
}

/// `GET /api/sites/{id}/shared-links` → `200 {"shared_links": [{id, label, created_at}]}`, newest
/// first, never a secret.
pub async fn list(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load_for(app, &req, id, Need::Manage).await?;
    let rows = registry::shared(&app.db()?, site.id.as_str()).await?;
    #[derive(Serialize)]
    struct List {
        shared_links: Vec<Listed>,
    }
    let shared_links = rows.into_iter().map(|r| Listed { id: r.id, label: r.label, created_at: format_rfc3339_ms(r.created_at as i64) }).collect();
    Ok(json(200, &List { shared_links }))
}

/// `DELETE /api/sites/{id}/shared-links/{link_id}` → `204`; its secret answers `401` from then on.
pub async fn revoke(app: &App, req: Request, id: &str, link_id: &str) -> Result<Response> {
    let site = sites::load_for(app, &req, id, Need::Manage).await?;
    registry::revoke(&app.db()?, site.id.as_str(), link_id).await?;
    Ok(empty(204))
}
