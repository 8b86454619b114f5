//! The site registry for the admin (and a site's own token rotation): `POST /api/sites`,
//! `GET /api/sites`, `POST /api/sites/{id}/token`, `DELETE /api/sites/{id}`. A site's settings are
//! `alerts.rs`; its shared dashboards `shared_links.rs`.

use crate::edge::join::all;
use crate::access::{Holder, Need};
use crate::edge::app::{random_token, storage, App};
use crate::edge::http::{bearer, empty, json, read_json};
use crate::edge::site::client::SiteObject;
use crate::edge::store::{d1, registry, sites, suffixes};
use crate::site_protocol::LinkRow;
use crate::crypto::{constant_time_eq, sha256_hex};
use crate::site::{NewSiteRequest, SiteId};
use crate::time::format_rfc3339_ms;
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
    // A site deleted under this id may have left counts from events still in flight when it went
    // (`delete`): a new site starts from nothing. Only when the id is free: never a live site's.
    if d1::load_site(&db, &site.id).await?.is_some() {
        return Err(Error::SiteExists);
    }
    let _: serde_json::Value = SiteObject::of(app, site.id.as_str())?.post("/erase", &serde_json::json!({})).await?;
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

/// The request's bearer must be the admin token.
async fn admin(app: &App, req: &Request) -> Result<()> {
    match sites::holder(app, req).await? {
        Holder::Admin => Ok(()),
        Holder::Unknown => Err(Error::BadToken),
        Holder::Shared(_) => Err(Error::ReadOnly),
        Holder::Site(_) => Err(Error::AdminOnly),
    }
}

/// `GET /api/sites` (admin token) → `200 {"sites": [{id, name, hosts, created_at, last_view_at}]}`.
pub async fn list(app: &App, req: Request) -> Result<Response> {
    admin(app, &req).await?;
    #[derive(Serialize)]
    struct Listed {
        id: String,
        name: String,
        hosts: Vec<String>,
        created_at: String,
        last_view_at: Option<String>,
    }
    #[derive(Serialize)]
    struct Sites {
        sites: Vec<Listed>,
    }
    let rows = registry::list(&app.db()?).await?;
    let sites = rows
        .into_iter()
        .map(|r| Listed {
            hosts: serde_json::from_str(&r.hosts).unwrap_or_default(),
            id: r.id,
            name: r.name,
            created_at: format_rfc3339_ms(r.created_at as i64),
            last_view_at: r.last_view_at.map(|ms| format_rfc3339_ms(ms as i64)),
        })
        .collect();
    Ok(json(200, &Sites { sites }))
}

/// `POST /api/sites/{id}/token` (admin or the site's stats token) → `200 {"stats_token"}`. The old
/// token is refused from the moment the row is written: no cache holds a token's validity.
pub async fn rotate_token(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load_for(app, &req, id, Need::Manage).await?;
    let token = random_token("dst_")?;
    registry::rotate(&app.db()?, site.id.as_str(), &sha256_hex(token.as_bytes())).await?;
    sites::forget(site.id.as_str());
    #[derive(Serialize)]
    struct Rotated<'a> {
        stats_token: &'a str,
    }
    Ok(json(200, &Rotated { stats_token: &token }))
}

/// `DELETE /api/sites/{id}` (admin token) → `204`: the site and everything stored for it. Its short
/// links' KV records go first (found through the link index in the site's object), then the object
/// erases itself (`POST /erase`: every table), then every D1 row of the site in one transaction
/// (registry rows and rows from before the site objects), its registration last: a request that
/// fails part-way leaves the site registered, and repeating it finishes the job.
pub async fn delete(app: &App, req: Request, id: &str) -> Result<Response> {
    admin(app, &req).await?;
    let id = SiteId::parse(id)?;
    let db = app.db()?;
    // Not the isolate's cache: a site deleted elsewhere must answer 404 here too.
    d1::load_site(&db, &id).await?.ok_or(Error::UnknownSite)?;
    let object = SiteObject::of(app, id.as_str())?;
    let kv = app.kv()?;
    // The site's link index (in its object), a page at a time, newest first.
    let mut after: Option<(i64, String)> = None;
    loop {
        let mut query = vec![("rows", LINK_PAGE.to_string())];
        if let Some((created_at, code)) = &after {
            query.extend([("created_at", created_at.to_string()), ("code", code.clone())]);
        }
        let rows: Vec<LinkRow> = object.get_json("/links", &query).await?;
        for chunk in rows.chunks(KV_DELETES_AT_ONCE) {
            let deletions = all(chunk.iter().map(|row| kv.delete(&row.code)).collect()).await;
            deletions.into_iter().collect::<std::result::Result<Vec<()>, _>>().map_err(storage)?;
        }
        match rows.last() {
            Some(last) if rows.len() == LINK_PAGE => after = Some((last.created_at, last.code.clone())),
            _ => break,
        }
    }
    let _: serde_json::Value = object.post("/erase", &serde_json::json!({})).await?;
    registry::erase(&db, id.as_str()).await?;
    sites::forget(id.as_str());
    Ok(empty(204))
}

/// KV deletions in flight at once while a site is erased.
const KV_DELETES_AT_ONCE: usize = 50;
/// Links read from the site's index per call (the object's most).
const LINK_PAGE: usize = 1000;
