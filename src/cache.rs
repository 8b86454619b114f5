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
/// Most bytes of links kept per isolate: the entry count alone would allow 10,000 links of several
/// KB each (a target is up to 2 KB and is held as the URL, the redirect location and the page), a
/// large part of an isolate's 128 MB. 8 MB still holds the 10,000 links of ordinary length.
pub const LINK_CACHE_BYTES: usize = 8 << 20;
/// What an entry costs besides the bytes it is charged for: the map slot, the order queue, the
/// key's second copy, the timestamp (an estimate; it keeps tiny entries from being free).
const ENTRY_OVERHEAD: usize = 64;

/// A TTL cache bounded to `capacity` entries and `max_bytes` charged bytes; when either is
/// exceeded, the oldest insertions are evicted.
#[derive(Debug)]
pub struct TtlCache<V> {
    entries: HashMap<String, (i64, usize, V)>,
    order: VecDeque<String>,
    capacity: usize,
    max_bytes: usize,
    bytes: usize,
    ttl_ms: i64,
}

impl<V: Clone> TtlCache<V> {
    pub fn new(capacity: usize, ttl_ms: i64) -> Self {
        TtlCache::with_max_bytes(capacity, usize::MAX, ttl_ms)
    }

    pub fn with_max_bytes(capacity: usize, max_bytes: usize, ttl_ms: i64) -> Self {
        TtlCache { entries: HashMap::new(), order: VecDeque::new(), capacity: capacity.max(1), max_bytes, bytes: 0, ttl_ms }
    }

    /// The value for `key` if it was inserted less than the TTL before `now_ms`.
    pub fn get(&self, key: &str, now_ms: i64) -> Option<V> {
        self.entries.get(key).filter(|(at, _, _)| now_ms - at < self.ttl_ms).map(|(_, _, v)| v.clone())
    }

    /// Inserts or refreshes `key`, charged for the key's bytes.
    pub fn insert(&mut self, key: &str, value: V, now_ms: i64) {
        self.insert_sized(key, value, 0, now_ms);
    }

    /// Inserts or refreshes `key`, charged for the key's bytes and `value_bytes`.
    pub fn insert_sized(&mut self, key: &str, value: V, value_bytes: usize, now_ms: i64) {
        let cost = ENTRY_OVERHEAD + 2 * key.len() + value_bytes;
        match self.entries.insert(key.to_owned(), (now_ms, cost, value)) {
            Some((_, old_cost, _)) => self.bytes -= old_cost,
            None => self.order.push_back(key.to_owned()),
        }
        self.bytes += cost;
        while self.entries.len() > self.capacity || self.bytes > self.max_bytes {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some((_, cost, _)) = self.entries.remove(&oldest) {
                self.bytes -= cost;
            }
        }
    }

    /// Forgets `key` (a delete handled by this isolate takes effect here immediately).
    pub fn remove(&mut self, key: &str) {
        if let Some((_, cost, _)) = self.entries.remove(key) {
            self.bytes -= cost;
            self.order.retain(|k| k != key);
        }
    }

    /// Forgets everything (a site deleted through this isolate: its links are not known by code).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
        self.bytes = 0;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The bytes the entries are charged for.
    pub fn bytes(&self) -> usize {
        self.bytes
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

    /// Entries bounded by count alone let 10,000 links of several KB each fill an isolate; the
    /// byte budget evicts the oldest first, and a refresh is charged once.
    #[test]
    fn large_values_are_bounded_by_bytes_not_only_by_entries() {
        let mut c = TtlCache::with_max_bytes(10_000, 10_000, 1_000);
        for i in 0..100 {
            c.insert_sized(&format!("k{i}"), i, 1_000, 0);
        }
        assert!(c.bytes() <= 10_000, "{} bytes", c.bytes());
        assert!(c.len() < 10, "{} entries", c.len());
        assert_eq!(c.get("k99", 1), Some(99), "the newest stays");
        assert_eq!(c.get("k0", 1), None, "the oldest went first");
        let before = c.bytes();
        c.insert_sized("k99", 99, 1_000, 2);
        assert_eq!(c.bytes(), before);
        c.remove("k99");
        assert!(c.bytes() < before);
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
