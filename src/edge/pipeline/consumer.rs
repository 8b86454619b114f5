//! The consumer side of the counting pipeline (issue 20): a batch of up to 10 messages (100 events)
//! is split by site, and each site's events go to that site's object (`edge/site/`) in one call,
//! all sites at once. The object reads its keys, settles and writes in one transaction of its own
//! SQLite (`edge/site/count.rs`), so a site's counts never wait for another site's and no shared
//! database sets a ceiling.
//!
//! A message is acknowledged once every site it held events of has committed; a site that failed
//! has its messages retried with a growing delay, and only those (a message that also held another
//! site's events is counted there again, which its keys make a no-op). Delivery is at-least-once;
//! the keys live in each site's object, so a redelivered batch counts once. After `max_retries`
//! (scripts/console.wrangler.toml) the queue moves a message to the dead-letter queue.

use crate::edge::app::App;
use crate::edge::join::all;
use crate::edge::pipeline::{alert_check, install_check};
use crate::edge::pipeline::faults::{self, Armed, Fault};
use crate::edge::store::alert_store;
use crate::edge::site::client::SiteObject;
use crate::event::{self, Event};
use crate::site_protocol::{by_site, CountAnswer, CountRequest};
use crate::{Error, Result};
use worker::{Message, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

/// Longest wait before a failed message is tried again (seconds).
const MAX_RETRY_DELAY_S: u32 = 300;

/// One site's part of the batch: the messages it came from and its events of each.
struct SitePart {
    site: String,
    messages: Vec<usize>,
    events: Vec<Vec<Event>>,
}

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
    let mut parts: Vec<SitePart> = Vec::new();
    for (index, message) in messages.iter().enumerate() {
        match event::decode(message.body()) {
            Ok(events) => {
                for (site, events) in by_site(events) {
                    match parts.iter_mut().find(|p| p.site == site) {
                        Some(part) => {
                            part.messages.push(index);
                            part.events.push(events);
                        }
                        None => parts.push(SitePart { site, messages: vec![index], events: vec![events] }),
                    }
                }
            }
            // A message that is not ours can never succeed: log it, never retry it.
            Err(e) => worker::console_error!("dropping an unreadable event message {}: {}", message.id(), e),
        }
    }
    let armed = faults::consumer_fault(app).await;
    let results = all(parts.iter().map(|part| count(app, part, &armed)).collect()).await;
    let mut failed = vec![false; messages.len()];
    for (part, result) in parts.iter().zip(&results) {
        if let Err(e) = result {
            worker::console_error!("counting {} messages of one site failed: {} ({})", part.messages.len(), e.code(), e);
            for &index in &part.messages {
                failed[index] = true;
            }
        }
    }
    for (message, failed) in messages.iter().zip(failed) {
        if failed {
            message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(retry_delay(app, message)).build());
        } else {
            message.ack();
        }
    }
    // After the counts are safe: the hosts the counted views came from (the console's install check).
    let counted: Vec<Event> = parts.iter().zip(&results).filter(|(_, r)| r.is_ok()).flat_map(|(p, _)| p.events.iter().flatten().cloned()).collect();
    install_check::run(app, &counted).await;
}

/// The delay grows with the message's age: about doubling per attempt.
fn retry_delay(app: &App, message: &Message<String>) -> u32 {
    let age_s = (app.now_ms - message.timestamp().as_millis() as i64) / 1000;
    age_s.clamp(1, i64::from(MAX_RETRY_DELAY_S)) as u32
}

/// One site's part, in one call to its object; then the alerts it found due are queued.
async fn count(app: &App, part: &SitePart, armed: &Armed) -> Result<()> {
    let fault = armed.for_site(&part.site);
    let object = SiteObject::of(app, &part.site)?;
    // The threshold only matters for a part with a click: only then is the registry read.
    let clicked = part.events.iter().flatten().any(|e| matches!(e, Event::Click(_)));
    let alert_threshold = if clicked {
        let settings = alert_store::load(&app.db()?, &part.site).await?;
        settings.webhook.as_ref().map(|_| settings.clicks_per_hour)
    } else {
        None
    };
    let request = CountRequest { messages: part.events.iter().map(|e| event::encode(e)).collect(), alert_threshold, now_ms: app.now_ms, fault: fault.in_object() };
    let answer: CountAnswer = match object.post("/count", &request).await {
        Ok(answer) => answer,
        Err(e) => {
            if fault != Fault::None {
                faults::record_failure(app).await;
            }
            return Err(e);
        }
    };
    if fault == Fault::FailAfterWrite {
        // Written, but the acknowledgement is "lost": the messages come back.
        faults::record_failure(app).await;
        return Err(Error::Storage("test fault: acknowledgement lost".into()));
    }
    // After the counts are safe: a slow or failing alert queue cannot undo or delay them.
    alert_check::queue_due(app, &object, answer.alerts).await;
    Ok(())
}
