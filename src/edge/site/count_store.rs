//! The queue consumer's storage: what a batch's keys say (one read round trip) and the batch's one
//! write (one D1 `batch`, which D1 runs as a transaction). Every statement is generated from a
//! `counting::Table`; the rules themselves live in `counting/rules.rs`.
//!
//! D1 binds at most 100 parameters per statement, so multi-row statements are cut to fit.

use crate::edge::app::storage;
use crate::edge::site::cascade_sql;
use crate::cascade::NodeIds;
use crate::counting::{Cell, Keys, Reads, Table, Write};
use crate::Result;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// D1's limit of bound parameters per statement.
const MAX_PARAMS: usize = 100;

fn js(cell: &Cell) -> JsValue {
    match cell {
        Cell::Int(v) => JsValue::from_f64(*v as f64),
        Cell::Text(v) => JsValue::from_str(v),
    }
}

fn statement(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement> {
    db.prepare(sql).bind(args).map_err(storage)
}

/// `(?1, ?2), (?3, ?4)` for `rows` rows of `width` parameters.
fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=width).map(|c| format!("?{}", r * width + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads which of `keys` are already remembered and how far each capped counter has got.
pub async fn read(db: &D1Database, keys: &Keys) -> Result<Reads> {
    let mut statements = Vec::new();
    for (capped, sql, list) in [(false, "SELECT key, 1 AS n FROM seen WHERE key IN", &keys.once), (true, "SELECT key, n FROM capped WHERE key IN", &keys.capped)] {
        for chunk in list.chunks(MAX_PARAMS) {
            let marks = (1..=chunk.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let args: Vec<JsValue> = chunk.iter().map(|k| JsValue::from_str(k)).collect();
            statements.push((capped, statement(db, &format!("{sql} ({marks})"), &args)?));
        }
    }
    let mut reads = Reads::default();
    if statements.is_empty() {
        return Ok(reads);
    }
    let (kinds, statements): (Vec<bool>, Vec<_>) = statements.into_iter().unzip();
    #[derive(Deserialize)]
    struct Row {
        key: String,
        n: f64,
    }
    for (capped, result) in kinds.into_iter().zip(db.batch(statements).await.map_err(storage)?) {
        for row in result.results::<Row>().map_err(storage)? {
            if capped {
                reads.capped.insert(row.key, row.n as i64);
            } else {
                reads.seen.insert(row.key);
            }
        }
    }
    Ok(reads)
}

/// Writes one settled batch in one transaction: remembered keys first (a plain INSERT, so a key
/// written meanwhile by anyone else fails the whole batch rather than counting twice), then
/// capped totals, counter increments and rows, then the cascades' growth in event order (each step
/// reads the ones before it; `ids` turns fingerprints into stored node ids).
pub async fn write(db: &D1Database, write: &Write, ids: &NodeIds<'_>) -> Result<()> {
    let mut statements = Vec::new();
    let remember: Vec<Vec<Cell>> = write.remember.iter().map(|(k, until)| vec![Cell::Text(k.clone()), Cell::Int(*until)]).collect();
    rows(db, &mut statements, "INSERT INTO seen (key, until) VALUES", "", 2, &remember)?;
    let capped: Vec<Vec<Cell>> = write.capped.iter().map(|(k, day, n)| vec![Cell::Text(k.clone()), Cell::Int(*day), Cell::Int(*n)]).collect();
    rows(db, &mut statements, "INSERT INTO capped (key, day, n) VALUES", "ON CONFLICT (key) DO UPDATE SET n = excluded.n", 3, &capped)?;

    let mut by_table: Vec<(&Table, Vec<Vec<Cell>>)> = Vec::new();
    for upsert in &write.upserts {
        let row: Vec<Cell> = upsert.key.iter().cloned().chain(upsert.add.iter().map(|v| Cell::Int(*v))).collect();
        match by_table.iter_mut().find(|(t, _)| std::ptr::eq(*t, upsert.table)) {
            Some((_, list)) => list.push(row),
            None => by_table.push((upsert.table, vec![row])),
        }
    }
    for (table, list) in &by_table {
        let columns: Vec<&str> = table.keys.iter().chain(table.counters.iter()).copied().collect();
        let head = format!("INSERT INTO {} ({}) VALUES", table.name, columns.join(", "));
        let sets: Vec<String> = table.counters.iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
        let tail = format!("ON CONFLICT ({}) DO UPDATE SET {}", table.keys.join(", "), sets.join(", "));
        rows(db, &mut statements, &head, &tail, columns.len(), list)?;
    }
    for (table, row) in &write.inserts {
        let columns: Vec<&str> = table.keys.iter().chain(table.columns.iter()).copied().collect();
        let head = format!("INSERT OR IGNORE INTO {} ({}) VALUES", table.name, columns.join(", "));
        rows(db, &mut statements, &head, "", columns.len(), std::slice::from_ref(row))?;
    }
    for step in &write.growth {
        statements.extend(cascade_sql::grow(db, ids, step)?);
    }
    if statements.is_empty() {
        return Ok(());
    }
    db.batch(statements).await.map_err(storage).map(|_| ())
}

/// Appends `head VALUES (…), (…) tail` statements for `list`, as many rows per statement as fit.
fn rows(db: &D1Database, out: &mut Vec<D1PreparedStatement>, head: &str, tail: &str, width: usize, list: &[Vec<Cell>]) -> Result<()> {
    for chunk in list.chunks((MAX_PARAMS / width).max(1)) {
        let args: Vec<JsValue> = chunk.iter().flatten().map(js).collect();
        out.push(statement(db, &format!("{head} {} {tail}", placeholders(chunk.len(), width)), &args)?);
    }
    Ok(())
}
