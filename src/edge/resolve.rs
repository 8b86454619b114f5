//! `GET /{code}`: the hot path. One cached lookup, one user-agent classification, one response;
//! counting happens in `waitUntil` after the response is on its way.

use super::app::{App, Resolved, CLICKED};
use super::d1::{self, Click, Counter};
use super::http::{empty, header, with_type};
use super::kv::resolve_cached;
use super::visitors::VisitorKey;
use crate::agents::{self, Agent};
use crate::code::ShortCode;
use crate::fingerprint::Fingerprint;
use crate::site::SiteId;
use crate::source::{self, Evidence};
use crate::time::Day;
use crate::visitor::VisitorHash;
use crate::{pages, Channel, Result};
use std::rc::Rc;
use worker::{Context, Headers, Request, Response};

const CACHE_CONTROL: &str = "private, max-age=90";

/// Answers a short link. `count` is false for `HEAD`, which never counts.
pub async fn resolve(app: &App, req: &Request, ctx: &Context, raw_code: &str, count: bool) -> Result<Response> {
    let Ok(code) = ShortCode::parse(raw_code) else { return Ok(missing(false)) };
    let Some(resolved) = resolve_cached(app, &code).await? else { return Ok(missing(false)) };
    if !resolved.link.is_live(app.now_ms) {
        return Ok(missing(true));
    }
    let user_agent = header(req, "user-agent");
    match agents::classify(&user_agent) {
        Agent::Preview(hint) => {
            if count {
                let (app, resolved) = (app.clone(), resolved.clone());
                ctx.wait_until(async move { log(record_preview(&app, &resolved, hint).await) });
            }
            let html = pages::preview(&resolved.link.url, resolved.link.title.as_deref());
            Ok(with_cache(with_type(200, html, "text/html; charset=utf-8")))
        }
        Agent::Crawler => Ok(redirect(&resolved.location)),
        Agent::Human => {
            if count {
                let visitor = VisitorKey::with_agent(req, user_agent);
                if !recorded_here(app, &resolved, &visitor) {
                    let (app, resolved, referrer) = (app.clone(), resolved.clone(), header(req, "referer"));
                    ctx.wait_until(async move { log(record_click(&app, &resolved, &visitor, &referrer).await) });
                }
            }
            Ok(redirect(&resolved.location))
        }
    }
}

/// The de-duplication key of a click: the store's primary key of `clicks`.
fn click_key(link_site: &str, share: &str, visitor: &VisitorHash, day: Day) -> String {
    format!("{link_site}:{share}:{}:{}", visitor.as_str(), day.0)
}

/// Whether this isolate already recorded this visitor's click on this link today: then the write
/// would be an ignored insert, and no background work is scheduled at all.
fn recorded_here(app: &App, resolved: &Resolved, visitor: &VisitorKey) -> bool {
    let Ok(site) = SiteId::parse(&resolved.link.site) else { return false };
    let Some(hash) = visitor.hash_now(app, &site) else { return false };
    let key = click_key(&resolved.link.site, &resolved.link.fp, &hash, app.today());
    CLICKED.with(|c| c.borrow().get(&key, app.now_ms).is_some())
}

fn redirect(location: &str) -> Response {
    let headers = Headers::new();
    let _ = headers.set("location", location);
    let _ = headers.set("cache-control", CACHE_CONTROL);
    empty(302).with_headers(headers)
}

fn with_cache(mut response: Response) -> Response {
    let _ = response.headers_mut().set("cache-control", CACHE_CONTROL);
    response
}

fn missing(gone: bool) -> Response {
    with_type(if gone { 410 } else { 404 }, pages::missing(gone), "text/html; charset=utf-8")
}

async fn record_preview(app: &App, resolved: &Rc<Resolved>, hint: Option<Channel>) -> Result<()> {
    let channel = agents::preview_channel(hint, resolved.link.channel);
    d1::count(&app.db()?, Counter::Previews, &resolved.link.site, app.today(), &resolved.page, channel.as_str()).await
}

async fn record_click(app: &App, resolved: &Rc<Resolved>, visitor: &VisitorKey, referrer: &str) -> Result<()> {
    let link = &resolved.link;
    let site = SiteId::parse(&link.site)?;
    let fp = Fingerprint::verify(&app.signing_secret()?, &site, &link.fp)?;
    let evidence = Evidence { referrer: Some(referrer), user_agent: visitor.user_agent(), hint: None, link_channel: Some(link.channel) };
    let source = source::classify(&evidence);
    let visitor = visitor.hash(app, &site).await?;
    let key = click_key(&link.site, &link.fp, &visitor, app.today());
    if CLICKED.with(|c| c.borrow().get(&key, app.now_ms).is_some()) {
        return Ok(()); // recorded meanwhile by a concurrent request of this isolate
    }
    let click = Click {
        site: &link.site,
        share: &link.fp,
        visitor: visitor.as_str(),
        day: app.today(),
        page: &resolved.page,
        channel: source.channel.as_str(),
        depth: fp.click_depth(),
        dark: source.dark,
    };
    d1::record_click(&app.db()?, &click).await?;
    CLICKED.with(|c| c.borrow_mut().insert(&key, (), app.now_ms));
    Ok(())
}

/// Work in `waitUntil` has nobody to answer; its failures go to the log (no IPs, no tokens).
fn log(result: Result<()>) {
    if let Err(e) = result {
        worker::console_error!("background write failed: {} ({})", e.code(), e);
    }
}
