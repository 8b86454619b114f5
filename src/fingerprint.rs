//! Signed fingerprints: the `#ds=<fp>` token that travels inside shared and copied URLs.
//!
//! A fingerprint packs, in 120 bits, what attribution needs without a storage read: whether it
//! belongs to a page view or to a short link, its generation in the reshare tree, a random id, and a
//! 48-bit truncated HMAC-SHA-256 over the site and all of the above. It is written as exactly
//! `FP_LEN` base62 characters. A tampered, truncated or invented fingerprint fails `verify` and is
//! never looked up.

use crate::crypto::{constant_time_eq, hmac_sha256};
use crate::site::SiteId;
use crate::visitor::VisitorHash;
use crate::{Channel, Error, Result};

/// Length of every fingerprint (62^21 > 2^120).
pub const FP_LEN: usize = 21;
/// Deepest generation recorded; deeper reshares are counted at this depth.
pub const MAX_GENERATION: u8 = 127;
const LINK_BIT: u8 = 0x80;
const TAG_BITS: u32 = 48;

/// What a fingerprint was minted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A page view's own fingerprint (copy-paste and address-bar shares).
    View,
    /// A short link's fingerprint, carried by its redirect.
    Link,
}

/// A verified fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub origin: Origin,
    /// 0 for a visitor who did not arrive through a share; an arrival at depth d gets generation d.
    pub generation: u8,
    pub id: u64,
    text: String,
}

impl Fingerprint {
    /// Mints a fingerprint for `site`. `id` must be random (64 bits from the platform's CSPRNG).
    pub fn mint(secret: &[u8], site: &SiteId, origin: Origin, generation: u8, id: u64) -> Fingerprint {
        let header = header(origin, generation);
        let tag = tag(secret, site, header, id);
        let packed = (u128::from(header) << 112) | (u128::from(id) << TAG_BITS) | u128::from(tag);
        let digits = base62::encode(packed);
        let text = format!("{digits:0>FP_LEN$}");
        Fingerprint { origin, generation: header & !LINK_BIT, id, text }
    }

    /// Verifies `raw` as a fingerprint of `site`.
    ///
    /// # Errors
    /// `Error::BadFingerprint` when it is not `FP_LEN` base62 characters or its tag does not match.
    pub fn verify(secret: &[u8], site: &SiteId, raw: &str) -> Result<Fingerprint> {
        if raw.len() != FP_LEN || !raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::BadFingerprint);
        }
        let packed = base62::decode(raw).map_err(|_| Error::BadFingerprint)?;
        if packed >> 120 != 0 {
            return Err(Error::BadFingerprint);
        }
        let header = (packed >> 112) as u8;
        let id = (packed >> TAG_BITS) as u64;
        let presented = (packed & ((1u128 << TAG_BITS) - 1)) as u64;
        let expected = tag(secret, site, header, id);
        if !constant_time_eq(&presented.to_be_bytes(), &expected.to_be_bytes()) {
            return Err(Error::BadFingerprint);
        }
        let origin = if header & LINK_BIT != 0 { Origin::Link } else { Origin::View };
        Ok(Fingerprint { origin, generation: header & !LINK_BIT, id, text: raw.to_owned() })
    }

    /// The fingerprint as it travels in URLs.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The channel of the short link this fingerprint belongs to (signed along with the rest, so
    /// a landing page's view can be classified like the redirect without reading the link).
    pub fn link_channel(&self) -> Option<Channel> {
        if self.origin != Origin::Link {
            return None;
        }
        let index = (self.id >> 56) as usize;
        index.checked_sub(1).and_then(|i| Channel::SHAREABLE.get(i).copied())
    }

    /// The id of a short link's fingerprint: the channel in the top byte, 56 random bits below.
    pub fn link_id(channel: Channel, random: u64) -> u64 {
        let index = Channel::SHAREABLE.iter().position(|c| *c == channel).map_or(0, |i| i as u64 + 1);
        (index << 56) | (random & 0x00FF_FFFF_FFFF_FFFF)
    }

    /// Depth of a click on this share: one more than the sharer's generation.
    pub fn click_depth(&self) -> u8 {
        self.generation.saturating_add(1).min(MAX_GENERATION)
    }

    /// The cascade node this fingerprint stands for: an anonymous id (base62 of the 64-bit id).
    pub fn node_id(&self) -> String {
        base62::encode(self.id)
    }

    /// Whether this page-view fingerprint was minted for `visitor` (same daily visitor hash): a
    /// reload or a return to one's own URL, told apart without any storage read.
    pub fn is_owned_by(&self, secret: &[u8], visitor: &VisitorHash) -> bool {
        self.origin == Origin::View && (self.id & LOW32) == owner_tag(secret, visitor)
    }
}

const LOW32: u64 = 0xFFFF_FFFF;

/// The id of a page view's fingerprint: 32 high bits that tell views apart, then the owner tag (a
/// keyed hash of the day's visitor hash, so the next view of the same visitor recognises it).
pub fn view_id(secret: &[u8], visitor: &VisitorHash, high: u32) -> u64 {
    (u64::from(high) << 32) | owner_tag(secret, visitor)
}

/// The high bits of the fingerprint an arrival gets: derived from the click's de-duplication key
/// (site, share, visitor, day), so the redirect and the landing view agree on the arrival's node
/// without talking to each other.
pub fn arrival_high(secret: &[u8], site: &SiteId, share: &str, visitor: &VisitorHash, day: i64) -> u32 {
    let mac = hmac_sha256(secret, "darkshare/node/v1", &[site.as_str().as_bytes(), share.as_bytes(), visitor.as_str().as_bytes(), &day.to_be_bytes()]);
    u32::from_be_bytes([mac[0], mac[1], mac[2], mac[3]])
}

