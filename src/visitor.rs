//! The daily-salted visitor and address hashes: how a visitor (and the address they come from) is
//! recognised for a day without keeping who they are.
//!
//! The day's key is `HMAC-SHA-256(signing secret, salt_of_the_day)`: the salt is random, one per UTC
//! day, stored in D1 and deleted after 48 h; the signing secret is a Workers secret that the
//! database never holds. So a copy of the database (salts included) cannot recompute a hash from a
//! guessed IP address to test "did this IP click?"; and once the salt is gone, nobody can.
//! - `visitor = HMAC(day key, site ‖ ip ‖ user-agent)`: one person on one site for one day.
//! - `address = HMAC(day key, site ‖ ip)`: everyone behind one IP address on one site for one day
//!   (per-address limits and caps, which a changing user agent must not reset).
//!
//! The visitor hash is truncated to 128 bits, the address hash to 64. The raw IP is used only
//! inside these calls.

use crate::crypto::{hex, hmac_sha256, HmacKey};
use crate::site::SiteId;

/// The day's key, derived once from the secret and the day's salt, then used for every request of
/// that day.
pub struct VisitorHasher(HmacKey);

impl VisitorHasher {
    pub fn new(signing_secret: &[u8], daily_salt: &[u8]) -> VisitorHasher {
        VisitorHasher(HmacKey::new(&hmac_sha256(signing_secret, "darkshare/day-key/v1", &[daily_salt])))
    }

    /// Hashes the request's IP and user agent.
    pub fn hash(&self, site: &SiteId, ip: &str, user_agent: &str) -> VisitorHash {
        let mac = self.0.sign("darkshare/visitor/v1", &[site.as_str().as_bytes(), ip.as_bytes(), user_agent.as_bytes()]);
        VisitorHash(hex(&mac[..16]))
    }

    /// Hashes the request's IP alone under the day's key: one address however many user agents
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

    const SECRET: &[u8] = b"test-signing-secret";

    #[test]
    fn the_same_visitor_hashes_alike_within_a_day_and_differently_across_days_and_sites() {
        let demo = SiteId::parse("demo").unwrap();
        let other = SiteId::parse("other").unwrap();
        let (day1, day2) = (VisitorHasher::new(SECRET, b"salt-1"), VisitorHasher::new(SECRET, b"salt-2"));
        let a = day1.hash(&demo, "203.0.113.9", "UA");
        assert_eq!(a, day1.hash(&demo, "203.0.113.9", "UA"));
        assert_eq!(a, VisitorHasher::new(SECRET, b"salt-1").hash(&demo, "203.0.113.9", "UA"));
        assert_ne!(a, day2.hash(&demo, "203.0.113.9", "UA"));
        assert_ne!(a, day1.hash(&other, "203.0.113.9", "UA"));
        assert_ne!(a, day1.hash(&demo, "203.0.113.10", "UA"));
        assert_ne!(a, day1.hash(&demo, "203.0.113.9", "UA2"));
        assert_eq!(a.as_str().len(), 32);
        assert!(!a.as_str().contains("203"));
    }

    /// Someone holding a copy of the database (the salts included) but not the signing secret
    /// cannot recompute a hash from a guessed IP: neither the salt alone nor another secret with
    /// the same salt reproduces it.
    #[test]
    fn the_salt_alone_does_not_reproduce_a_hash() {
        let demo = SiteId::parse("demo").unwrap();
        let salt = b"salt-of-the-day";
        let stored = VisitorHasher::new(SECRET, salt).hash(&demo, "203.0.113.9", "UA");
        let from_salt_only = hex(&HmacKey::new(salt).sign("darkshare/visitor/v1", &[b"demo", b"203.0.113.9", b"UA"])[..16]);
        assert_ne!(stored.as_str(), from_salt_only);
        assert_ne!(stored, VisitorHasher::new(b"another-secret", salt).hash(&demo, "203.0.113.9", "UA"));
    }

    /// The address hash is what per-address limits and caps key on: a new user agent must not
    /// change it.
    #[test]
    fn an_address_hash_ignores_the_user_agent_and_is_not_a_visitor_hash() {
        let demo = SiteId::parse("demo").unwrap();
        let day = VisitorHasher::new(SECRET, b"salt-1");
        let address = day.address(&demo, "203.0.113.9");
        assert_eq!(address, day.address(&demo, "203.0.113.9"));
        assert_ne!(address, day.address(&demo, "203.0.113.10"));
        assert_ne!(address, day.address(&SiteId::parse("other").unwrap(), "203.0.113.9"));
        assert_ne!(address, VisitorHasher::new(SECRET, b"salt-2").address(&demo, "203.0.113.9"));
        assert!(!day.hash(&demo, "203.0.113.9", "").as_str().starts_with(&address));
    }
}
