//! Where a page view came from: exactly one `ViewSource` per accepted view.
//!
//! Ordinary analytics call every view without a referrer "direct". darkshare splits that bucket:
//! a view that arrived through a share with no referrer (or a private channel's) is `dark_social`.
//!
//! The first rule that applies wins:
//! 1. an arrival through a share → `dark_social` when it is dark (as `dark_clicks` counts it), else
//!    `shared`;
//! 2. a visitor reopening their own fingerprinted URL → `self`;
//! 3. a same-site referrer → `internal`;
//! 4. a search engine's referrer → `search`; a public social network's → `social` (hosts from a
//!    maintained list, see [`referrers`]);
//! 5. any other usable referrer → `referral`;
//! 6. nothing usable (none, garbage, no host) → `direct`.
//!
//! A referrer host is looked up as it is (lowercase, without a trailing dot or a leading `www.`),
//! then as each parent domain (`de.search.yahoo.com` → `search.yahoo.com` → `yahoo.com`); the
//! first host the list knows decides, so `maps.google.com`, which the list knows as neither, never
//! becomes `google.com`. An `android-app://<package>` referrer is looked up by its package name
//! (`com.google.android.googlequicksearchbox` is Google's search app).

mod referrers;

use serde::Serialize;
use std::sync::OnceLock;

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

    /// The source named `raw` (the contract's name, as stored in rollups and on the queue).
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

/// The source of a view.
pub fn classify(attribution: Attribution, referrer: Option<&str>, referrer_is_same_site: bool) -> ViewSource {
    match attribution {
        Attribution::Arrival { dark: true } => ViewSource::DarkSocial,
        Attribution::Arrival { dark: false } => ViewSource::Shared,
        Attribution::SelfVisit => ViewSource::SelfVisit,
        Attribution::None if referrer_is_same_site => ViewSource::Internal,
        Attribution::None => referrer.map_or(ViewSource::Direct, of_referrer),
    }
}

/// Longest referrer looked at (as in `source.rs`): real ones are far shorter.
const MAX_REFERRER: usize = 4096;

/// What a referrer alone says: search, social, referral, or direct when it is not usable.
fn of_referrer(raw: &str) -> ViewSource {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_REFERRER {
        return ViewSource::Direct;
    }
    let Ok(url) = url::Url::parse(raw) else { return ViewSource::Direct };
    // `url` lowercases http(s) hosts but not the "host" of other schemes (android-app://com.Foo).
    let Some(host) = url.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()) else {
        return ViewSource::Direct;
    };
    if host.is_empty() {
        return ViewSource::Direct;
    }
    let known = match url.scheme() {
        "http" | "https" => web_host(&host),
        "android-app" => lookup(&host),
        _ => return ViewSource::Direct,
    };
    match known {
        Some(Known::Search) => ViewSource::Search,
        Some(Known::Social) => ViewSource::Social,
        Some(Known::Other) | None => ViewSource::Referral,
    }
}

/// What the generated list says about a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Search,
    Social,
    /// Known, and neither (webmail, ads, a search company's other services).
    Other,
}

/// The host, then each parent domain with at least two labels; the first the list knows decides.
fn web_host(host: &str) -> Option<Known> {
    let mut candidate = host.strip_prefix("www.").unwrap_or(host);
    loop {
        if let Some(known) = lookup(candidate) {
            return Some(known);
        }
        let (_, parent) = candidate.split_once('.')?;
        if !parent.contains('.') {
            return None;
        }
        candidate = parent;
    }
}

/// The generated tables, split into sorted line lists once per isolate for binary search.
fn tables() -> &'static [(Known, Vec<&'static str>); 3] {
    static TABLES: OnceLock<[(Known, Vec<&'static str>); 3]> = OnceLock::new();
    TABLES.get_or_init(|| {
        let lines = |text: &'static str| text.split('\n').filter(|l| !l.is_empty()).collect::<Vec<_>>();
        [
            (Known::Search, lines(referrers::SEARCH)),
            (Known::Social, lines(referrers::SOCIAL)),
            (Known::Other, lines(referrers::OTHER)),
        ]
    })
}

fn lookup(host: &str) -> Option<Known> {
    tables().iter().find(|(_, hosts)| hosts.binary_search(&host).is_ok()).map(|(known, _)| *known)
}

#[cfg(test)]
mod tests;
