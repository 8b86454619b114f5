//! The producer side of the counting pipeline. A request's events go to this isolate's outbox and
//! the request's `waitUntil` waits a few milliseconds, then sends whatever the outbox holds by then
//! (its own events and those of requests that came meanwhile), `EVENTS_PER_MESSAGE` to a message.
//! A request that finds the outbox already emptied by another has nothing left to do.
//!
//! Why coalesce: a queue bills and limits per message (Cloudflare Queues: 5,000 messages/s per
//! queue), so ten events per message carry ten times the events for the same cost and ceiling; and a
//! request whose counting leaves in `waitUntil` answers without waiting for the queue at all. Each
//! request awaits only its own timer and its own send (the runtime cancels work that waits on
//! another request's promise). Every event has a de-duplication key, so sending again after a
//! failure never counts twice.

use super::app::App;
use crate::event::{self, Event};
use crate::{Error, Result};
use std::cell::RefCell;
use std::time::Duration;
use worker::{Context, Delay, Queue};

/// How long a request's events wait in the outbox for others to join them.
const FLUSH_AFTER_MS: u64 = 20;
/// Events per queue message. The consumer takes 10 messages a batch (scripts/console.wrangler.toml):
/// at most 100 events, whose statements stay within D1's 1,000 queries per invocation.
pub const EVENTS_PER_MESSAGE: usize = 10;
/// A send that fails is tried once more after this long (it is idempotent).
const RETRY_AFTER_MS: u64 = 250;

thread_local! {
    static OUTBOX: RefCell<Vec<Event>> = const { RefCell::new(Vec::new()) };
}

fn queue(app: &App) -> Result<Queue> {
    app.env.queue("EVENTS").map_err(|_| Error::Config("queue binding EVENTS is missing"))
}

/// Sends `events` now, as their own messages, and waits until the queue has them (link creation,
/// which must not answer before its share is queued).
///
/// # Errors
/// `Error::Config` without the binding; `Error::Storage` when the queue refused them twice.
pub async fn send(app: &App, events: Vec<Event>) -> Result<()> {
    deliver(&queue(app)?, &events).await
}

/// Counts a request's events after it has been answered (`waitUntil`), coalesced with the other
/// requests' events of the next few milliseconds; a failure is logged.
pub fn send_later(app: &App, ctx: &Context, events: Vec<Event>) {
    let app = app.clone();
    ctx.wait_until(async move { log(coalesce(&app, events).await) });
}

/// Puts `events` in the outbox, waits, and sends what the outbox holds then.
pub async fn coalesce(app: &App, events: Vec<Event>) -> Result<()> {
    let queue = queue(app)?;
    OUTBOX.with(|outbox| outbox.borrow_mut().extend(events));
    Delay::from(Duration::from_millis(FLUSH_AFTER_MS)).await;
    let due = OUTBOX.with(|outbox| std::mem::take(&mut *outbox.borrow_mut()));
    deliver(&queue, &due).await
}

/// Work in `waitUntil` has nobody to answer; its failures go to the log (no IPs, no tokens).
pub fn log(result: Result<()>) {
    if let Err(e) = result {
        worker::console_error!("counting events could not be queued: {} ({})", e.code(), e);
    }
}

/// Sends `events`, ten to a message and at most 100 messages per send, trying once more on failure.
async fn deliver(queue: &Queue, events: &[Event]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let messages: Vec<String> = events.chunks(EVENTS_PER_MESSAGE).map(event::encode).collect();
    if send_all(queue, &messages).await.is_ok() {
        return Ok(());
    }
    Delay::from(Duration::from_millis(RETRY_AFTER_MS)).await;
    send_all(queue, &messages).await.map_err(|e| Error::Storage(format!("the queue refused {} events: {e}", events.len())))
}

async fn send_all(queue: &Queue, messages: &[String]) -> worker::Result<()> {
    for batch in messages.chunks(100) {
        queue.send_batch(batch.to_vec()).await?;
    }
    Ok(())
}
