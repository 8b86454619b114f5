//! The edge adapter: the only module that knows the Workers runtime (`worker`, KV, D1, `Request`).
//!
//! Each handler parses the request, calls the core, and maps the result; errors become responses
//! in exactly one place, `http::error_response`. Static files (`/ds.js`, `/stats`) are served by
//! Workers static assets before a request ever reaches this code.

mod alert_check;
mod alert_delivery;
mod alert_store;
mod alerts;
mod app;
mod cascade_sql;
mod cascades;
mod cleanup;
mod consumer;
mod count_store;
mod d1;
mod events;
mod faults;
mod http;
mod kv;
mod limits;
mod link_index;
mod link_list;
mod links;
mod qr;
mod live;
mod live_store;
mod queue;
mod resolve;
mod sites;
mod stats;
mod suffixes;
mod views;
mod visitors;

use crate::{paths, Error, Result};
use app::App;
use std::future::Future;
use wasm_bindgen::prelude::*;
use worker::wasm_bindgen_futures::future_to_promise;
use worker::worker_sys::{self, web_sys};
use worker::{event, Context, Env, MessageBatch, Method, Request, Response, ScheduleContext, ScheduledEvent};

/// The runtime's entry for HTTP requests, on the runtime's own request and response types.
///
/// Not `#[event(fetch)]`: that macro makes every request a Rust future behind a JavaScript promise
/// (a promise, a task and a microtask per request) and converts request and response whether they
/// are used or not. `scripts/bench` measured that machinery, not the work, as most of what a
/// workers-rs redirect costs on this runtime. So a short link already in this isolate's cache is
/// answered synchronously, and only the rest becomes a future.
#[wasm_bindgen]
pub fn fetch(req: web_sys::Request, env: Env, ctx: worker_sys::Context) -> JsValue {
    let app = App::new(env);
    let ctx = Context::new(ctx);
    let url = req.url();
    let path = paths::path_of(&url);
    let method = req.method();
    if let ("GET" | "HEAD", Some(code)) = (method.as_str(), paths::short_link(path)) {
        let counting = resolve::Counting { count: method == "GET", scan: paths::query_flag(&url, "qr") };
        if let Some(answer) = resolve::answer_cached(&app, &req, &ctx, code, counting) {
            return settle(answer).into();
        }
        let code = code.to_owned();
        return promise(async move { settle(resolve::resolve(&app, &req, &ctx, &code, counting).await) });
    }
    let path = path.to_owned();
    promise(async move { handle(&app, &ctx, Request::from(req), &path).await.into() })
}

/// A handler's answer, its error mapped in the one place that maps errors.
fn settle(answer: Result<web_sys::Response>) -> web_sys::Response {
    answer.unwrap_or_else(|e| http::error_response(&e).into())
}

/// The promise of a response, for the runtime.
fn promise(response: impl Future<Output = web_sys::Response> + 'static) -> JsValue {
    future_to_promise(async move { Ok(JsValue::from(response.await)) }).into()
}

/// Every request but a short link: the API.
async fn handle(app: &App, ctx: &Context, req: Request, path: &str) -> Response {
    let method = req.method();
    let snippet_route = matches!(path, "/api/views" | "/api/events" | "/api/links");
    // Read only where it is used: every header read crosses into JavaScript.
    let origin = if snippet_route { http::origin(&req) } else { None };
    match route(app, ctx, req, &method, path).await {
        Ok(response) if snippet_route => http::allow_origin(response, origin.as_deref()),
        Ok(response) => response,
        // The snippet must be able to read why a request failed (e.g. to retry a view without a
        // rejected parent); an error body reveals nothing about the site, except for the origin
        // refusal itself.
        Err(e) if snippet_route && e != Error::OriginNotAllowed => http::allow_origin(http::error_response(&e), origin.as_deref()),
        Err(e) => http::error_response(&e),
    }
}

async fn route(app: &App, ctx: &Context, req: Request, method: &Method, path: &str) -> Result<Response> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        (Method::Options, ["api", ..]) => Ok(http::preflight(&req)),
        (Method::Post, ["api", "sites"]) => sites::create(app, req).await,
        (Method::Post, ["api", "links"]) => links::create(app, req).await,
        (Method::Delete, ["api", "links", code]) => links::delete(app, req, code).await,
        (Method::Get, ["api", "links"]) => link_list::list(app, req).await,
        (Method::Patch, ["api", "links", code]) => link_list::update(app, req, code).await,
        (Method::Post, ["api", "views"]) => views::record(app, ctx, req).await,
        (Method::Post, ["api", "events"]) => events::record(app, ctx, req).await,
        (Method::Get, ["api", "stats"]) => stats::report(app, req, stats::Format::Json).await,
        (Method::Get, ["api", "stats.csv"]) => stats::report(app, req, stats::Format::Csv).await,
        (Method::Get, ["api", "cascades", id]) => cascades::tree(app, req, id).await,
        (Method::Get, ["api", "live"]) => live::report(app, req).await,
        (Method::Get, ["api", "sites", id]) => alerts::show(app, req, id).await,
        (Method::Patch, ["api", "sites", id]) => alerts::patch(app, req, id).await,
        (Method::Post, ["api", "sites", id, "webhook", "test"]) => alerts::test(app, req, id).await,
        (Method::Get, ["api", "health"]) => Ok(http::json(200, &serde_json::json!({ "ok": true }))),
        (Method::Get | Method::Head, [code, "qr.svg"]) => qr::image(app, req, code).await,
        (Method::Get, ["api", "_faults"]) => faults::handle(app, req, false).await,
        (Method::Put, ["api", "_faults"]) => faults::handle(app, req, true).await,
        (_, ["api", "sites" | "links" | "views" | "events" | "stats" | "stats.csv" | "health" | "live"])
        | (_, ["api", "links" | "sites" | "cascades", _])
        | (_, ["api", "sites", _, "webhook", "test"])
        | (_, [_, "qr.svg"]) => Err(Error::MethodNotAllowed),
        (_, ["api", ..]) => Err(Error::NotFound),
        _ => Err(Error::NotFound),
    }
}

/// The queues' consumer (`[[queues.consumers]]` in `wrangler.toml`): counting, or alert deliveries.
#[event(queue)]
async fn queue(batch: MessageBatch<String>, env: Env, _ctx: Context) -> worker::Result<()> {
    let app = App::new(env);
    if batch.queue() == alert_delivery::QUEUE {
        alert_delivery::run(&app, batch).await;
    } else {
        consumer::run(&app, batch).await;
    }
    Ok(())
}

/// Daily clean-up (cron in `wrangler.toml`): salts and raw de-duplication rows past retention.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let app = App::new(env);
    let result = match app.db() {
        Ok(db) => cleanup::run(&db, app.today()).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        worker::console_error!("clean-up failed: {}", e);
    }
}
