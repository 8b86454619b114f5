//! `ShortCode`: the path segment of a short link, `GET /{code}`.
//!
//! Generated codes are derived, not random: base62 of an HMAC over the link's identity (site, URL,
//! channel, parent). The same share asked for twice gets the same code without an index lookup, and
//! a collision with a different link is resolved by taking a longer prefix of the same digest.
//! Custom slugs (chosen by a marketer) share the namespace but may not shadow the worker's own paths.

use crate::crypto::hmac_sha256;
use crate::{Error, Result};

/// Shortest generated code (the contract: base62, at least 6 characters).
pub const MIN_GENERATED_LEN: usize = 7;
/// Longest generated code: 128 bits of digest in base62 fit in 22 characters.
pub const MAX_GENERATED_LEN: usize = 22;
/// Longest custom slug.
pub const MAX_SLUG_LEN: usize = 64;

/// Paths the worker or its static assets answer itself; a slug may not take them.
const RESERVED: &[&str] = &[
    "api", "stats", "ds", "favicon", "robots", "health", "admin", "assets", "static", "www",
];

/// A syntactically valid short code or slug: `[A-Za-z0-9_-]`, 3–64 characters for slugs, base62
/// for generated codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShortCode(String);

impl ShortCode {
    /// Parses a code taken from a request path. Anything that could never have been issued is
    /// rejected here, before any storage read.
    ///
    /// # Errors
    /// `Error::UnknownLink` when the text cannot be a code.
    pub fn parse(raw: &str) -> Result<ShortCode> {
        if (3..=MAX_SLUG_LEN).contains(&raw.len()) && raw.bytes().all(is_code_byte) {
            Ok(ShortCode(raw.to_owned()))
        } else {
            Err(Error::UnknownLink)
        }
    }

    /// Validates a marketer's custom slug.
    ///
    /// # Errors
    /// `Error::BadSlug` when it is too short or long, has other characters, or is reserved.
    pub fn custom(raw: &str) -> Result<ShortCode> {
        if !(3..=MAX_SLUG_LEN).contains(&raw.len()) {
            return Err(Error::BadSlug(format!("length must be 3-{MAX_SLUG_LEN}")));
        }
        if !raw.bytes().all(is_code_byte) {
            return Err(Error::BadSlug("only A-Z, a-z, 0-9, '-' and '_' are allowed".into()));
        }
        let lower = raw.to_ascii_lowercase();
        if RESERVED.iter().any(|r| lower == *r || lower.starts_with(&format!("{r}."))) {
            return Err(Error::BadSlug(format!("{raw:?} is reserved")));
        }
        Ok(ShortCode(raw.to_owned()))
    }

    /// The code of a share derived from its identity, `len` characters long (clamped to
    /// `MIN_GENERATED_LEN..=MAX_GENERATED_LEN`). Longer codes of one identity extend shorter ones.
    pub fn derive(secret: &[u8], identity: &[&[u8]], len: usize) -> ShortCode {
        let digest = hmac_sha256(secret, "darkshare/code/v1", identity);
        let mut n = u128::from_be_bytes(digest[..16].try_into().unwrap_or([0; 16]));
        // Little-endian base62 digits: a longer code only appends digits to a shorter one.
        let len = len.clamp(MIN_GENERATED_LEN, MAX_GENERATED_LEN);
        let mut code = String::with_capacity(len);
        for _ in 0..len {
            code.push(BASE62[(n % 62) as usize] as char);
            n /= 62;
        }
        ShortCode(code)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ShortCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The base62 alphabet, digits first (the `base62` crate's standard order).
pub(crate) const BASE62: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn is_code_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_codes_are_stable_base62_and_at_least_six_chars() {
        let a = ShortCode::derive(b"s", &[b"demo", b"https://x/"], 7);
        let b = ShortCode::derive(b"s", &[b"demo", b"https://x/"], 7);
        assert_eq!(a, b);
        assert_eq!(a.as_str().len(), 7);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn longer_codes_extend_shorter_ones_and_identity_changes_the_code() {
        let short = ShortCode::derive(b"s", &[b"demo", b"u"], 7);
        let long = ShortCode::derive(b"s", &[b"demo", b"u"], 9);
        assert!(long.as_str().starts_with(short.as_str()));
        assert_ne!(short, ShortCode::derive(b"s", &[b"demo", b"v"], 7));
        assert_ne!(short, ShortCode::derive(b"other", &[b"demo", b"u"], 7));
    }

    #[test]
    fn length_is_clamped_to_the_documented_range() {
        assert_eq!(ShortCode::derive(b"s", &[b"x"], 1).as_str().len(), MIN_GENERATED_LEN);
        assert_eq!(ShortCode::derive(b"s", &[b"x"], 99).as_str().len(), MAX_GENERATED_LEN);
    }

    #[test]
    fn parse_rejects_what_could_never_be_issued() {
        for bad in ["", "ab", "a/b", "a.b", "ä-code", "%2e%2e", &"x".repeat(65), "code?x"] {
            assert_eq!(ShortCode::parse(bad), Err(Error::UnknownLink), "{bad:?}");
        }
        assert!(ShortCode::parse("aB3xY9z").is_ok());
        assert!(ShortCode::parse("spring-sale_2026").is_ok());
    }

    #[test]
    fn custom_slugs_are_validated_and_cannot_take_reserved_paths() {
        assert!(ShortCode::custom("spring-sale").is_ok());
        for bad in ["ab", "api", "API", "stats", "ds.js", "has space", "emoji😀", "a/b"] {
            assert!(matches!(ShortCode::custom(bad), Err(Error::BadSlug(_))), "{bad:?}");
        }
    }
}
