//! The marketer's link list (`GET /api/links`): page size, the signed cursor, and one link as the
//! list (and `PATCH /api/links/{code}`) answers it.
//!
//! The list is read newest first from the per-site link index in D1 (`migrations/0005_links.sql`),
//! joined there with the per-link counters; what a marketer can change (title, expiry, disabled)
//! is read from the link's KV record, the source of truth for the redirect.
//!
//! The cursor is the position of the last link of a page, `(created_at, code)`, signed with the
//! worker's secret and bound to the site: a client can only hand back a cursor the worker issued for
//! that site, so a forged or edited one is refused before any query (`400 bad_cursor`).

use crate::crypto::{constant_time_eq, hex, hmac_sha256};
use crate::link::Link;
use crate::site::SiteId;
use crate::time::format_rfc3339_ms;
use crate::{Channel, Error, Result};
use serde::Serialize;

/// Links per page when the request does not say.
pub const DEFAULT_LIMIT: usize = 50;
/// Most links per page.
pub const MAX_LIMIT: usize = 100;
/// Bytes of the cursor's HMAC kept (128 bits).
const TAG_BYTES: usize = 16;

/// The page size of `?limit=`: 1–100, 50 when absent.
///
/// # Errors
/// `Error::BadField` for anything else (zero, above 100, not a number).
pub fn parse_limit(raw: Option<&str>) -> Result<usize> {
    let Some(raw) = raw else { return Ok(DEFAULT_LIMIT) };
    match raw.parse::<usize>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(Error::field("limit", format!("must be an integer from 1 to {MAX_LIMIT}"))),
    }
}

/// Where the next page starts: strictly after this link in newest-first order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Creation instant of the last listed link (ms since the epoch).
    pub created_at: i64,
    /// Its code (ties on `created_at` are broken by code, descending).
    pub code: String,
}

impl Cursor {
    /// The cursor as handed to clients: `<created_at>.<code>.<tag>`.
    pub fn encode(&self, secret: &[u8], site: &SiteId) -> String {
        let payload = format!("{}.{}", self.created_at, self.code);
        let tag = hex(&tag(secret, site, &payload));
        format!("{payload}.{tag}")
    }

    /// Reads a cursor this worker issued for `site`.
    ///
    /// # Errors
    /// `Error::BadCursor` when it is malformed, edited, or another site's.
    pub fn decode(secret: &[u8], site: &SiteId, raw: &str) -> Result<Cursor> {
        let (payload, presented) = raw.rsplit_once('.').ok_or(Error::BadCursor)?;
        let expected = hex(&tag(secret, site, payload));
        if !constant_time_eq(presented.as_bytes(), expected.as_bytes()) {
            return Err(Error::BadCursor);
        }
        let (created_at, code) = payload.split_once('.').ok_or(Error::BadCursor)?;
        let created_at = created_at.parse().map_err(|_| Error::BadCursor)?;
        Ok(Cursor { created_at, code: code.to_owned() })
    }
}

fn tag(secret: &[u8], site: &SiteId, payload: &str) -> [u8; TAG_BYTES] {
    let mac = hmac_sha256(secret, "darkshare/link-cursor/v1", &[site.as_str().as_bytes(), payload.as_bytes()]);
    let mut out = [0u8; TAG_BYTES];
    out.copy_from_slice(&mac[..TAG_BYTES]);
    out
}

/// A link's all-time counters (zero until its first counted event).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkCounts {
    /// Human clicks, counted once per visitor and day, scans included.
    pub clicks: u64,
    pub dark_clicks: u64,
    /// Link-preview fetches.
    pub previews: u64,
    /// Clicks that came from its QR code (`?qr=1`).
    pub scans: u64,
}

/// One row of the index, as read for a page (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub code: String,
    pub created_at: i64,
    pub counts: LinkCounts,
}

/// Cuts the `limit + 1` rows read for a page to `limit`, and says where the next page starts
/// (`None` on the last page: the extra row is how the last page is told without a count).
pub fn paginate(mut rows: Vec<IndexRow>, limit: usize) -> (Vec<IndexRow>, Option<Cursor>) {
    if rows.len() <= limit {
        return (rows, None);
    }
    rows.truncate(limit);
    let next = rows.last().map(|r| Cursor { created_at: r.created_at, code: r.code.clone() });
    (rows, next)
}

/// A link as the list and `PATCH` answer it (the contract's field names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedLink {
    pub code: String,
    pub short_url: String,
    pub url: String,
    pub channel: Channel,
    pub title: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub expires_at: Option<String>,
    pub disabled: bool,
    pub clicks: u64,
    pub dark_clicks: u64,
    pub previews: u64,
    pub scans: u64,
}

impl ListedLink {
    /// The listed form of `link`, stored under `code`, issued under `origin` (no trailing slash).
    pub fn new(origin: &str, code: &str, link: &Link, counts: LinkCounts) -> ListedLink {
        ListedLink {
            code: code.to_owned(),
            short_url: format!("{origin}/{code}"),
            url: link.url.clone(),
            channel: link.channel,
            title: link.title.clone(),
            created_at: format_rfc3339_ms(link.created_at),
            expires_at: link.expires_at.map(format_rfc3339_ms),
            disabled: link.disabled,
            clicks: counts.clicks,
            dark_clicks: counts.dark_clicks,
            previews: counts.previews,
            scans: counts.scans,
        }
    }
}

/// The answer of `GET /api/links`.
#[derive(Debug, Serialize)]
pub struct LinkPage {
    pub links: Vec<ListedLink>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests;
