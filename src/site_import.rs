//! The one-time copy of each site's counting rows from D1 into its Site object (issue 20, docs in
//! `docs/site-object.md`): which tables, how a chunk of one site's rows is selected from D1, how the
//! object writes it, and the resumable cursor of `POST /api/admin/migrate`.
//!
//! Every chunk is recorded in the object's `imports` ledger in the same transaction as its rows,
//! so a chunk sent again (a retried call, a rerun from the start) adds nothing. Counter tables are
//! copied by adding (`ON CONFLICT … SET n = n + excluded.n`): events the object counted before
//! the copy reached their row keep their counts, and D1's counts are added exactly once.
//! Chunks are keyset pages (`WHERE (keys) > (last row's keys) ORDER BY keys LIMIT …`): a chunk
//! costs its own rows however deep into a big table it is. D1 no longer changes once the new
//! consumer runs, so a rerun from the start cuts the same chunks with the same numbers.

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

    /// The D1 read of the chunk of `site`'s rows after the row whose key columns are `after`
    /// (`None`: the first chunk), and its parameters.
    pub fn select(&self, site: &str, after: Option<&[Arg]>) -> Statement {
        let columns = self.all_columns().join(", ");
        let order = self.keys.join(", ");
        let mut args: Vec<Arg> = Vec::new();
        let mut filters = Vec::new();
        if self.key_prefixes.is_empty() {
            args.push(Some(Cell::Text(site.to_owned())));
            filters.push("site = ?1".to_owned());
        } else {
            // `k:site:` ≤ key < `k:site;` (';' follows ':'): a range of the primary key per prefix.
            let mut ranges = Vec::new();
            for prefix in self.key_prefixes {
                args.push(Some(Cell::Text(format!("{prefix}:{site}:"))));
                args.push(Some(Cell::Text(format!("{prefix}:{site};"))));
                ranges.push(format!("(key >= ?{} AND key < ?{})", args.len() - 1, args.len()));
            }
            filters.push(format!("({})", ranges.join(" OR ")));
        }
        if let Some(after) = after {
            let first = args.len() + 1;
            args.extend(after.iter().cloned());
            let marks: Vec<String> = (first..first + after.len()).map(|i| format!("?{i}")).collect();
            filters.push(format!("({order}) > ({})", marks.join(", ")));
        }
        let sql = format!("SELECT {columns} FROM {} WHERE {} ORDER BY {order} LIMIT {CHUNK_ROWS}", self.name, filters.join(" AND "));
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

/// Where a migration run stands: the site being copied, the table (index into `TABLES`), the next
/// chunk's number and the key columns of the last row copied (`None`: the table's start).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub site: Option<String>,
    pub table: usize,
    pub chunk: i64,
    #[serde(default)]
    pub after: Option<Vec<serde_json::Value>>,
}

impl Cursor {
    /// After a chunk of `rows` rows whose last row's key columns are `last`: the next chunk of the
    /// same table, or the next table's first. `None` when the site is done (the caller moves on).
    pub fn after_chunk(&self, rows: usize, last: Option<Vec<serde_json::Value>>) -> Option<Cursor> {
        if rows as i64 >= CHUNK_ROWS {
            return Some(Cursor { chunk: self.chunk + 1, after: last, ..self.clone() });
        }
        (self.table + 1 < TABLES.len()).then(|| Cursor { site: self.site.clone(), table: self.table + 1, chunk: 0, after: None })
    }
}

/// A JSON value (as D1 answers it, or as a cursor carries it) as a bound value.
pub fn arg(value: &serde_json::Value) -> Option<Arg> {
    Some(match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(Cell::Text(s.clone())),
        serde_json::Value::Number(n) => Some(Cell::Int(n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_reads_its_site_in_key_order_and_writes_within_100_parameters() {
        for t in TABLES {
            let after: Vec<Arg> = t.keys.iter().map(|_| Some(Cell::Int(1))).collect();
            let select = t.select("shop", Some(&after));
            assert!(select.sql.contains(&format!("({}) > (", t.keys.join(", "))), "{}", select.sql);
            assert_eq!(select.args.len(), select.sql.matches('?').count(), "{}", select.sql);
            let row: Vec<Arg> = t.all_columns().iter().map(|_| Some(Cell::Int(1))).collect();
            let rows = vec![row; 300];
            for s in t.insert(&rows) {
                assert!(s.args.len() <= MAX_PARAMS && s.args.len() % t.all_columns().len() == 0, "{}", s.sql);
            }
        }
        let seen = table("seen").map(|t| t.select("shop", None)).map(|s| (s.sql, s.args.len()));
        let (sql, args) = seen.unwrap_or_default();
        assert!(sql.contains("WHERE ((key >= ?1 AND key < ?2) OR (key >= ?3 AND key < ?4)"), "{sql}");
        assert_eq!(args, 8);
        let daily = table("daily_pages").map(|t| t.select("shop", Some(&[Some(Cell::Text("shop".into())), Some(Cell::Int(3)), Some(Cell::Text("p".into()))])).sql);
        assert_eq!(
            daily.unwrap_or_default(),
            "SELECT site, day, page, views, shares, clicks FROM daily_pages WHERE site = ?1 AND (site, day, page) > (?2, ?3, ?4) ORDER BY site, day, page LIMIT 500"
        );
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
        let c = Cursor { site: Some("a".into()), table: 0, chunk: 0, after: None };
        let key = Some(vec![serde_json::json!("k:a:1")]);
        assert_eq!(c.after_chunk(CHUNK_ROWS as usize, key.clone()), Some(Cursor { site: Some("a".into()), table: 0, chunk: 1, after: key }));
        assert_eq!(c.after_chunk(3, None), Some(Cursor { site: Some("a".into()), table: 1, chunk: 0, after: None }));
        let last = Cursor { site: Some("a".into()), table: TABLES.len() - 1, chunk: 4, after: None };
        assert_eq!(last.after_chunk(0, None), None);
    }
}
