//! `POST /api/views`: a page view reported by the snippet; an arrival when it carries a parent.
//! Parse → plan (`workflow::plan_view`, no storage) → answer, the events leaving for the queue in
//! `waitUntil`.

use crate::edge::app::{random_bytes, App};
use crate::edge::http::{check_origin, read_json, snippet_json};
use crate::edge::hot::visitors::VisitorKey;
use crate::edge::hot::limits;
use crate::edge::hot::outbox;
use crate::edge::store::sites;
use crate::fingerprint::Fingerprint;
use crate::target::{host_allowed, TargetUrl};
use crate::workflow::{plan_view, ViewFacts};
use crate::Result;
use serde::{Deserialize, Serialize};
use worker::worker_sys::web_sys;
use worker::{Context, Headers};

#[derive(Deserialize)]
struct ViewBody {
    site: String,
    url: String,
    #[serde(default)]
    referrer: Option<String>,
    #[serde(default)]
    parent: Option<String>,
    /// Accepted for forward compatibility; titles are not stored.
    #[serde(default)]
    #[allow(dead_code)]
    title: Option<String>,
    /// A channel hint from the page (e.g. `"telegram"` inside Telegram's in-app browser).
    #[serde(default)]
    hint: Option<String>,
}

#[derive(Serialize)]
struct ViewAnswer<'a> {
    fp: &'a str,
}

/// `POST /api/views` → `200 {"fp"}`; the view is counted from the queue.
pub async fn record(app: &App, ctx: &Context, req: &web_sys::Request, headers: &Headers, origin: Option<&str>) -> Result<web_sys::Response> {
    let body: ViewBody = read_json(req).await?;
    let site = sites::load(app, &body.site).await?;
    check_origin(origin, || req.url(), &site.hosts)?;
    let page = TargetUrl::parse(&body.url, &site.hosts)?.page();
    let secret = app.signing_secret()?;
    let parent = body.parent.as_deref().filter(|p| !p.is_empty()).map(|p| Fingerprint::verify(&secret, &site.id, p)).transpose()?;
    let referrer = body.referrer.filter(|r| !r.is_empty());
    let referrer_is_same_site = referrer
        .as_deref()
        .and_then(|r| url::Url::parse(r).ok())
        .and_then(|u| u.host_str().map(|h| host_allowed(&site.hosts, h)))
        .unwrap_or(false);
    let visitor_key = VisitorKey::of(headers);
    let hashes = limits::admit(app, &visitor_key, &site.id).await?;
    let plan = plan_view(
        &secret,
        ViewFacts {
            site: site.id.clone(),
            page,
            now_ms: app.now_ms,
            visitor: hashes.visitor,
            address: hashes.address,
            parent,
            referrer,
            referrer_is_same_site,
            user_agent: visitor_key.user_agent().to_owned(),
            hint: body.hint,
            random: random_pair()?,
        },
    );
    let answer = snippet_json(200, &ViewAnswer { fp: plan.fp.as_str() }, origin)?;
    outbox::send_later(app, ctx, plan.events);
    Ok(answer)
}

/// Two random 64-bit numbers from one call to the platform's generator.
fn random_pair() -> Result<[u64; 2]> {
    let bytes = random_bytes::<16>()?;
    let half = |i: usize| u64::from_be_bytes(bytes[i..i + 8].try_into().unwrap_or_default());
    Ok([half(0), half(8)])
}
