//! `GET /api/links` (a site's links, newest first, with their counts) and
//! `PATCH /api/links/{code}` (disable/enable, expiry, title) for marketers.
//!
//! The index and the counters come from D1; everything else a listed link shows comes from its KV
//! record, which stays the one source of truth for the redirect. A `PATCH` rewrites that record
//! and drops the link from this isolate's cache at once; other isolates see it when their cached
//! copy expires (`LINK_TTL_MS`, 60 s), within KV's own propagation delay.

use super::app::App;
use super::http::{bearer, json, read_json};
use super::kv::{forget, KvLinks};
use super::{link_index, sites};
use crate::code::ShortCode;
use crate::link::Link;
use crate::link_list::{paginate, parse_limit, Cursor, LinkPage, ListedLink};
use crate::link_patch::LinkPatch;
use crate::ports::LinkStore;
use crate::{Error, Result};
use futures_util::future::join_all;
use worker::{Request, Response};

/// `GET /api/links?site=…&limit=1..100&cursor=…` (the site's stats token).
pub async fn list(app: &App, req: Request) -> Result<Response> {
    let url = req.url().map_err(|_| Error::NotFound)?;
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let site_id = param("site").ok_or_else(|| Error::field("site", "the site query parameter is required"))?;
    let site = sites::load(app, &site_id).await?;
    sites::authorize(app, &req, &site).await?;
    let limit = parse_limit(param("limit").as_deref())?;
    let secret = app.signing_secret()?;
    let after = param("cursor").map(|c| Cursor::decode(&secret, &site.id, &c)).transpose()?;

    let rows = link_index::page(&app.db()?, site.id.as_str(), after.as_ref(), limit + 1).await?;
    let (rows, next) = paginate(rows, limit);
    let store = KvLinks(app.kv()?);
    // One KV read per listed link, all in flight at once (at most 100).
    let records = join_all(rows.iter().map(|row| record(&store, &row.code))).await;
    let origin = app.public_origin(&url);
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
pub async fn update(app: &App, mut req: Request, raw_code: &str) -> Result<Response> {
    if bearer(&req).is_none() {
        return Err(Error::MissingToken);
    }
    let patch: LinkPatch = read_json(&mut req).await?;
    let code = ShortCode::parse(raw_code)?;
    let store = KvLinks(app.kv()?);
    let link = store.get(&code).await?.ok_or(Error::UnknownLink)?;
    let site = sites::load(app, &link.site).await?;
    sites::authorize(app, &req, &site).await?;
    let patched = patch.apply(&link, app.now_ms)?;
    let counts = link_index::counts(&app.db()?, &link.site, &link.fp).await?;
    if patched != link {
        store.put(&code, &patched).await?;
    }
    forget(&code);
    let url = req.url().map_err(|_| Error::NotFound)?;
    Ok(json(200, &ListedLink::new(&app.public_origin(&url), code.as_str(), &patched, counts)))
}
