//! The consumer side of the counting pipeline: a batch of up to 10 messages (100 events) becomes
//! one read of its keys and one D1 transaction (see `counting`; each message's events stay
//! together, since its page views and copies share one key); a batch of page views and copies
//! alone, just the transaction. Delivery is at-least-once; the keys make a redelivered batch count
//! once. A batch that fails is retried with a growing delay; after `max_retries` (wrangler.toml)
//! the queue moves it to the dead-letter queue (README: replaying it).

use crate::edge::app::App;
use crate::edge::pipeline::faults::{self, Fault};
use crate::edge::pipeline::alert_check;
use crate::edge::site::count_store;
use crate::cascade::NodeIds;
use crate::counting::{self, Reads};
use crate::event;
use crate::Result;
use worker::{MessageBatch, MessageExt, QueueRetryOptionsBuilder};

/// Longest wait before a failed batch is tried again (seconds).
const MAX_RETRY_DELAY_S: u32 = 300;

/// Counts one batch; every message is acknowledged or retried, none is left undecided.
pub async fn run(app: &App, batch: MessageBatch<String>) {
    let messages = match batch.messages() {
        Ok(messages) => messages,
        Err(e) => {
            worker::console_error!("queue batch unreadable: {}", e);
            batch.retry_all();
            return;
        }
    };
    let mut decoded: Vec<counting::Message> = Vec::new();
    for message in &messages {
        match event::decode(message.body()) {
            Ok(list) => decoded.push(list),
            // A message that is not ours can never succeed: log it, never retry it.
            Err(e) => worker::console_error!("dropping an unreadable event message {}: {}", message.id(), e),
        }
    }
    match count(app, &decoded).await {
        Ok(()) => {
            batch.ack_all();
            // After the counts are safe: a slow or failing alert check cannot undo or delay them.
            alert_check::run(app, &decoded.concat()).await;
        }
        Err(e) => {
            // The delay grows with the age of the oldest message: about doubling per attempt.
            let oldest_ms = messages.iter().map(|m| m.timestamp().as_millis() as i64).min().unwrap_or(app.now_ms);
            let age_s = ((app.now_ms - oldest_ms) / 1000).clamp(1, i64::from(MAX_RETRY_DELAY_S)) as u32;
            worker::console_error!("counting a batch of {} messages failed, retrying in {} s: {} ({})", decoded.len(), age_s, e.code(), e);
            batch.retry_all_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(age_s).build());
        }
    }
}

/// Reads the batch's keys, settles it, writes it. A batch of page views and copies alone is first
/// written without the read (`Keys::only_redelivery`): one D1 round trip instead of two, and a
/// write that fails on a key already there changes nothing before the batch is read after all.
async fn count(app: &App, events: &[counting::Message]) -> Result<()> {
    let fault = faults::consumer_fault(app).await;
    faults::inject(app, fault, Fault::Fail).await?;
    let db = app.db()?;
    let secret = app.signing_secret()?;
    let ids = NodeIds::new(&secret);
    let keys = counting::keys(events);
    let unread = keys.only_redelivery() && count_store::write(&db, &counting::settle(events, &Reads::default()), &ids).await.is_ok();
    if !unread {
        let write = counting::settle(events, &count_store::read(&db, &keys).await?);
        count_store::write(&db, &write, &ids).await?;
    }
    faults::inject(app, fault, Fault::FailAfterWrite).await
}
