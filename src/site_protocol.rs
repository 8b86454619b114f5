//! What the console worker and a site's Durable Object say to each other (issue 20): one call per
//! counting batch or per report. Internal only: the object has no public route, so these shapes
//! may change with the code (both sides are one build). Reports come back already rendered (the
//! report JSON, the CSV), so the console passes them through.
//!
//! Paths (`edge/site/object.rs` routes them):
//! - `POST /count` [`CountRequest`] → [`CountAnswer`]: one site's part of a queue batch.
//! - `GET /stats?site&from&to&format=json|csv`, `GET /live?site&minute`, `GET /cascade?site&id`
//!   (404 when no such cascade), `GET /links?site&rows[&created_at&code]` → `[LinkRow]`,
//!   `GET /link?site&code` → [`LinkRow`].
//! - `POST /alerts/release` [`AlertClaim`]: gives back an alert claim that could not be queued.
//! - `POST /import` [`ImportChunk`] → [`ImportAnswer`]: the one-time copy from D1.
//! - `GET /size` → [`SizeAnswer`]: the database's bytes (capacity measurements).
//! - `POST /clean?site&today`: the alarm's clean-up for day number `today`, on demand (tests).

use crate::alert::AlertMessage;
use crate::link_list::{IndexRow, LinkCounts};
use serde::{Deserialize, Serialize};

/// One site's messages of a consumer batch: each the queue format (`event::encode`) of that
/// message's events of this site, in delivery order.
#[derive(Debug, Serialize, Deserialize)]
pub struct CountRequest {
    pub messages: Vec<String>,
    /// The site's alert threshold when it has a webhook (the settings live in D1's registry):
    /// the object checks the pages this batch clicked after committing its counts.
    pub alert_threshold: Option<u32>,
    pub now_ms: i64,
    /// A test fault (only honoured where `TEST_FAULTS` is `on`, see `edge/faults.rs`).
    #[serde(default)]
    pub fault: Option<String>,
}

/// The alerts this batch made due, already claimed in the object: the consumer queues them.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CountAnswer {
    pub alerts: Vec<AlertMessage>,
}

/// One (site, page, day) alert claim.
#[derive(Debug, Serialize, Deserialize)]
pub struct AlertClaim {
    pub page: String,
    pub day: i64,
}

/// A link-list row as the object answers it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LinkRow {
    pub code: String,
    pub created_at: i64,
    pub clicks: u64,
    pub dark_clicks: u64,
    pub previews: u64,
    pub scans: u64,
}

impl From<LinkRow> for IndexRow {
    fn from(r: LinkRow) -> IndexRow {
        IndexRow { code: r.code, created_at: r.created_at, counts: LinkCounts { clicks: r.clicks, dark_clicks: r.dark_clicks, previews: r.previews, scans: r.scans } }
    }
}

/// A chunk of one D1 table's rows of one site, in the table's column order (`site_import`).
#[derive(Debug, Serialize, Deserialize)]
pub struct ImportChunk {
    pub table: String,
    /// The chunk's number within its table (rows `chunk * CHUNK_ROWS ..`): the object records it
    /// with the rows, so a chunk sent again adds nothing.
    pub chunk: i64,
    pub rows: Vec<Vec<serde_json::Value>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ImportAnswer {
    /// Rows written now (0 when the chunk had been copied before).
    pub copied: usize,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SizeAnswer {
    pub bytes: u64,
    pub schema_version: u32,
}

/// A queue message's events split by site, each site's in their order, sites in order of first
/// appearance (a producer's message holds whatever its isolate sent meanwhile, any site's).
pub fn by_site(events: Vec<crate::event::Event>) -> Vec<(String, Vec<crate::event::Event>)> {
    let mut out: Vec<(String, Vec<crate::event::Event>)> = Vec::new();
    for event in events {
        match out.iter_mut().find(|(site, _)| site == event.site()) {
            Some((_, list)) => list.push(event),
            None => out.push((event.site().to_owned(), vec![event])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::view_source::ViewSource;

    fn view(id: &str, site: &str) -> Event {
        Event::View { id: id.into(), site: site.into(), minute: 1, page: "p".into(), source: ViewSource::Direct }
    }

    #[test]
    fn a_message_splits_by_site_keeping_each_sites_order() {
        let split = by_site(vec![view("1", "a"), view("2", "b"), view("3", "a")]);
        assert_eq!(split, vec![("a".to_owned(), vec![view("1", "a"), view("3", "a")]), ("b".to_owned(), vec![view("2", "b")])]);
    }
}
