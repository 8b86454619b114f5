//! Adapters both workers use: the D1 registry (sites, the day's salts), the site cache and bearer
//! check, KV link records, the Public Suffix List. Nothing here counts or reports.

pub mod d1;
pub mod kv;
pub mod sites;
pub mod suffixes;
