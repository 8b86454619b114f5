//! Sites: the websites that embed the snippet, their hosts and their stats tokens.
//!
//! A stats token is shown once, at registration; only its SHA-256 is stored, so a leaked database
//! reveals no token.

use crate::crypto::{constant_time_eq, sha256_hex};
use crate::goal::PageGoals;
use crate::target::HostPattern;
use crate::{Error, Result};
use serde::Deserialize;

/// Most hosts one site may register.
pub const MAX_HOSTS: usize = 32;

/// A site id: 1–32 characters of `[a-z0-9-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SiteId(String);

impl SiteId {
    /// # Errors
    /// `Error::BadSiteId` for anything else.
    pub fn parse(raw: &str) -> Result<SiteId> {
        let ok = (1..=32).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok { Ok(SiteId(raw.to_owned())) } else { Err(Error::BadSiteId) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A registered site as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    pub hosts: Vec<HostPattern>,
    /// Lowercase hex SHA-256 of the stats token.
    pub token_sha256: String,
    /// Page goals (`goal::pages`): stored with the site so that the hot worker, which holds the
    /// site cached for its host check, matches every view against them without another read.
    pub goals: PageGoals,
}

impl Site {
    /// Checks a presented stats token against this site's.
    ///
    /// # Errors
    /// `Error::BadToken` when it does not match.
    pub fn check_token(&self, presented: &str) -> Result<()> {
        if constant_time_eq(sha256_hex(presented.as_bytes()).as_bytes(), self.token_sha256.as_bytes()) {
            Ok(())
        } else {
            Err(Error::BadToken)
        }
    }

    /// The hosts as the contract shows them.
    pub fn host_texts(&self) -> Vec<String> {
        self.hosts.iter().map(HostPattern::as_text).collect()
    }
}

/// The body of `POST /api/sites`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSiteRequest {
    pub id: String,
    pub name: Option<String>,
    pub hosts: Vec<String>,
}

impl NewSiteRequest {
    /// Validates the request into a site with the given (fresh, random) stats token.
    ///
    /// # Errors
    /// `Error::BadSiteId`, or `Error::BadField` for a bad name or hosts list.
    pub fn into_site(self, stats_token: &str) -> Result<Site> {
        let id = SiteId::parse(&self.id)?;
        let name = site_name(self.name.unwrap_or_else(|| self.id.clone()))?;
        let hosts = site_hosts(&self.hosts)?;
        Ok(Site { id, name, hosts, token_sha256: sha256_hex(stats_token.as_bytes()), goals: PageGoals::default() })
    }
}

/// A site's name: at most 100 characters, no control characters (registration and `PATCH`).
///
/// # Errors
/// `Error::BadField` otherwise.
pub fn site_name(name: String) -> Result<String> {
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Error::field("name", "at most 100 characters, no control characters"));
    }
    Ok(name)
}

/// A site's hosts: 1 to `MAX_HOSTS` patterns, duplicates dropped (registration and `PATCH`).
///
/// # Errors
/// `Error::BadField` for an empty or too long list; the pattern's own error for a bad host.
pub fn site_hosts(raw: &[String]) -> Result<Vec<HostPattern>> {
    if raw.is_empty() || raw.len() > MAX_HOSTS {
        return Err(Error::field("hosts", format!("between 1 and {MAX_HOSTS} hosts")));
    }
    let mut hosts: Vec<HostPattern> = Vec::with_capacity(raw.len());
    for text in raw {
        let host = HostPattern::parse(text)?;
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    Ok(hosts)
}

/// Parses the stored comma-free JSON list of hosts back into patterns; entries that no longer parse
/// are dropped rather than widening the policy.
pub fn hosts_from_stored(texts: &[String]) -> Vec<HostPattern> {
    texts.iter().filter_map(|t| HostPattern::parse(t).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: &str, hosts: &[&str]) -> NewSiteRequest {
        NewSiteRequest { id: id.into(), name: Some("Demo".into()), hosts: hosts.iter().map(|h| h.to_string()).collect() }
    }

    #[test]
    fn site_ids_follow_the_contract() {
        for ok in ["demo", "a", "my-site-2", &"x".repeat(32)] {
            assert!(SiteId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Demo", "my_site", "a b", &"x".repeat(33), "ä"] {
            assert_eq!(SiteId::parse(bad), Err(Error::BadSiteId), "{bad}");
        }
    }

    #[test]
    fn a_valid_request_becomes_a_site_whose_token_checks() {
        let site = request("demo", &["example.com", "*.example.com", "example.com"]).into_site("tok").unwrap();
        assert_eq!(site.host_texts(), vec!["example.com", "*.example.com"]);
        assert!(site.check_token("tok").is_ok());
        assert_eq!(site.check_token("tok2"), Err(Error::BadToken));
        assert!(!site.token_sha256.contains("tok"));
    }

    #[test]
    fn bad_hosts_lists_are_refused() {
        assert!(request("demo", &[]).into_site("t").is_err());
        assert!(request("demo", &["https://example.com"]).into_site("t").is_err());
        let many: Vec<String> = (0..=MAX_HOSTS).map(|i| format!("h{i}.com")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(request("demo", &many).into_site("t").is_err());
    }
}
