//! What a page view means: an organic view, a click back through a share (an arrival), a visitor
//! reopening their own URL, or navigation inside the site.
//!
//! "Why was this click not counted?" is answered here:
//! - the parent fingerprint failed verification (forged, truncated, another site's) → the request
//!   is refused with `bad_fingerprint` before this module is reached, and nothing is counted;
//! - the referrer is a page of the same site → internal navigation, not a share;
//! - the parent was minted for this same visitor (same daily visitor hash) → a reload or a return
//!   to their own URL, not a click;
//! - the same visitor already clicked the same share today → counted once (the store's unique key
//!   on site, share, visitor and day; the redirect and the landing view share that key);
//! - the user agent is a crawler or a link-preview fetcher → never a click (see `agents.rs`);
//! - the request is not a top-level navigation (an `<img>`, a `fetch`, a prefetch on a foreign
//!   page), or the browser asks not to be tracked → redirected, never counted (`redirect_counts`);
//! - one address already added `counting::CLICKS_PER_ADDRESS` clicks to this share today.

use crate::fingerprint::Fingerprint;

/// The meaning of one reported page view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    /// The visitor did not arrive through a share.
    Organic,
    /// A click back through the share `parent`, at this depth of the reshare tree.
    Arrival { depth: u8 },
    /// The visitor reopened a URL carrying their own fingerprint (reload, back, bookmark).
    SelfVisit,
    /// The parent came along on a navigation from another page of the same site.
    Internal,
}

/// What the view request and the store say about a view.
#[derive(Debug, Clone, Copy)]
pub struct ViewFacts<'a> {
    /// The verified parent fingerprint from the arrived URL, if any.
    pub parent: Option<&'a Fingerprint>,
    /// Whether the referrer is a page on one of the site's hosts.
    pub referrer_is_same_site: bool,
    /// Whether the parent was minted for a view by this same visitor today.
    pub parent_is_own: bool,
}

/// Classifies a view.
pub fn classify_view(facts: &ViewFacts<'_>) -> ViewKind {
    match facts.parent {
        None => ViewKind::Organic,
        Some(_) if facts.parent_is_own => ViewKind::SelfVisit,
        Some(_) if facts.referrer_is_same_site => ViewKind::Internal,
        Some(parent) => ViewKind::Arrival { depth: parent.click_depth() },
    }
}

/// The generation of the fingerprint this view's visitor receives: an arrival at depth d makes the
/// visitor a sharer of generation d, so their own shares are clicked at depth d + 1.
pub fn own_generation(kind: ViewKind, parent: Option<&Fingerprint>) -> u8 {
    match kind {
        ViewKind::Arrival { depth } => depth,
        ViewKind::Internal | ViewKind::SelfVisit => parent.map_or(0, |p| p.generation),
        ViewKind::Organic => 0,
    }
}

/// What a browser says about a request to a short link.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestSignals<'a> {
    /// `Sec-Fetch-Dest`, when sent.
    pub fetch_dest: Option<&'a str>,
    /// `Sec-Fetch-Mode`, when sent.
    pub fetch_mode: Option<&'a str>,
    /// `Sec-GPC: 1` or `DNT: 1`.
    pub opted_out: bool,
}

/// Whether the redirect may count a human's request as a click: only a top-level navigation
/// (browsers that send `Sec-Fetch-*` mark subresources and `fetch()` otherwise), and never for a
/// browser that asks not to be tracked. Requests without those headers are judged as before.
pub fn redirect_counts(signals: &RequestSignals<'_>) -> bool {
    let dest_ok = signals.fetch_dest.is_none_or(|d| d.is_empty() || d.eq_ignore_ascii_case("document"));
    let mode_ok = signals.fetch_mode.is_none_or(|m| m.is_empty() || m.eq_ignore_ascii_case("navigate"));
    dest_ok && mode_ok && !signals.opted_out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::Origin;
    use crate::site::SiteId;

    fn fp(origin: Origin, generation: u8) -> Fingerprint {
        Fingerprint::mint(b"s", &SiteId::parse("demo").unwrap(), origin, generation, 1)
    }

    fn facts(parent: Option<&Fingerprint>, same_site: bool, own: bool) -> ViewFacts<'_> {
        ViewFacts { parent, referrer_is_same_site: same_site, parent_is_own: own }
    }

    #[test]
    fn a_view_without_parent_is_organic_and_starts_a_tree() {
        let kind = classify_view(&facts(None, false, false));
        assert_eq!(kind, ViewKind::Organic);
        assert_eq!(own_generation(kind, None), 0);
    }

    #[test]
    fn an_arrival_on_an_original_share_is_depth_one_and_its_reshares_depth_two() {
        let original = fp(Origin::View, 0);
        let kind = classify_view(&facts(Some(&original), false, false));
        assert_eq!(kind, ViewKind::Arrival { depth: 1 });
        let resharer = fp(Origin::View, own_generation(kind, Some(&original)));
        assert_eq!(classify_view(&facts(Some(&resharer), false, false)), ViewKind::Arrival { depth: 2 });
    }

    #[test]
    fn a_short_links_fingerprint_counts_like_its_sharers_generation() {
        assert_eq!(classify_view(&facts(Some(&fp(Origin::Link, 0)), false, false)), ViewKind::Arrival { depth: 1 });
        assert_eq!(classify_view(&facts(Some(&fp(Origin::Link, 1)), false, false)), ViewKind::Arrival { depth: 2 });
    }

    #[test]
    fn reopening_ones_own_url_is_not_a_click_and_keeps_the_generation() {
        let own = fp(Origin::View, 1);
        let kind = classify_view(&facts(Some(&own), false, true));
        assert_eq!(kind, ViewKind::SelfVisit);
        assert_eq!(own_generation(kind, Some(&own)), 1);
    }

    #[test]
    fn only_a_top_level_navigation_counts_at_the_redirect() {
        let signals = |dest, mode, opted_out| RequestSignals { fetch_dest: dest, fetch_mode: mode, opted_out };
        assert!(redirect_counts(&signals(None, None, false)), "older browsers and apps send no Sec-Fetch headers");
        assert!(redirect_counts(&signals(Some("document"), Some("navigate"), false)));
        for (dest, mode) in [(Some("image"), Some("no-cors")), (Some("empty"), Some("cors")), (Some("iframe"), Some("navigate")), (Some("document"), Some("no-cors")), (Some("script"), None)] {
            assert!(!redirect_counts(&signals(dest, mode, false)), "{dest:?} {mode:?}");
        }
        assert!(!redirect_counts(&signals(Some("document"), Some("navigate"), true)), "Sec-GPC / DNT");
    }

    #[test]
    fn navigation_inside_the_site_is_not_a_click() {
        let parent = fp(Origin::View, 0);
        assert_eq!(classify_view(&facts(Some(&parent), true, false)), ViewKind::Internal);
    }
}
