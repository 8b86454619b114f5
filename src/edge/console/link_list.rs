//! `GET /api/links` (a site's links, newest first, with their counts) and
//! `PATCH /api/links/{code}` (disable/enable, expiry, title) for marketers.
//!
//! The index and the counters come from D1; everything else a listed link shows comes from its KV
//! record, which stays the one source of truth for the redirect. A `PATCH` rewrites that record
//! and drops the link from this isolate's cache at once; other isolates see it when their cached
//! copy expires (`LINK_TTL_MS`, 60 s), within KV's own propagation delay.

use crate::edge::app::App;
use crate::edge::http::{bearer, empty, json, read_json};
use crate::edge::store::kv::{forget, KvLinks};
use crate::edge::site::link_index;
use crate::edge::store::sites;
use crate::code::ShortCode;
use crate::link::Link;
use crate::link_list::{paginate, parse_limit, Cursor, LinkPage, ListedLink};
use crate::link_patch::LinkPatch;
use crate::link::LinkStore;
use crate::{Error, Result};
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;
use worker::{Request, Response};

/// `GET /api/links?site=…&limit=1..100&cursor=…` (the site's stats token).
pub async fn list(app: &App, req: Request) -> Result<Response> {
    let query = sites::of_query(app, &req).await?;
    let (site, url) = (&query.site, &query.url);
    let limit = parse_limit(query.param("limit").as_deref())?;
    let secret = app.signing_secret()?;
    let after = query.param("cursor").map(|c| Cursor::decode(&secret, &site.id, &c)).transpose()?;

    let rows = link_index::page(&app.db()?, site.id.as_str(), after.as_ref(), limit + 1).await?;
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

/// Runs `futures` concurrently and answers their outputs in order. (`futures_util::join_all`
/// does the same but cost 2 KiB more of the worker's gzipped upload; this is all the list needs.)
async fn all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pending: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    poll_fn(move |cx| {
        for (future, slot) in pending.iter_mut().zip(done.iter_mut()) {
            if slot.is_none() {
                if let Poll::Ready(output) = future.as_mut().poll(cx) {
                    *slot = Some(output);
                }
            }
        }
        if done.iter().all(Option::is_some) {
            Poll::Ready(done.iter_mut().filter_map(Option::take).collect())
        } else {
            Poll::Pending
        }
    })
    .await
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
    let counts = link_index::counts(&app.db()?, &link.site, code.as_str()).await?;
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
