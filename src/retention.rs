//! How long raw rows are kept, and the statements of the daily clean-up that enforces it.
//!
//! Two rules make the privacy promise hold whatever the tables hold:
//! - the day's salts are deleted first, in a statement of their own: no failure or slowness of
//!   any other delete can keep a salt (and so the link from a hash back to an IP) alive;
//! - raw rows are deleted in chunks of at most `CHUNK_ROWS`, each its own statement, so a bloated
//!   table is worked off over several statements (and, past `MAX_CHUNKS`, over several days)
//!   instead of failing one oversized transaction day after day.
//!
//! The tables are listed in `edge/pipeline/cleanup.rs` (one line each); this module only builds SQL from
//! trusted constants, never from input.

use crate::time::Day;

/// Salts live today and yesterday; the clean-up after midnight deletes the day before yesterday's.
pub const SALT_DAYS: i64 = 2;
/// Rows per delete statement.
pub const CHUNK_ROWS: usize = 1_000;
/// Chunks per table per run: 200,000 rows a day per table, far above what the write limits let in;
/// a larger backlog is finished on the following days.
pub const MAX_CHUNKS: usize = 200;

/// One table whose rows expire: `keep_days` days counted back from today, today included, by its
/// `day_column` (a day number, or with `per_day: 1440` a minute number). `key` lists the primary
/// key's columns (`rowid` for a rowid table), by which each chunk is chosen.
pub struct Retention {
    pub table: &'static str,
    pub key: &'static str,
    pub day_column: &'static str,
    pub per_day: i64,
    pub keep_days: i64,
}

impl Retention {
    /// The first value of `day_column` that is kept (rows below it are deleted).
    pub fn first_kept(&self, today: Day) -> i64 {
        today.plus(1 - self.keep_days).0 * self.per_day
    }

    /// Deletes at most `CHUNK_ROWS` expired rows; `?1` is `first_kept`.
    pub fn chunk_sql(&self) -> String {
        let Retention { table, key, day_column, .. } = self;
        format!("DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} WHERE {day_column} < ?1 LIMIT {CHUNK_ROWS})")
    }
}

/// Deletes every salt older than `SALT_DAYS`; `?1` is `first_kept_salt`.
pub const SALT_SQL: &str = "DELETE FROM salts WHERE day < ?1";

/// The first day whose salt is kept.
pub fn first_kept_salt(today: Day) -> Day {
    today.plus(1 - SALT_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLICKS: Retention = Retention { table: "clicks", key: "site, share, visitor, day", day_column: "day", per_day: 1, keep_days: 2 };

    #[test]
    fn salts_of_the_day_before_yesterday_go_and_yesterdays_stay() {
        let today = Day(20_000);
        assert_eq!(first_kept_salt(today), Day(19_999));
        assert!(SALT_SQL.starts_with("DELETE FROM salts") && !SALT_SQL.contains(';'), "one statement, salts only");
    }

    /// A chunk deletes by primary key from a bounded selection: never an unbounded delete.
    #[test]
    fn raw_rows_are_deleted_in_bounded_chunks() {
        assert_eq!(
            CLICKS.chunk_sql(),
            "DELETE FROM clicks WHERE (site, share, visitor, day) IN (SELECT site, share, visitor, day FROM clicks WHERE day < ?1 LIMIT 1000)"
        );
        assert_eq!(CLICKS.first_kept(Day(20_000)), 19_999);
        assert_eq!(Retention { keep_days: 400, ..CLICKS }.first_kept(Day(20_000)), 19_601);
        assert_eq!(Retention { per_day: 1440, ..CLICKS }.first_kept(Day(20_000)), 19_999 * 1440);
    }
}
