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
pub async fn consumer_fault(app: &App) -> Fault {
    if !enabled(app) {
        return Fault::None;
    }
    read(app, FAULT_KEY).await.unwrap_or(Fault::None)
}

/// Fails the batch at `stage` if the fault says so, counting the failure for the tests to see.
pub async fn inject(app: &App, fault: Fault, stage: Fault) -> Result<()> {
    if fault == Fault::None || fault != stage {
        return Ok(());
    }
    let failed: u64 = read(app, FAILED_KEY).await.unwrap_or(0);
    let _ = write(app, FAILED_KEY, &(failed + 1)).await;
    Err(Error::Storage(format!("test fault: {}", if stage == Fault::Fail { "storage down" } else { "acknowledgement lost" })))
}

#[derive(Serialize, Deserialize)]
struct Status {
    consumer: Fault,
    #[serde(default)]
    failed_batches: u64,
}

/// `GET /api/_faults` (admin token, tests only) → `{"consumer", "failed_batches"}`;
/// `PUT /api/_faults` with `{"consumer": "none" | "fail" | "fail_after_write"}` → the same.
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
        write(app, FAULT_KEY, &body.consumer).await?;
    }
    let status = Status { consumer: read(app, FAULT_KEY).await.unwrap_or(Fault::None), failed_batches: read(app, FAILED_KEY).await.unwrap_or(0) };
    Ok(json(200, &status))
}
