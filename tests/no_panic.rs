//! Every parser and classifier that sees client input, fed with random and hostile strings: none may
//! panic. In the worker a panic aborts the request with a 500, which the contract forbids for
//! anything a client sends, so this is the native guard for "never a 500".

use darkshare::agents;
use darkshare::code::ShortCode;
use darkshare::fingerprint::Fingerprint;
use darkshare::link::Link;
use darkshare::link_list::{parse_limit, Cursor};
use darkshare::link_patch::LinkPatch;
use darkshare::site::SiteId;
use darkshare::source::{self, Evidence};
use darkshare::stats::Period;
use darkshare::target::{HostPattern, TargetUrl};
use darkshare::time::{parse_rfc3339_ms, Day};
use darkshare::Channel;

/// Pieces that tend to break parsers: separators, escapes, multi-byte and control characters.
const PIECES: &[&str] = &[
    "a", "Z", "0", "9", "-", "_", ".", "/", "//", "\\", ":", "@", "#", "?", "&", "=", "%", "%2e", "%00", "*",
    "http://", "https://", "android-app://", "xn--", "ä", "😀", "\u{202e}", "\u{0}", "\n", "\t", " ",
    "[", "]", "::1", "127.0.0.1", "example.com", "localhost", "T", "Z", "+01:00", "2026-", "02-29",
    "WhatsApp/2", "bot", "FBAN/", "Mozilla/5.0", "t.co", "mail.google.com", "ds=", "\u{ffff}",
];

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn text(&mut self) -> String {
        let parts = self.next() % 24;
        (0..parts).map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize]).collect()
    }
}

#[test]
fn no_client_input_makes_a_parser_or_classifier_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let site = SiteId::parse("demo").unwrap();
    let hosts = vec![HostPattern::parse("example.com").unwrap(), HostPattern::parse("*.example.com").unwrap()];
    let today = Day(20_000);
    let link: Link = serde_json::from_str(r#"{"site":"demo","url":"https://example.com/","channel":"email","fp":"x","created_at":0}"#).unwrap();
    for round in 0..20_000 {
        let (a, b) = (rng.text(), rng.text());
        let _ = TargetUrl::parse(&a, &hosts).map(|t| (t.page(), t.with_utm(Channel::Sms).with_fingerprint("x")));
        let _ = HostPattern::parse(&a);
        let _ = SiteId::parse(&a);
        let _ = ShortCode::parse(&a);
        let _ = ShortCode::custom(&a);
        let _ = Fingerprint::verify(b"secret-secret-secret", &site, &a);
        let _ = Day::parse(&a);
        let _ = parse_rfc3339_ms(&a);
        let _ = Period::parse(Some(&a), Some(&b), today);
        let _ = Channel::parse_shareable(&a);
        let _ = agents::classify(&a);
        let _ = agents::in_app_channel(&a);
        let _ = source::classify(&Evidence { referrer: Some(&a), user_agent: &b, hint: Some(&a), link_channel: None });
        let _ = parse_limit(Some(&a));
        let _ = Cursor::decode(b"secret-secret-secret", &site, &a);
        let patch = serde_json::json!({ "title": a, "expires_at": b, "disabled": round % 2 == 0 });
        let _ = serde_json::from_value::<LinkPatch>(patch).map(|p| p.apply(&link, 0));
        if round % 100 == 0 {
            let _ = darkshare::qr::svg(&a);
        }
    }
}
