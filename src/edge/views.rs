//! `POST /api/views`: a page view reported by the snippet; an arrival when it carries a parent.

use super::app::{random_u64, App};
use super::d1::{self, Click, ViewWrite};
use super::http::{check_origin, json, read_json};
use super::{limits, sites};
use super::visitors::VisitorKey;
use crate::attribution::{classify_view, own_generation, ViewFacts, ViewKind};
use crate::fingerprint::{Fingerprint, Origin};
use crate::source::{self, Evidence};
use crate::target::{host_allowed, TargetUrl};
use crate::Result;
use serde::{Deserialize, Serialize};
use worker::{Request, Response};

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

/// `POST /api/views` → `200 {"fp"}`.
pub async fn record(app: &App, mut req: Request) -> Result<Response> {
    let body: ViewBody = read_json(&mut req).await?;
    let site = sites::load(app, &body.site).await?;
    check_origin(&req, &site.hosts)?;
    let page = TargetUrl::parse(&body.url, &site.hosts)?.page();
    let secret = app.signing_secret()?;
    let parent = body.parent.as_deref().filter(|p| !p.is_empty()).map(|p| Fingerprint::verify(&secret, &site.id, p)).transpose()?;
    let referrer = body.referrer.as_deref().filter(|r| !r.is_empty());
    let referrer_is_same_site = referrer
        .and_then(|r| url::Url::parse(r).ok())
        .and_then(|u| u.host_str().map(|h| host_allowed(&site.hosts, h)))
        .unwrap_or(false);

    let visitor_key = VisitorKey::of(req.headers());
    let visitor = limits::admit(app, &visitor_key, &site.id).await?;
    let db = app.db()?;
    let parent_is_own = match &parent {
        Some(p) if p.origin == Origin::View => d1::view_fp_owner(&db, site.id.as_str(), p.as_str()).await?.is_some_and(|owner| owner == visitor.as_str()),
        _ => false,
    };
    let kind = classify_view(&ViewFacts { parent: parent.as_ref(), referrer_is_same_site, parent_is_own });
    let minted = match (kind, &parent) {
        (ViewKind::SelfVisit, Some(_)) => None,
        _ => Some(Fingerprint::mint(&secret, &site.id, Origin::View, own_generation(kind, parent.as_ref()), random_u64()?)),
    };
    let evidence = Evidence {
        referrer,
        user_agent: visitor_key.user_agent(),
        hint: body.hint.as_deref(),
        // A click through a short link belongs to the link's channel, whether the redirect or this
        // view records it first.
        link_channel: parent.as_ref().and_then(Fingerprint::link_channel),
    };
    let source = source::classify(&evidence);
    let click = match (kind, &parent) {
        (ViewKind::Arrival { depth }, Some(p)) => Some(Click {
            site: site.id.as_str(),
            share: p.as_str(),
            visitor: visitor.as_str(),
            day: app.today(),
            page: &page,
            channel: source.channel.as_str(),
            depth,
            dark: source.dark,
        }),
        _ => None,
    };
    let shared_fp = match &parent {
        Some(p) if p.origin == Origin::View && click.is_some() => Some(p.as_str()),
        _ => None,
    };
    let write = ViewWrite {
        site: site.id.as_str(),
        day: app.today(),
        page: &page,
        visitor: visitor.as_str(),
        minted_fp: minted.as_ref().map(Fingerprint::as_str),
        click,
        shared_fp,
    };
    d1::record_view(&db, &write).await?;
    let fp = minted.as_ref().or(parent.as_ref()).map(Fingerprint::as_str).unwrap_or_default();
    Ok(json(200, &ViewAnswer { fp }))
}
