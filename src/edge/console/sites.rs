//! `POST /api/sites`: registering a site (admin bearer).

use crate::edge::app::{random_token, App};
use crate::edge::http::{bearer, json, read_json};
use crate::edge::store::{d1, suffixes};
use crate::crypto::constant_time_eq;
use crate::site::NewSiteRequest;
use crate::{Error, Result};
use serde::Serialize;
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
