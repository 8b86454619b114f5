//! How long a Site object keeps each of its tables (issue 20: bounded storage), run daily by the
//! object's alarm (`edge/site/retention.rs`) in chunks of `retention::CHUNK_ROWS`.
//!
//! - Raw keys and minute rollups: as before in D1 (2 days; share keys their 400).
//! - Daily rollups and their per-page twins: `HISTORY_DAYS`. A report may span 400 days (`stats::MAX_PERIOD_DAYS`) ending
//!   anywhere in that history; days before it read as zeros.
//! - Cascades: a cascade whose last click is before the history has no `cascade_days` row a report
//!   can still ask for, so it can never be listed again: it goes with all its nodes, nodes first
//!   (a cascade is deleted only once no node of it is left). Every cascade with a click inside the
//!   history keeps every node, so its figures (size, depth, virality, reach) stay exact. A click on
//!   a share of a deleted cascade starts a new one. `cascade_days`/`sharer_days` rows before the
//!   history go too: no period can reach them.
//! - Links (`links`, `link_counts`, `cascade_links`): one row each per short link, kept for the
//!   link's life (a link is disabled, never deleted, and its counters are all-time); their growth is
//!   bounded by link creation, which is rate-limited (docs/capacity.md).

use crate::retention::{Retention, CHUNK_ROWS};

/// Days of history a site keeps, today included.
pub const HISTORY_DAYS: i64 = 800;
/// Minute rollups and alert claims: today and yesterday.
pub const MINUTE_DAYS: i64 = 2;
const MINUTES: i64 = 1440;

/// Every table whose rows expire by a day column.
pub const RETAINED: &[Retention] = &[
    Retention { table: "seen", key: "key", day_column: "until", per_day: 1, keep_days: 1 },
    Retention { table: "capped", key: "key", day_column: "day", per_day: 1, keep_days: 2 },
    Retention { table: "minute_counts", key: "site, minute", day_column: "minute", per_day: MINUTES, keep_days: MINUTE_DAYS },
    Retention { table: "minute_pages", key: "site, minute, page", day_column: "minute", per_day: MINUTES, keep_days: MINUTE_DAYS },
    Retention { table: "minute_channels", key: "site, minute, page, channel", day_column: "minute", per_day: MINUTES, keep_days: MINUTE_DAYS },
    Retention { table: "alerts_sent", key: "site, page, day", day_column: "day", per_day: 1, keep_days: MINUTE_DAYS },
    Retention { table: "daily_channels", key: "site, day, channel, depth", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "daily_pages", key: "site, day, page", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "daily_texts", key: "site, day, text", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "daily_sources", key: "site, day, source", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    // The per-page twins (issue 22) are kept exactly as their site-wide tables.
    Retention { table: "page_channels", key: "site, page, day, channel, depth", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "page_sources", key: "site, page, day, source", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "page_texts", key: "site, page, day, text", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "cascade_days", key: "site, root, day", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "sharer_days", key: "site, node, day", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    // Goals: rollups as every daily rollup; a visitor's day of views and a view's node as a key.
    Retention { table: "goal_days", key: "site, day, goal, page, source, channel, currency", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "source_visitors", key: "site, day, source", day_column: "day", per_day: 1, keep_days: HISTORY_DAYS },
    Retention { table: "visits", key: "site, key", day_column: "day", per_day: 1, keep_days: 2 },
    Retention { table: "view_nodes", key: "site, node", day_column: "day", per_day: 1, keep_days: 2 },
];

/// The nodes of cascades whose last click is before the history (`?1`: its first day), a chunk
/// at a time, found through `cascade_nodes_by_root`.
pub fn expired_nodes_sql() -> String {
    format!(
        "DELETE FROM cascade_nodes WHERE (site, id) IN (SELECT n.site, n.id FROM cascades c JOIN cascade_nodes n INDEXED BY cascade_nodes_by_root \
         ON n.site = c.site AND n.root = c.root WHERE c.last_day < ?1 LIMIT {CHUNK_ROWS})"
    )
}

/// Then the cascades themselves, once none of their nodes is left.
pub fn expired_cascades_sql() -> String {
    format!(
        "DELETE FROM cascades WHERE (site, root) IN (SELECT c.site, c.root FROM cascades c WHERE c.last_day < ?1 \
         AND NOT EXISTS (SELECT 1 FROM cascade_nodes n WHERE n.site = c.site AND n.root = c.root) LIMIT {CHUNK_ROWS})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Day;

    /// The history holds two of the longest reports (checked when compiling).
    const _: () = assert!(HISTORY_DAYS >= 2 * crate::stats::MAX_PERIOD_DAYS);

    #[test]
    fn history_covers_the_longest_report_with_room_and_minutes_stay_two_days() {
        let today = Day(20_000);
        let daily = RETAINED.iter().find(|r| r.table == "daily_channels").map(|r| r.first_kept(today));
        assert_eq!(daily, Some(20_000 - HISTORY_DAYS + 1));
        let minutes = RETAINED.iter().find(|r| r.table == "minute_counts").map(|r| r.first_kept(today));
        assert_eq!(minutes, Some(19_999 * 1440));
    }

    #[test]
    fn cascades_go_only_after_their_nodes() {
        assert!(expired_nodes_sql().contains("c.last_day < ?1") && expired_nodes_sql().contains("LIMIT 1000"));
        assert!(expired_cascades_sql().contains("NOT EXISTS (SELECT 1 FROM cascade_nodes"));
    }
}
