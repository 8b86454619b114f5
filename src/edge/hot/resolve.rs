//! `GET /{code}`: the hot path. One cached lookup, one user-agent classification, one response;
//! counting happens in `waitUntil` after the response is on its way: the click or preview goes to
//! the queue, never to D1. A cached link is answered without awaiting anything (see `edge::hot::fetch`).

use crate::edge::app::{App, Resolved, CLICKED};
use crate::edge::http::{header, with_type, Template};
use crate::edge::store::kv::{cached, resolve_cached};
use crate::edge::hot::outbox::{self, log};
use crate::edge::hot::visitors::VisitorKey;
use crate::agents::{self, Agent};
use crate::attribution::RequestSignals;
use crate::code::ShortCode;
use crate::fingerprint::Fingerprint;
use crate::site::SiteId;
use crate::time::Day;
use crate::visitor::VisitorHash;
use crate::workflow::{plan_click, preview_event, ClickFacts, PreviewFacts};
use crate::{pages, Channel, Error, Result};
use std::rc::Rc;
use worker::worker_sys::web_sys;
use worker::{Context, Headers, Response};

const CACHE_CONTROL: &str = "private, max-age=90";

/// How a request to a short link may be counted.
#[derive(Clone, Copy)]
pub struct Counting {
    /// False for `HEAD`, which never counts.
    pub count: bool,
    /// Opened with `?qr=1`.
    pub scan: bool,
}

/// Answers a short link from this isolate's cache alone, without waiting for anything: `None`
/// when the link has to be read from KV (then `resolve`).
pub fn answer_cached(app: &App, req: &web_sys::Request, ctx: &Context, raw_code: &str, counting: Counting) -> Option<Result<web_sys::Response>> {
    let Ok(code) = ShortCode::parse(raw_code) else { return Some(Ok(missing(false))) };
    let resolved = cached(app, &code)?;
    Some(answer(app, req, ctx, &code, &resolved, counting))
}

/// Answers a short link, reading KV when this isolate does not have it.
pub async fn resolve(app: &App, req: &web_sys::Request, ctx: &Context, raw_code: &str, counting: Counting) -> Result<web_sys::Response> {
    let Ok(code) = ShortCode::parse(raw_code) else { return Ok(missing(false)) };
    let Some(resolved) = resolve_cached(app, &code).await? else { return Ok(missing(false)) };
    answer(app, req, ctx, &code, &resolved, counting)
}

/// One user-agent classification, one response; counting is scheduled with `waitUntil`.
fn answer(app: &App, req: &web_sys::Request, ctx: &Context, code: &ShortCode, resolved: &Rc<Resolved>, counting: Counting) -> Result<web_sys::Response> {
    if !resolved.link.is_live(app.now_ms) {
        return Ok(missing(true));
    }
    let headers = Headers(req.headers());
    let user_agent = header(&headers, "user-agent");
    match agents::classify(&user_agent) {
        Agent::Preview(hint) => {
            if counting.count {
                let (app, resolved, code) = (app.clone(), resolved.clone(), code.as_str().to_owned());
                let fetcher = VisitorKey::with_agent(&headers, user_agent.clone());
                ctx.wait_until(async move { log(record_preview(&app, &resolved, &code, hint, &fetcher).await) });
            }
            let html = pages::preview(&resolved.link.url, resolved.link.title.as_deref());
            Ok(with_cache(with_type(200, html, "text/html; charset=utf-8")).into())
        }
        Agent::Crawler => redirect(&resolved.location),
        Agent::Human => {
            if counting.count {
                let visitor = VisitorKey::with_agent(&headers, user_agent);
                if !recorded_here(app, resolved, &visitor) {
                    let request = RequestFacts::of(&headers, counting.scan);
                    let (app, resolved, code) = (app.clone(), resolved.clone(), code.as_str().to_owned());
                    ctx.wait_until(async move { log(record_click(&app, &resolved, &code, &visitor, &request).await) });
                }
            }
            redirect(&resolved.location)
        }
    }
}

