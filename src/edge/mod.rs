//! The edge adapter: the only module that knows the Workers runtime (`worker`, KV, D1, `Request`).
//!
//! Two workers are built from it (README, "Two workers"): the hot worker (`hot.rs`, the default
//! build) answers short links and the snippet's writes and passes everything else to the console
//! worker (`console.rs`, `--features console`): the marketer's API, QR codes, the queue consumers
//! and the clean-up. Each build compiles only its own handlers, so each upload stays small.
//!
//! Each handler parses the request, calls the core, and maps the result; errors become responses
//! in exactly one place, `http::error_response`. Static files (`/ds.js`, `/stats`) are served by
//! Workers static assets before a request ever reaches this code.

// Shared by both workers: an item only one of them calls is not dead code in the other.
#[allow(dead_code)]
mod app;
#[allow(dead_code)]
mod chain;
#[allow(dead_code)]
mod d1;
#[allow(dead_code)]
mod http;
#[allow(dead_code)]
mod kv;
#[allow(dead_code)]
mod sites;
#[allow(dead_code)]
mod suffixes;

// The hot worker: short links and the snippet's writes.
#[cfg(not(feature = "console"))]
mod events;
#[cfg(not(feature = "console"))]
mod hot;
#[cfg(not(feature = "console"))]
mod limits;
#[cfg(not(feature = "console"))]
mod links;
#[cfg(not(feature = "console"))]
mod queue;
#[cfg(not(feature = "console"))]
mod resolve;
#[cfg(not(feature = "console"))]
mod views;
#[cfg(not(feature = "console"))]
mod visitors;

// The console worker: the marketer's API, QR codes, the queue consumers, the clean-up.
#[cfg(feature = "console")]
mod alert_check;
#[cfg(feature = "console")]
mod alert_delivery;
#[cfg(feature = "console")]
mod alert_store;
#[cfg(feature = "console")]
mod alerts;
#[cfg(feature = "console")]
mod cascade_sql;
#[cfg(feature = "console")]
mod cascades;
#[cfg(feature = "console")]
mod cleanup;
#[cfg(feature = "console")]
mod console;
#[cfg(feature = "console")]
mod consumer;
#[cfg(feature = "console")]
mod count_store;
#[cfg(feature = "console")]
mod faults;
#[cfg(feature = "console")]
mod link_index;
#[cfg(feature = "console")]
mod link_list;
#[cfg(feature = "console")]
mod live;
#[cfg(feature = "console")]
mod live_store;
#[cfg(feature = "console")]
mod qr;
#[cfg(feature = "console")]
mod stats;
