//! After a consumer batch is written: did it push a page over its site's alert threshold? Each due
//! (site, page, day) is claimed once in D1 and queued on `ALERTS`; delivery happens there, so a slow
//! or failing webhook never holds up counting. A failure here is logged, never retried: the batch's
//! counts are already written, and the next batch that touches the page checks it again.

use crate::edge::app::App;
use crate::edge::site::alert_store;
use crate::edge::site::live_store;
use crate::alert::{self, AlertMessage, AlertSettings, Payload};
use crate::event::{minute_of_ms, Event, MINUTES_PER_DAY};
use crate::{Error, Result};

/// Pages checked per batch at most: a batch touching more (a flood of distinct pages) checks the
/// first ones now and the rest with their next clicks.
const MAX_PAGES_PER_BATCH: usize = 50;

/// Checks the pages `events` clicked; logs instead of failing.
pub async fn run(app: &App, events: &[Event]) {
    if let Err(e) = check(app, events).await {
        worker::console_error!("alert check failed: {} ({})", e.code(), e);
    }
}

async fn check(app: &App, events: &[Event]) -> Result<()> {
    let pages = alert::pages_to_check(events);
    if pages.is_empty() {
        return Ok(());
    }
    let db = app.db()?;
    let now_minute = minute_of_ms(app.now_ms);
    let day = now_minute.div_euclid(MINUTES_PER_DAY);
    // Each site's settings, read once per batch (a batch rarely spans more than a few sites).
    let mut settings: Vec<(String, AlertSettings)> = Vec::new();
    for (site, page) in pages.into_iter().take(MAX_PAGES_PER_BATCH) {
        if !settings.iter().any(|(s, _)| *s == site) {
            settings.push((site.clone(), alert_store::load(&db, &site).await?));
        }
        let threshold = settings.iter().find(|(s, _)| *s == site).and_then(|(_, s)| s.webhook.as_ref().map(|_| s.clicks_per_hour));
        let Some(threshold) = threshold else { continue };
        let hour = live_store::last_hour(&db, &site, &page, now_minute).await?;
        if !alert::is_due(hour.clicks, threshold) || !alert_store::claim(&db, &site, &page, day).await? {
            continue;
        }
        let message = AlertMessage { body: Payload::new(&site, &page, &hour).body(), site, page, day, attempt: 1 };
        if let Err(e) = enqueue(app, &message, 0).await {
            // Give the claim back so that the page's next click tries again.
            alert_store::release(&db, &message.site, &message.page, day).await?;
            return Err(e);
        }
    }
    Ok(())
}

/// Puts an alert on the `ALERTS` queue, delivered after `delay_seconds`.
pub async fn enqueue(app: &App, message: &AlertMessage, delay_seconds: u32) -> Result<()> {
    let queue = app.env.queue("ALERTS").map_err(|_| Error::Config("queue binding ALERTS is missing"))?;
    let body = serde_json::to_string(message).map_err(|e| Error::Storage(e.to_string()))?;
    let send = worker::MessageBuilder::new(body).delay_seconds(delay_seconds).build();
    queue.send(send).await.map_err(crate::edge::app::storage)
}
