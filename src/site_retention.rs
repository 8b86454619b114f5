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
//!   What hangs off a cascade goes with it, before it (`CASCADE_BOUND`): its conversions
//!   (`cascade_conversions`), its nodes' (`node_conversions`), and the share links standing for
//!   one of its nodes (`cascade_links`: a link's parent, or the link itself without one).
//! - Links (`links`, `link_counts`): one row each per short link, kept for the link's life (a link
//!   is disabled, never deleted, and its counters are all-time); their growth is bounded by link
//!   creation, which is rate-limited (docs/capacity.md). A link's `cascade_links` row is cascade
//!   data: it goes with the cascade of the node it stands for (a click on the link afterwards
//!   starts a new cascade, as any click on a share of a deleted cascade does); a link never clicked
//!   whose sharer's view is in no cascade keeps it, as it keeps its `links` row.
//! - `KEPT`: the rest, with why. Every table of the schema is in exactly one of the three lists.

use crate::retention::{Retention, CHUNK_ROWS};
use crate::time::Day;

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

/// The tables kept for as long as what they describe, not by a day: (table, why). With
/// `RETAINED` and `CASCADE_BOUND` this names every table of the schema (checked by the tests).
pub const KEPT: &[(&str, &str)] = &[
    ("links", "one row per short link, for the link's life: a link is disabled (DELETE /api/links), never deleted"),
    ("link_counts", "the link's all-time counters, for the link's life"),
    ("imports", "the one-time copy's ledger: one row per chunk copied from D1, written once"),
    ("schema_version", "one row"),
];

/// The tables whose rows go with their cascade, in the order the clean-up deletes them: first
/// what hangs off a node or a cascade, then the nodes, then the cascades.
pub const CASCADE_BOUND: &[&str] = &["cascade_links", "node_conversions", "cascade_conversions", "cascade_nodes", "cascades"];

/// The nodes of the cascades past the history (`?1`: its first day), through `cascade_nodes_by_root`.
const EXPIRED_NODES: &str = "FROM cascades c JOIN cascade_nodes n INDEXED BY cascade_nodes_by_root ON n.site = c.site AND n.root = c.root WHERE c.last_day < ?1";

/// One chunk statement per table of `CASCADE_BOUND`, in its order; `?1` is the history's first day.
/// A node goes only once nothing of its own is left (its conversions, the share links standing
/// for it), a cascade only once none of its nodes and its conversions are left: a run cut short
/// by `MAX_CHUNKS` leaves no row the next run cannot find.
pub fn expired_cascade_sql() -> Vec<(&'static str, String)> {
    // A share link stands for its parent (the sharer's view), or for itself when it has none
    // (`edge/site/cascade_add_node.sql`): it goes with the cascade holding that node.
    let by_parent = EXPIRED_NODES.replace(" WHERE", " JOIN cascade_links l INDEXED BY cascade_links_by_parent ON l.site = n.site AND l.parent = n.id WHERE");
    let alone = EXPIRED_NODES.replace(" WHERE", " JOIN cascade_links l ON l.site = n.site AND l.link = n.id WHERE l.parent IS NULL AND");
    let links = format!("DELETE FROM cascade_links WHERE (site, link) IN (SELECT l.site, l.link {by_parent} UNION ALL SELECT l.site, l.link {alone} LIMIT {CHUNK_ROWS})");
    let node_conversions = format!(
        "DELETE FROM node_conversions WHERE (site, node) IN (SELECT x.site, x.node {} LIMIT {CHUNK_ROWS})",
        EXPIRED_NODES.replace(" WHERE", " JOIN node_conversions x ON x.site = n.site AND x.node = n.id WHERE")
    );
    let cascade_conversions = format!(
        "DELETE FROM cascade_conversions WHERE (site, root) IN (SELECT x.site, x.root FROM cascades c \
         JOIN cascade_conversions x ON x.site = c.site AND x.root = c.root WHERE c.last_day < ?1 LIMIT {CHUNK_ROWS})"
    );
    let nodes = format!(
        "DELETE FROM cascade_nodes WHERE (site, id) IN (SELECT n.site, n.id {EXPIRED_NODES} \
         AND NOT EXISTS (SELECT 1 FROM node_conversions x WHERE x.site = n.site AND x.node = n.id) \
         AND NOT EXISTS (SELECT 1 FROM cascade_links l WHERE l.site = n.site AND l.parent = n.id) \
         AND NOT EXISTS (SELECT 1 FROM cascade_links l WHERE l.site = n.site AND l.link = n.id AND l.parent IS NULL) LIMIT {CHUNK_ROWS})"
    );
    let cascades = format!(
        "DELETE FROM cascades WHERE (site, root) IN (SELECT c.site, c.root FROM cascades c WHERE c.last_day < ?1 \
         AND NOT EXISTS (SELECT 1 FROM cascade_nodes n WHERE n.site = c.site AND n.root = c.root) \
         AND NOT EXISTS (SELECT 1 FROM cascade_conversions x WHERE x.site = c.site AND x.root = c.root) LIMIT {CHUNK_ROWS})"
    );
    vec![
        ("cascade_links", links),
        ("node_conversions", node_conversions),
        ("cascade_conversions", cascade_conversions),
        ("cascade_nodes", nodes),
        ("cascades", cascades),
    ]
}

/// Every chunk statement of a night's clean-up for `today`, in order, each with its `?1`: the
/// rules by a day, then what goes with cascades past the history. The alarm repeats each one
/// until a chunk comes back short.
pub fn plan(today: Day) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = RETAINED.iter().map(|r| (r.chunk_sql(), r.first_kept(today))).collect();
    let horizon = today.plus(1 - HISTORY_DAYS).0;
    out.extend(expired_cascade_sql().into_iter().map(|(_, sql)| (sql, horizon)));
    out
}

#[cfg(test)]
mod sqlite_tests;

#[cfg(test)]
mod tests {
    use super::*;

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
    fn cascades_go_only_after_what_hangs_off_them() {
        let sql = expired_cascade_sql();
        assert_eq!(sql.iter().map(|(t, _)| *t).collect::<Vec<_>>(), CASCADE_BOUND);
        for (table, statement) in &sql {
            assert!(statement.starts_with(&format!("DELETE FROM {table} WHERE")) && statement.contains("c.last_day < ?1"), "{statement}");
            assert!(statement.contains("LIMIT 1000)") && !statement.contains(';'), "one bounded statement: {statement}");
        }
        assert!(sql[3].1.contains("NOT EXISTS (SELECT 1 FROM node_conversions") && sql[3].1.contains("NOT EXISTS (SELECT 1 FROM cascade_links"));
        assert!(sql[4].1.contains("NOT EXISTS (SELECT 1 FROM cascade_nodes") && sql[4].1.contains("NOT EXISTS (SELECT 1 FROM cascade_conversions"));
    }
}
