//! Viral alerts: a site's webhook settings, when a page is due an alert, what is sent and how it is
//! signed, and how a failed delivery is retried. Pure: the edge stores, queues and sends.
//!
//! The rule: when a page's clicks through shares over the last 60 minutes reach the site's
//! `alert_clicks_per_hour`, one alert is sent for that page and UTC day (the edge claims the
//! (site, page, day) key before queueing, so a second batch reaching the threshold sends nothing).
//! A delivery that fails (network error or a non-2xx answer) is retried with growing delays, and
//! dropped after `MAX_ATTEMPTS`: the receiver's trouble never reaches counting.

use crate::crypto::{hex, hmac_sha256_plain};
use crate::event::Event;
use crate::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize};

/// Threshold when a site never set one.
pub const DEFAULT_CLICKS_PER_HOUR: u32 = 50;
/// Largest threshold accepted: anything above is surely a typo.
pub const MAX_CLICKS_PER_HOUR: u32 = 1_000_000;
/// Longest webhook URL accepted, in bytes.
pub const MAX_WEBHOOK_BYTES: usize = 2048;
/// The window the threshold applies to.
pub const WINDOW_MINUTES: i64 = 60;
/// Deliveries tried per alert, the first included.
pub const MAX_ATTEMPTS: u32 = 6;
/// The signature header: `sha256=<hex HMAC-SHA-256 of the body with the webhook secret>`.
pub const SIGNATURE_HEADER: &str = "X-Darkshare-Signature";

/// A webhook URL that passed the rules: `https://`, or `http://` to localhost or 127.0.0.1 (local
/// development); at most 2 KB; no user name or password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    /// # Errors
    /// `Error::BadField` (field `webhook`) for anything else.
    pub fn parse(raw: &str) -> Result<WebhookUrl> {
        let bad = |reason: &str| Error::field("webhook", reason.to_owned());
        if raw.len() > MAX_WEBHOOK_BYTES {
            return Err(bad("at most 2048 bytes"));
        }
        let url = url::Url::parse(raw.trim()).map_err(|_| bad("not a URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("a webhook URL may not carry a user name or password"));
        }
        let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1"));
        match url.scheme() {
            "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(WebhookUrl(url.into())),
            "http" if local => Ok(WebhookUrl(url.into())),
            _ => Err(bad("must be an https:// URL (http:// only for localhost or 127.0.0.1)")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The body of `PATCH /api/sites/{id}` (alerts, page goals, and the admin's name and hosts); each field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitePatch {
    /// Absent: unchanged; `null`: alerts off; a string: the new webhook.
    #[serde(default, deserialize_with = "present")]
    pub webhook: Option<Option<String>>,
    pub alert_clicks_per_hour: Option<i64>,
    /// Page goals (`goal::PageGoals::parse`); absent: unchanged, `[]`: none.
    #[serde(default)]
    pub goals: Option<serde_json::Value>,
    /// Admin bearer only (the console): the site's new name.
    pub name: Option<String>,
    /// Admin bearer only (the console): the site's new hosts, the rules of registration.
    pub hosts: Option<Vec<String>>,
}

impl SitePatch {
    /// Whether this patch changes what only the admin may change (name, hosts).
    pub fn needs_admin(&self) -> bool {
        self.name.is_some() || self.hosts.is_some()
    }
}

/// Tells a field sent as `null` (`Some(None)`) from an absent one (`None`, via `default`).
fn present<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A site's alert settings as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    pub webhook: Option<WebhookUrl>,
    /// Signs deliveries; exists exactly while a webhook is set.
    pub secret: Option<String>,
    pub clicks_per_hour: u32,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings { webhook: None, secret: None, clicks_per_hour: DEFAULT_CLICKS_PER_HOUR }
    }
}

impl AlertSettings {
    /// Applies a patch. A webhook set where none was gets `fresh_secret`, which is returned to be
    /// shown once; changing the URL keeps the secret (receivers keep verifying); turning alerts off
    /// forgets it.
    ///
    /// # Errors
    /// `Error::BadField` for a bad webhook or a threshold outside 1..=1,000,000; nothing changes.
    pub fn apply(&self, patch: &SitePatch, fresh_secret: &str) -> Result<(AlertSettings, Option<String>)> {
        let mut next = self.clone();
        if let Some(n) = patch.alert_clicks_per_hour {
            next.clicks_per_hour = u32::try_from(n)
                .ok()
                .filter(|n| (1..=MAX_CLICKS_PER_HOUR).contains(n))
                .ok_or_else(|| Error::field("alert_clicks_per_hour", format!("an integer from 1 to {MAX_CLICKS_PER_HOUR}")))?;
        }
        let mut shown = None;
        match &patch.webhook {
            None => {}
            Some(None) => {
                next.webhook = None;
                next.secret = None;
            }
            Some(Some(raw)) => {
                next.webhook = Some(WebhookUrl::parse(raw)?);
                if next.secret.is_none() {
                    next.secret = Some(fresh_secret.to_owned());
                    shown = Some(fresh_secret.to_owned());
                }
            }
        }
        Ok((next, shown))
    }
}

/// A page's last `WINDOW_MINUTES`, as the minute rollups tell it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LastHour {
    pub clicks: u64,
    pub dark_clicks: u64,
    pub views: u64,
    /// The channel with most clicks (ties: alphabetical), if any click had one.
    pub top_channel: Option<String>,
}

/// The (site, page) pairs a consumer batch may have pushed over a threshold: those with a click,
/// each once, in order of first appearance.
pub fn pages_to_check(events: &[Event]) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = Vec::new();
    for event in events {
        if let Event::Click(click) = event {
            if !pages.iter().any(|(s, p)| *s == click.site && *p == click.page) {
                pages.push((click.site.clone(), click.page.clone()));
            }
        }
    }
    pages
}

