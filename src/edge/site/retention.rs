//! The Site object's daily clean-up (its alarm): every rule of `crate::site_retention`, each a
//! bounded chunk statement repeated until a chunk comes back short (at most `MAX_CHUNKS`; a larger
//! backlog is finished the next day). Then the alarm is set again for the next night.

use super::db::query;
use crate::retention::{CHUNK_ROWS, MAX_CHUNKS};
use crate::site_retention::plan;
use crate::time::Day;
use crate::Result;
use worker::{SqlStorage, SqlStorageValue};

/// Minutes after midnight UTC at which each object cleans up (after the D1 clean-up's cron).
const ALARM_MINUTE: i64 = 17;

/// The next alarm after `now_ms`: tomorrow at 00:17 UTC.
pub(crate) fn next_alarm_ms(now_ms: i64) -> i64 {
    (now_ms.div_euclid(86_400_000) + 1) * 86_400_000 + ALARM_MINUTE * 60_000
}

/// Runs one delete until it deletes fewer than a chunk.
fn chunks(sql: &SqlStorage, statement: &str, first_kept: i64) -> Result<()> {
    for _ in 0..MAX_CHUNKS {
        // RETURNING 1 per deleted row: how many went.
        let deleted = query(sql, &format!("{statement} RETURNING 1"), vec![SqlStorageValue::Integer(first_kept)])?.len();
        if deleted < CHUNK_ROWS {
            break;
        }
    }
    Ok(())
}

/// Deletes everything past its retention for `today`; the first failure is reported after every
/// table was tried.
pub(crate) fn run(sql: &SqlStorage, today: Day) -> Result<()> {
    let mut first_error = None;
    // The rules by a day, then what hangs off a cascade, its nodes, the cascade (`site_retention::plan`).
    for (statement, first_kept) in plan(today) {
        if let Err(e) = chunks(sql, &statement, first_kept) {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}
