//! Alert settings and deliveries: `GET|PATCH /api/sites/{id}`, `POST /api/sites/{id}/webhook/test`,
//! (deliveries: `pipeline/alert_delivery.rs`).

use crate::edge::app::{random_token, App};
use crate::edge::http::{bearer, json, read_json};
use crate::edge::pipeline::alert_delivery::deliver;
use crate::edge::site::alert_store;
use crate::edge::store::sites;
use crate::alert::{AlertSettings, Payload, SitePatch, WebhookUrl};
use crate::crypto::constant_time_eq;
use crate::site::Site;
use crate::{Error, Result};
use serde::Serialize;
use worker::{Request, Response};

/// The site as `GET|PATCH /api/sites/{id}` answer it: never its stats token.
#[derive(Serialize)]
struct SiteView<'a> {
    id: &'a str,
    name: &'a str,
    hosts: Vec<String>,
    webhook: Option<&'a str>,
    alert_clicks_per_hour: u32,
    /// Only in the answer that first sets a webhook.
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_secret: Option<String>,
}

fn view<'a>(site: &'a Site, settings: &'a AlertSettings, webhook_secret: Option<String>) -> SiteView<'a> {
    SiteView {
        id: site.id.as_str(),
        name: &site.name,
        hosts: site.host_texts(),
        webhook: settings.webhook.as_ref().map(WebhookUrl::as_str),
        alert_clicks_per_hour: settings.clicks_per_hour,
        webhook_secret,
    }
}

/// The site's stats token or the admin token.
async fn authorize_owner(app: &App, req: &Request, site: &Site) -> Result<()> {
    if let (Some(presented), Ok(admin)) = (bearer(req), app.admin_token()) {
        if constant_time_eq(presented.as_bytes(), admin.as_bytes()) {
            return Ok(());
        }
    }
    sites::authorize(app, req, site).await
}

/// `GET /api/sites/{id}` → `200` the site with its alert settings.
pub async fn show(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load(app, id).await?;
    authorize_owner(app, &req, &site).await?;
    let settings = alert_store::load(&app.db()?, site.id.as_str()).await?;
    Ok(json(200, &view(&site, &settings, None)))
}

/// `PATCH /api/sites/{id}` → `200` the site; `webhook_secret` when this call first set a webhook.
pub async fn patch(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load(app, id).await?;
    authorize_owner(app, &req, &site).await?;
    let body: SitePatch = read_json(req.inner()).await?;
    let db = app.db()?;
    let current = alert_store::load(&db, site.id.as_str()).await?;
    let (next, shown) = current.apply(&body, &random_token("dsw_")?)?;
    alert_store::save(&db, site.id.as_str(), &next).await?;
    Ok(json(200, &view(&site, &next, shown)))
}

/// `POST /api/sites/{id}/webhook/test` → `200 {"delivered", "status"}`: one signed example alert,
/// sent now (not queued, not retried) so the settings form can tell at once whether it works.
pub async fn test(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load(app, id).await?;
    authorize_owner(app, &req, &site).await?;
    let settings = alert_store::load(&app.db()?, site.id.as_str()).await?;
    let (Some(webhook), Some(secret)) = (&settings.webhook, &settings.secret) else {
        return Err(Error::NoWebhook);
    };
    let status = deliver(webhook, secret, &Payload::test(site.id.as_str()).body()).await;
    #[derive(Serialize)]
    struct Tested {
        delivered: bool,
        /// The receiver's HTTP status; `null` when it could not be reached.
        status: Option<u16>,
    }
    Ok(json(200, &Tested { delivered: status.is_some_and(|s| (200..300).contains(&s)), status }))
}
