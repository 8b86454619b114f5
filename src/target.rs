//! `TargetUrl` and the site's host policy: the open-redirect guard.
//!
//! Invariant: the URL that is checked is the URL that is emitted. Raw input is parsed once with the
//! WHATWG parser (`url`), the parsed host is matched against the site's hosts, and from then on only
//! the parser's serialization is used, so percent-encoded, IDN or oddly-slashed spellings cannot make
//! the check and the browser disagree about where a redirect goes.

use crate::error::clip;
use crate::{Channel, Error, Result};
use url::{Host, Url};

/// Longest accepted target URL, in bytes.
pub const MAX_URL_LEN: usize = 2048;

/// One entry of a site's `hosts`: an exact host, or `*.example.com` for any subdomain of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPattern {
    Exact(String),
    /// Any host strictly below this domain (`*.example.com` matches `a.example.com`, not
    /// `example.com`: list both to allow both).
    Subdomains(String),
}

impl HostPattern {
    /// Parses and normalizes (lowercase, IDN → punycode) a host entry.
    ///
    /// # Errors
    /// `Error::BadField("hosts")` for anything that is not a bare host name or IP address.
    pub fn parse(raw: &str) -> Result<HostPattern> {
        let bad = || Error::field("hosts", format!("{:?} is not a host name", clip(raw)));
        let (wildcard, name) = match raw.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        if !name.is_ascii() {
            return Err(Error::field("hosts", format!("{:?}: write internationalized domain names in their xn-- (punycode) form", clip(raw))));
        }
        if name.is_empty() || name.len() > 253 || name.contains(['/', ':', '@', '*', '\\', '?', '#', '%']) {
            return Err(bad());
        }
        let url = Url::parse(&format!("http://{name}/")).map_err(|_| bad())?;
        let host = match url.host() {
            Some(Host::Domain(d)) => d.to_owned(),
            Some(Host::Ipv4(ip)) if !wildcard => ip.to_string(),
            _ => return Err(bad()),
        };
        if wildcard && !host.trim_end_matches('.').contains('.') {
            return Err(crate::suffix::refused(&host)); // `*.com` would hand out a whole top-level domain
        }
        Ok(if wildcard { HostPattern::Subdomains(host) } else { HostPattern::Exact(host) })
    }

    /// Whether `host` (already normalized by the URL parser) is covered by this pattern.
    pub fn matches(&self, host: &str) -> bool {
        match self {
            HostPattern::Exact(h) => h == host,
            HostPattern::Subdomains(d) => {
                host.len() > d.len() + 1 && host.ends_with(d.as_str()) && host.as_bytes()[host.len() - d.len() - 1] == b'.'
            }
        }
    }

    /// The entry as the site registered it, normalized.
    pub fn as_text(&self) -> String {
        match self {
            HostPattern::Exact(h) => h.clone(),
            HostPattern::Subdomains(d) => format!("*.{d}"),
        }
    }

    /// The domain a wildcard covers (`example.com` for `*.example.com`), to be checked against the
    /// Public Suffix List before the site is stored.
    pub fn wildcard_domain(&self) -> Option<&str> {
        match self {
            HostPattern::Exact(_) => None,
            HostPattern::Subdomains(d) => Some(d),
        }
    }
}

/// Whether any of `patterns` covers `host`.
pub fn host_allowed(patterns: &[HostPattern], host: &str) -> bool {
    patterns.iter().any(|p| p.matches(host))
}

/// An absolute http(s) URL on one of its site's hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl(Url);

impl TargetUrl {
    /// Validates `raw` against the site's host policy.
    ///
    /// # Errors
    /// `Error::BadUrl` when it is not an absolute http(s) URL without user-info, control characters
    /// or backslashes, or longer than `MAX_URL_LEN`; `Error::HostNotAllowed` when its host is not one
    /// of the site's hosts.
    pub fn parse(raw: &str, hosts: &[HostPattern]) -> Result<TargetUrl> {
        let url = parse_http_url(raw)?;
        let host = url.host_str().unwrap_or_default();
        if !host_allowed(hosts, host) {
            return Err(Error::HostNotAllowed(clip(host)));
        }
        Ok(TargetUrl(url))
    }

