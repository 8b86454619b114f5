//! The edge adapter: the only module that knows the Workers runtime (`worker`, KV, D1, queues,
//! Durable Objects, `Request`). Laid out by role (ARCHITECTURE.md, "Codemap"):
//!
//! - `hot/`: the hot worker (the default build): short links and the snippet's writes; every
//!   other request goes on to the console worker through the `CONSOLE` service binding.
//! - `console/`: the console worker's HTTP API (`--features console`): stats, cascades, live, links,
//!   sites and alerts, QR codes.
//! - `pipeline/`: the console worker's queue consumers (counting, alert deliveries) and its cron.
//! - `site/`: one site's counting storage: the consumer's write, the reports' reads.
//! - `store/`: adapters both workers use: the D1 site registry and salts, KV links, the suffix list.
//! - `app.rs`, `http.rs`, `chain.rs`: the request's environment, the one place errors become HTTP,
//!   and the hot worker's promise chain (also what `http::read_json` awaits through).
//!
//! Each build compiles only its own roles, so each upload stays small. Static files (`/ds.js`,
//! `/stats`) are served by Workers static assets before a request ever reaches this code.

// Shared by both workers: an item only one of them calls is not dead code in the other.
#[allow(dead_code)]
mod app;
#[allow(dead_code)]
mod chain;
#[allow(dead_code)]
mod http;
#[allow(dead_code)]
mod store;

#[cfg(not(feature = "console"))]
mod hot;

#[cfg(feature = "console")]
mod console;
#[cfg(feature = "console")]
mod pipeline;
#[cfg(feature = "console")]
mod site;
#[cfg(feature = "console")]
mod join;
