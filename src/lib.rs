//! darkshare: dark-social link tracking at the edge.
//!
//! Short share links that resolve with a 302 at the edge, signed copy-paste fingerprints carried in
//! URL fragments, and honest per-channel share statistics. See `ARCHITECTURE.md` for the map and the
//! invariants; `../shared/API.md` (mirrored in README.md) is the HTTP contract.
//!
//! # Layout
//! Pure core (compiled and tested natively; never sees JavaScript, HTTP or a Workers binding):
//! - [`error`]: the one error enum and its stable codes.
//! - [`code`]: `ShortCode`, base62 codes derived from a link's identity, and custom slugs.
//! - [`crypto`]: HMAC-SHA-256 and constant-time comparison, the only place that touches `hmac`.
//! - [`fingerprint`]: signed fingerprints (`#ds=…`): mint and verify without a storage read.
//! - [`target`]: `TargetUrl` and the site's host policy (the open-redirect guard).
//! - [`site`]: `SiteId`, site registration, stats tokens.
//! - [`suffix`]: which wildcard hosts sit on a public suffix (`*.github.io`), refused at registration.
//! - [`channel`]: the `Channel` vocabulary.
//! - [`agents`]: crawlers, link-preview fetchers and in-app browsers, from a maintained corpus.
//! - [`source`]: which channel an arrival came through (referrer, in-app browser, snippet hint).
//! - [`visitor`]: the daily-salted visitor hash (no raw IP is ever kept).
//! - [`time`]: days, `YYYY-MM-DD` and RFC 3339 without a date library.
//! - [`link`]: the stored link record, link creation rules (with their `LinkStore` port and an
//!   in-memory fake), and what `GET /{code}` answers.
//! - [`link_list`]: the marketer's link list: page size, signed cursor, a listed link.
//! - [`link_patch`]: what `PATCH /api/links/{code}` may change, validated before any write.
//! - [`qr`]: the QR code (SVG) of a short link, opened as a scan.
//! - [`live`]: the last 30 minutes of a site (`GET /api/live`).
//! - [`pages`]: the small HTML pages: 404/410 for people, OpenGraph for link previews.
//! - [`paths`]: the path of a request URL, and which paths are short links (the router's first step).
//! - [`attribution`]: what a page view means (organic, arrival, self-visit) and its depth; which
//!   requests to a short link count.
//! - [`workflow`]: a view, a redirect click, a copy, a preview, a link creation: facts → plan
//!   (the answer and the events to record).
//! - [`event`]: the recorded facts, as they travel through the queue.
//! - [`counting`]: the counting rules (which event bumps which rollup) and the batch planner.
//! - [`view_source`]: where a page view came from (dark social, direct, search, …).
//! - [`alert`]: viral alerts: webhook settings, the threshold, the signed payload, retries.
//! - [`stats`]: rollup rows → the stats response, and the CSV export.
//! - [`small_sort`]: the stable sort of the report's short lists (std's costs 8 KB of wasm per type).
//! - [`cascade`]: share cascades: tree figures (size, depth, structural virality, reach), kept incrementally.
//! - [`cache`]: the bounded in-isolate cache of resolved links.
//! - [`retention`]: how long raw rows and salts are kept; the clean-up's bounded statements.
//!
//! Edge adapter (wasm32 only): [`edge`] is the one module that knows `worker`.

pub mod agents;
pub mod alert;
pub mod attribution;
pub mod cache;
pub mod cascade;
pub mod channel;
pub mod code;
pub mod counting;
pub mod crypto;
pub mod error;
pub mod event;
pub mod fingerprint;
pub mod link;
pub mod link_list;
pub mod link_patch;
pub mod live;
pub mod pages;
pub mod paths;
pub mod qr;
pub mod retention;
pub mod site;
pub mod site_import;
pub mod site_protocol;
pub mod site_retention;
pub mod site_schema;
pub mod site_sql;
pub mod small_sort;
pub mod source;
pub mod stats;
pub mod suffix;
pub mod target;
pub mod time;
pub mod view_source;
pub mod visitor;
pub mod workflow;

#[cfg(target_arch = "wasm32")]
mod edge;

pub use channel::Channel;
pub use error::{Error, ErrorKind, Result};
