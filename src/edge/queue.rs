//! The producer side of the counting pipeline. A request's events go to this isolate's outbox; a
//! few milliseconds later the outbox leaves for the `EVENTS` queue as few messages as possible
//! (`EVENTS_PER_MESSAGE` events each, up to 100 messages per send).
//!
//! Why coalesce: a queue bills and limits per message (Cloudflare Queues: 5,000 messages/s per
//! queue), so ten events per message carry ten times the events for the same cost and ceiling; and a
//! request whose counting leaves in `waitUntil` answers without waiting for the queue at all. Every
//! event has a de-duplication key, so sending a flush again after a failure never counts twice.

use super::app::App;
use crate::event::{self, Event};
use crate::{Error, Result};
use std::cell::RefCell;
use std::time::Duration;
use worker::js_sys::Promise;
use worker::wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::{future_to_promise, JsFuture};
use worker::{Context, Delay, Queue};

/// How long the outbox waits for more events before it leaves.
const FLUSH_AFTER_MS: u64 = 20;
/// Events per queue message: a consumer batch of 100 messages is then at most 1,000 events, which
/// stays within D1's statements per invocation.
pub const EVENTS_PER_MESSAGE: usize = 10;
/// A flush that fails is tried once more after this long (it is idempotent).
const RETRY_AFTER_MS: u64 = 250;

#[derive(Default)]
struct Outbox {
    events: Vec<Event>,
    /// The flush that will take the events now in the outbox.
    flush: Option<Promise>,
}

thread_local! {
    static OUTBOX: RefCell<Outbox> = RefCell::new(Outbox::default());
}

/// Sends a request's events and waits until the queue has them.
///
/// # Errors
/// `Error::Config` without the binding; `Error::Storage` when the queue refused them twice.
pub async fn send(app: &App, events: Vec<Event>) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let queue = app.env.queue("EVENTS").map_err(|_| Error::Config("queue binding EVENTS is missing"))?;
    let flush = OUTBOX.with(|outbox| {
        let mut outbox = outbox.borrow_mut();
        outbox.events.extend(events);
        outbox.flush.get_or_insert_with(|| future_to_promise(flush(queue))).clone()
    });
    JsFuture::from(flush).await.map(|_| ()).map_err(|e| Error::Storage(e.as_string().unwrap_or_else(|| "the queue refused the events".into())))
}

/// Sends a request's events after it has been answered (`waitUntil`); a failure is logged.
pub fn send_later(app: &App, ctx: &Context, events: Vec<Event>) {
    let app = app.clone();
    ctx.wait_until(async move { log(send(&app, events).await) });
}

/// Work in `waitUntil` has nobody to answer; its failures go to the log (no IPs, no tokens).
pub fn log(result: Result<()>) {
    if let Err(e) = result {
        worker::console_error!("counting events could not be queued: {} ({})", e.code(), e);
    }
}

/// Waits for more events, then takes the outbox and sends it.
async fn flush(queue: Queue) -> std::result::Result<JsValue, JsValue> {
    Delay::from(Duration::from_millis(FLUSH_AFTER_MS)).await;
    // Taking the events and clearing the pending flush happen together (no await in between), so
    // an event added from now on starts the next flush.
    let events = OUTBOX.with(|outbox| {
        let mut outbox = outbox.borrow_mut();
        outbox.flush = None;
        std::mem::take(&mut outbox.events)
    });
    let messages: Vec<String> = events.chunks(EVENTS_PER_MESSAGE).map(event::encode).collect();
    if deliver(&queue, &messages).await.is_err() {
        Delay::from(Duration::from_millis(RETRY_AFTER_MS)).await;
        deliver(&queue, &messages).await.map_err(|e| JsValue::from_str(&e.to_string()))?;
    }
    Ok(JsValue::UNDEFINED)
}

/// A queue takes at most 100 messages per send.
async fn deliver(queue: &Queue, messages: &[String]) -> worker::Result<()> {
    for batch in messages.chunks(100) {
        queue.send_batch(batch.to_vec()).await?;
    }
    Ok(())
}
