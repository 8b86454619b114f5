//! `POST /api/events`: a copy reported by the snippet (`sendBeacon`-friendly: any content type).

use crate::edge::app::{random_u64, App};
use crate::edge::http::{check_origin, read_json, snippet_json};
use crate::edge::hot::visitors::VisitorKey;
use crate::edge::hot::limits;
use crate::edge::hot::outbox;
use crate::edge::store::sites;
use crate::fingerprint::Fingerprint;
use crate::target::TargetUrl;
use crate::workflow::copy_event;
use crate::{Error, Result};
use serde::Deserialize;
use worker::worker_sys::web_sys;
use worker::{Context, Headers};

#[derive(Deserialize)]
struct EventBody {
    site: String,
    fp: String,
    #[serde(rename = "type")]
    kind: String,
    url: String,
    #[serde(default)]
    text: String,
    /// Accepted as the contract sends it; the stored text is what counts.
    #[serde(default)]
    #[allow(dead_code)]
    text_length: Option<u64>,
}

/// `POST /api/events` → `202`; the copy is counted from the queue.
pub async fn record(app: &App, ctx: &Context, req: &web_sys::Request, headers: &Headers, origin: Option<&str>) -> Result<web_sys::Response> {
    let body: EventBody = read_json(req).await?;
    let site = sites::load(app, &body.site).await?;
    check_origin(origin, || req.url(), &site.hosts)?;
    if body.kind != "copy" {
        return Err(Error::field("type", "the only event type is \"copy\""));
    }
    Fingerprint::verify(&app.signing_secret()?, &site.id, &body.fp)?;
    let page = TargetUrl::parse(&body.url, &site.hosts)?.page();
    limits::admit(app, &VisitorKey::of(headers), &site.id).await?;
    outbox::send_later(app, ctx, vec![copy_event(&site.id, page, &body.text, app.now_ms, random_u64()?)]);
    snippet_json(202, &serde_json::json!({ "accepted": true }), origin)
}
