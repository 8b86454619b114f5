//! One site's counting storage: the queue consumer's batch write (`count_store`, SQL generated from
//! `counting::Table`s), cascade growth and reads, live minutes and sources, the link index, alert
//! state, and the stats report's rollup reads. Everything here is addressed by one site.

pub mod alert_store;
pub mod cascade_sql;
pub mod count_store;
pub mod link_index;
pub mod live_store;
pub mod rollups;
