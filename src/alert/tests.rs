//! Alert rules: URL validation, settings patches, the threshold, payload, signature and retries.

use super::*;

#[test]
fn https_webhooks_and_local_http_ones_are_accepted() {
    for ok in [
        "https://hooks.slack.com/services/T0/B0/abc",
        "https://example.webhook.office.com/webhookb2/x",
        "http://localhost:8080/hook",
        "http://127.0.0.1:9/x",
        "https://127.0.0.1/x",
    ] {
        assert!(WebhookUrl::parse(ok).is_ok(), "{ok}");
    }
}

#[test]
fn other_schemes_remote_http_user_info_and_long_urls_are_refused() {
    let long = format!("https://example.com/{}", "a".repeat(MAX_WEBHOOK_BYTES));
    for bad in [
        "http://example.com/hook",
        "http://localhost.evil.example/hook",
        "http://127.0.0.2/x",
        "ftp://example.com/",
        "javascript:alert(1)",
        "https://user:pass@example.com/",
        "https://user@example.com/",
        "http://me@localhost/",
        "not a url",
        "",
        &long,
    ] {
        let err = WebhookUrl::parse(bad).unwrap_err();
        assert_eq!(err.code(), "bad_field", "{bad}");
    }
}

fn patch(json: &str) -> SitePatch {
    serde_json::from_str(json).unwrap()
}

#[test]
fn the_first_webhook_gets_a_secret_shown_once_and_a_changed_url_keeps_it() {
    let start = AlertSettings::default();
    assert_eq!(start.clicks_per_hour, 50);
    let (set, shown) = start.apply(&patch(r#"{"webhook": "https://example.com/a"}"#), "s1").unwrap();
    assert_eq!(shown.as_deref(), Some("s1"));
    assert_eq!(set.secret.as_deref(), Some("s1"));
    let (moved, shown) = set.apply(&patch(r#"{"webhook": "https://example.com/b", "alert_clicks_per_hour": 7}"#), "s2").unwrap();
    assert_eq!((shown, moved.secret.as_deref(), moved.clicks_per_hour), (None, Some("s1"), 7));
    let (off, _) = moved.apply(&patch(r#"{"webhook": null}"#), "s3").unwrap();
    assert_eq!((off.webhook.clone(), off.secret.clone(), off.clicks_per_hour), (None, None, 7));
    let (again, shown) = off.apply(&patch(r#"{"webhook": "https://example.com/c"}"#), "s4").unwrap();
    assert_eq!((shown.as_deref(), again.secret.as_deref()), (Some("s4"), Some("s4")));
}

#[test]
fn an_absent_field_changes_nothing_and_bad_values_are_refused() {
    let start = AlertSettings::default();
    assert_eq!(start.apply(&patch("{}"), "s").unwrap(), (start.clone(), None));
    for bad in [r#"{"alert_clicks_per_hour": 0}"#, r#"{"alert_clicks_per_hour": -3}"#, r#"{"alert_clicks_per_hour": 1000001}"#, r#"{"webhook": "http://example.com/"}"#] {
        assert_eq!(start.apply(&patch(bad), "s").unwrap_err().code(), "bad_field", "{bad}");
    }
    for malformed in [r#"{"alert_clicks_per_hour": 1.5}"#, r#"{"alert_clicks_per_hour": "5"}"#, r#"{"webhook": 3}"#, r#"{"colour": "x"}"#, r#"{"name": 3}"#] {
        assert!(serde_json::from_str::<SitePatch>(malformed).is_err(), "{malformed}");
    }
}

#[test]
fn a_page_is_due_exactly_at_the_threshold() {
    assert!(!is_due(49, 50));
    assert!(is_due(50, 50));
    assert!(is_due(51, 50));
    assert!(is_due(1, 1));
}

#[test]
fn the_payload_has_the_contracts_fields_and_one_sentence() {
    let hour = LastHour { clicks: 52, dark_clicks: 40, views: 130, top_channel: Some("whatsapp".into()) };
    let p = Payload::new("demo", "https://example.com/post", &hour);
    let json: serde_json::Value = serde_json::from_str(&p.body()).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 7);
    for key in ["text", "site", "url", "clicks_last_hour", "dark_clicks_last_hour", "top_channel", "k_factor_last_hour"] {
        assert!(keys.contains(&key), "{key}");
    }
    assert_eq!(json["k_factor_last_hour"], 0.4);
    assert_eq!(json["top_channel"], "whatsapp");
    assert!(p.text.contains("https://example.com/post") && p.text.contains("52 clicks") && p.text.contains("via whatsapp"), "{}", p.text);
    let quiet = Payload::new("demo", "https://e.com/", &LastHour { clicks: 3, ..LastHour::default() });
    assert_eq!((quiet.k_factor_last_hour, quiet.top_channel), (None, None));
    assert!(Payload::test("demo").text.starts_with("Test alert"));
}

/// The signature is a standard HMAC-SHA-256 (RFC 4231 test case 2), so any receiver can check it.
#[test]
fn the_signature_is_a_plain_hmac_of_the_body() {
    assert_eq!(
        signature("Jefe", "what do ya want for nothing?"),
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn retries_back_off_and_stop() {
    let delays: Vec<Option<u32>> = (1..=MAX_ATTEMPTS).map(retry_delay_seconds).collect();
    assert_eq!(delays, [Some(5), Some(30), Some(180), Some(1080), Some(3600), None]);
}

#[test]
fn each_clicked_page_is_checked_once() {
    use crate::event::{Click, Event};
    use crate::view_source::ViewSource;
    let click = |site: &str, page: &str| {
        Event::Click(Click {
            site: site.into(),
            minute: 1,
            page: page.into(),
            channel: crate::Channel::Sms,
            depth: 1,
            dark: true,
            share: "s".into(),
            from_link: false,
            visitor: "v".into(),
            address: "a".into(),
            node: "n".into(),
            link: None,
            scan: false,
        })
    };
    let view = Event::View { id: "1".into(), site: "demo".into(), minute: 1, page: "https://e.com/v".into(), source: ViewSource::Direct, viewer: None };
    let events = [click("demo", "https://e.com/a"), view, click("demo", "https://e.com/b"), click("demo", "https://e.com/a"), click("other", "https://e.com/a")];
    let want: Vec<(String, String)> = [("demo", "https://e.com/a"), ("demo", "https://e.com/b"), ("other", "https://e.com/a")]
        .iter()
        .map(|(s, p)| (s.to_string(), p.to_string()))
        .collect();
    assert_eq!(pages_to_check(&events), want);
}
