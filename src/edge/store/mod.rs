//! Adapters over shared storage: the D1 registry (sites, the day's salts, alert settings), the site
//! cache and bearer check, KV link records, the Public Suffix List. Nothing here counts or reports.

pub mod alert_store;
pub mod d1;
pub mod kv;
pub mod registry;
pub mod sites;
pub mod suffixes;