fn owner_tag(secret: &[u8], visitor: &VisitorHash) -> u64 {
    let mac = hmac_sha256(secret, "darkshare/owner/v1", &[visitor.as_str().as_bytes()]);
    u64::from(u32::from_be_bytes([mac[0], mac[1], mac[2], mac[3]]))
}

fn header(origin: Origin, generation: u8) -> u8 {
    let generation = generation.min(MAX_GENERATION);
    match origin {
        Origin::View => generation,
        Origin::Link => generation | LINK_BIT,
    }
}

fn tag(secret: &[u8], site: &SiteId, header: u8, id: u64) -> u64 {
    let mac = hmac_sha256(secret, "darkshare/fp/v1", &[site.as_str().as_bytes(), &[header], &id.to_be_bytes()]);
    let mut bytes = [0u8; 8];
    bytes[2..].copy_from_slice(&mac[..6]);
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> SiteId {
        SiteId::parse("demo").unwrap()
    }

    #[test]
    fn a_minted_fingerprint_verifies_and_keeps_its_fields() {
        for (origin, generation, id) in [(Origin::View, 0, 0), (Origin::Link, 3, u64::MAX), (Origin::View, 127, 42)] {
            let fp = Fingerprint::mint(b"secret", &demo(), origin, generation, id);
            assert_eq!(fp.as_str().len(), FP_LEN);
            let back = Fingerprint::verify(b"secret", &demo(), fp.as_str()).unwrap();
            assert_eq!((back.origin, back.generation, back.id), (origin, generation, id));
        }
    }

    #[test]
    fn every_single_character_change_is_rejected() {
        let fp = Fingerprint::mint(b"secret", &demo(), Origin::View, 1, 0x1234_5678_9abc_def0);
        let text = fp.as_str();
        for i in 0..text.len() {
            for replacement in ['0', 'a', 'Z'] {
                let mut forged: Vec<char> = text.chars().collect();
                if forged[i] == replacement {
                    continue;
                }
                forged[i] = replacement;
                let forged: String = forged.into_iter().collect();
                assert_eq!(Fingerprint::verify(b"secret", &demo(), &forged), Err(Error::BadFingerprint), "{forged}");
            }
        }
    }

    #[test]
    fn another_site_secret_or_shape_is_rejected() {
        let fp = Fingerprint::mint(b"secret", &demo(), Origin::View, 0, 7);
        let other = SiteId::parse("other").unwrap();
        assert!(Fingerprint::verify(b"secret", &other, fp.as_str()).is_err());
        assert!(Fingerprint::verify(b"other-secret", &demo(), fp.as_str()).is_err());
        for bad in ["", "AAAAAAAAAAAAAAAAAAAAA", "zzzzzzzzzzzzzzzzzzzzz", &fp.as_str()[..20], "!!!!!!!!!!!!!!!!!!!!!", "ääääääääää"] {
            assert_eq!(Fingerprint::verify(b"secret", &demo(), bad), Err(Error::BadFingerprint), "{bad:?}");
        }
    }

    #[test]
    fn a_link_fingerprint_carries_its_channel() {
        let id = Fingerprint::link_id(Channel::Telegram, u64::MAX);
        let fp = Fingerprint::mint(b"s", &demo(), Origin::Link, 0, id);
        let back = Fingerprint::verify(b"s", &demo(), fp.as_str()).unwrap();
        assert_eq!(back.link_channel(), Some(Channel::Telegram));
        let view = Fingerprint::mint(b"s", &demo(), Origin::View, 0, id);
        assert_eq!(view.link_channel(), None);
    }

    #[test]
    fn a_view_fingerprint_knows_its_owner_without_storage() {
        let (ann, ben) = (VisitorHash::from_stored("a".repeat(32)), VisitorHash::from_stored("b".repeat(32)));
        let fp = Fingerprint::mint(b"s", &demo(), Origin::View, 0, view_id(b"s", &ann, 7));
        assert!(fp.is_owned_by(b"s", &ann));
        assert!(!fp.is_owned_by(b"s", &ben));
        assert!(!fp.is_owned_by(b"other secret", &ann));
        let link = Fingerprint::mint(b"s", &demo(), Origin::Link, 0, view_id(b"s", &ann, 7));
        assert!(!link.is_owned_by(b"s", &ann), "a short link is nobody's own page view");
    }

    #[test]
    fn an_arrivals_node_is_the_same_wherever_it_is_computed_and_differs_per_click() {
        let ann = VisitorHash::from_stored("a".repeat(32));
        let high = arrival_high(b"s", &demo(), "share1", &ann, 20_000);
        assert_eq!(high, arrival_high(b"s", &demo(), "share1", &ann, 20_000));
        assert_ne!(high, arrival_high(b"s", &demo(), "share2", &ann, 20_000));
        assert_ne!(high, arrival_high(b"s", &demo(), "share1", &ann, 20_001));
        let fp = Fingerprint::mint(b"s", &demo(), Origin::View, 1, view_id(b"s", &ann, high));
        assert_eq!(fp.node_id(), base62::encode(view_id(b"s", &ann, high)));
    }

    #[test]
    fn click_depth_is_one_more_than_the_sharers_generation() {
        assert_eq!(Fingerprint::mint(b"s", &demo(), Origin::View, 0, 1).click_depth(), 1);
        assert_eq!(Fingerprint::mint(b"s", &demo(), Origin::Link, 2, 1).click_depth(), 3);
        assert_eq!(Fingerprint::mint(b"s", &demo(), Origin::View, 200, 1).click_depth(), MAX_GENERATION);
    }
}
