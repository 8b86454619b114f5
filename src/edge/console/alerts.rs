//! A site's settings: `GET|PATCH /api/sites/{id}` (name and hosts with the admin token, alerts,
//! the install check), `POST /api/sites/{id}/webhook/test` (deliveries: `pipeline/alert_delivery.rs`).

use crate::edge::app::{random_token, App};
use crate::edge::http::{json, read_json};
use crate::edge::pipeline::alert_delivery::deliver;
use crate::edge::store::alert_store;
use crate::edge::store::registry::{self, Activity};
use crate::edge::store::{d1, sites, suffixes};
use crate::access::Need;
use crate::goal::{PageGoal, PageGoals};
use crate::alert::{AlertSettings, Payload, SitePatch, WebhookUrl};
use crate::site::{site_hosts, site_name, Site};
use crate::time::format_rfc3339_ms;
use crate::{Error, Result};
use serde::Serialize;
use worker::{Request, Response};

/// The site as `GET|PATCH /api/sites/{id}` answer it: never its stats token.
#[derive(Serialize)]
struct SiteView<'a> {
    id: &'a str,
    name: &'a str,
    hosts: Vec<String>,
    created_at: String,
    /// The latest view the install check saw (to the hour), RFC 3339.
    last_view_at: Option<String>,
    /// Hosts of views counted in the last 7 days (the install check).
    seen_hosts: Vec<String>,
    webhook: Option<&'a str>,
    alert_clicks_per_hour: u32,
    goals: &'a [PageGoal],
    /// Only in the answer that first sets a webhook.
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_secret: Option<String>,
}

fn view<'a>(site: &'a Site, activity: Activity, settings: &'a AlertSettings, goals: &'a PageGoals, webhook_secret: Option<String>) -> SiteView<'a> {
    SiteView {
        id: site.id.as_str(),
        name: &site.name,
        hosts: site.host_texts(),
        created_at: format_rfc3339_ms(activity.created_at),
        last_view_at: activity.last_view_at.map(format_rfc3339_ms),
        seen_hosts: activity.seen_hosts,
        webhook: settings.webhook.as_ref().map(WebhookUrl::as_str),
        alert_clicks_per_hour: settings.clicks_per_hour,
        goals: goals.list(),
        webhook_secret,
    }
}

/// `GET /api/sites/{id}` (admin or the site's stats token) → `200` the site with its install check
/// and alert settings.
pub async fn show(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load_for(app, &req, id, Need::Manage).await?;
    let db = app.db()?;
    let settings = alert_store::load(&db, site.id.as_str()).await?;
    let activity = registry::activity(&db, site.id.as_str(), app.now_ms).await?;
    Ok(json(200, &view(&site, activity, &settings, &site.goals, None)))
}

/// `PATCH /api/sites/{id}` → `200` the site; `webhook_secret` when this call first set a webhook.
/// `name` and `hosts` need the admin token (a stats token asking for them: `403 admin_only`); the
/// whole body is validated before the first write.
pub async fn patch(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load_for(app, &req, id, Need::Manage).await?;
    let body: SitePatch = read_json(req.inner()).await?;
    // Every field is validated before anything is written.
    let goals = body.goals.as_ref().map(PageGoals::parse).transpose()?;
    if body.needs_admin() {
        sites::authorize_for(app, &req, &site, Need::Admin).await?;
    }
    let mut renamed = (*site).clone();
    if let Some(name) = &body.name {
        renamed.name = site_name(name.clone())?;
    }
    if let Some(hosts) = &body.hosts {
        renamed.hosts = site_hosts(hosts)?;
    }
    let db = app.db()?;
    if body.hosts.is_some() {
        suffixes::check_wildcards(&db, &renamed.hosts).await?;
    }
    let current = alert_store::load(&db, site.id.as_str()).await?;
    let (next, shown) = current.apply(&body, &random_token("dsw_")?)?;
    if body.needs_admin() {
        registry::update(&db, &renamed).await?;
    }
    if next != current {
        alert_store::save(&db, site.id.as_str(), &next).await?;
    }
    if let Some(goals) = &goals {
        d1::save_goals(&db, &site.id, goals).await?;
    }
    if body.needs_admin() || goals.is_some() {
        // This isolate sees the new hosts and goals at once; other isolates within the site cache's minute.
        sites::forget(site.id.as_str());
    }
    let activity = registry::activity(&db, site.id.as_str(), app.now_ms).await?;
    Ok(json(200, &view(&renamed, activity, &next, goals.as_ref().unwrap_or(&site.goals), shown)))
}

/// `POST /api/sites/{id}/webhook/test` → `200 {"delivered", "status"}`: one signed example alert,
/// sent now (not queued, not retried) so the settings form can tell at once whether it works.
pub async fn test(app: &App, req: Request, id: &str) -> Result<Response> {
    let site = sites::load_for(app, &req, id, Need::Manage).await?;
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
