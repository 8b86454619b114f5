//! Cascades over D1 (issue 12): the SQL that adds a node inside the queue consumer's transaction,
//! and the reads of the stats report and of `GET /api/cascades/{id}`.
//!
//! Adding a node is the recurrence of `cascade::Aggregates::with_leaf` in SQL
//! (`cascade_add_node.sql`, commented there): one recursive walk
//! from the parent up to the root (O(depth)) reads the subtree sizes on the path, updates the
//! cascade's (size, Wiener index, depth sum, depth) and adds one to every ancestor's subtree size.
//! No statement ever reads a whole tree, so the report's cost does not grow with cascade size.
//! Every statement is guarded by "this node does not exist yet" and the node itself is inserted
//! last, so a repeated node (a retried batch, a duplicate that slipped past its key) changes nothing.

use super::app::storage;
use crate::cascade::{Aggregates, Growth, KeySharerRow, NodeIds, NodeRow, StoredCascade, MAX_TREE_NODES, TOP_CASCADES};
use crate::stats::Period;
use crate::time::Day;
use crate::{Error, Result};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// The statements that add a node, in order (see the file's comments); the first part is the
/// prefix (`WITH RECURSIVE …`) of every statement.
const ADD_NODE: &str = include_str!("cascade_add_node.sql");

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

fn stmt(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement> {
    db.prepare(sql).bind(args).map_err(storage)
}

/// The highest `?N` in `sql`: D1 wants exactly that many bound values.
fn arity(sql: &str) -> usize {
    sql.split('?').skip(1).filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()).max().unwrap_or(0)
}

