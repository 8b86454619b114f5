//! The console worker's background work: the counting queue's consumer (with its test-only fault
//! switch), the viral-alert check and the alert deliveries' consumer, and the daily clean-up (cron).
//! Nothing here answers a marketer's request.

pub mod alert_check;
pub mod alert_delivery;
pub mod cleanup;
pub mod consumer;
pub mod faults;
