//! `GET /api/links` (a site's links, newest first, with their counts) and
//! `PATCH /api/links/{code}` (disable/enable, expiry, title) for marketers.
//!
//! The index and the counters come from the site's object (`edge/site/`); everything else a listed link shows comes from its KV
//! record, which stays the one source of truth for the redirect. A `PATCH` rewrites that record
//! and drops the link from this isolate's cache at once; other isolates see it when their cached
//! copy expires (`LINK_TTL_MS`, 60 s), within KV's own propagation delay.

use crate::edge::app::App;
use crate::edge::http::{bearer, empty, json, read_json};
use crate::edge::store::kv::{forget, KvLinks};
use crate::edge::site::client::SiteObject;
use crate::site_protocol::LinkRow;
use crate::edge::store::sites;
use crate::code::ShortCode;
use crate::link::Link;
use crate::link_list::{paginate, parse_limit, Cursor, LinkPage, ListedLink};
use crate::link_patch::LinkPatch;
use crate::link::LinkStore;
use crate::{Error, Result};
use crate::edge::join::all;
use worker::{Request, Response};

/// `GET /api/links?site=…&limit=1..100&cursor=…` (the site's stats token).
pub async fn list(app: &App, req: Request) -> Result<Response> {
    let query = sites::of_query(app, &req).await?;
    let (site, url) = (&query.site, &query.url);
    let limit = parse_limit(query.param("limit").as_deref())?;
    let secret = app.signing_secret()?;
    let after = query.param("cursor").map(|c| Cursor::decode(&secret, &site.id, &c)).transpose()?;

    let mut query = vec![("rows", (limit + 1).to_string())];
    if let Some(after) = &after {
        query.extend([("created_at", after.created_at.to_string()), ("code", after.code.clone())]);
    }
    let rows: Vec<LinkRow> = SiteObject::of(app, site.id.as_str())?.get_json("/links", &query).await?;
    let rows = rows.into_iter().map(crate::link_list::IndexRow::from).collect();
    let (rows, next) = paginate(rows, limit);
    let store = KvLinks(app.kv()?);
    // One KV read per listed link, all in flight at once (at most 100).
    let records = all(rows.iter().map(|row| record(&store, &row.code)).collect()).await;
    let origin = app.public_origin(url);
    let mut links = Vec::with_capacity(rows.len());
    for (row, record) in rows.iter().zip(records) {
        // A record that is gone or of another site cannot be listed (it never redirects here).
        if let Some(link) = record?.filter(|l| l.site == site.id.as_str()) {
            links.push(ListedLink::new(&origin, &row.code, &link, row.counts));
        }
    }
    let next_cursor = next.map(|c| c.encode(&secret, &site.id));
    Ok(json(200, &LinkPage { links, next_cursor }))
}

async fn record(store: &KvLinks, code: &str) -> Result<Option<Link>> {
    match ShortCode::parse(code) {
        Ok(code) => store.get(&code).await,
        Err(_) => Ok(None),
    }
}

/// `PATCH /api/links/{code}` (the stats token of the link's site) → `200` the link as listed.
/// Everything is checked before the one write; a failed request writes nothing.
pub async fn update(app: &App, req: Request, raw_code: &str) -> Result<Response> {
    if bearer(&req).is_none() {
        return Err(Error::MissingToken);
    }
    let patch: LinkPatch = read_json(req.inner()).await?;
    let code = ShortCode::parse(raw_code)?;
    let store = KvLinks(app.kv()?);
    let link = store.get(&code).await?.ok_or(Error::UnknownLink)?;
    let site = sites::load(app, &link.site).await?;
    sites::authorize(app, &req, &site).await?;
    let patched = patch.apply(&link, app.now_ms)?;
    let row: Option<LinkRow> = SiteObject::of(app, &link.site)?.get_json("/link", &[("code", code.as_str().to_owned())]).await?;
    let counts = row.map(|r| crate::link_list::IndexRow::from(r).counts).unwrap_or_default();
    if patched != link {
        store.put(&code, &patched).await?;
    }
    forget(&code);
    let url = req.url().map_err(|_| Error::NotFound)?;
    Ok(json(200, &ListedLink::new(&app.public_origin(&url), code.as_str(), &patched, counts)))
}

/// `DELETE /api/links/{code}` (the site's stats token) → `204`; the link then answers `410`.
pub async fn delete(app: &App, req: Request, raw_code: &str) -> Result<Response> {
    if bearer(&req).is_none() {
        return Err(Error::MissingToken);
    }
    let code = ShortCode::parse(raw_code)?;
    let store = KvLinks(app.kv()?);
    let mut link = store.get(&code).await?.ok_or(Error::UnknownLink)?;
    let site = sites::load(app, &link.site).await?;
    sites::authorize(app, &req, &site).await?;
    if !link.disabled {
        link.disabled = true;
        store.put(&code, &link).await?;
    }
    forget(&code);
    Ok(empty(204))
}
