//! The one-time copy of each site's counting rows from D1 into its Site object (issue 20, docs in
//! `docs/site-object.md`): which tables, how a chunk of one site's rows is selected from D1, how the
//! object writes it, and the resumable cursor of `POST /api/admin/migrate`.
//!
//! Every chunk is recorded in the object's `imports` ledger in the same transaction as its rows,
//! so a chunk sent again (a retried call, a rerun from the start) adds nothing. Counter tables are
//! copied by adding (`ON CONFLICT … SET n = n + excluded.n`): events the object counted before
//! the copy reached their row keep their counts, and D1's counts are added exactly once.
//! D1 no longer changes once the new consumer runs, so `LIMIT … OFFSET` chunks are stable.

use crate::counting::{Cell, Table, DAILY_CHANNELS, DAILY_PAGES, DAILY_SOURCES, DAILY_TEXTS, LINK_COUNTS, MINUTE_CHANNELS, MINUTE_COUNTS, MINUTE_PAGES};
use crate::site_sql::{Arg, Statement, MAX_PARAMS};
use serde::{Deserialize, Serialize};

/// Rows per chunk (one D1 read, one call to the object, one transaction there).
pub const CHUNK_ROWS: i64 = 500;
/// Chunks one `POST /api/admin/migrate` call copies before it answers with its cursor (stays well
/// inside one request's subrequest and time limits).
pub const CHUNKS_PER_CALL: usize = 40;

/// A copied table: its key columns, additive counters and plain columns (in that order in a row).
pub struct Copied {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub counters: &'static [&'static str],
    pub columns: &'static [&'static str],
    /// Tables without a `site` column (the de-duplication keys): a site's rows are the keys that
    /// start with one of these prefixes followed by `{site}:`.
    pub key_prefixes: &'static [&'static str],
}

const fn counted(t: &'static Table) -> Copied {
    Copied { name: t.name, keys: t.keys, counters: t.counters, columns: t.columns, key_prefixes: &[] }
}

const fn plain(name: &'static str, keys: &'static [&'static str], columns: &'static [&'static str]) -> Copied {
    Copied { name, keys, counters: &[], columns, key_prefixes: &[] }
}

/// Every per-site table of D1, in copy order. `seen` keys of page views and copies (`v:`, `c:`)
/// name no site: they only guard redeliveries of messages the old consumer wrote, so the queue is
/// drained before the switch (docs/site-object.md) and they are not copied.
pub const TABLES: &[Copied] = &[
    Copied { name: "seen", keys: &["key"], counters: &[], columns: &["until"], key_prefixes: &["k", "s", "l", "p"] },
    // Capped totals add: clicks the object counted since the switch plus D1's.
    Copied { name: "capped", keys: &["key"], counters: &["n"], columns: &["day"], key_prefixes: &["a"] },
    counted(&DAILY_CHANNELS),
    counted(&DAILY_PAGES),
    counted(&DAILY_TEXTS),
    counted(&DAILY_SOURCES),
    counted(&MINUTE_COUNTS),
    counted(&MINUTE_PAGES),
    counted(&MINUTE_CHANNELS),
    counted(&LINK_COUNTS),
    plain("links", &["site", "code"], &["fp", "created_at"]),
    plain("alerts_sent", &["site", "page", "day"], &[]),
    plain("cascades", &["site", "root"], &["page", "size", "wiener", "depth_sum", "depth", "first_day", "last_day", "created"]),
    plain("cascade_nodes", &["site", "id"], &["parent", "root", "depth", "channel", "day", "page", "size", "clicks"]),
    plain("cascade_days", &["site", "root", "day"], &[]),
    plain("sharer_days", &["site", "node", "day"], &[]),
    plain("cascade_links", &["site", "link"], &["parent"]),
];

impl Copied {
    /// Key columns, then counters, then plain columns: the order of a copied row.
    pub fn all_columns(&self) -> Vec<&'static str> {
        self.keys.iter().chain(self.counters).chain(self.columns).copied().collect()
    }

    /// The D1 read of chunk `chunk` of `site`'s rows, and its parameters.
    pub fn select(&self, site: &str, chunk: i64) -> Statement {
        let columns = self.all_columns().join(", ");
        let order = self.keys.join(", ");
        let offset = Some(Cell::Int(chunk * CHUNK_ROWS));
        if self.key_prefixes.is_empty() {
            let sql = format!("SELECT {columns} FROM {} WHERE site = ?1 ORDER BY {order} LIMIT {CHUNK_ROWS} OFFSET ?2", self.name);
            return Statement { sql, args: vec![Some(Cell::Text(site.to_owned())), offset] };
        }
        // `k:site:` ≤ key < `k:site;` (';' follows ':'): a range of the primary key per prefix.
        let mut args: Vec<Arg> = vec![offset];
        let mut ranges = Vec::new();
        for prefix in self.key_prefixes {
            args.push(Some(Cell::Text(format!("{prefix}:{site}:"))));
            args.push(Some(Cell::Text(format!("{prefix}:{site};"))));
            ranges.push(format!("(key >= ?{} AND key < ?{})", args.len() - 1, args.len()));
        }
        let sql = format!("SELECT {columns} FROM {} WHERE {} ORDER BY {order} LIMIT {CHUNK_ROWS} OFFSET ?1", self.name, ranges.join(" OR "));
        Statement { sql, args }
    }

    /// The object's statements writing `rows` (each in `all_columns` order).
    pub fn insert(&self, rows: &[Vec<Arg>]) -> Vec<Statement> {
        let columns = self.all_columns();
        let width = columns.len();
        let tail = if self.counters.is_empty() {
            String::new()
        } else {
            let sets: Vec<String> = self.counters.iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
            format!(" ON CONFLICT ({}) DO UPDATE SET {}", self.keys.join(", "), sets.join(", "))
        };
        let verb = if self.counters.is_empty() { "INSERT OR IGNORE" } else { "INSERT" };
        let mut out = Vec::new();
        for chunk in rows.chunks((MAX_PARAMS / width).max(1)) {
            let marks = (0..chunk.len())
                .map(|r| format!("({})", (1..=width).map(|c| format!("?{}", r * width + c)).collect::<Vec<_>>().join(", ")))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("{verb} INTO {} ({}) VALUES {marks}{tail}", self.name, columns.join(", "));
            out.push(Statement { sql, args: chunk.iter().flatten().cloned().collect() });
        }
        out
    }
}

/// The table called `name`, if it is one of the copied ones.
pub fn table(name: &str) -> Option<&'static Copied> {
    TABLES.iter().find(|t| t.name == name)
}

