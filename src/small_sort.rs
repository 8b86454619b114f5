//! A stable sort for the short lists a report shows (channels, top pages, depths: tens of rows).
//!
//! Why not `slice::sort_by`: each element type instantiates std's driftsort anew, about 8 KB of wasm
//! apiece (31 KB for the report's five lists, measured), and the worker's upload is on a 250 KB
//! budget. An insertion sort is a few dozen bytes per type and, for lists this short, as fast.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`. Quadratic: only for lists of at most a few hundred rows.
pub fn sort_small_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && compare(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 7u64;
        for len in [0, 1, 2, 5, 33, 200] {
            let items: Vec<(u8, u16)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i as u16)
                })
                .collect();
            let (mut ours, mut std) = (items.clone(), items);
            sort_small_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|item| item.0);
            assert_eq!(ours, std, "stable, same order, length {len}");
        }
    }
}
