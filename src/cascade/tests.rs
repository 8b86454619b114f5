//! Cascade figures against an independent brute force: all-pairs BFS over an adjacency list.

use super::*;
use std::collections::VecDeque;

/// Sum of all pairwise distances, by a breadth-first search from every node (O(n²), the definition).
fn brute_wiener(parents: &[Option<usize>]) -> u64 {
    let n = parents.len();
    let mut adjacent = vec![Vec::new(); n];
    for (node, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            adjacent[node].push(*p);
            adjacent[*p].push(node);
        }
    }
    let mut total = 0u64;
    for start in 0..n {
        let mut distance = vec![u64::MAX; n];
        distance[start] = 0;
        let mut queue = VecDeque::from([start]);
        while let Some(u) = queue.pop_front() {
            for &v in &adjacent[u] {
                if distance[v] == u64::MAX {
                    distance[v] = distance[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        total += distance.iter().sum::<u64>();
    }
    total / 2 // every pair was counted from both ends
}

/// Mean pairwise distance by brute force, to 3 decimals.
fn brute_virality(parents: &[Option<usize>]) -> f64 {
    let n = parents.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    (brute_wiener(parents) as f64 / (n * (n - 1.0) / 2.0) * 1000.0).round() / 1000.0
}

/// Grows `tree` and the incremental aggregates side by side, the way the store does: the leaf's
/// parent depth and the subtree sizes on its path to the root (root excluded), read before the add.
fn grow(tree: &mut Tree, agg: &mut Aggregates, parent: usize) {
    let depths = tree.depths();
    let sizes = tree.subtree_sizes();
    let mut path_sizes = 0;
    let mut node = parent;
    while let Some(up) = tree.parents()[node] {
        path_sizes += sizes[node];
        node = up;
    }
    *agg = agg.with_leaf(depths[parent], path_sizes);
    tree.add(parent).unwrap();
}

fn chain(n: usize) -> Tree {
    let mut tree = Tree::new();
    for k in 1..n {
        tree.add(k - 1);
    }
    tree
}

fn star(k: usize) -> Tree {
    let mut tree = Tree::new();
    for _ in 0..k {
        tree.add(0);
    }
    tree
}

#[test]
fn a_single_root_has_size_one_depth_zero_and_virality_zero() {
    let tree = Tree::new();
    assert_eq!((tree.size(), tree.depth(), tree.wiener()), (1, 0, 0));
    assert_eq!(tree.structural_virality(), 0.0);
    assert_eq!(Aggregates::root().structural_virality(), 0.0);
    assert_eq!(tree.aggregates(), Aggregates::root());
}

#[test]
fn a_chain_of_n_nodes_has_virality_n_plus_one_over_three() {
    for n in 2..40 {
        let tree = chain(n);
        assert_eq!(tree.size(), n as u64);
        assert_eq!(tree.depth(), n as u32 - 1);
        assert_eq!(tree.wiener(), brute_wiener(tree.parents()), "n = {n}");
        let expected = ((n as f64 + 1.0) / 3.0 * 1000.0).round() / 1000.0;
        assert_eq!(tree.structural_virality(), expected, "n = {n}");
        assert_eq!(tree.reaches()[0], n as u64 - 1);
        assert_eq!(tree.reaches()[n - 1], 0);
    }
}

#[test]
fn a_star_of_k_clicks_has_virality_2k_over_k_plus_one() {
    for k in 1..60 {
        let tree = star(k);
        assert_eq!((tree.size(), tree.depth()), (k as u64 + 1, 1));
        let expected = ((2.0 * k as f64) / (k as f64 + 1.0) * 1000.0).round() / 1000.0;
        assert_eq!(tree.structural_virality(), expected, "k = {k}");
        assert_eq!(tree.structural_virality(), brute_virality(tree.parents()));
        assert_eq!(tree.reaches()[0], k as u64);
    }
}

/// A mixed tree: a root view (0) with a copy-paste click (1) and a parentless short link's tree
/// folded in as node 2's subtree — the shapes the edge builds when links and views interleave.
#[test]
fn a_mixed_tree_matches_the_brute_force() {
    let mut tree = Tree::new();
    let a = tree.add(0).unwrap(); // 1: a click on the root's copied URL
    let b = tree.add(0).unwrap(); // 2: a click through a short link the root made
    let c = tree.add(a).unwrap(); // 3: a reshare of 1
    tree.add(c).unwrap(); //          4: a reshare of 3 (depth 3)
    tree.add(b).unwrap(); //          5
    tree.add(b).unwrap(); //          6
    tree.add(b).unwrap(); //          7
    assert_eq!(tree.size(), 8);
    assert_eq!(tree.depth(), 3);
    assert_eq!(tree.wiener(), brute_wiener(tree.parents()));
    assert_eq!(tree.structural_virality(), brute_virality(tree.parents()));
    assert_eq!(tree.reaches(), vec![7, 2, 3, 1, 0, 0, 0, 0]);
}

#[test]
fn maintained_aggregates_equal_the_whole_tree_figures_after_every_leaf() {
    // A deterministic pseudo-random tree of 400 nodes, mixing deep chains and wide stars.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut tree = Tree::new();
    let mut agg = Aggregates::root();
    for k in 1..400usize {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Mostly the newest nodes (chains), sometimes anywhere (stars).
        let parent = if seed.is_multiple_of(3) { (seed as usize / 3) % k } else { k - 1 - (seed as usize / 3) % k.min(4) };
        grow(&mut tree, &mut agg, parent);
        assert_eq!(agg, tree.aggregates(), "after {k} clicks");
    }
    assert_eq!(agg.wiener, brute_wiener(tree.parents()));
    assert_eq!(agg.structural_virality(), brute_virality(tree.parents()));
}

#[test]
fn rows_report_clicks_virality_and_days() {
    let day = crate::time::Day::parse("2026-11-20").unwrap();
    let stored = StoredCascade { id: "r".into(), url: "https://x/".into(), aggregates: star(3).aggregates(), first_day: day, last_day: day.plus(2), conversions: 0 };
    let row = CascadeRow::from(stored.clone());
    assert_eq!((row.size, row.depth, row.clicks, row.structural_virality), (4, 1, 3, 1.5));
    assert_eq!((row.first_day.as_str(), row.last_day.as_str()), ("2026-11-20", "2026-11-22"));

    let node = |id: &str| NodeRow { id: id.into(), parent: None, depth: 0, channel: None, day: "2026-11-20".into() };
    let full = CascadeTree::new(stored.clone(), (0..MAX_TREE_NODES).map(|i| node(&i.to_string())).collect());
    assert!(!full.truncated);
    let over = CascadeTree::new(stored, (0..=MAX_TREE_NODES).map(|i| node(&i.to_string())).collect());
    assert!(over.truncated);
    assert_eq!(over.nodes.len(), MAX_TREE_NODES);
}

#[test]
fn node_ids_are_short_base62() {
    assert!(is_node_id("AbC09z"));
    assert!(is_node_id("LygHa16AHYF"));
    for bad in ["", "abc-def", "123456789012", "ä", "a b"] {
        assert!(!is_node_id(bad), "{bad:?}");
    }
}
