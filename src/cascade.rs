//! Share cascades: the tree of arrivals that grew from one original share, and its figures.
//!
//! A cascade's root is a page view of a visitor who did not arrive through a share, or a short link
//! created without a `parent`; every counted click is a node whose parent is the node that shared.
//! The figures (`../shared/API.md`, "Cascades and key sharers"):
//! - **size**: nodes, root included; **depth**: the largest generation (root 0);
//! - **structural virality** (Goel, Anderson, Hofman, Watts 2016): the mean shortest-path distance
//!   over all pairs of distinct nodes, i.e. the Wiener index W (sum of all pairwise distances)
//!   divided by C(n, 2);
//! - **reach** of a node: the clicks in its whole subtree (its subtree size − 1).
//!
//! Two ways to the same numbers live here. [`Tree`] computes them from a whole in-memory tree (the
//! definition, used by tests and small trees). [`Aggregates`] keeps them *incrementally*, one leaf
//! at a time, from what the store maintains per node (subtree sizes) and per cascade (n, W, Σ depth,
//! depth): adding a leaf costs O(its depth), and reading a cascade's figures costs O(1), whatever
//! its size. `edge/site/cascade_sql.rs` runs the same recurrence in SQL; [`growth`] says what a counted
//! click or a stored short link adds.

use serde::Serialize;

pub mod growth;
pub use growth::{Growth, NodeIds};

/// Node ids in a drawn tree are capped so one answer stays small (`GET /api/cascades/{id}`).
pub const MAX_TREE_NODES: usize = 5_000;
/// How many cascades and key sharers a report lists.
pub const TOP_CASCADES: usize = 10;

/// Structural virality from a cascade's size and Wiener index, to 3 decimals; 0 for one node.
pub fn structural_virality(size: u64, wiener: u64) -> f64 {
    if size < 2 {
        return 0.0;
    }
    let pairs = size as f64 * (size as f64 - 1.0) / 2.0;
    (wiener as f64 / pairs * 1000.0).round() / 1000.0
}

/// A cascade's maintained figures: everything needed to add a leaf and to report, nothing per pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Aggregates {
    /// Nodes, root included.
    pub size: u64,
    /// Sum of the distances between all unordered pairs of nodes.
    pub wiener: u64,
    /// Sum of all nodes' depths (= the root's total distance to every node).
    pub depth_sum: u64,
    /// The largest depth.
    pub depth: u32,
}

impl Aggregates {
    /// A cascade of its root alone.
    pub fn root() -> Aggregates {
        Aggregates { size: 1, ..Aggregates::default() }
    }

    /// The figures after a leaf is added under a parent at `parent_depth`, where `path_sizes` is the
    /// sum of the subtree sizes (before the leaf) of the parent and its ancestors, root excluded.
    ///
    /// Why this holds: the leaf's distance to every old node is one more than the parent's, so
    /// W grows by D(p) + n, D(p) being the parent's total distance to all n nodes. D(root) is the
    /// depth sum T, and each step down an edge e (below it s_e nodes) moves the parent n − s_e
    /// nodes away and s_e nodes closer: D(p) = T + Σ_e (n − 2·s_e) over the edges from the root to
    /// p, i.e. T + parent_depth·n − 2·path_sizes.
    pub fn with_leaf(self, parent_depth: u32, path_sizes: u64) -> Aggregates {
        let n = self.size;
        let distance_sum = self.depth_sum + u64::from(parent_depth) * n - 2 * path_sizes;
        Aggregates {
            size: n + 1,
            wiener: self.wiener + distance_sum + n,
            depth_sum: self.depth_sum + u64::from(parent_depth) + 1,
            depth: self.depth.max(parent_depth + 1),
        }
    }

    /// Structural virality of these figures, to 3 decimals.
    pub fn structural_virality(&self) -> f64 {
        structural_virality(self.size, self.wiener)
    }
}

/// A whole cascade in memory, nodes numbered in insertion order (every parent before its children).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    parents: Vec<Option<usize>>,
}

impl Tree {
    /// A tree of its root alone (node 0).
    pub fn new() -> Tree {
        Tree { parents: vec![None] }
    }

    /// Adds a node under `parent` and returns its number, or `None` when `parent` is not a node.
    pub fn add(&mut self, parent: usize) -> Option<usize> {
        (parent < self.parents.len()).then(|| {
            self.parents.push(Some(parent));
            self.parents.len() - 1
        })
    }

    /// Each node's parent (`None` for the root), by node number.
    pub fn parents(&self) -> &[Option<usize>] {
        &self.parents
    }

