//! The daily-salted visitor hash: how a visitor is recognised for a day without keeping who they are.
//!
//! `hash = HMAC-SHA-256(salt_of_the_day, site ‖ ip ‖ user-agent)`, truncated to 128 bits. The salt is
//! random, one per UTC day, and deleted after 48 h; once it is gone, no stored hash can be linked to
//! an IP address or to the same visitor on another day. The raw IP is used only inside this call.

use crate::crypto::{hex, HmacKey};
use crate::site::SiteId;

/// The day's salt, keyed once and then used for every visitor of that day.
pub struct VisitorHasher(HmacKey);

impl VisitorHasher {
    pub fn new(daily_salt: &[u8]) -> VisitorHasher {
        VisitorHasher(HmacKey::new(daily_salt))
    }

    /// Hashes the request's IP and user agent under the day's salt.
    pub fn hash(&self, site: &SiteId, ip: &str, user_agent: &str) -> VisitorHash {
        let mac = self.0.sign("darkshare/visitor/v1", &[site.as_str().as_bytes(), ip.as_bytes(), user_agent.as_bytes()]);
        VisitorHash(hex(&mac[..16]))
    }

    /// Hashes the request's IP alone under the day's salt: one address however many user agents
    /// it shows (per-address caps and limits). 64 bits are plenty to tell addresses apart for a day.
    pub fn address(&self, site: &SiteId, ip: &str) -> String {
        let mac = self.0.sign("darkshare/address/v1", &[site.as_str().as_bytes(), ip.as_bytes()]);
        hex(&mac[..8])
    }
}

/// A visitor's pseudonym for one site and one day (32 hex characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VisitorHash(String);

impl VisitorHash {
    /// Wraps a hash read back from storage.
    pub fn from_stored(text: String) -> VisitorHash {
        VisitorHash(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_visitor_hashes_alike_within_a_day_and_differently_across_days_and_sites() {
        let demo = SiteId::parse("demo").unwrap();
        let other = SiteId::parse("other").unwrap();
        let (day1, day2) = (VisitorHasher::new(b"salt-1"), VisitorHasher::new(b"salt-2"));
        let a = day1.hash(&demo, "203.0.113.9", "UA");
        assert_eq!(a, day1.hash(&demo, "203.0.113.9", "UA"));
        assert_eq!(a, VisitorHasher::new(b"salt-1").hash(&demo, "203.0.113.9", "UA"));
        assert_ne!(a, day2.hash(&demo, "203.0.113.9", "UA"));
        assert_ne!(a, day1.hash(&other, "203.0.113.9", "UA"));
        assert_ne!(a, day1.hash(&demo, "203.0.113.10", "UA"));
        assert_ne!(a, day1.hash(&demo, "203.0.113.9", "UA2"));
        assert_eq!(a.as_str().len(), 32);
        assert!(!a.as_str().contains("203"));
    }

    #[test]
    fn an_address_hash_ignores_the_user_agent_and_is_not_a_visitor_hash() {
        let demo = SiteId::parse("demo").unwrap();
        let day = VisitorHasher::new(b"salt-1");
        let address = day.address(&demo, "203.0.113.9");
        assert_eq!(address, day.address(&demo, "203.0.113.9"));
        assert_ne!(address, day.address(&demo, "203.0.113.10"));
        assert_ne!(address, VisitorHasher::new(b"salt-2").address(&demo, "203.0.113.9"));
        assert!(!day.hash(&demo, "203.0.113.9", "").as_str().starts_with(&address));
    }
}
