//! The object's side of the one-time copy from D1 (`crate::site_import`): one chunk of one table,
//! written with its ledger row in one transaction, or skipped when the ledger has it already.

use super::db::{self, atomically, query};
use crate::counting::Cell;
use crate::site_import::Copied;
use crate::site_protocol::ImportChunk;
use crate::site_sql::Arg;
use crate::{Error, Result};
use worker::{SqlStorageValue, Storage};

fn arg(value: &serde_json::Value) -> Result<Arg> {
    Ok(match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(Cell::Text(s.clone())),
        serde_json::Value::Number(n) => Some(Cell::Int(n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)).unwrap_or(0))),
        other => return Err(Error::BadJson(format!("unexpected value {other}"))),
    })
}

/// Copies `chunk` of `table` for `site`; the rows written (0 when the chunk was copied before).
pub(crate) fn chunk(storage_api: &Storage, site: &str, table: &'static Copied, chunk: ImportChunk) -> Result<usize> {
    let width = table.all_columns().len();
    let mut rows = Vec::with_capacity(chunk.rows.len());
    for row in &chunk.rows {
        if row.len() != width {
            return Err(Error::BadJson(format!("{} wants {width} columns", table.name)));
        }
        rows.push(row.iter().map(arg).collect::<Result<Vec<Arg>>>()?);
    }
    // A row of another site has no place here (tables with a `site` column have it first).
    if table.key_prefixes.is_empty() && rows.iter().any(|r| r.first() != Some(&Some(Cell::Text(site.to_owned())))) {
        return Err(Error::BadJson("a row of another site".into()));
    }
    let sql = storage_api.sql();
    let (name, number) = (table.name, chunk.chunk);
    atomically(storage_api, move || {
        let ledger = || vec![SqlStorageValue::from(name), SqlStorageValue::Integer(number)];
        if !query(&sql, "SELECT 1 FROM imports WHERE source_table = ?1 AND chunk = ?2", ledger())?.is_empty() {
            return Ok(0);
        }
        for statement in table.insert(&rows) {
            db::run(&sql, &statement)?;
        }
        let mut args = ledger();
        args.push(SqlStorageValue::Integer(rows.len() as i64));
        query(&sql, "INSERT INTO imports (source_table, chunk, rows) VALUES (?1, ?2, ?3)", args)?;
        Ok(rows.len())
    })
}
