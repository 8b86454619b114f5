//! The statements one counting batch runs against its site's database, as plain data (SQL text
//! and its parameters), so the Site object (`edge/site/`) only executes them and the generation is
//! tested natively. Every statement comes from a `counting::Table` or from the cascade recurrence
//! (`cascade_add_node.sql`); the rules themselves stay in `counting`.
//!
//! Durable Object SQLite, like D1, binds at most 100 parameters per statement: multi-row
//! statements are cut to fit.

use crate::cascade::{Growth, NodeIds};
use crate::counting::{Cell, Keys, Table, Write};
use crate::goal::sql as goal_sql;

/// The runtime's limit of bound parameters per statement.
pub const MAX_PARAMS: usize = 100;

/// A bound value; `None` is SQL NULL.
pub type Arg = Option<Cell>;

/// One statement and its parameters (`?1`…`?N`, exactly N values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub args: Vec<Arg>,
}

/// The SQL that adds a cascade node (commented in `edge/cascade_sql.rs`' header).
const ADD_NODE: &str = include_str!("edge/site/cascade_add_node.sql");

/// `(?1, ?2), (?3, ?4)` for `rows` rows of `width` parameters.
fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=width).map(|c| format!("?{}", r * width + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which key list a key read answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRead {
    /// Rows `(key, 1)`: remembered de-duplication keys.
    Seen,
    /// Rows `(key, n)`: capped counters and their totals.
    Capped,
    /// Rows of `visits` (`goal::sql::visit_state`): the visitors' days goals are credited from.
    Visit,
}

/// The reads of a batch's keys; each answers rows of (key, n).
pub fn key_reads(keys: &Keys) -> Vec<(KeyRead, Statement)> {
    let mut out = Vec::new();
    for (kind, sql, list) in [(KeyRead::Seen, "SELECT key, 1 AS n FROM seen WHERE key IN", &keys.once), (KeyRead::Capped, "SELECT key, n FROM capped WHERE key IN", &keys.capped)] {
        for chunk in list.chunks(MAX_PARAMS) {
            let marks = (1..=chunk.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            out.push((kind, Statement { sql: format!("{sql} ({marks})"), args: chunk.iter().map(|k| Some(Cell::Text(k.clone()))).collect() }));
        }
    }
    out.extend(goal_sql::visit_reads(&keys.visits).into_iter().map(|(sql, args)| (KeyRead::Visit, Statement { sql, args })));
    out
}

/// The reads of the views a batch's server-side goals name (`Keys::nodes`), before its keys can
/// be listed (`counting::keys_with`); rows for `goal::sql::named_view`.
pub fn node_reads(site: &str, nodes: &[String]) -> Vec<Statement> {
    goal_sql::node_reads(site, nodes).into_iter().map(|(sql, args)| Statement { sql, args }).collect()
}

/// One settled batch's statements, in order: remembered keys first (a plain INSERT: a key that is
/// there after all fails the whole transaction rather than counting twice), then capped totals,
/// counter increments and rows, then the cascades' growth in event order (each step reads the ones
/// before it; `ids` turns fingerprints into stored node ids).
pub fn write(write: &Write, ids: &NodeIds<'_>) -> Vec<Statement> {
    let mut out = Vec::new();
    let remember: Vec<Vec<Cell>> = write.remember.iter().map(|(k, until)| vec![Cell::Text(k.clone()), Cell::Int(*until)]).collect();
    rows(&mut out, "INSERT INTO seen (key, until) VALUES", "", 2, &remember);
    let capped: Vec<Vec<Cell>> = write.capped.iter().map(|(k, day, n)| vec![Cell::Text(k.clone()), Cell::Int(*day), Cell::Int(*n)]).collect();
    rows(&mut out, "INSERT INTO capped (key, day, n) VALUES", "ON CONFLICT (key) DO UPDATE SET n = excluded.n", 3, &capped);

    let mut by_table: Vec<(&Table, Vec<Vec<Cell>>)> = Vec::new();
    for upsert in &write.upserts {
        let row: Vec<Cell> = upsert.key.iter().cloned().chain(upsert.add.iter().map(|v| Cell::Int(*v))).collect();
        match by_table.iter_mut().find(|(t, _)| std::ptr::eq(*t, upsert.table)) {
            Some((_, list)) => list.push(row),
            None => by_table.push((upsert.table, vec![row])),
        }
    }
    for (table, list) in &by_table {
        let (head, tail) = upsert_sql(table);
        rows(&mut out, &head, &tail, table.keys.len() + table.counters.len(), list);
    }
    for (table, row) in &write.inserts {
        let columns: Vec<&str> = table.keys.iter().chain(table.columns.iter()).copied().collect();
        let head = format!("INSERT OR IGNORE INTO {} ({}) VALUES", table.name, columns.join(", "));
        rows(&mut out, &head, "", columns.len(), std::slice::from_ref(row));
    }
    // A batch is one site's (the object checks it); its visits' keys start with it (a site id has
    // no ':', `goal::credit::visit_key`).
    if let Some(site) = write.visits.first().and_then(|(key, _, _)| key.split(':').next()) {
        out.extend(goal_sql::visit_writes(site, &write.visits).into_iter().map(|(sql, args)| Statement { sql, args }));
    }
    for step in &write.growth {
        out.extend(grow(ids, step));
    }
    out
}

/// `INSERT INTO t (keys…, counters…) VALUES` and its `ON CONFLICT … DO UPDATE` adding the counters.
pub fn upsert_sql(table: &Table) -> (String, String) {
    let columns: Vec<&str> = table.keys.iter().chain(table.counters.iter()).copied().collect();
    let head = format!("INSERT INTO {} ({}) VALUES", table.name, columns.join(", "));
    let sets: Vec<String> = table.counters.iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
    (head, format!("ON CONFLICT ({}) DO UPDATE SET {}", table.keys.join(", "), sets.join(", ")))
}

/// Appends `head VALUES (…), (…) tail` statements for `list`, as many rows per statement as fit.
pub fn rows(out: &mut Vec<Statement>, head: &str, tail: &str, width: usize, list: &[Vec<Cell>]) {
    for chunk in list.chunks((MAX_PARAMS / width.max(1)).max(1)) {
        let args = chunk.iter().flatten().cloned().map(Some).collect();
        out.push(Statement { sql: format!("{head} {} {tail}", placeholders(chunk.len(), width)).trim_end().to_owned(), args });
    }
}

/// The highest `?N` in `sql`: a statement binds exactly that many values.
fn arity(sql: &str) -> usize {
    sql.split('?').skip(1).filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()).max().unwrap_or(0)
}

/// `ADD_NODE` as (prefix, statements), comments dropped.
fn add_node_parts() -> (String, Vec<String>) {
    let mut parts = ADD_NODE.split(";\n").map(|part| part.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n"));
    let prefix = parts.next().unwrap_or_default();
    (prefix, parts.filter(|p| !p.trim().is_empty()).collect())
}

/// The statements one cascade step writes. A step whose fingerprint does not verify (minted under
/// another secret) writes nothing: the click still counts.
pub fn grow(ids: &NodeIds<'_>, step: &Growth) -> Vec<Statement> {
    let text = |v: &str| Some(Cell::Text(v.to_owned()));
    match step {
        Growth::Node { site, node, share, channel, day, page, minute } => {
            let Some(share) = ids.of_fingerprint(site, share) else { return Vec::new() };
            let args = [text(site), text(&ids.anonymous(node)), text(&share), text(channel), Some(Cell::Int(*day)), text(page), Some(Cell::Int(*minute))];
            let (prefix, statements) = add_node_parts();
            statements
                .iter()
                .map(|sql| {
                    let sql = format!("{prefix} {sql}");
                    let args = args[..arity(&sql)].to_vec();
                    Statement { sql, args }
                })
                .collect()
        }
        Growth::Link { site, link, parent } => {
            let Some(link) = ids.of_fingerprint(site, link) else { return Vec::new() };
            // A parent that does not verify leaves the link a root of its own.
            let parent = parent.as_deref().and_then(|p| ids.of_fingerprint(site, p)).and_then(|p| text(&p));
            vec![Statement { sql: "INSERT OR IGNORE INTO cascade_links (site, link, parent) VALUES (?1, ?2, ?3)".into(), args: vec![text(site), text(&link), parent] }]
        }
        Growth::Conversion { site, node } => {
            let node = ids.anonymous(node);
            goal_sql::CONVERSION.iter().map(|sql| Statement { sql: (*sql).to_owned(), args: vec![text(site), text(&node)] }).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counting::{Upsert, DAILY_CHANNELS};

    #[test]
    fn every_statement_binds_exactly_its_parameters_and_at_most_100() {
        let w = Write {
            remember: (0..130).map(|i| (format!("v:{i}"), 3)).collect(),
            upserts: (0..40).map(|d| Upsert { table: &DAILY_CHANNELS, key: vec!["s".into(), Cell::Int(d), "".into(), Cell::Int(0)], add: vec![1, 0, 0, 0, 0, 0] }).collect(),
            ..Write::default()
        };
        let ids_secret = b"0123456789abcdef".to_vec();
        let list = write(&w, &NodeIds::new(&ids_secret));
        for s in &list {
            assert_eq!(arity(&s.sql), s.args.len(), "{}", s.sql);
            assert!(s.args.len() <= MAX_PARAMS);
        }
        // 130 keys of 2 → 50 per statement → 3 statements; 40 rows of 10 → 10 per statement → 4.
        assert_eq!(list.len(), 3 + 4);
        assert!(list[3].sql.ends_with("views = views + excluded.views, copies = copies + excluded.copies, shares = shares + excluded.shares, clicks = clicks + excluded.clicks, dark_clicks = dark_clicks + excluded.dark_clicks, previews = previews + excluded.previews"));
    }

    #[test]
    fn key_reads_are_cut_at_100() {
        let keys = Keys { once: (0..150).map(|i| format!("k{i}")).collect(), capped: vec!["a".into()], shared: true, ..Keys::default() };
        let reads = key_reads(&keys);
        assert_eq!(reads.iter().map(|(k, s)| (*k, s.args.len())).collect::<Vec<_>>(), vec![(KeyRead::Seen, 100), (KeyRead::Seen, 50), (KeyRead::Capped, 1)]);
    }

    #[test]
    fn the_cascade_statements_bind_a_prefix_of_the_seven_parameters() {
        let (prefix, statements) = add_node_parts();
        assert!(prefix.contains("WITH RECURSIVE"));
        assert_eq!(statements.len(), 7);
        assert!(statements.iter().all(|s| arity(&format!("{prefix} {s}")) <= 7));
    }
}