/// `ADD_NODE` as (prefix, statements), comments dropped.
fn add_node_parts() -> (String, Vec<String>) {
    let mut parts = ADD_NODE.split(";\n").map(|part| part.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n"));
    let prefix = parts.next().unwrap_or_default();
    (prefix, parts.filter(|p| !p.trim().is_empty()).collect())
}

/// The statements one cascade step writes, for the consumer's batch (one transaction). A step whose
/// fingerprint does not verify (minted under another secret) writes nothing: the click still counts.
pub fn grow(db: &D1Database, ids: &NodeIds<'_>, step: &Growth) -> Result<Vec<D1PreparedStatement>> {
    match step {
        Growth::Node { site, node, share, channel, day, page, minute } => {
            let Some(share) = ids.of_fingerprint(site, share) else { return Ok(Vec::new()) };
            let args = [s(site), s(&ids.anonymous(node)), s(&share), s(channel), n(*day), s(page), n(*minute)];
            let (prefix, statements) = add_node_parts();
            statements
                .iter()
                .map(|sql| {
                    let sql = format!("{prefix} {sql}");
                    stmt(db, &sql, &args[..arity(&sql)])
                })
                .collect()
        }
        Growth::Link { site, link, parent } => {
            let Some(link) = ids.of_fingerprint(site, link) else { return Ok(Vec::new()) };
            // A parent that does not verify leaves the link a root of its own.
            let parent = parent.as_deref().and_then(|p| ids.of_fingerprint(site, p)).map_or(JsValue::NULL, |p| s(&p));
            Ok(vec![stmt(db, "INSERT OR IGNORE INTO cascade_links (site, link, parent) VALUES (?1, ?2, ?3)", &[s(site), s(&link), parent])?])
        }
    }
}

#[derive(Deserialize)]
struct CascadeRecord {
    root: String,
    page: String,
    size: f64,
    wiener: f64,
    depth_sum: f64,
    depth: f64,
    first_day: f64,
    last_day: f64,
}

impl From<CascadeRecord> for StoredCascade {
    fn from(r: CascadeRecord) -> StoredCascade {
        let u = |x: f64| x.max(0.0) as u64;
        StoredCascade {
            id: r.root,
            url: r.page,
            aggregates: Aggregates { size: u(r.size), wiener: u(r.wiener), depth_sum: u(r.depth_sum), depth: r.depth.max(0.0) as u32 },
            first_day: Day(r.first_day as i64),
            last_day: Day(r.last_day as i64),
        }
    }
}

const CASCADE_COLUMNS: &str = "root, page, size, wiener, depth_sum, depth, first_day, last_day";

/// The report's part: the largest cascades and the nodes of largest reach with a click in the
/// period. Both statements walk an index in the report's order and stop after `TOP_CASCADES`
/// matches, so they read a few rows per listed item, never a tree.
pub async fn report(db: &D1Database, site: &str, period: Period) -> Result<(Vec<StoredCascade>, Vec<KeySharerRow>)> {
    #[derive(Deserialize)]
    struct SharerRecord {
        id: String,
        page: String,
        depth: f64,
        clicks: f64,
        size: f64,
    }
    let range = [s(site), n(period.from.0), n(period.to.0)];
    let results = db
        .batch(vec![
            stmt(
                db,
                &format!(
                    "SELECT {CASCADE_COLUMNS} FROM cascades c INDEXED BY cascades_by_size WHERE c.site = ?1 \
                     AND EXISTS (SELECT 1 FROM cascade_days d WHERE d.site = ?1 AND d.root = c.root AND d.day BETWEEN ?2 AND ?3) \
                     ORDER BY c.size DESC, c.created DESC LIMIT {TOP_CASCADES}"
                ),
                &range,
            )?,
            stmt(
                db,
                &format!(
                    "SELECT id, page, depth, clicks, size FROM cascade_nodes n INDEXED BY cascade_nodes_by_reach WHERE n.site = ?1 AND n.clicks > 0 \
                     AND EXISTS (SELECT 1 FROM sharer_days d WHERE d.site = ?1 AND d.node = n.id AND d.day BETWEEN ?2 AND ?3) \
                     ORDER BY n.size DESC, n.clicks DESC LIMIT {TOP_CASCADES}"
                ),
                &range,
            )?,
        ])
        .await
        .map_err(storage)?;
    let [cascades, sharers] = results.as_slice() else {
        return Err(Error::Storage("incomplete cascades batch".into()));
    };
    let cascades = cascades.results::<CascadeRecord>().map_err(storage)?.into_iter().map(StoredCascade::from).collect();
    let sharers = sharers
        .results::<SharerRecord>()
        .map_err(storage)?
        .into_iter()
        .map(|r| KeySharerRow { id: r.id, url: r.page, depth: r.depth.max(0.0) as u32, clicks: r.clicks.max(0.0) as u64, reach: (r.size - 1.0).max(0.0) as u64 })
        .collect();
    Ok((cascades, sharers))
}

/// A cascade and its first `MAX_TREE_NODES + 1` nodes level by level, or `None` when `id` is not
/// the root of a cascade of `site`.
pub async fn tree(db: &D1Database, site: &str, id: &str) -> Result<Option<(StoredCascade, Vec<NodeRow>)>> {
    #[derive(Deserialize)]
    struct NodeRecord {
        id: String,
        parent: Option<String>,
        depth: f64,
        channel: Option<String>,
        day: f64,
    }
    let key = [s(site), s(id)];
    let results = db
        .batch(vec![
            stmt(db, &format!("SELECT {CASCADE_COLUMNS} FROM cascades WHERE site = ?1 AND root = ?2"), &key)?,
            // (site, root, depth) plus the primary key's id: level order straight from the index.
            stmt(
                db,
                &format!(
                    "SELECT id, parent, depth, channel, day FROM cascade_nodes INDEXED BY cascade_nodes_by_root \
                     WHERE site = ?1 AND root = ?2 ORDER BY depth, id LIMIT {}",
                    MAX_TREE_NODES + 1
                ),
                &key,
            )?,
        ])
        .await
        .map_err(storage)?;
    let [cascade, nodes] = results.as_slice() else {
        return Err(Error::Storage("incomplete cascade batch".into()));
    };
    let Some(cascade) = cascade.results::<CascadeRecord>().map_err(storage)?.into_iter().next() else {
        return Ok(None);
    };
    let nodes = nodes
        .results::<NodeRecord>()
        .map_err(storage)?
        .into_iter()
        .map(|r| NodeRow { id: r.id, parent: r.parent, depth: r.depth.max(0.0) as u32, channel: r.channel, day: Day(r.day as i64).to_string() })
        .collect();
    Ok(Some((StoredCascade::from(cascade), nodes)))
}
