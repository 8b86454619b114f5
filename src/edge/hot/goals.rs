//! `POST /api/goals`: a goal event, from the snippet (`url`: CORS, origin and host checks, the
//! snippet's rate limits) or from the site's own server (its stats bearer and the converting
//! visitor's view fingerprint `fp`). Parse → plan (`workflow::plan_goal`, no storage) → `202`,
//! the event leaving for the queue in `waitUntil`.

use super::visitors::VisitorKey;
use super::{limits, outbox};
use crate::edge::app::{random_u64, App};
use crate::edge::http::{bearer_of, check_origin, read_json, snippet_json};
use crate::edge::store::sites;
use crate::fingerprint::Fingerprint;
use crate::target::TargetUrl;
use crate::workflow::{plan_goal, GoalBody, GoalFacts, GoalFrom};
use crate::{Error, Result};
use worker::worker_sys::web_sys;
use worker::{Context, Headers};

/// `POST /api/goals` → `202 {"accepted": true}`; the goal is counted from the queue.
pub async fn record(app: &App, ctx: &Context, req: &web_sys::Request, headers: &Headers, origin: Option<&str>) -> Result<web_sys::Response> {
    let body: GoalBody = read_json(req).await?;
    let site = sites::load(app, &body.site).await?;
    check_origin(origin, || req.url(), &site.hosts)?;
    // Every field is checked before anything is admitted or sent.
    let fields = body.fields()?;
    let visitor_key = VisitorKey::of(headers);
    let from = match (&body.fp, &body.url) {
        (Some(fp), _) => {
            // A server names the visitor by a view's fingerprint: only the site's own token may.
            sites::authorize_token(app, bearer_of(headers), &site).await?;
            let fp = Fingerprint::verify(&app.signing_secret()?, &site.id, fp)?;
            limits::admit_link(app, &visitor_key, &site.id, true).await?;
            GoalFrom::Server { fp }
        }
        (None, Some(url)) => {
            let page = TargetUrl::parse(url, &site.hosts)?.page();
            let hashes = limits::admit(app, &visitor_key, &site.id).await?;
            GoalFrom::Snippet { page, visitor: hashes.visitor, address: hashes.address }
        }
        (None, None) => return Err(Error::field("url", "url (from a page) or fp (from a server, with the stats token) is required")),
    };
    let events = plan_goal(GoalFacts { site: site.id.clone(), fields, from, now_ms: app.now_ms, random: random_u64()? })?;
    outbox::send_later(app, ctx, events);
    snippet_json(202, &serde_json::json!({ "accepted": true }), origin)
}
