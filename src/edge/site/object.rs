//! The `Site` Durable Object (issue 20): one per site, addressed by `id_from_name(site id)`, owning
//! that site's counting state in its own SQLite (schema: `crate::site_schema`, migrated here on
//! first use). It is the console worker's only way to a site's counts: the queue consumer sends
//! it each batch's events (`POST /count`), every report reads through it, and its alarm runs the
//! daily clean-up. The protocol is `crate::site_protocol`; errors answer as the API's JSON errors.
//!
//! An object runs one event at a time up to its first `await`, and every handler here does its
//! SQLite work synchronously, so reads and writes of different calls never interleave.

use super::{count, db, reports, retention};
use crate::cascade::CascadeTree;
use crate::edge::http::{error_response, json, with_type};
use crate::live;
use crate::site_import::table;
use crate::site_protocol::{AlertClaim, CountRequest, ImportAnswer, ImportChunk, SizeAnswer};
use crate::stats::{self, Period};
use crate::time::Day;
use crate::{Error, Result};
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;
use worker::{durable_object, DurableObject, Env, Method, Request, Response, State};

#[durable_object(alarm)]
pub struct Site {
    state: State,
    env: Env,
    /// Whether this instance has migrated its schema and set its alarm.
    ready: Rc<Cell<bool>>,
}

impl DurableObject for Site {
    fn new(state: State, env: Env) -> Self {
        Site { state, env, ready: Rc::new(Cell::new(false)) }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        Ok(self.route(req).await.unwrap_or_else(|e| error_response(&e)))
    }

    /// The daily clean-up, then the next night's alarm.
    async fn alarm(&self) -> worker::Result<Response> {
        let now_ms = worker::js_sys::Date::now() as i64;
        let storage = self.state.storage();
        if let Err(e) = db::migrate(&storage).and_then(|_| retention::run(&storage.sql(), Day::from_ms(now_ms))) {
            worker::console_error!("site clean-up failed: {} ({})", e.code(), e);
        }
        storage.set_alarm(retention::next_alarm_ms(now_ms)).await?;
        Response::ok("")
    }
}

/// The query parameter `name` of `url`.
fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn number(url: &url::Url, name: &str) -> Result<i64> {
    param(url, name).and_then(|v| v.parse().ok()).ok_or_else(|| Error::BadField { field: "query", reason: format!("{name} is missing") })
}

async fn body<T: DeserializeOwned>(req: &mut Request) -> Result<T> {
    let text = req.text().await.map_err(|e| Error::BadJson(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| Error::BadJson(e.to_string()))
}

impl Site {
    /// Migrates the schema and sets the clean-up alarm, once per instance.
    async fn prepare(&self) -> Result<()> {
        if self.ready.get() {
            return Ok(());
        }
        let storage = self.state.storage();
        db::migrate(&storage)?;
        if storage.get_alarm().await.map_err(crate::edge::app::storage)?.is_none() {
            let now_ms = worker::js_sys::Date::now() as i64;
            storage.set_alarm(retention::next_alarm_ms(now_ms)).await.map_err(crate::edge::app::storage)?;
        }
        self.ready.set(true);
        Ok(())
    }

    /// Whether test faults are on (`TEST_FAULTS=on`, scripts/test only).
    fn faults_enabled(&self) -> bool {
        self.env.var("TEST_FAULTS").is_ok_and(|v| v.to_string() == "on")
    }

    async fn route(&self, mut req: Request) -> Result<Response> {
        self.prepare().await?;
        let url = req.url().map_err(|_| Error::NotFound)?;
        let site = param(&url, "site").ok_or(Error::UnknownSite)?;
        let sql = self.state.storage().sql();
        match (req.method(), url.path()) {
            (Method::Post, "/count") => {
                let request: CountRequest = body(&mut req).await?;
                let fault = match request.fault.as_deref() {
                    Some("fail") if self.faults_enabled() => Some(count::ObjectFault::Fail),
                    Some("abort") if self.faults_enabled() => Some(count::ObjectFault::Abort),
                    _ => None,
                };
                let secret = self.env.secret("SIGNING_SECRET").map(|s| s.to_string().into_bytes()).map_err(|_| Error::Config("SIGNING_SECRET is missing"))?;
                // The object "dies" mid-batch: its transaction ends in an exception, as it does
                // when the runtime tears an object down, and this instance forgets what it knew,
                // so the next call starts as a fresh instance would. (`ctx.abort()` itself cannot
                // be used locally: wrangler dev runs the object in the console worker's isolate,
                // and an abort there hangs the console too.)
                let ready = self.ready.clone();
                let abort = move || {
                    ready.set(false);
                    Err(Error::Storage("test fault: object restarted mid-batch".into()))
                };
                let answer = count::count(&self.state.storage(), &site, secret, request, fault, abort)?;
                Ok(json(200, &answer))
            }
            (Method::Get, "/stats") => {
                let period = Period { from: Day(number(&url, "from")?), to: Day(number(&url, "to")?) };
                let csv = param(&url, "format").as_deref() == Some("csv");
                let rollups = reports::rollups(&sql, &site, period, !csv)?;
                Ok(if csv { with_type(200, stats::csv(&rollups), "text/csv; charset=utf-8") } else { json(200, &stats::report(&site, period, rollups)) })
            }
            (Method::Get, "/live") => {
                let minute = number(&url, "minute")?;
                Ok(json(200, &live::report(&site, minute, reports::live(&sql, &site, minute)?)))
            }
            (Method::Get, "/cascade") => {
                let id = param(&url, "id").unwrap_or_default();
                let (cascade, nodes) = reports::tree(&sql, &site, &id)?.ok_or(Error::UnknownCascade)?;
                Ok(json(200, &CascadeTree::new(cascade, nodes)))
            }
            (Method::Get, "/links") => {
                let rows = number(&url, "rows")?.clamp(1, 1000) as usize;
                let after = match (param(&url, "created_at").and_then(|v| v.parse().ok()), param(&url, "code")) {
                    (Some(created_at), Some(code)) => Some((created_at, code)),
                    _ => None,
                };
                Ok(json(200, &reports::link_page(&sql, &site, after, rows)?))
            }
            (Method::Get, "/link") => Ok(json(200, &reports::link(&sql, &site, &param(&url, "code").unwrap_or_default())?)),
            (Method::Post, "/alerts/release") => {
                let claim: AlertClaim = body(&mut req).await?;
                count::release(&self.state.storage(), &site, &claim.page, claim.day)?;
                Ok(json(200, &serde_json::json!({ "released": true })))
            }
            (Method::Post, "/import") => {
                let chunk: ImportChunk = body(&mut req).await?;
                let copied = table(&chunk.table).ok_or(Error::NotFound)?;
                Ok(json(200, &ImportAnswer { copied: super::import::chunk(&self.state.storage(), &site, copied, chunk)? }))
            }
            // The alarm's clean-up on demand, for `today` (tests; the alarm runs it nightly).
            (Method::Post, "/clean") => {
                retention::run(&sql, Day(number(&url, "today")?))?;
                Ok(json(200, &serde_json::json!({ "cleaned": true })))
            }
            (Method::Get, "/size") => {
                let version = db::migrate(&self.state.storage())?;
                Ok(json(200, &SizeAnswer { bytes: sql.database_size() as u64, schema_version: version }))
            }
            _ => Err(Error::NotFound),
        }
    }
}