/// Whether a page with `clicks` in the window has reached the threshold.
pub fn is_due(clicks: u64, clicks_per_hour: u32) -> bool {
    clicks >= u64::from(clicks_per_hour.max(1))
}

/// The JSON body of a webhook delivery (the contract's fields).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Payload {
    /// One human sentence, shown as is by Slack and Teams incoming webhooks.
    pub text: String,
    pub site: String,
    pub url: String,
    pub clicks_last_hour: u64,
    pub dark_clicks_last_hour: u64,
    pub top_channel: Option<String>,
    /// Clicks ÷ views over the window, 3 decimals; `null` without views.
    pub k_factor_last_hour: Option<f64>,
}

impl Payload {
    pub fn new(site: &str, url: &str, hour: &LastHour) -> Payload {
        let via = hour.top_channel.as_deref().map(|c| format!(", most of them via {c}")).unwrap_or_default();
        let text = format!(
            "Spreading now on {site}: {url} got {} clicks through shares in the last hour ({} through private channels{via}).",
            hour.clicks, hour.dark_clicks
        );
        let k_factor_last_hour = (hour.views > 0).then(|| (hour.clicks as f64 / hour.views as f64 * 1000.0).round() / 1000.0);
        Payload {
            text,
            site: site.to_owned(),
            url: url.to_owned(),
            clicks_last_hour: hour.clicks,
            dark_clicks_last_hour: hour.dark_clicks,
            top_channel: hour.top_channel.clone(),
            k_factor_last_hour,
        }
    }

    /// The example a test send delivers: clearly marked, with made-up numbers.
    pub fn test(site: &str) -> Payload {
        let hour = LastHour { clicks: 50, dark_clicks: 35, views: 200, top_channel: Some("whatsapp".into()) };
        let mut payload = Payload::new(site, "https://example.com/test-alert", &hour);
        payload.text = format!("Test alert from darkshare for {site}: webhook settings work. {}", payload.text);
        payload
    }

    /// The exact bytes sent (and signed).
    pub fn body(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The `X-Darkshare-Signature` value of a body.
pub fn signature(secret: &str, body: &str) -> String {
    format!("sha256={}", hex(&hmac_sha256_plain(secret.as_bytes(), body.as_bytes())))
}

/// What the ALERTS queue carries: which alert, its body and its attempt. The webhook and secret are
/// read at delivery, so a changed URL is honoured and no secret sits in a queue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AlertMessage {
    pub site: String,
    pub page: String,
    pub day: i64,
    pub body: String,
    /// 1 for the first delivery; a failed one is sent again as the next attempt, delayed.
    pub attempt: u32,
}

/// Seconds before delivery attempt `attempt + 1`, after attempt `attempt` (1-based) failed:
/// 5 s, 30 s, 3 min, 18 min, then hourly; `None` once `MAX_ATTEMPTS` are spent.
pub fn retry_delay_seconds(attempt: u32) -> Option<u32> {
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    Some((5u32.saturating_mul(6u32.saturating_pow(attempt.saturating_sub(1)))).min(3600))
}

#[cfg(test)]
mod tests;
