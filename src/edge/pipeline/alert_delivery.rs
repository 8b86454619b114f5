//! The `ALERTS` queue's consumer: POSTs each alert, signed, to its site's webhook. A failed delivery
//! (unreachable, or not 2xx) is sent again as the next attempt after `alert::retry_delay_seconds`
//! (5 s, 30 s, 3 min, 18 min, 1 h) and dropped, logged, after `alert::MAX_ATTEMPTS`.

use crate::edge::pipeline::alert_check::enqueue;
use crate::edge::store::alert_store;
use crate::edge::app::App;
use crate::alert::{retry_delay_seconds, signature, AlertMessage, WebhookUrl, SIGNATURE_HEADER};
use worker::wasm_bindgen::JsValue;
use worker::worker_sys::web_sys;
use worker::{Fetch, MessageBatch, MessageExt, Request};

/// The queue's name (`[[queues.consumers]]` in wrangler.toml): how the one queue handler tells
/// alert batches from event batches.
pub const QUEUE: &str = "darkshare-alerts";

/// Delivers one batch; every message ends acknowledged (delivered, rescheduled or given up) or,
/// when even rescheduling failed, retried by the queue.
pub async fn run(app: &App, batch: MessageBatch<String>) {
    let messages = match batch.messages() {
        Ok(messages) => messages,
        Err(e) => {
            worker::console_error!("alert batch unreadable: {}", e);
            batch.retry_all();
            return;
        }
    };
    for message in &messages {
        let Ok(alert) = serde_json::from_str::<AlertMessage>(message.body()) else {
            worker::console_error!("dropping an unreadable alert message {}", message.id());
            message.ack();
            continue;
        };
        match attempt(app, &alert).await {
            Ok(()) => message.ack(),
            Err(()) => match retry_delay_seconds(alert.attempt) {
                Some(delay) => {
                    let next = AlertMessage { attempt: alert.attempt + 1, ..alert };
                    match enqueue(app, &next, delay).await {
                        Ok(()) => message.ack(),
                        Err(_) => message.retry(),
                    }
                }
                None => {
                    worker::console_error!("alert for {} {} dropped after {} attempts", alert.site, alert.page, alert.attempt);
                    message.ack();
                }
            },
        }
    }
}

/// One delivery: `Ok` when delivered or when there is nothing to deliver to (alerts turned off).
async fn attempt(app: &App, alert: &AlertMessage) -> Result<(), ()> {
    let settings = match app.db() {
        Ok(db) => alert_store::load(&db, &alert.site).await.map_err(|_| ())?,
        Err(_) => return Err(()),
    };
    let (Some(webhook), Some(secret)) = (&settings.webhook, &settings.secret) else { return Ok(()) };
    match deliver(webhook, secret, &alert.body).await {
        Some(status) if (200..300).contains(&status) => Ok(()),
        _ => Err(()),
    }
}

/// POSTs a signed body to a webhook; the receiver's status, or `None` when it was not reached.
///
/// Built on the runtime's own `RequestInit`: `worker::RequestInit` would bring its serializer for
/// every `cf` option into the upload, for a request that sets none.
pub async fn deliver(webhook: &WebhookUrl, secret: &str, body: &str) -> Option<u16> {
    let headers = web_sys::Headers::new().ok()?;
    headers.set("content-type", "application/json").ok()?;
    headers.set("user-agent", "darkshare-alerts").ok()?;
    headers.set(SIGNATURE_HEADER, &signature(secret, body)).ok()?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    let request = web_sys::Request::new_with_str_and_init(webhook.as_str(), &init).ok()?;
    Fetch::Request(Request::from(request)).send().await.ok().map(|r| r.status_code())
}
