//! The daily clean-up (cron in `wrangler.toml`): salts first, in a statement of their own, then
//! every table of `RETAINED` in bounded chunks (rules and SQL in `crate::retention`).
//!
//! Since issue 20 the counting tables below are no longer written in D1 (each site's object keeps
//! its own and cleans them with its alarm, `edge/site/retention.rs`); what D1 still holds of them
//! from before the switch expires here until a later migration drops them (docs/site-object.md).
//! To expire a table's rows, add one line to `RETAINED`.

use crate::edge::app::storage;
use crate::site_retention::MINUTE_DAYS as MINUTE_RETENTION_DAYS;
use crate::retention::{first_kept_salt, Retention, CHUNK_ROWS, MAX_CHUNKS, SALT_SQL};
use crate::time::Day;
use crate::Result;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

/// Capped counters (per-address caps) are kept for today and yesterday, like the salts.
const CAPPED_DAYS: i64 = 2;
/// A day in minutes, for tables keyed by minute.
const MINUTES: i64 = 1440;

/// Every table whose rows expire.
const RETAINED: &[Retention] = &[
    // De-duplication keys carry their own last day (`until`): kept through that day.
    Retention { table: "seen", key: "key", day_column: "until", per_day: 1, keep_days: 1 },
    Retention { table: "capped", key: "key", day_column: "day", per_day: 1, keep_days: CAPPED_DAYS },
    Retention { table: "minute_counts", key: "site, minute", day_column: "minute", per_day: MINUTES, keep_days: MINUTE_RETENTION_DAYS },
    Retention { table: "minute_pages", key: "site, minute, page", day_column: "minute", per_day: MINUTES, keep_days: MINUTE_RETENTION_DAYS },
    Retention { table: "minute_channels", key: "site, minute, page, channel", day_column: "minute", per_day: MINUTES, keep_days: MINUTE_RETENTION_DAYS },
    Retention { table: "alerts_sent", key: "site, page, day", day_column: "day", per_day: 1, keep_days: MINUTE_RETENTION_DAYS },
];

/// Runs the clean-up for `today`. The salts' delete is awaited on its own before anything else,
/// so it holds even when a later table fails; the first failure is then reported after every
/// table was tried.
pub async fn run(db: &D1Database, today: Day) -> Result<()> {
    execute(db, SALT_SQL, first_kept_salt(today).0).await?;
    let mut first_error = None;
    for table in RETAINED {
        if let Err(e) = expire(db, table, today).await {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Deletes a table's expired rows, chunk by chunk, until a chunk comes back short.
async fn expire(db: &D1Database, table: &Retention, today: Day) -> Result<()> {
    let sql = table.chunk_sql();
    for _ in 0..MAX_CHUNKS {
        if execute(db, &sql, table.first_kept(today)).await? < CHUNK_ROWS {
            break;
        }
    }
    Ok(())
}

/// Runs one delete with the cut-off bound to `?1`; the number of rows it deleted.
async fn execute(db: &D1Database, sql: &str, first_kept: i64) -> Result<usize> {
    let result = db.prepare(sql).bind(&[JsValue::from_f64(first_kept as f64)]).map_err(storage)?.run().await.map_err(storage)?;
    Ok(result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0))
}