    /// Wraps a URL that passed `parse` earlier (read back from our own storage).
    pub(crate) fn trusted(url: Url) -> TargetUrl {
        TargetUrl(url)
    }

    /// The normalized URL.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The URL's host.
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    /// The page this URL is about, for stats: scheme, host, port and path; the query and fragment
    /// are dropped so tracking parameters and anchors do not split one page into many.
    pub fn page(&self) -> String {
        let mut page = self.0.clone();
        page.set_query(None);
        page.set_fragment(None);
        page.into()
    }

    /// The URL without its fragment (what a share points at).
    pub fn without_fragment(&self) -> TargetUrl {
        let mut url = self.0.clone();
        url.set_fragment(None);
        TargetUrl(url)
    }

    /// Adds `utm_source=<channel>` and `utm_medium=darkshare` where the URL does not already carry
    /// them; every existing parameter, `utm_*` included, is kept as it was.
    pub fn with_utm(&self, channel: Channel) -> TargetUrl {
        let has = |key: &str| self.0.query_pairs().any(|(k, _)| k == key);
        let (source, medium) = (has("utm_source"), has("utm_medium"));
        let mut url = self.0.clone();
        if !source || !medium {
            let mut pairs = url.query_pairs_mut();
            if !source {
                pairs.append_pair("utm_source", channel.as_str());
            }
            if !medium {
                pairs.append_pair("utm_medium", "darkshare");
            }
        }
        TargetUrl(url)
    }

    /// The redirect location that carries fingerprint `fp` as `#ds=<fp>`. A target that has a
    /// fragment of its own (an anchor, a hash route) keeps it and gets no fingerprint: breaking the
    /// page is worse than losing a reshare link (the click itself is counted at the redirect).
    pub fn with_fingerprint(&self, fp: &str) -> String {
        if self.0.fragment().is_some_and(|f| !f.is_empty()) {
            return self.0.to_string();
        }
        let mut url = self.0.clone();
        url.set_fragment(Some(&format!("ds={fp}")));
        url.into()
    }
}

/// Parses an absolute http(s) URL with the checks every untrusted URL gets, without a host policy
/// (page URLs reported by the snippet go through `TargetUrl::parse` too; this is the shared part).
///
/// # Errors
/// `Error::BadUrl` as for `TargetUrl::parse`.
pub fn parse_http_url(raw: &str) -> Result<Url> {
    if raw.len() > MAX_URL_LEN {
        return Err(Error::BadUrl(format!("longer than {MAX_URL_LEN} bytes")));
    }
    if raw.chars().any(|c| c.is_control() || c == '\\') {
        return Err(Error::BadUrl("control characters and backslashes are not allowed".into()));
    }
    let lower = raw.get(..8).unwrap_or(raw).to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(Error::BadUrl("must start with http:// or https://".into()));
    }
    let url = Url::parse(raw).map_err(|e| match e {
        url::ParseError::IdnaError => Error::BadUrl("internationalized host names must be written in their xn-- (punycode) form, as browsers report them".into()),
        e => Error::BadUrl(e.to_string()),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::BadUrl("user-info (user@host) is not allowed".into()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::BadUrl("no host".into()));
    }
    // The parser percent-encodes (a space or a non-ASCII byte becomes three bytes), so a raw URL
    // within the limit can serialize to three times it: what is stored, cached and redirected to
    // is the serialization, so that is what must fit.
    if url.as_str().len() > MAX_URL_LEN {
        return Err(Error::BadUrl(format!("longer than {MAX_URL_LEN} bytes once percent-encoded")));
    }
    Ok(url)
}

#[cfg(test)]
mod tests;
