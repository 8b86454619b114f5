//! A test-only switch that makes the queue consumer's store fail, so the fault tests can prove that
//! every accepted event still reaches the stats, exactly once, after storage recovers.
//!
//! It exists only where the `TEST_FAULTS` variable is `on` (scripts/test sets it; wrangler.toml
//! never does): elsewhere `PUT /api/_faults` is a 404 and the consumer never reads the switch.

use super::app::{storage, App};
use super::http::{bearer, empty, read_json};
use crate::crypto::constant_time_eq;
use crate::{Error, Result};
use serde::Deserialize;
use worker::{Request, Response};

const KEY: &str = "_faults/consumer";

/// What the consumer's store does this batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    None,
    /// Storage is down: the batch fails before writing anything.
    Fail,
    /// The write succeeds but the acknowledgement is lost: the batch is delivered again.
    FailAfterWrite,
}

impl Fault {
    pub fn before_write(self) -> Result<()> {
        if self == Fault::Fail { Err(Error::Storage("test fault: storage down".into())) } else { Ok(()) }
    }

    pub fn after_write(self) -> Result<()> {
        if self == Fault::FailAfterWrite { Err(Error::Storage("test fault: acknowledgement lost".into())) } else { Ok(()) }
    }
}

fn enabled(app: &App) -> bool {
    app.env.var("TEST_FAULTS").is_ok_and(|v| v.to_string() == "on")
}

/// The fault in force for the consumer (always `None` outside tests).
pub async fn consumer_fault(app: &App) -> Fault {
    if !enabled(app) {
        return Fault::None;
    }
    let Ok(kv) = app.kv() else { return Fault::None };
    match kv.get(KEY).text().await {
        Ok(Some(text)) => serde_json::from_str(&text).unwrap_or(Fault::None),
        _ => Fault::None,
    }
}

/// `PUT /api/_faults` (admin token, tests only) with `{"consumer": "none" | "fail" | "fail_after_write"}` → 204.
pub async fn set(app: &App, mut req: Request) -> Result<Response> {
    if !enabled(app) {
        return Err(Error::NotFound);
    }
    let presented = bearer(&req).ok_or(Error::MissingToken)?;
    if !constant_time_eq(presented.as_bytes(), app.admin_token()?.as_bytes()) {
        return Err(Error::BadToken);
    }
    #[derive(Deserialize)]
    struct Body {
        consumer: Fault,
    }
    let body: Body = read_json(&mut req).await?;
    let kv = app.kv()?;
    kv.put(KEY, serde_json::to_string(&body.consumer).map_err(|e| Error::Storage(e.to_string()))?).map_err(storage)?.execute().await.map_err(storage)?;
    Ok(empty(204))
}