/// Where a migration run stands: the site being copied, the table (index into `TABLES`) and the
/// next chunk. `None` site: start with the first site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub site: Option<String>,
    pub table: usize,
    pub chunk: i64,
}

impl Cursor {
    /// After a chunk of `rows` rows: the next chunk of the same table, or the next table's first.
    /// `None` when the site is done (the caller moves on to the next site).
    pub fn after_chunk(&self, rows: usize) -> Option<Cursor> {
        if rows as i64 >= CHUNK_ROWS {
            return Some(Cursor { chunk: self.chunk + 1, ..self.clone() });
        }
        (self.table + 1 < TABLES.len()).then(|| Cursor { site: self.site.clone(), table: self.table + 1, chunk: 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_reads_its_site_in_key_order_and_writes_within_100_parameters() {
        for t in TABLES {
            let select = t.select("shop", 2);
            assert!(select.sql.contains("ORDER BY"), "{}", select.sql);
            assert_eq!(select.args[0].as_ref().map(|_| ()), Some(()));
            let row: Vec<Arg> = t.all_columns().iter().map(|_| Some(Cell::Int(1))).collect();
            let rows = vec![row; 300];
            for s in t.insert(&rows) {
                assert!(s.args.len() <= MAX_PARAMS && s.args.len() % t.all_columns().len() == 0, "{}", s.sql);
            }
        }
        let seen = table("seen").map(|t| t.select("shop", 0)).map(|s| (s.sql, s.args.len()));
        let (sql, args) = seen.unwrap_or_default();
        assert!(sql.contains("(key >= ?2 AND key < ?3) OR (key >= ?4 AND key < ?5)"), "{sql}");
        assert_eq!(args, 9);
    }

    #[test]
    fn counters_add_and_plain_rows_are_kept_once() {
        let daily = table("daily_texts").map(|t| t.insert(&[vec![None; 4]])).unwrap_or_default();
        assert!(daily[0].sql.ends_with("ON CONFLICT (site, day, text) DO UPDATE SET copies = copies + excluded.copies"), "{}", daily[0].sql);
        let links = table("links").map(|t| t.insert(&[vec![None; 4]])).unwrap_or_default();
        assert!(links[0].sql.starts_with("INSERT OR IGNORE INTO links (site, code, fp, created_at) VALUES (?1, ?2, ?3, ?4)"));
    }

    #[test]
    fn the_cursor_walks_chunks_then_tables() {
        let c = Cursor { site: Some("a".into()), table: 0, chunk: 0 };
        assert_eq!(c.after_chunk(CHUNK_ROWS as usize), Some(Cursor { site: Some("a".into()), table: 0, chunk: 1 }));
        assert_eq!(c.after_chunk(3), Some(Cursor { site: Some("a".into()), table: 1, chunk: 0 }));
        let last = Cursor { site: Some("a".into()), table: TABLES.len() - 1, chunk: 4 };
        assert_eq!(last.after_chunk(0), None);
    }
}
