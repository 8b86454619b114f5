//! The Site object's SQLite, as the rest of `edge/site/` uses it: statements from the core
//! (`site_sql::Statement`) executed on `ctx.storage.sql`, rows read as arrays of values, the
//! schema migrated on first use, and `atomically`: a synchronous transaction
//! (`storage.transactionSync`) that commits everything its closure wrote or, when the closure
//! fails or the object is aborted half-way, nothing.

use crate::edge::app::storage;
use crate::counting::Cell;
use crate::site_schema::{self, READ_VERSION, VERSION_TABLE, WRITE_VERSION};
use crate::site_sql::{Arg, Statement};
use crate::{Error, Result};
use std::cell::RefCell;
use std::rc::Rc;
use worker::js_sys::{Function, Reflect};
use worker::wasm_bindgen::closure::Closure;
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{SqlStorage, SqlStorageValue, Storage};

/// A row: its columns in SELECT order.
pub(crate) type Row = Vec<SqlStorageValue>;

pub(crate) fn value(arg: &Arg) -> SqlStorageValue {
    match arg {
        None => SqlStorageValue::Null,
        Some(Cell::Int(v)) => SqlStorageValue::Integer(*v),
        Some(Cell::Text(v)) => SqlStorageValue::String(v.clone()),
    }
}

/// Runs `query` with `args`; its rows.
pub(crate) fn query(sql: &SqlStorage, query: &str, args: Vec<SqlStorageValue>) -> Result<Vec<Row>> {
    let cursor = sql.exec(query, args).map_err(storage)?;
    cursor.raw().collect::<worker::Result<Vec<Row>>>().map_err(storage)
}

/// Runs a core statement; its rows.
pub(crate) fn run(sql: &SqlStorage, statement: &Statement) -> Result<Vec<Row>> {
    query(sql, &statement.sql, statement.args.iter().map(value).collect())
}

pub(crate) fn int(row: &Row, column: usize) -> i64 {
    match row.get(column) {
        Some(SqlStorageValue::Integer(v)) => *v,
        Some(SqlStorageValue::Float(v)) => *v as i64,
        _ => 0,
    }
}

pub(crate) fn count(row: &Row, column: usize) -> u64 {
    int(row, column).max(0) as u64
}

pub(crate) fn text(row: &Row, column: usize) -> Option<String> {
    match row.get(column) {
        Some(SqlStorageValue::String(v)) => Some(v.clone()),
        _ => None,
    }
}

pub(crate) fn text_or_empty(row: &Row, column: usize) -> String {
    text(row, column).unwrap_or_default()
}

/// Runs `work` in one synchronous transaction: all it wrote commits, or (it failed, or the object
/// was aborted inside it) none of it. Nothing can interleave: there is no `await` inside.
pub(crate) fn atomically<T: 'static>(storage_api: &Storage, work: impl FnOnce() -> Result<T> + 'static) -> Result<T> {
    let slot: Rc<RefCell<Option<Result<T>>>> = Rc::new(RefCell::new(None));
    let out = slot.clone();
    let mut work = Some(work);
    let callback = Closure::<dyn FnMut() -> std::result::Result<(), JsValue>>::new(move || {
        let Some(work) = work.take() else { return Err(JsValue::from_str("transaction ran twice")) };
        let result = work();
        // A failure throws, which makes the runtime roll the transaction back.
        let thrown = result.as_ref().err().map(|e| JsValue::from_str(&e.to_string()));
        *out.borrow_mut() = Some(result);
        thrown.map_or(Ok(()), Err)
    });
    let raw: &JsValue = storage_api.as_raw().as_ref();
    let transaction_sync: Function = Reflect::get(raw, &JsValue::from_str("transactionSync")).map_err(|_| Error::Storage("no transactionSync".into()))?.unchecked_into();
    let called = transaction_sync.call1(raw, callback.as_ref());
    drop(callback);
    let taken = slot.borrow_mut().take();
    match (taken, called) {
        (Some(result), _) => result,
        (None, Err(e)) => Err(Error::Storage(e.as_string().unwrap_or_else(|| "transaction failed".into()))),
        (None, Ok(_)) => Err(Error::Storage("transaction did not run".into())),
    }
}

/// Brings the database to `site_schema::latest()`, each migration in its own transaction with the
/// version row that records it; the version it is at.
pub(crate) fn migrate(storage_api: &Storage) -> Result<u32> {
    let sql = storage_api.sql();
    sql.exec(VERSION_TABLE, None).map_err(storage)?;
    let current = query(&sql, READ_VERSION, Vec::new())?.first().map_or(0, |r| int(r, 0)) as u32;
    let mut at = current;
    for (version, statements) in site_schema::pending(current) {
        let sql = sql.clone();
        atomically(storage_api, move || {
            for statement in &statements {
                sql.exec(statement, None).map_err(storage)?;
            }
            sql.exec(WRITE_VERSION, vec![SqlStorageValue::Integer(i64::from(version))]).map_err(storage)?;
            Ok(())
        })?;
        at = version;
    }
    Ok(at.max(current))
}
