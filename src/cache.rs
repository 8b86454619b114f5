//! A bounded in-isolate cache with a time-to-live, for resolved short links.
//!
//! Why: a KV read costs milliseconds even when KV serves it from the colo; a hot link is clicked
//! many times a second. The TTL (`LINK_TTL_MS`) is no longer than KV's own propagation delay, so a
//! deleted or changed link is honoured within the same bound KV gives anyway; the isolate that
//! handled a delete forgets the link at once. Expiry instants are checked on every hit.

use std::collections::{HashMap, VecDeque};

/// How long a resolved link is served from memory (KV's own eventual consistency is ~60 s).
pub const LINK_TTL_MS: i64 = 60_000;
/// Most links kept per isolate (a few hundred bytes each).
pub const LINK_CAPACITY: usize = 10_000;

/// A TTL cache bounded to `capacity` entries; when full, the oldest insertion is evicted.
#[derive(Debug)]
pub struct TtlCache<V> {
    entries: HashMap<String, (i64, V)>,
    order: VecDeque<String>,
    capacity: usize,
    ttl_ms: i64,
}

impl<V: Clone> TtlCache<V> {
    pub fn new(capacity: usize, ttl_ms: i64) -> Self {
        TtlCache { entries: HashMap::new(), order: VecDeque::new(), capacity: capacity.max(1), ttl_ms }
    }

    /// The value for `key` if it was inserted less than the TTL before `now_ms`.
    pub fn get(&self, key: &str, now_ms: i64) -> Option<V> {
        self.entries.get(key).filter(|(at, _)| now_ms - at < self.ttl_ms).map(|(_, v)| v.clone())
    }

    /// Inserts or refreshes `key`.
    pub fn insert(&mut self, key: &str, value: V, now_ms: i64) {
        if self.entries.insert(key.to_owned(), (now_ms, value)).is_none() {
            self.order.push_back(key.to_owned());
        }
        while self.entries.len() > self.capacity {
            match self.order.pop_front() {
                Some(oldest) => {
                    self.entries.remove(&oldest);
                }
                None => break,
            }
        }
    }

    /// Forgets `key` (a delete handled by this isolate takes effect here immediately).
    pub fn remove(&mut self, key: &str) {
        if self.entries.remove(key).is_some() {
            self.order.retain(|k| k != key);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_live_for_the_ttl_only() {
        let mut c = TtlCache::new(10, 100);
        c.insert("a", 1, 1_000);
        assert_eq!(c.get("a", 1_099), Some(1));
        assert_eq!(c.get("a", 1_100), None);
    }

    #[test]
    fn the_oldest_entry_is_evicted_at_capacity() {
        let mut c = TtlCache::new(2, 1_000);
        c.insert("a", 1, 0);
        c.insert("b", 2, 0);
        c.insert("a", 3, 1); // a refresh does not count twice
        c.insert("c", 4, 2);
        assert_eq!(c.len(), 2);
        assert_eq!(c.get("a", 3), None);
        assert_eq!(c.get("b", 3), Some(2));
        assert_eq!(c.get("c", 3), Some(4));
    }

    #[test]
    fn removed_entries_are_gone_at_once() {
        let mut c = TtlCache::new(2, 1_000);
        c.insert("a", 1, 0);
        c.remove("a");
        assert!(c.is_empty());
        c.insert("b", 2, 0);
        c.insert("c", 3, 0);
        assert_eq!(c.len(), 2);
    }
}
