use super::*;
use crate::link::Link;

fn demo() -> SiteId {
    SiteId::parse("demo").unwrap()
}

fn row(code: &str, created_at: i64) -> IndexRow {
    IndexRow { code: code.into(), created_at, counts: LinkCounts::default() }
}

#[test]
fn limit_defaults_to_fifty_and_accepts_one_to_a_hundred() {
    assert_eq!(parse_limit(None).unwrap(), 50);
    assert_eq!(parse_limit(Some("1")).unwrap(), 1);
    assert_eq!(parse_limit(Some("100")).unwrap(), 100);
    for bad in ["0", "101", "-1", "", "ten", "1.5", "99999999999999999999999"] {
        assert!(matches!(parse_limit(Some(bad)), Err(Error::BadField { field: "limit", .. })), "{bad:?}");
    }
}

#[test]
fn a_cursor_round_trips_for_its_site() {
    let cursor = Cursor { created_at: 1_764_043_200_123, code: "spring-sale_2".into() };
    let text = cursor.encode(b"secret", &demo());
    assert_eq!(Cursor::decode(b"secret", &demo(), &text).unwrap(), cursor);
    assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)), "URL-safe: {text}");
}

/// Every edit of an issued cursor, another site's cursor and invented text are all refused.
#[test]
fn forged_edited_or_foreign_cursors_are_refused() {
    let text = Cursor { created_at: 1_000, code: "aB3xY9q".into() }.encode(b"secret", &demo());
    let other = SiteId::parse("other").unwrap();
    assert_eq!(Cursor::decode(b"secret", &other, &text), Err(Error::BadCursor));
    assert_eq!(Cursor::decode(b"other-secret", &demo(), &text), Err(Error::BadCursor));
    let moved = text.replacen("1000.", "2000.", 1);
    assert_eq!(Cursor::decode(b"secret", &demo(), &moved), Err(Error::BadCursor));
    for i in 0..text.len() {
        let mut forged = text.clone().into_bytes();
        forged[i] = if forged[i] == b'0' { b'1' } else { b'0' };
        let forged = String::from_utf8(forged).unwrap();
        assert_eq!(Cursor::decode(b"secret", &demo(), &forged), Err(Error::BadCursor), "{forged}");
    }
    for bad in ["", ".", "..", "abc", "1000.aB3xY9q", "1000.aB3xY9q.", "ä.ö.ü"] {
        assert_eq!(Cursor::decode(b"secret", &demo(), bad), Err(Error::BadCursor), "{bad:?}");
    }
}

#[test]
fn a_full_extra_row_means_another_page_after_the_last_kept_link() {
    let rows = vec![row("c", 30), row("b", 20), row("a", 10)];
    let (page, next) = paginate(rows.clone(), 2);
    assert_eq!(page, rows[..2]);
    assert_eq!(next, Some(Cursor { created_at: 20, code: "b".into() }));
    let (page, next) = paginate(rows.clone(), 3);
    assert_eq!((page.len(), next), (3, None), "exactly a page: no next page");
    assert_eq!(paginate(Vec::new(), 5), (Vec::new(), None));
}

#[test]
fn a_listed_link_has_the_contract_fields_in_rfc3339() {
    let link = Link {
        site: "demo".into(),
        url: "https://example.com/post".into(),
        channel: Channel::Email,
        fp: "f".repeat(21),
        parent: None,
        utm: false,
        expires_at: Some(1_767_225_600_000),
        disabled: true,
        created_at: 1_764_043_200_123,
        title: Some("Newsletter".into()),
        marketer: true,
    };
    let counts = LinkCounts { clicks: 5, dark_clicks: 3, previews: 2, scans: 1 };
    let listed = serde_json::to_value(ListedLink::new("https://s.example", "news", &link, counts)).unwrap();
    assert_eq!(
        listed,
        serde_json::json!({
            "code": "news", "short_url": "https://s.example/news", "url": "https://example.com/post",
            "channel": "email", "title": "Newsletter", "created_at": "2025-11-25T04:00:00.123Z",
            "expires_at": "2026-01-01T00:00:00.000Z", "disabled": true,
            "clicks": 5, "dark_clicks": 3, "previews": 2, "scans": 1
        })
    );
}
