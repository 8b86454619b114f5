//! After a site's object has committed a batch: the alerts it found due (the check itself runs in
//! the object, against its minute rollups, and claims each (page, day) there once) go on the
//! `ALERTS` queue; delivery happens there, so a slow or failing webhook never holds up counting.
//! A failure here is logged, never retried: the counts are written, and the claim is given back so
//! that the page's next click tries again.

use crate::alert::AlertMessage;
use crate::edge::app::App;
use crate::edge::site::client::SiteObject;
use crate::site_protocol::AlertClaim;
use crate::{Error, Result};

/// Queues `alerts` (claimed by `site`'s object); logs instead of failing.
pub async fn queue_due(app: &App, site: &SiteObject, alerts: Vec<AlertMessage>) {
    for message in alerts {
        if let Err(e) = enqueue(app, &message, 0).await {
            worker::console_error!("alert not queued: {} ({})", e.code(), e);
            let claim = AlertClaim { page: message.page.clone(), day: message.day };
            if let Err(e) = site.post::<_, serde_json::Value>("/alerts/release", &claim).await {
                worker::console_error!("alert claim not released: {} ({})", e.code(), e);
            }
        }
    }
}

/// Puts an alert on the `ALERTS` queue, delivered after `delay_seconds`.
pub async fn enqueue(app: &App, message: &AlertMessage, delay_seconds: u32) -> Result<()> {
    let queue = app.env.queue("ALERTS").map_err(|_| Error::Config("queue binding ALERTS is missing"))?;
    let body = serde_json::to_string(message).map_err(|e| Error::Storage(e.to_string()))?;
    let send = worker::MessageBuilder::new(body).delay_seconds(delay_seconds).build();
    queue.send(send).await.map_err(crate::edge::app::storage)
}
