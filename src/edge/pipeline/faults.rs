//! A test-only switch that makes the queue consumer's store fail, so the fault tests can prove that
//! every accepted event still reaches the stats, exactly once, after storage recovers.
//!
//! It exists only where the `TEST_FAULTS` variable is `on` (scripts/test sets it; wrangler.toml
//! never does): elsewhere `/api/_faults` is a 404 and the consumer never reads the switch.

use crate::edge::app::{storage, App};
use crate::edge::http::{bearer, json, read_json};
use crate::crypto::constant_time_eq;
use crate::{Error, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Request, Response};

const FAULT_KEY: &str = "_faults/consumer";
const FAILED_KEY: &str = "_faults/failed_batches";

/// What the consumer's store does this batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    None,
    /// Storage is down: the batch fails before writing anything.
    Fail,
    /// The write succeeds but the acknowledgement is lost: the batch is delivered again.
    FailAfterWrite,
    /// The site's object dies (restarts) after half of the batch's statements ran.
    Abort,
}

impl Fault {
    /// What the site's object itself is told to do (`edge/site/count.rs`), if anything.
    pub fn in_object(self) -> Option<String> {
        match self {
            Fault::Fail => Some("fail".into()),
            Fault::Abort => Some("abort".into()),
            Fault::None | Fault::FailAfterWrite => None,
        }
    }
}

/// The fault in force and the one site it is aimed at (`None`: every site).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Armed {
    pub consumer: Fault,
    #[serde(default)]
    pub site: Option<String>,
}

impl Armed {
    /// The fault for `site`'s part of a batch.
    pub fn for_site(&self, site: &str) -> Fault {
        if self.site.as_deref().is_none_or(|s| s == site) { self.consumer } else { Fault::None }
    }
}

fn enabled(app: &App) -> bool {
    app.env.var("TEST_FAULTS").is_ok_and(|v| v.to_string() == "on")
}

async fn read<T: DeserializeOwned>(app: &App, key: &str) -> Option<T> {
    let text = app.kv().ok()?.get(key).text().await.ok()??;
    serde_json::from_str(&text).ok()
}

async fn write<T: Serialize>(app: &App, key: &str, value: &T) -> Result<()> {
    let text = serde_json::to_string(value).map_err(|e| Error::Storage(e.to_string()))?;
    app.kv()?.put_bytes(key, text.as_bytes()).map_err(storage)?.execute().await.map_err(storage)
}

/// The fault in force for one consumer batch (always `None` outside tests).
pub async fn consumer_fault(app: &App) -> Armed {
    let none = Armed { consumer: Fault::None, site: None };
    if !enabled(app) {
        return none;
    }
    read(app, FAULT_KEY).await.unwrap_or(none)
}

/// Counts one failure the tests caused, for them to see.
pub async fn record_failure(app: &App) {
    let failed: u64 = read(app, FAILED_KEY).await.unwrap_or(0);
    let _ = write(app, FAILED_KEY, &(failed + 1)).await;
}

#[derive(Serialize, Deserialize)]
struct Status {
    consumer: Fault,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    failed_batches: u64,
}

/// `GET /api/_faults` (admin token, tests only) → `{"consumer", "failed_batches"}`;
/// `PUT /api/_faults` with `{"consumer": "none" | "fail" | "fail_after_write" | "abort", "site"?}`
/// → the same (`site`: only that site's object fails).
pub async fn handle(app: &App, req: Request, put: bool) -> Result<Response> {
    if !enabled(app) {
        return Err(Error::NotFound);
    }
    let presented = bearer(&req).ok_or(Error::MissingToken)?;
    if !constant_time_eq(presented.as_bytes(), app.admin_token()?.as_bytes()) {
        return Err(Error::BadToken);
    }
    if put {
        let body: Status = read_json(req.inner()).await?;
        write(app, FAULT_KEY, &Armed { consumer: body.consumer, site: body.site }).await?;
    }
    let armed = consumer_fault(app).await;
    let status = Status { consumer: armed.consumer, site: armed.site, failed_batches: read(app, FAILED_KEY).await.unwrap_or(0) };
    Ok(json(200, &status))
}
