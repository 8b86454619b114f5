//! Request paths: where the path of a request URL is, and which paths are short links.
//!
//! The router reads the runtime's URL string instead of a parsed URL object because `GET /{code}`
//! is the hot path and every parse or conversion there is paid per click.

/// The path of an absolute URL as the runtime serializes it (`scheme://authority/path?query`).
///
/// A WHATWG serialization of an `http(s)` URL always has a path starting at the first `/` after
/// the authority, and a literal `?` or `#` inside the path is always percent-encoded, so no
/// reparse is needed.
pub fn path_of(url: &str) -> &str {
    let rest = url.find("://").map_or(url, |i| &url[i + 3..]);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or("/")
}

/// The code of a short-link path `/{code}`: one segment that is not the API's. Whether it is a
/// well-formed code is `ShortCode::parse`'s question.
pub fn short_link(path: &str) -> Option<&str> {
    let segment = path.strip_prefix('/')?;
    (!segment.contains('/') && segment != "api").then_some(segment)
}

/// Whether the query of a serialized URL holds `name=1` (e.g. `?qr=1`, a QR scan).
pub fn query_flag(url: &str, name: &str) -> bool {
    let Some(query) = url.split('#').next().and_then(|u| u.split_once('?')).map(|(_, q)| q) else { return false };
    query.split('&').any(|pair| pair.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')) == Some("1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_path_of_serialized_urls() {
        assert_eq!(path_of("https://s.example/aB3xY9q"), "/aB3xY9q");
        assert_eq!(path_of("https://s.example/aB3xY9q?utm=1"), "/aB3xY9q");
        assert_eq!(path_of("https://s.example/api/stats?site=x&from=2026-01-01"), "/api/stats");
        assert_eq!(path_of("http://127.0.0.1:8787/"), "/");
        assert_eq!(path_of("http://127.0.0.1:8787/?q=/x"), "/");
        assert_eq!(path_of("https://user:pw@s.example/a%3Fb?c"), "/a%3Fb");
        assert_eq!(path_of("https://s.example"), "/");
    }

    #[test]
    fn finds_a_flag_in_the_query_only() {
        assert!(query_flag("https://s.example/aB3xY9q?qr=1", "qr"));
        assert!(query_flag("https://s.example/aB3xY9q?x=2&qr=1", "qr"));
        assert!(!query_flag("https://s.example/aB3xY9q?qr=0", "qr"));
        assert!(!query_flag("https://s.example/aB3xY9q?xqr=1", "qr"));
        assert!(!query_flag("https://s.example/aB3xY9q#?qr=1", "qr"));
        assert!(!query_flag("https://s.example/aB3xY9q", "qr"));
    }

    #[test]
    fn short_links_are_single_segments_outside_the_api() {
        assert_eq!(short_link("/aB3xY9q"), Some("aB3xY9q"));
        assert_eq!(short_link("/"), Some(""));
        assert_eq!(short_link("/api"), None);
        assert_eq!(short_link("/api/links"), None);
        assert_eq!(short_link("/a/b"), None);
        assert_eq!(short_link(""), None);
    }
}