/// The de-duplication key of a click in this isolate's memo (site, share, visitor, day, as counted).
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
    /// Every redirect this isolate answers: 302 and `Cache-Control`, `location` set per answer.
    static REDIRECT: Option<Template> = Template::new(302, &[("cache-control", CACHE_CONTROL)]);
}

fn redirect(location: &str) -> Result<web_sys::Response> {
    REDIRECT.with(|template| template.as_ref().ok_or(Error::Config("the runtime refused a response"))?.answer(None, &[("location", location)]))
}

fn with_cache(mut response: Response) -> Response {
    let _ = response.headers_mut().set("cache-control", CACHE_CONTROL);
    response
}

fn missing(gone: bool) -> web_sys::Response {
    with_type(if gone { 410 } else { 404 }, pages::missing(gone), "text/html; charset=utf-8").into()
}

async fn record_preview(app: &App, resolved: &Rc<Resolved>, code: &str, hint: Option<Channel>, fetcher: &VisitorKey) -> Result<()> {
    let site = SiteId::parse(&resolved.link.site)?;
    let fetcher = fetcher.hashes(app, &site).await?.address;
    let event = preview_event(PreviewFacts {
        link: &resolved.link,
        code,
        page: &resolved.page,
        channel: agents::preview_channel(hint, resolved.link.channel),
        fetcher,
        now_ms: app.now_ms,
    });
    outbox::coalesce(app, vec![event]).await
}

/// What of a human's request the click needs, copied out so it can outlive the request. Read only
/// for a click this isolate has not recorded yet: every header read crosses into JavaScript.
struct RequestFacts {
    referrer: String,
    fetch_dest: String,
    fetch_mode: String,
    opted_out: bool,
    scan: bool,
}

impl RequestFacts {
    fn of(headers: &Headers, scan: bool) -> RequestFacts {
        RequestFacts {
            referrer: header(headers, "referer"),
            fetch_dest: header(headers, "sec-fetch-dest"),
            fetch_mode: header(headers, "sec-fetch-mode"),
            opted_out: header(headers, "sec-gpc").trim() == "1" || header(headers, "dnt").trim() == "1",
            scan,
        }
    }
}

async fn record_click(app: &App, resolved: &Rc<Resolved>, code: &str, visitor: &VisitorKey, request: &RequestFacts) -> Result<()> {
    let link = &resolved.link;
    let site = SiteId::parse(&link.site)?;
    let secret = app.signing_secret()?;
    let link_fp = Fingerprint::verify(&secret, &site, &link.fp)?;
    let hashes = visitor.hashes(app, &site).await?;
    let key = click_key(&link.site, &link.fp, &hashes.visitor, app.today());
    if CLICKED.with(|c| c.borrow().get(&key, app.now_ms).is_some()) {
        return Ok(()); // recorded meanwhile by a concurrent request of this isolate
    }
    let facts = ClickFacts {
        site,
        code,
        link_fp: &link_fp,
        channel: link.channel,
        page: &resolved.page,
        now_ms: app.now_ms,
        visitor: hashes.visitor,
        address: hashes.address,
        referrer: Some(request.referrer.as_str()).filter(|r| !r.is_empty()),
        user_agent: visitor.user_agent(),
        signals: RequestSignals {
            fetch_dest: Some(request.fetch_dest.as_str()).filter(|d| !d.is_empty()),
            fetch_mode: Some(request.fetch_mode.as_str()).filter(|m| !m.is_empty()),
            opted_out: request.opted_out,
        },
        scan: request.scan,
    };
    let Some(click) = plan_click(&secret, facts) else { return Ok(()) };
    outbox::coalesce(app, vec![click]).await?;
    CLICKED.with(|c| c.borrow_mut().insert(&key, (), app.now_ms));
    Ok(())
}
