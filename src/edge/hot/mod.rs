//! The hot worker's entry (built without the `console` feature): short links, the snippet's writes
//! and the health check. Every other request is the console worker's, reached through the `CONSOLE`
//! service binding, so the code a redirect loads stays small (README, "Two workers").

mod events;
mod limits;
mod links;
mod outbox;
mod resolve;
mod views;
mod visitors;

use crate::edge::app::App;
use crate::edge::chain;
use crate::edge::http;
use crate::edge::store::kv;
use crate::code::ShortCode;
use crate::{paths, Error, Result};
use std::future::Future;
use wasm_bindgen::prelude::*;
use worker::worker_sys::{self, web_sys};
use worker::{Context, Env, Headers, Request, Response};

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
    if !is_hot(&method, path) {
        let changed_link = changed_link(&method, path);
        return promise(async move {
            let response = forward(&app, req).await;
            // A link disabled, deleted or changed through this isolate is answered anew at once
            // here, where its redirects are served; other isolates within the cache's lifetime.
            if let (Some(code), true) = (changed_link, response.ok()) {
                kv::forget(&code);
            }
            response
        });
    }
    let path = path.to_owned();
    promise(async move { handle(&app, &ctx, req, &method, &path).await })
}

/// The API requests this worker answers itself: the snippet's (and share buttons') writes, their
/// CORS preflights, the health check.
fn is_hot(method: &str, path: &str) -> bool {
    matches!((method, path), ("POST" | "OPTIONS", "/api/views" | "/api/events" | "/api/links") | (_, "/api/health"))
        || (method != "POST" && matches!(path, "/api/views" | "/api/events"))
}

/// The link a `PATCH` or `DELETE /api/links/{code}` changes.
fn changed_link(method: &str, path: &str) -> Option<ShortCode> {
    let code = path.strip_prefix("/api/links/")?;
    matches!(method, "PATCH" | "DELETE").then(|| ShortCode::parse(code).ok()).flatten()
}

/// Passes a request to the console worker, untouched (method, headers, body).
async fn forward(app: &App, req: web_sys::Request) -> web_sys::Response {
    let answer = match app.env.service("CONSOLE") {
        Ok(console) => console.fetch_request(Request::from(req)).await.map_err(|_| Error::Config("the console worker did not answer")),
        Err(_) => Err(Error::Config("service binding CONSOLE is missing")),
    };
    answer.unwrap_or_else(|e| http::error_response(&e)).into()
}

/// A handler's answer, its error mapped in the one place that maps errors.
fn settle(answer: Result<web_sys::Response>) -> web_sys::Response {
    answer.unwrap_or_else(|e| http::error_response(&e).into())
}

/// The response, or the promise of it, for the runtime.
fn promise(response: impl Future<Output = web_sys::Response> + 'static) -> JsValue {
    chain::run(async move { JsValue::from(response.await) })
}

/// The snippet's routes: readable cross-origin for the site's own pages. On the runtime's own
/// request: `worker::Request` would read the request's `cf` object, which a view never needs
/// (measured: a tenth of a view's time).
async fn handle(app: &App, ctx: &Context, req: web_sys::Request, method: &str, path: &str) -> web_sys::Response {
    let headers = Headers(req.headers());
    // Read once, here: every header read crosses into JavaScript.
    let origin = http::origin(&headers);
    let origin = origin.as_deref();
    match route(app, ctx, req, &headers, method, origin, path).await {
        Ok(response) => response,
        // The snippet must be able to read why a request failed (e.g. to retry a view without a
        // rejected parent); an error body reveals nothing about the site, except for the origin
        // refusal itself.
        Err(e) if e != Error::OriginNotAllowed => http::allow_origin(http::error_response(&e), origin).into(),
        Err(e) => http::error_response(&e).into(),
    }
}

async fn route(app: &App, ctx: &Context, req: web_sys::Request, headers: &Headers, method: &str, origin: Option<&str>, path: &str) -> Result<web_sys::Response> {
    let readable = |response: Response| http::allow_origin(response, origin).into();
    match (method, path) {
        ("OPTIONS", _) => Ok(http::preflight(origin).into()),
        ("POST", "/api/links") => links::create(app, Request::from(req), origin).await.map(readable),
        ("POST", "/api/views") => views::record(app, ctx, &req, headers, origin).await,
        ("POST", "/api/events") => events::record(app, ctx, &req, headers, origin).await,
        ("GET", "/api/health") => Ok(readable(http::json(200, &serde_json::json!({ "ok": true })))),
        _ => Err(Error::MethodNotAllowed),
    }
}
