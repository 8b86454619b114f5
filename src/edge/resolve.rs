//! `GET /{code}`: the hot path. One cached lookup, one user-agent classification, one response;
//! counting happens in `waitUntil` after the response is on its way. A cached link is answered
//! without awaiting anything (see `edge::fetch`).

use super::app::{App, Resolved, CLICKED};
use super::d1::{self, Click, Counter};
use super::http::{header, with_type};
use super::kv::{cached, resolve_cached};
use super::visitors::VisitorKey;
use crate::agents::{self, Agent};
use crate::code::ShortCode;
use crate::fingerprint::Fingerprint;
use crate::site::SiteId;
use crate::source::{self, Evidence};
use crate::time::Day;
use crate::visitor::VisitorHash;
use crate::{pages, Channel, Error, Result};
use std::rc::Rc;
use worker::worker_sys::web_sys;
use worker::{Context, Headers, Response};

const CACHE_CONTROL: &str = "private, max-age=90";

/// Answers a short link from this isolate's cache alone, without waiting for anything: `None`
/// when the link has to be read from KV (then `resolve`). `count` is false for `HEAD`, which never
/// counts.
pub fn answer_cached(app: &App, req: &web_sys::Request, ctx: &Context, raw_code: &str, count: bool) -> Option<Result<web_sys::Response>> {
    let Ok(code) = ShortCode::parse(raw_code) else { return Some(Ok(missing(false))) };
    let resolved = cached(app, &code)?;
    Some(answer(app, req, ctx, &resolved, count))
}

/// Answers a short link, reading KV when this isolate does not have it.
pub async fn resolve(app: &App, req: &web_sys::Request, ctx: &Context, raw_code: &str, count: bool) -> Result<web_sys::Response> {
    let Ok(code) = ShortCode::parse(raw_code) else { return Ok(missing(false)) };
    let Some(resolved) = resolve_cached(app, &code).await? else { return Ok(missing(false)) };
    answer(app, req, ctx, &resolved, count)
}

/// One user-agent classification, one response; counting is scheduled with `waitUntil`.
fn answer(app: &App, req: &web_sys::Request, ctx: &Context, resolved: &Rc<Resolved>, count: bool) -> Result<web_sys::Response> {
    if !resolved.link.is_live(app.now_ms) {
        return Ok(missing(true));
    }
    let headers = Headers(req.headers());
    let user_agent = header(&headers, "user-agent");
    match agents::classify(&user_agent) {
        Agent::Preview(hint) => {
            if count {
                let (app, resolved) = (app.clone(), resolved.clone());
                ctx.wait_until(async move { log(record_preview(&app, &resolved, hint).await) });
            }
            let html = pages::preview(&resolved.link.url, resolved.link.title.as_deref());
            Ok(with_cache(with_type(200, html, "text/html; charset=utf-8")).into())
        }
        Agent::Crawler => redirect(&resolved.location),
        Agent::Human => {
            if count {
                let visitor = VisitorKey::with_agent(&headers, user_agent);
                if !recorded_here(app, resolved, &visitor) {
                    let (app, resolved, referrer) = (app.clone(), resolved.clone(), header(&headers, "referer"));
                    ctx.wait_until(async move { log(record_click(&app, &resolved, &visitor, &referrer).await) });
                }
            }
            redirect(&resolved.location)
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

thread_local! {
    /// The init of every redirect this isolate answers (302 and `Cache-Control`). The `Response`
    /// constructor copies the headers it is given, so one shared init needs only `location` set
    /// per request: two calls into JavaScript instead of seven (measured: building the response
    /// was a third of the hot path's own time).
    static REDIRECT: Option<(web_sys::Headers, web_sys::ResponseInit)> = redirect_init();
}

fn redirect_init() -> Option<(web_sys::Headers, web_sys::ResponseInit)> {
    let headers = web_sys::Headers::new().ok()?;
    headers.set("cache-control", CACHE_CONTROL).ok()?;
    let init = web_sys::ResponseInit::new();
    init.set_status(302);
    init.set_headers_headers(&headers);
    Some((headers, init))
}

fn redirect(location: &str) -> Result<web_sys::Response> {
    REDIRECT.with(|template| {
        // Each step only fails if the runtime itself is broken (the location is a serialized URL).
        let refused = || Error::Config("the runtime refused a response");
        let (headers, init) = template.as_ref().ok_or_else(refused)?;
        headers.set("location", location).map_err(|_| refused())?;
        web_sys::Response::new_with_opt_str_and_init(None, init).map_err(|_| refused())
    })
}

fn with_cache(mut response: Response) -> Response {
    let _ = response.headers_mut().set("cache-control", CACHE_CONTROL);
    response
}

fn missing(gone: bool) -> web_sys::Response {
    with_type(if gone { 410 } else { 404 }, pages::missing(gone), "text/html; charset=utf-8").into()
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
