//! One site's counting storage: the `Site` Durable Object (issue 20), a SQLite database of its
//! own per site, and the console worker's handle on it.
//!
//! - `object`: the object's entry: its routes (`crate::site_protocol`), first-use migration, alarm.
//! - `db`: its SQLite: statements, rows, synchronous transactions, the schema migration.
//! - `count`: a queue batch's counting write (keys read, `counting::settle`, write: one
//!   transaction), then the alert check.
//! - `reports`: every per-site read (stats, sources, cascades, live, links, an alert's hour).
//! - `retention`: the daily clean-up (`crate::site_retention`).
//! - `import`: a chunk of the one-time copy from D1 (`crate::site_import`).
//! - `client`: the console's calls to a site's object.

pub mod client;
mod count;
mod db;
mod import;
pub mod object;
mod reports;
mod retention;
