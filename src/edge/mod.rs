//! The edge adapter: the only module that knows the Workers runtime (`worker`, KV, D1, `Request`).
//!
//! Each handler parses the request, calls the core, and maps the result; errors become responses
//! in exactly one place, `http::error_response`. Static files (`/ds.js`, `/stats`) are served by
//! Workers static assets before a request ever reaches this code.

mod app;
mod d1;
mod events;
mod http;
mod kv;
mod limits;
mod links;
mod resolve;
mod sites;
mod stats;
mod views;
mod visitors;

use crate::{Error, Result};
use app::App;
use worker::{event, Context, Env, Method, Request, Response, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    let app = App::new(env);
    let path = req.path();
    let method = req.method();
    let snippet_route = matches!(path.as_str(), "/api/views" | "/api/events" | "/api/links");
    // Read only where it is used: every header read crosses into JavaScript, and `GET /{code}` is
    // the hot path.
    let origin = if snippet_route { http::origin(&req) } else { None };
    Ok(match route(&app, req, &ctx, &method, &path).await {
        Ok(response) if snippet_route => http::allow_origin(response, origin.as_deref()),
        Ok(response) => response,
        // The snippet must be able to read why a request failed (e.g. to retry a view without a
        // rejected parent); an error body reveals nothing about the site, except for the origin
        // refusal itself.
        Err(e) if snippet_route && e != Error::OriginNotAllowed => http::allow_origin(http::error_response(&e), origin.as_deref()),
        Err(e) => http::error_response(&e),
    })
}

async fn route(app: &App, req: Request, ctx: &Context, method: &Method, path: &str) -> Result<Response> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        (Method::Options, ["api", ..]) => Ok(http::preflight(&req)),
        (Method::Post, ["api", "sites"]) => sites::create(app, req).await,
        (Method::Post, ["api", "links"]) => links::create(app, req).await,
        (Method::Delete, ["api", "links", code]) => links::delete(app, req, code).await,
        (Method::Post, ["api", "views"]) => views::record(app, req).await,
        (Method::Post, ["api", "events"]) => events::record(app, req).await,
        (Method::Get, ["api", "stats"]) => stats::report(app, req, stats::Format::Json).await,
        (Method::Get, ["api", "stats.csv"]) => stats::report(app, req, stats::Format::Csv).await,
        (Method::Get, ["api", "health"]) => Ok(http::json(200, &serde_json::json!({ "ok": true }))),
        (_, ["api", "sites" | "links" | "views" | "events" | "stats" | "stats.csv" | "health"])
        | (_, ["api", "links", _]) => Err(Error::MethodNotAllowed),
        (_, ["api", ..]) => Err(Error::NotFound),
        (Method::Get, [code]) => resolve::resolve(app, &req, ctx, code, true).await,
        (Method::Head, [code]) => resolve::resolve(app, &req, ctx, code, false).await,
        _ => Err(Error::NotFound),
    }
}

/// Daily clean-up (cron in `wrangler.toml`): salts and raw de-duplication rows past retention.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let app = App::new(env);
    let result = match app.db() {
        Ok(db) => d1::clean_up(&db, app.today()).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        worker::console_error!("clean-up failed: {}", e);
    }
}
