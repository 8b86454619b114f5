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

use crate::edge::app::storage;
use crate::edge::store::d1::{n, s, stmt};
use crate::cascade::{Aggregates, Growth, KeySharerRow, NodeIds, NodeRow, StoredCascade, MAX_TREE_NODES, TOP_CASCADES};
use crate::stats::Period;
use crate::time::Day;
use crate::Result;
use worker::js_sys::Array;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// The statements that add a node, in order; they end with `;` at a line's end and the first part
/// is the prefix of every statement. Parameters: ?1 site, ?2 the new node's id, ?3 the clicked
/// share's node id, ?4 channel, ?5 day, ?6 page, ?7 minute. In the prefix, `p` is the parent node
/// (for a short link made by a page view, that view; else the share itself); `fresh` is one row
/// while the node does not exist yet (every statement is guarded by it and the node is inserted
/// last, so adding a node twice changes nothing); `pn` is the parent's cascade and depth; `anc` the
/// parent and its ancestors with their subtree sizes, one recursive step per generation. Then, in
/// order: a parent without a row is a root whose first click this is (its cascade, then its node);
/// the cascade's W' = W + T + n + depth(p)·n − 2·(subtree sizes on the path below the root), as in
/// `cascade::Aggregates::with_leaf`; every ancestor's size + 1 and the parent's direct clicks + 1;
/// the days with a click of the cascade and of the parent; the node itself. (Comments live here,
/// not in the file: it is compiled into the worker.)
const ADD_NODE: &str = include_str!("cascade_add_node.sql");




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

// Rows are read as arrays of column values, not through serde: every `Deserialize` derive adds
// to the worker's upload, which has a budget.

/// A statement's rows, each an array of its columns in SELECT order.
async fn rows(statement: D1PreparedStatement) -> Result<Vec<Array>> {
    Ok(statement.raw_js_value().await.map_err(storage)?.into_iter().map(|row| Array::from(&row)).collect())
}

fn text(row: &Array, column: u32) -> String {
    row.get(column).as_string().unwrap_or_default()
}

fn int(row: &Array, column: u32) -> i64 {
    row.get(column).as_f64().map_or(0, |v| v as i64)
}

fn count(row: &Array, column: u32) -> u64 {
    int(row, column).max(0) as u64
}

const CASCADE_COLUMNS: &str = "root, page, size, wiener, depth_sum, depth, first_day, last_day";

/// A row of `CASCADE_COLUMNS`.
fn stored_cascade(row: &Array) -> StoredCascade {
    StoredCascade {
        id: text(row, 0),
        url: text(row, 1),
        aggregates: Aggregates { size: count(row, 2), wiener: count(row, 3), depth_sum: count(row, 4), depth: count(row, 5) as u32 },
        first_day: Day(int(row, 6)),
        last_day: Day(int(row, 7)),
    }
}

/// The report's part: the largest cascades and the nodes of largest reach with a click in the
/// period. Both statements walk an index in the report's order and stop after `TOP_CASCADES`
/// matches, so they read a few rows per listed item, never a tree.
pub async fn report(db: &D1Database, site: &str, period: Period) -> Result<(Vec<StoredCascade>, Vec<KeySharerRow>)> {
    let range = [s(site), n(period.from.0), n(period.to.0)];
    let cascades = rows(stmt(
        db,
        &format!(
            "SELECT {CASCADE_COLUMNS} FROM cascades c INDEXED BY cascades_by_size WHERE c.site = ?1 \
             AND EXISTS (SELECT 1 FROM cascade_days d WHERE d.site = ?1 AND d.root = c.root AND d.day BETWEEN ?2 AND ?3) \
             ORDER BY c.size DESC, c.created DESC LIMIT {TOP_CASCADES}"
        ),
        &range,
    )?)
    .await?;
    let sharers = rows(stmt(
        db,
        &format!(
            "SELECT id, page, depth, clicks, size - 1 FROM cascade_nodes n INDEXED BY cascade_nodes_by_reach WHERE n.site = ?1 AND n.clicks > 0 \
             AND EXISTS (SELECT 1 FROM sharer_days d WHERE d.site = ?1 AND d.node = n.id AND d.day BETWEEN ?2 AND ?3) \
             ORDER BY n.size DESC, n.clicks DESC LIMIT {TOP_CASCADES}"
        ),
        &range,
    )?)
    .await?;
    Ok((
        cascades.iter().map(stored_cascade).collect(),
        sharers.iter().map(|r| KeySharerRow { id: text(r, 0), url: text(r, 1), depth: count(r, 2) as u32, clicks: count(r, 3), reach: count(r, 4) }).collect(),
    ))
}

/// A cascade and its first `MAX_TREE_NODES + 1` nodes level by level, or `None` when `id` is not
/// the root of a cascade of `site`.
pub async fn tree(db: &D1Database, site: &str, id: &str) -> Result<Option<(StoredCascade, Vec<NodeRow>)>> {
    let key = [s(site), s(id)];
    let cascade = rows(stmt(db, &format!("SELECT {CASCADE_COLUMNS} FROM cascades WHERE site = ?1 AND root = ?2"), &key)?).await?;
    let Some(cascade) = cascade.first().map(stored_cascade) else {
        return Ok(None);
    };
    // (site, root, depth) plus the primary key's id: level order straight from the index.
    let sql = format!(
        "SELECT id, parent, depth, channel, day FROM cascade_nodes INDEXED BY cascade_nodes_by_root WHERE site = ?1 AND root = ?2 ORDER BY depth, id LIMIT {}",
        MAX_TREE_NODES + 1
    );
    let nodes = rows(stmt(db, &sql, &key)?)
        .await?
        .iter()
        .map(|r| NodeRow { id: text(r, 0), parent: r.get(1).as_string(), depth: count(r, 2) as u32, channel: r.get(3).as_string(), day: Day(int(r, 4)).to_string() })
        .collect();
    Ok(Some((cascade, nodes)))
}
