//! HMAC-SHA-256, SHA-256 and constant-time comparison: the only place that touches `hmac`/`sha2`.
//!
//! Every signed or derived value (fingerprints, short codes, visitor hashes, token hashes) goes
//! through here, each under its own domain label so one can never be replayed as another.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// HMAC-SHA-256 of `parts` under `key`, with `domain` first. Each part is length-prefixed so that
/// `("ab", "c")` and `("a", "bc")` never collide.
pub fn hmac_sha256(key: &[u8], domain: &str, parts: &[&[u8]]) -> [u8; 32] {
    HmacKey::new(key).sign(domain, parts)
}

/// An HMAC-SHA-256 key whose inner and outer pads are already hashed. A key that signs many
/// messages (the day's salt signs every click's visitor hash) pays those two SHA-256 blocks once
/// instead of per message.
#[derive(Clone)]
pub struct HmacKey(Hmac<Sha256>);

impl HmacKey {
    pub fn new(key: &[u8]) -> HmacKey {
        // `new_from_slice` accepts keys of any length for HMAC, so this cannot fail.
        HmacKey(<Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!()))
    }

    /// The same as [`hmac_sha256`] under this key.
    pub fn sign(&self, domain: &str, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.0.clone();
        feed(&mut mac, domain.as_bytes());
        for part in parts {
            feed(&mut mac, part);
        }
        mac.finalize().into_bytes().into()
    }
}

fn feed(mac: &mut Hmac<Sha256>, part: &[u8]) {
    mac.update(&(part.len() as u32).to_be_bytes());
    mac.update(part);
}

/// Plain HMAC-SHA-256 of `message` (no domain label, no length prefixes): for signatures that
/// others verify with a standard HMAC, such as webhook deliveries.
pub fn hmac_sha256_plain(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex SHA-256 of `data` (used to store stats tokens without keeping the token).
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_length_prefixed_so_boundaries_matter() {
        let k = b"k";
        assert_ne!(hmac_sha256(k, "d", &[b"ab", b"c"]), hmac_sha256(k, "d", &[b"a", b"bc"]));
        assert_ne!(hmac_sha256(k, "d1", &[b"x"]), hmac_sha256(k, "d2", &[b"x"]));
        assert_eq!(hmac_sha256(k, "d", &[b"x"]), hmac_sha256(k, "d", &[b"x"]));
    }

    #[test]
    fn sha256_hex_matches_a_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn constant_time_eq_compares_contents_and_lengths() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
