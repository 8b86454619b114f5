//! How cascades grow: the steps the counting rules emit (a node for each counted click, a parent
//! for each short link), and the anonymous node ids the store keeps.
//!
//! A fingerprint's 64-bit id is not shown as it is: the low 32 bits of a page view's id are its
//! owner tag (a keyed hash of the day's visitor hash), so two arrivals of one person on one day
//! would share them. The store keeps, and the API shows, a keyed hash of the id instead: random to
//! anyone without the signing secret, equal for equal ids (so a node and the shares made from it
//! still meet), and unrelated between two nodes of the same person.

use crate::crypto::hmac_sha256;
use crate::fingerprint::Fingerprint;
use crate::site::SiteId;

/// One step of a cascade's growth, in the order the batch's events happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Growth {
    /// A counted click: the arrival `node` (`Click.node`) joins the cascade under whoever made the
    /// share `share` (a fingerprint text: a page view's, or a short link's).
    Node { site: String, node: String, share: String, channel: String, day: i64, page: String, minute: i64 },
    /// A short link stored: its fingerprint `link`, and the view fingerprint that made it, if any
    /// (without one the link is the root of its own cascade).
    Link { site: String, link: String, parent: Option<String> },
    /// A conversion credited to the arrival `node` (a raw node id): one more for its cascade and
    /// for every ancestor of the node, the node itself excluded (like reach).
    Conversion { site: String, node: String },
}

/// Turns raw node ids and fingerprints into the anonymous node ids the store keeps.
pub struct NodeIds<'a> {
    secret: &'a [u8],
}

impl<'a> NodeIds<'a> {
    pub fn new(secret: &'a [u8]) -> NodeIds<'a> {
        NodeIds { secret }
    }

    /// The stored id of a raw node id (`Fingerprint::node_id`): 64 bits of a keyed hash, base62.
    pub fn anonymous(&self, raw: &str) -> String {
        let mac = hmac_sha256(self.secret, "darkshare/cascade-node/v1", &[raw.as_bytes()]);
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&mac[..8]);
        base62::encode(u64::from_be_bytes(bytes))
    }

    /// The stored id of the node a fingerprint text stands for, or `None` when it does not verify
    /// for `site` (then it was never minted by this worker with this secret).
    pub fn of_fingerprint(&self, site: &str, fp: &str) -> Option<String> {
        let site = SiteId::parse(site).ok()?;
        Fingerprint::verify(self.secret, &site, fp).ok().map(|f| self.anonymous(&f.node_id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cascade::is_node_id;
    use crate::fingerprint::Origin;

    #[test]
    fn a_node_and_the_fingerprint_of_its_view_get_the_same_stored_id() {
        let site = SiteId::parse("demo").unwrap();
        let fp = Fingerprint::mint(b"s", &site, Origin::View, 1, 0x1234_5678_0000_abcd);
        let ids = NodeIds::new(b"s");
        let stored = ids.anonymous(&fp.node_id());
        assert_eq!(ids.of_fingerprint("demo", fp.as_str()), Some(stored.clone()));
        assert!(is_node_id(&stored), "{stored}");
        assert_ne!(stored, fp.node_id(), "the raw id is never stored");
    }

    #[test]
    fn two_nodes_of_one_person_share_no_visible_part() {
        let ids = NodeIds::new(b"s");
        // Same owner tag (low 32 bits), different arrivals.
        let (a, b) = (base62::encode(0x0000_0001_dead_beefu64), base62::encode(0x0000_0002_dead_beefu64));
        let (a, b) = (ids.anonymous(&a), ids.anonymous(&b));
        assert_ne!(a, b);
        assert_ne!(a[a.len().saturating_sub(4)..], b[b.len().saturating_sub(4)..]);
        assert_ne!(NodeIds::new(b"other").anonymous("x"), ids.anonymous("x"), "another secret, other ids");
    }

    #[test]
    fn a_fingerprint_of_another_site_or_a_forged_one_has_no_node() {
        let fp = Fingerprint::mint(b"s", &SiteId::parse("demo").unwrap(), Origin::Link, 0, 42);
        let ids = NodeIds::new(b"s");
        assert!(ids.of_fingerprint("demo", fp.as_str()).is_some());
        assert_eq!(ids.of_fingerprint("other", fp.as_str()), None);
        assert_eq!(ids.of_fingerprint("demo", "AAAAAAAAAAAAAAAAAAAAA"), None);
        assert_eq!(ids.of_fingerprint("Not A Site", fp.as_str()), None);
    }
}
