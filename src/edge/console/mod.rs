//! The console worker's entry (built with `--features console`): the marketer's API (stats,
//! cascades, live, links, sites and alerts), QR codes, the queue consumers and the daily clean-up.
//! It has no public route: the hot worker passes it every request that is not its own, through the
//! `CONSOLE` service binding (README, "Two workers").

mod alerts;
mod cascades;
mod link_list;
mod live;
mod migrate;
mod qr;
mod sites;
mod stats;

use crate::edge::app::App;
use crate::edge::pipeline::alert_delivery;
use crate::edge::pipeline::cleanup;
use crate::edge::pipeline::consumer;
use crate::edge::pipeline::faults;
use crate::edge::http;

use crate::{Error, Result};
use worker::{event, Context, Env, MessageBatch, Method, Request, Response, ScheduleContext, ScheduledEvent};

/// Every request the hot worker passes on.
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let app = App::new(env);
    let path = req.path();
    let method = req.method();
    Ok(route(&app, req, &method, &path).await.unwrap_or_else(|e| http::error_response(&e)))
}

async fn route(app: &App, req: Request, method: &Method, path: &str) -> Result<Response> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        (Method::Post, ["api", "sites"]) => sites::create(app, req).await,
        (Method::Delete, ["api", "links", code]) => link_list::delete(app, req, code).await,
        (Method::Get, ["api", "links"]) => link_list::list(app, req).await,
        (Method::Patch, ["api", "links", code]) => link_list::update(app, req, code).await,
        (Method::Get, ["api", "stats"]) => stats::report(app, req, stats::Format::Json).await,
        (Method::Get, ["api", "stats.csv"]) => stats::report(app, req, stats::Format::Csv).await,
        (Method::Get, ["api", "cascades", id]) => cascades::tree(app, req, id).await,
        (Method::Get, ["api", "live"]) => live::report(app, req).await,
        (Method::Get, ["api", "sites", id]) => alerts::show(app, req, id).await,
        (Method::Patch, ["api", "sites", id]) => alerts::patch(app, req, id).await,
        (Method::Post, ["api", "sites", id, "webhook", "test"]) => alerts::test(app, req, id).await,
        (Method::Post, ["api", "admin", "migrate"]) => migrate::run(app, req).await,
        (Method::Get, ["api", "health"]) => Ok(http::json(200, &serde_json::json!({ "ok": true }))),
        (Method::Get | Method::Head, [code, "qr.svg"]) => qr::image(app, req, code).await,
        (Method::Get, ["api", "_faults"]) => faults::handle(app, req, false).await,
        (Method::Put, ["api", "_faults"]) => faults::handle(app, req, true).await,
        (_, ["api", "sites" | "links" | "views" | "events" | "stats" | "stats.csv" | "health" | "live"])
        | (_, ["api", "links" | "sites" | "cascades", _])
        | (_, ["api", "sites", _, "webhook", "test"])
        | (_, ["api", "admin", "migrate"])
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

/// Daily clean-up (cron in the console's wrangler file): salts, then rows past retention (`pipeline/cleanup.rs`).
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
