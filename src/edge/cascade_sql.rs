//! Cascades over D1 (issue 12): the SQL that adds a node inside the queue consumer's transaction,
//! and the reads of the stats report and of `GET /api/cascades/{id}`.
//!
//! Adding a node is the recurrence of `cascade::Aggregates::with_leaf` in SQL: one recursive walk
//! from the parent up to the root (O(depth)) reads the subtree sizes on the path, updates the
//! cascade's (size, Wiener index, depth sum, depth) and adds one to every ancestor's subtree size.
//! No statement ever reads a whole tree, so the report's cost does not grow with cascade size.
//! Every statement is guarded by "this node does not exist yet" and the node itself is inserted
//! last, so a repeated node (a retried batch, a duplicate that slipped past its key) changes nothing.

use super::app::storage;
use crate::cascade::{Aggregates, KeySharerRow, NodeRow, StoredCascade, MAX_TREE_NODES, TOP_CASCADES};
use crate::stats::Period;
use crate::time::Day;
use crate::{Error, Result};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// A counted click, as a new node of its cascade.
pub struct NewNode<'a> {
    pub site: &'a str,
    /// The arrival's own node id (`Click.node`).
    pub node: &'a str,
    /// The node id of the fingerprint that was clicked: a page view's, or a short link's (whose
    /// parent view, if it has one, is looked up in `cascade_links`).
    pub share: &'a str,
    pub channel: &'a str,
    pub day: Day,
    pub page: &'a str,
    pub minute: i64,
}

// Parameters of every add-node statement: ?1 site, ?2 node, ?3 clicked share's node id,
// ?4 channel, ?5 day, ?6 page, ?7 minute. `p` is the parent node: the link's creator view for a
// short link made by a view, else the clicked share itself; `fresh` is one row while the node is new.
const PARENT: &str = "WITH RECURSIVE \
     p(id) AS (SELECT COALESCE((SELECT parent FROM cascade_links WHERE site = ?1 AND link = ?3), ?3)), \
     fresh(ok) AS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM cascade_nodes WHERE site = ?1 AND id = ?2) AND ?2 <> (SELECT id FROM p)), \
     pn(root, depth) AS (SELECT n.root, n.depth FROM cascade_nodes n, p WHERE n.site = ?1 AND n.id = p.id), \
     anc(id, parent, size) AS ( \
       SELECT n.id, n.parent, n.size FROM cascade_nodes n, p WHERE n.site = ?1 AND n.id = p.id \
       UNION ALL SELECT n.id, n.parent, n.size FROM cascade_nodes n JOIN anc ON n.site = ?1 AND n.id = anc.parent) ";

/// The statements, in order, with the number of parameters each binds.
const ADD_NODE: [(&str, usize); 7] = [
    // A parent without a row is a root whose first click this is: its cascade, then its node.
    ("INSERT OR IGNORE INTO cascades (site, root, page, size, wiener, depth_sum, depth, first_day, last_day, created) \
      SELECT ?1, p.id, ?6, 1, 0, 0, 0, ?5, ?5, ?7 FROM p, fresh \
      WHERE NOT EXISTS (SELECT 1 FROM cascade_nodes WHERE site = ?1 AND id = p.id)", 7),
    ("INSERT OR IGNORE INTO cascade_nodes (site, id, parent, root, depth, channel, day, page) \
      SELECT ?1, p.id, NULL, p.id, 0, NULL, ?5, ?6 FROM p, fresh", 6),
    // W' = W + T + n + depth(p)·n − 2·Σ sizes on the path below the root (see Aggregates::with_leaf).
    ("UPDATE cascades SET \
        wiener = wiener + depth_sum + size + (SELECT depth FROM pn) * size - 2 * (SELECT COALESCE(SUM(size), 0) FROM anc WHERE parent IS NOT NULL), \
        depth_sum = depth_sum + (SELECT depth FROM pn) + 1, \
        size = size + 1, \
        depth = MAX(depth, (SELECT depth FROM pn) + 1), \
        first_day = MIN(first_day, ?5), last_day = MAX(last_day, ?5) \
      WHERE site = ?1 AND root = (SELECT root FROM pn) AND EXISTS (SELECT 1 FROM fresh)", 5),
    ("UPDATE cascade_nodes SET size = size + 1, clicks = clicks + (id = (SELECT id FROM p)) \
      WHERE site = ?1 AND id IN (SELECT id FROM anc) AND EXISTS (SELECT 1 FROM fresh)", 3),
    ("INSERT OR IGNORE INTO cascade_days (site, root, day) SELECT ?1, pn.root, ?5 FROM pn, fresh", 5),
    ("INSERT OR IGNORE INTO sharer_days (site, node, day) SELECT ?1, p.id, ?5 FROM p, fresh", 5),
    ("INSERT OR IGNORE INTO cascade_nodes (site, id, parent, root, depth, channel, day, page) \
      SELECT ?1, ?2, p.id, pn.root, pn.depth + 1, ?4, ?5, ?6 FROM p, pn, fresh", 6),
];

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

fn stmt(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement> {
    db.prepare(sql).bind(args).map_err(storage)
}

/// The statements that add `node` to its cascade, for the consumer's batch (one transaction).
pub fn add_node(db: &D1Database, node: &NewNode<'_>) -> Result<Vec<D1PreparedStatement>> {
    let args = [s(node.site), s(node.node), s(node.share), s(node.channel), n(node.day.0), s(node.page), n(node.minute)];
    ADD_NODE.iter().map(|(sql, arity)| stmt(db, &format!("{PARENT}{sql}"), &args[..*arity])).collect()
}

/// Remembers which view a short link belongs to (`parent`), or that it is a root of its own.
pub fn link(db: &D1Database, site: &str, link: &str, parent: Option<&str>) -> Result<D1PreparedStatement> {
    let parent = parent.map_or(JsValue::NULL, s);
    stmt(db, "INSERT OR IGNORE INTO cascade_links (site, link, parent) VALUES (?1, ?2, ?3)", &[s(site), s(link), parent])
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
