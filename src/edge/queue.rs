//! The producer side of the counting pipeline: a request's events go to the `EVENTS` queue as one
//! JSON message. Sending is the request path's only write for counts; D1 is never awaited there.

use super::app::{storage, App};
use crate::event::Event;
use crate::{Error, Result};

/// Sends one request's events (nothing when there are none).
///
/// # Errors
/// `Error::Config` without the binding; `Error::Storage` when the queue refuses the message.
pub async fn send(app: &App, events: &[Event]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let queue = app.env.queue("EVENTS").map_err(|_| Error::Config("queue binding EVENTS is missing"))?;
    let body = serde_json::to_string(events).map_err(|e| Error::Storage(e.to_string()))?;
    queue.send(body).await.map_err(storage)
}
