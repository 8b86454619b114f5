//! `POST /api/events`: a copy reported by the snippet (`sendBeacon`-friendly: any content type).

use super::app::{random_u64, App};
use super::http::{check_origin, json, read_json};
use super::visitors::VisitorKey;
use super::{limits, queue, sites};
use crate::fingerprint::Fingerprint;
use crate::target::TargetUrl;
use crate::workflow::copy_event;
use crate::{Error, Result};
use serde::Deserialize;
use worker::{Request, Response};

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

/// `POST /api/events` → `202` once the copy is queued for counting.
pub async fn record(app: &App, mut req: Request) -> Result<Response> {
    let body: EventBody = read_json(&mut req).await?;
    let site = sites::load(app, &body.site).await?;
    check_origin(&req, &site.hosts)?;
    if body.kind != "copy" {
        return Err(Error::field("type", "the only event type is \"copy\""));
    }
    Fingerprint::verify(&app.signing_secret()?, &site.id, &body.fp)?;
    let page = TargetUrl::parse(&body.url, &site.hosts)?.page();
    limits::admit(app, &VisitorKey::of(req.headers()), &site.id).await?;
    queue::send(app, &[copy_event(&site.id, page, &body.text, app.now_ms, random_u64()?)]).await?;
    Ok(json(202, &serde_json::json!({ "accepted": true })))
}
