//! `POST /api/admin/migrate` (admin bearer): the one-time copy of every site's counting rows from
//! D1 into its Site object (issue 20; docs/site-object.md, "Moving an existing deployment").
//! Body `{}` to start, or `{"cursor": …}` as the previous answer gave it; answers
//! `{"done", "cursor", "copied", "chunks"}`. Each call copies at most `CHUNKS_PER_CALL` chunks, so
//! it stays within one request's limits; the caller repeats until `done`. Resumable (the cursor)
//! and rerunnable from the start (each object's ledger skips the chunks it has).

use crate::counting::Cell;
use crate::crypto::constant_time_eq;
use crate::edge::app::{storage, App};
use crate::edge::http::{bearer, json, read_json};
use crate::edge::site::client::SiteObject;
use crate::edge::store::d1::{s, stmt};
use crate::site_import::{Cursor, CHUNKS_PER_CALL, TABLES};
use crate::site_protocol::{ImportAnswer, ImportChunk};
use crate::site_sql::Statement;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, Request, Response};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    #[serde(default)]
    cursor: Option<Cursor>,
}

#[derive(Serialize)]
struct Answer {
    done: bool,
    cursor: Option<Cursor>,
    /// Rows written by this call (a chunk copied before counts 0).
    copied: usize,
    chunks: usize,
}

/// The registered site after `after` (ids in order), if any.
async fn next_site(db: &D1Database, after: Option<&str>) -> Result<Option<String>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
    }
    let row: Option<Row> = stmt(db, "SELECT id FROM sites WHERE id > ?1 ORDER BY id LIMIT 1", &[s(after.unwrap_or(""))])?.first(None).await.map_err(storage)?;
    Ok(row.map(|r| r.id))
}

/// A chunk's rows as D1 answers them, in the statement's column order.
async fn rows(db: &D1Database, statement: &Statement) -> Result<Vec<Vec<serde_json::Value>>> {
    let args: Vec<JsValue> = statement
        .args
        .iter()
        .map(|a| match a {
            None => JsValue::NULL,
            Some(Cell::Int(v)) => JsValue::from_f64(*v as f64),
            Some(Cell::Text(v)) => JsValue::from_str(v),
        })
        .collect();
    stmt(db, &statement.sql, &args)?.raw::<serde_json::Value>().await.map_err(storage)
}

pub async fn run(app: &App, req: Request) -> Result<Response> {
    let presented = bearer(&req).ok_or(Error::MissingToken)?;
    if !constant_time_eq(presented.as_bytes(), app.admin_token()?.as_bytes()) {
        return Err(Error::BadToken);
    }
    let body: Body = read_json(req.inner()).await?;
    let db = app.db()?;
    let mut cursor = match body.cursor {
        Some(c) if c.table < TABLES.len() && c.chunk >= 0 && c.site.is_some() => c,
        Some(_) => return Err(Error::BadField { field: "cursor", reason: "not a cursor this endpoint gave".into() }),
        None => Cursor { site: next_site(&db, None).await?, table: 0, chunk: 0 },
    };
    let (mut copied, mut chunks) = (0, 0);
    while let Some(site) = cursor.site.clone() {
        if chunks >= CHUNKS_PER_CALL {
            break;
        }
        let table = &TABLES[cursor.table];
        let found = rows(&db, &table.select(&site, cursor.chunk)).await?;
        let count = found.len();
        if count > 0 {
            let chunk = ImportChunk { table: table.name.to_owned(), chunk: cursor.chunk, rows: found };
            let answer: ImportAnswer = SiteObject::of(app, &site)?.post("/import", &chunk).await?;
            copied += answer.copied;
        }
        chunks += 1;
        cursor = match cursor.after_chunk(count) {
            Some(next) => next,
            None => Cursor { site: next_site(&db, Some(&site)).await?, table: 0, chunk: 0 },
        };
    }
    let done = cursor.site.is_none();
    Ok(json(200, &Answer { done, cursor: (!done).then_some(cursor), copied, chunks }))
}