    /// Nodes, root included.
    pub fn size(&self) -> u64 {
        self.parents.len() as u64
    }

    /// Each node's generation: root 0, its children 1, …
    pub fn depths(&self) -> Vec<u32> {
        let mut depths = vec![0u32; self.parents.len()];
        for (node, parent) in self.parents.iter().enumerate() {
            if let Some(p) = parent {
                depths[node] = depths[*p] + 1;
            }
        }
        depths
    }

    /// The largest generation.
    pub fn depth(&self) -> u32 {
        self.depths().into_iter().max().unwrap_or(0)
    }

    /// Each node's subtree size, itself included.
    pub fn subtree_sizes(&self) -> Vec<u64> {
        let mut sizes = vec![1u64; self.parents.len()];
        // Children are numbered after their parents, so one backward pass sums every subtree.
        for node in (1..self.parents.len()).rev() {
            if let Some(p) = self.parents[node] {
                sizes[p] += sizes[node];
            }
        }
        sizes
    }

    /// Each node's reach: the clicks in its whole subtree.
    pub fn reaches(&self) -> Vec<u64> {
        self.subtree_sizes().into_iter().map(|s| s - 1).collect()
    }

    /// The Wiener index: every edge lies on the path of exactly s·(n − s) pairs, s being the
    /// number of nodes below it.
    pub fn wiener(&self) -> u64 {
        let n = self.size();
        self.subtree_sizes().iter().skip(1).map(|s| s * (n - s)).sum()
    }

    /// Mean distance over all pairs of distinct nodes, to 3 decimals.
    pub fn structural_virality(&self) -> f64 {
        structural_virality(self.size(), self.wiener())
    }

    /// The maintained figures of this tree, computed from scratch.
    pub fn aggregates(&self) -> Aggregates {
        Aggregates { size: self.size(), wiener: self.wiener(), depth_sum: self.depths().iter().map(|d| u64::from(*d)).sum(), depth: self.depth() }
    }
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}

/// A cascade as the store keeps it: its id (the root node's), the root's page and its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCascade {
    pub id: String,
    pub url: String,
    pub aggregates: Aggregates,
    pub first_day: crate::time::Day,
    pub last_day: crate::time::Day,
}

/// A row of the report's `cascades`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CascadeRow {
    pub id: String,
    pub url: String,
    pub size: u64,
    pub depth: u32,
    pub structural_virality: f64,
    pub clicks: u64,
    pub first_day: String,
    pub last_day: String,
}

impl From<StoredCascade> for CascadeRow {
    fn from(c: StoredCascade) -> CascadeRow {
        CascadeRow {
            structural_virality: c.aggregates.structural_virality(),
            size: c.aggregates.size,
            depth: c.aggregates.depth,
            clicks: c.aggregates.size.saturating_sub(1),
            id: c.id,
            url: c.url,
            first_day: c.first_day.to_string(),
            last_day: c.last_day.to_string(),
        }
    }
}

/// A row of the report's `key_sharers`: a node, its direct clicks and its reach.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KeySharerRow {
    pub id: String,
    pub url: String,
    pub depth: u32,
    pub clicks: u64,
    pub reach: u64,
}

/// One node of a drawn tree (`GET /api/cascades/{id}`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NodeRow {
    pub id: String,
    pub parent: Option<String>,
    pub depth: u32,
    /// The channel of the click that made this node; `null` for the root, which was not a click.
    pub channel: Option<String>,
    pub day: String,
}

/// The body of `GET /api/cascades/{id}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CascadeTree {
    pub id: String,
    pub url: String,
    pub size: u64,
    pub depth: u32,
    pub structural_virality: f64,
    pub nodes: Vec<NodeRow>,
    pub truncated: bool,
}

impl CascadeTree {
    /// The answer for `cascade`, whose nodes the store read level by level, at most
    /// `MAX_TREE_NODES + 1` of them (one more than shown, to know whether there were more).
    pub fn new(cascade: StoredCascade, mut nodes: Vec<NodeRow>) -> CascadeTree {
        let truncated = nodes.len() > MAX_TREE_NODES;
        nodes.truncate(MAX_TREE_NODES);
        CascadeTree {
            structural_virality: cascade.aggregates.structural_virality(),
            size: cascade.aggregates.size,
            depth: cascade.aggregates.depth,
            id: cascade.id,
            url: cascade.url,
            nodes,
            truncated,
        }
    }
}

/// Whether `raw` can be a node id (base62 of a 64-bit id); anything else is an unknown cascade.
pub fn is_node_id(raw: &str) -> bool {
    (1..=11).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests;
