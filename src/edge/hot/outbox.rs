//! The producer side of the counting pipeline. A request's events go to this isolate's outbox; the
//! request that finds the outbox empty opens it and, in its `waitUntil`, sends whatever it holds a
//! tenth of a second later (its own events and those of every request that came meanwhile),
//! `EVENTS_PER_MESSAGE` to a message. The requests that join an open outbox have nothing to wait
//! for; one that fills it to `MAX_OUTBOX_EVENTS` sends it at once.
//!
//! Why coalesce: a queue bills and limits per message (Cloudflare Queues: 5,000 messages/s per
//! queue), so ten events per message carry ten times the events for the same cost and ceiling; and a
//! request whose counting leaves in `waitUntil` answers without waiting for the queue at all.
//! Why only the opener waits: when every request armed its own timer, each timer found just the
//! events of the last millisecond, so at a steady rate every request still paid a send of its own
//! (measured: a view's one-connection p50 1.1 ms against 0.6 ms with one flush per window). A request
//! awaits only its own timer and its own send (the runtime cancels work that waits on another
//! request's promise). Every event has a de-duplication key, so sending again after a failure never
//! counts twice.

use crate::edge::app::App;
use crate::event::{self, Event};
use crate::{Error, Result};
use std::cell::RefCell;
use std::future::Future;
use std::time::Duration;
use worker::{Context, Delay, Queue};

/// How long the outbox stays open for other requests' events to join. Every send is work for the
/// queue and, locally, on the requests' own thread: at 20 ms a view's one-connection p50 was
/// 0.022 ms higher than at 100 ms (`benches/views.mjs`, 15 rounds), and a tenth of a second is
/// nothing to counts read by the minute.
const FLUSH_AFTER_MS: u64 = 100;
/// An outbox this full is sent at once: ten full messages, one consumer batch.
const MAX_OUTBOX_EVENTS: usize = 100;
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

/// Counts a request's events after it has been answered: they join the outbox, and this request's
/// `waitUntil` sends it when this request opened it (or filled it). A failure is logged.
pub fn send_later(app: &App, ctx: &Context, events: Vec<Event>) {
    if let Some(flush) = enqueue(app, events) {
        ctx.wait_until(async move { log(flush.await) });
    }
}

/// Puts `events` in the outbox. Returns the flush the caller must run (in its `waitUntil`) when it
/// opened the outbox (wait, then send what it holds) or filled it (send now); `None` when an open
/// outbox's flush will carry them.
fn enqueue(app: &App, events: Vec<Event>) -> Option<impl Future<Output = Result<()>>> {
    let (opened, full) = OUTBOX.with(|outbox| {
        let mut outbox = outbox.borrow_mut();
        let opened = outbox.is_empty() && !events.is_empty();
        outbox.extend(events);
        (opened, outbox.len() >= MAX_OUTBOX_EVENTS)
    });
    if !opened && !full {
        return None;
    }
    let app = app.clone();
    Some(async move {
        if !full {
            Delay::from(Duration::from_millis(FLUSH_AFTER_MS)).await;
        }
        // Taken before anything can fail: an outbox left full with no flush pending would never
        // be sent and never stop growing.
        let due = OUTBOX.with(|outbox| std::mem::take(&mut *outbox.borrow_mut()));
        deliver(&queue(&app)?, &due).await
    })
}

/// `enqueue` for work already running in `waitUntil`: runs the flush when it is this caller's.
pub async fn coalesce(app: &App, events: Vec<Event>) -> Result<()> {
    match enqueue(app, events) {
        Some(flush) => flush.await,
        None => Ok(()),
    }
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
