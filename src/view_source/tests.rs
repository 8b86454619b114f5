//! The source rules, with referrers as browsers really send them.

use super::*;
use ViewSource as S;

fn organic(referrer: &str) -> ViewSource {
    classify(Attribution::None, Some(referrer), false)
}

/// Real referrers of the search engines the contract names, with their country domains, paths and
/// apps: every one is `search`.
#[test]
fn search_engines_and_their_country_domains_are_search() {
    let referrers = [
        "https://www.google.com/",
        "https://www.google.de/",
        "https://google.de/",
        "https://www.google.co.uk/search?q=x",
        "https://www.google.com.br/",
        "https://www.google.co.jp/",
        "https://encrypted.google.com/",
        "android-app://com.google.android.googlequicksearchbox/",
        "android-app://com.google.android.googlequicksearchbox/https/www.google.com",
        "https://www.bing.com/",
        "https://bing.com/search?q=x",
        "https://cn.bing.com/",
        "https://duckduckgo.com/",
        "https://html.duckduckgo.com/",
        "https://search.yahoo.com/",
        "https://de.search.yahoo.com/search?p=x",
        "https://search.yahoo.co.jp/",
        "https://yandex.ru/",
        "https://yandex.com.tr/",
        "https://ya.ru/",
        "https://www.baidu.com/link?url=abc",
        "https://baidu.com/",
        "https://m.baidu.com/",
        "https://www.ecosia.org/",
        "https://ecosia.org/search?q=x",
        "https://www.qwant.com/",
        "https://qwant.com/",
        "https://www.startpage.com/",
        "https://eu.startpage.com/do/search",
        "https://search.brave.com/",
        "https://search.naver.com/search.naver?query=x",
        "https://m.search.naver.com/",
        "https://search.seznam.cz/?q=x",
        "https://WWW.GOOGLE.DE./",
    ];
    let wrong: Vec<_> = referrers.iter().filter(|r| organic(r) != S::Search).map(|r| (r, organic(r))).collect();
    assert!(wrong.is_empty(), "not search: {wrong:?}");
}

/// Public social networks, including their link wrappers, mobile hosts and apps.
#[test]
fn public_social_networks_are_social() {
    let referrers = [
        "https://facebook.com/",
        "https://www.facebook.com/",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com",
        "https://lm.facebook.com/",
        "https://m.facebook.com/story.php",
        "https://t.co/AbCdEf",
        "https://x.com/someone/status/1",
        "https://twitter.com/",
        "https://mobile.twitter.com/",
        "https://www.linkedin.com/feed/",
        "https://lnkd.in/abc",
        "android-app://com.linkedin.android/",
        "https://www.reddit.com/r/rust/",
        "https://old.reddit.com/",
        "https://out.reddit.com/t3_x",
        "android-app://com.reddit.frontpage/",
        "https://l.instagram.com/?u=x",
        "https://www.youtube.com/",
        "https://news.ycombinator.com/item?id=1",
        "https://mastodon.social/@someone",
        "https://bsky.app/profile/x",
        "https://www.pinterest.com/",
        "https://vk.com/",
    ];
    let wrong: Vec<_> = referrers.iter().filter(|r| organic(r) != S::Social).map(|r| (r, organic(r))).collect();
    assert!(wrong.is_empty(), "not social: {wrong:?}");
}

/// Hosts of search companies that are not search, webmail, messengers and ordinary sites are
/// `referral`: a referrer, but neither a search engine nor a public network.
#[test]
fn other_referrers_are_referral() {
    let referrers = [
        "https://maps.google.com/",
        "https://mail.google.com/mail/u/0/",
        "https://web.whatsapp.com/",
        "https://web.skype.com/",
        "https://example.org/blog/post",
        "https://news.example.com/",
        "https://googleblog.example/",
        "https://google.evil.example/",
        "https://notgoogle.com/",
        "http://192.168.1.1:8080/x",
        "android-app://com.whatsapp/",
        "android-app://com.example.unknown/",
    ];
    let wrong: Vec<_> = referrers.iter().filter(|r| organic(r) != S::Referral).map(|r| (r, organic(r))).collect();
    assert!(wrong.is_empty(), "not referral: {wrong:?}");
}

/// No referrer, or one with nothing usable in it, is `direct`.
#[test]
fn no_usable_referrer_is_direct() {
    assert_eq!(classify(Attribution::None, None, false), S::Direct);
    let long = format!("https://www.google.com/{}", "a".repeat(5_000));
    for garbage in ["", "   ", "not a url", "google.com", "android-app://", "https://", "about:blank", "file:///etc/passwd", &long] {
        assert_eq!(organic(garbage), S::Direct, "{garbage:?}");
    }
}

/// A share beats every referrer; a self-visit beats the referrer; a same-site referrer is internal.
#[test]
fn shares_self_visits_and_internal_navigation_come_first() {
    let search = Some("https://www.google.com/");
    assert_eq!(classify(Attribution::Arrival { dark: true }, None, false), S::DarkSocial);
    assert_eq!(classify(Attribution::Arrival { dark: true }, Some("https://web.whatsapp.com/"), false), S::DarkSocial);
    assert_eq!(classify(Attribution::Arrival { dark: false }, Some("https://t.co/x"), false), S::Shared);
    assert_eq!(classify(Attribution::Arrival { dark: false }, search, true), S::Shared);
    assert_eq!(classify(Attribution::SelfVisit, search, true), S::SelfVisit);
    assert_eq!(classify(Attribution::None, Some("https://example.com/other"), true), S::Internal);
    assert_eq!(classify(Attribution::None, search, false), S::Search);
}

/// The names are the contract's, they round-trip, and serde uses the same ones.
#[test]
fn names_are_the_contracts_and_round_trip() {
    let names: Vec<_> = ViewSource::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(names, ["dark_social", "shared", "self", "internal", "search", "social", "referral", "direct"]);
    for s in ViewSource::ALL {
        assert_eq!(ViewSource::parse(s.as_str()), Some(s));
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
    }
    assert_eq!(ViewSource::parse("organic"), None);
}

/// The generated tables are sorted (binary search depends on it) and hold plain lowercase hosts.
#[test]
fn generated_tables_are_sorted_lowercase_hosts() {
    for (known, hosts) in tables() {
        assert!(hosts.len() > 50, "{known:?} is too small");
        assert!(hosts.windows(2).all(|w| w[0] < w[1]), "{known:?} is not strictly sorted");
        assert!(hosts.iter().all(|h| h.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')));
        assert!(hosts.iter().all(|h| !h.starts_with("www.")));
    }
}
