//! Where a page view came from: exactly one `ViewSource` per accepted view.
//!
//! Ordinary analytics call every view without a referrer "direct". darkshare splits that bucket:
//! a view that arrived through a share with no referrer (or a private channel's) is `dark_social`.

use serde::Serialize;

/// The source of one page view (the contract's eight values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewSource {
    /// An arrival through a share that is dark (as `dark_clicks` counts it).
    DarkSocial,
    /// An arrival through a share that is not dark.
    Shared,
    /// A visitor reopening their own fingerprinted URL.
    #[serde(rename = "self")]
    SelfVisit,
    /// A same-site referrer.
    Internal,
    /// A search engine's referrer.
    Search,
    /// A public social network's referrer, no share.
    Social,
    /// Any other referrer.
    Referral,
    /// No referrer and no share.
    Direct,
}

impl ViewSource {
    /// All eight, in the order reports list them.
    pub const ALL: [ViewSource; 8] = [
        ViewSource::DarkSocial,
        ViewSource::Shared,
        ViewSource::SelfVisit,
        ViewSource::Internal,
        ViewSource::Search,
        ViewSource::Social,
        ViewSource::Referral,
        ViewSource::Direct,
    ];

    /// The source named `raw` (the contract's name).
    pub fn parse(raw: &str) -> Option<ViewSource> {
        ViewSource::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The contract's name.
    pub fn as_str(self) -> &'static str {
        match self {
            ViewSource::DarkSocial => "dark_social",
            ViewSource::Shared => "shared",
            ViewSource::SelfVisit => "self",
            ViewSource::Internal => "internal",
            ViewSource::Search => "search",
            ViewSource::Social => "social",
            ViewSource::Referral => "referral",
            ViewSource::Direct => "direct",
        }
    }
}

/// What the view workflow knows about a view when it picks its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribution {
    /// An arrival through a share; `dark` as `dark_clicks` counts it.
    Arrival { dark: bool },
    SelfVisit,
    /// Not an arrival (no parent, or a same-site navigation).
    None,
}

/// The source of a view. Placeholder until the referrer lists land (issue 13): every other
/// referrer is a `Referral`.
pub fn classify(attribution: Attribution, referrer: Option<&str>, referrer_is_same_site: bool) -> ViewSource {
    match attribution {
        Attribution::Arrival { dark: true } => ViewSource::DarkSocial,
        Attribution::Arrival { dark: false } => ViewSource::Shared,
        Attribution::SelfVisit => ViewSource::SelfVisit,
        Attribution::None if referrer_is_same_site => ViewSource::Internal,
        Attribution::None if referrer.is_some_and(|r| !r.is_empty()) => ViewSource::Referral,
        Attribution::None => ViewSource::Direct,
    }
}
