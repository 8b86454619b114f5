//! Who holds a bearer and what it may do: the console's one table of permissions.
//!
//! Three kinds of bearer reach the API: the admin token (every site, registration, deletion), a
//! site's stats token (that site: reads, links, settings, its own token), and a shared dashboard's
//! secret (that site's reports, nothing else). The edge finds out which one a request holds
//! (`edge/store/sites.rs`, one D1 read, never a cache, so a rotated token or a revoked secret stops
//! working at once in every isolate) and asks `grant`.

use crate::{Error, Result};

/// Prefix of a shared dashboard's secret (a stats token's is `dst_`).
pub const SHARED_SECRET_PREFIX: &str = "dss_";

/// The holder of a presented bearer, once looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// The deployment's `ADMIN_TOKEN`.
    Admin,
    /// The current stats token of this site.
    Site(String),
    /// A live shared dashboard's secret of this site.
    Shared(String),
    /// Nothing we know: a wrong, rotated, revoked or deleted bearer.
    Unknown,
}

/// What a request wants to do on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Read the site's reports: `GET /api/stats`, `/api/stats.csv`, `/api/live`, `/api/cascades/{id}`.
    Report,
    /// Everything else a site's owner does: its links, settings, shared links, its token.
    Manage,
    /// What only the admin does: change a site's name or hosts, delete it.
    Admin,
}

/// Whether `holder` may do `need` on site `site`.
///
/// # Errors
/// `BadToken` (401) for an unknown bearer; `ReadOnly` (403) for a shared secret asked to do
/// anything but read its own site's reports; `WrongSite` (403) for another site's stats token;
/// `AdminOnly` (403) for a stats token asking for an admin's change.
pub fn grant(holder: &Holder, site: &str, need: Need) -> Result<()> {
    match holder {
        Holder::Unknown => Err(Error::BadToken),
        Holder::Admin => match need {
            // The admin manages sites; their reports belong to their owners (and shared links).
            Need::Report => Err(Error::WrongSite),
            Need::Manage | Need::Admin => Ok(()),
        },
        Holder::Site(own) if own != site => Err(Error::WrongSite),
        Holder::Site(_) => match need {
            Need::Report | Need::Manage => Ok(()),
            Need::Admin => Err(Error::AdminOnly),
        },
        Holder::Shared(own) if own == site && need == Need::Report => Ok(()),
        Holder::Shared(_) => Err(Error::ReadOnly),
    }
}

/// The label of a shared link: optional, at most 100 characters, no control characters.
///
/// # Errors
/// `BadField` otherwise.
pub fn shared_label(raw: Option<String>) -> Result<Option<String>> {
    match raw {
        Some(l) if l.chars().count() > 100 || l.chars().any(char::is_control) => {
            Err(Error::field("label", "at most 100 characters, no control characters"))
        }
        Some(l) if l.trim().is_empty() => Ok(None),
        other => Ok(other.map(|l| l.trim().to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(id: &str) -> Holder {
        Holder::Site(id.into())
    }

    fn shared(id: &str) -> Holder {
        Holder::Shared(id.into())
    }

    #[test]
    fn a_shared_secret_reads_its_own_site_and_nothing_else() {
        assert_eq!(grant(&shared("a"), "a", Need::Report), Ok(()));
        assert_eq!(grant(&shared("a"), "a", Need::Manage), Err(Error::ReadOnly));
        assert_eq!(grant(&shared("a"), "a", Need::Admin), Err(Error::ReadOnly));
        assert_eq!(grant(&shared("a"), "b", Need::Report), Err(Error::ReadOnly));
    }

    #[test]
    fn a_stats_token_owns_its_site_but_is_no_admin() {
        assert_eq!(grant(&site("a"), "a", Need::Report), Ok(()));
        assert_eq!(grant(&site("a"), "a", Need::Manage), Ok(()));
        assert_eq!(grant(&site("a"), "a", Need::Admin), Err(Error::AdminOnly));
        for need in [Need::Report, Need::Manage, Need::Admin] {
            assert_eq!(grant(&site("a"), "b", need), Err(Error::WrongSite));
        }
    }

    #[test]
    fn the_admin_manages_every_site_and_unknown_bearers_are_401() {
        assert_eq!(grant(&Holder::Admin, "a", Need::Admin), Ok(()));
        assert_eq!(grant(&Holder::Admin, "a", Need::Manage), Ok(()));
        for need in [Need::Report, Need::Manage, Need::Admin] {
            assert_eq!(grant(&Holder::Unknown, "a", need), Err(Error::BadToken));
        }
    }

    #[test]
    fn labels_are_short_plain_text() {
        assert_eq!(shared_label(None), Ok(None));
        assert_eq!(shared_label(Some("  ".into())), Ok(None));
        assert_eq!(shared_label(Some(" Client A ".into())), Ok(Some("Client A".into())));
        assert!(shared_label(Some("x".repeat(101))).is_err());
        assert!(shared_label(Some("a\nb".into())).is_err());
    }
}
