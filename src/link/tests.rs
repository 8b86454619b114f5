//! Link creation and resolution against an in-memory store.

use super::*;
use super::{block_on, MemoryLinks};
use crate::target::HostPattern;

const SECRET: &[u8] = b"test-secret";

fn new_link(url: &str, channel: Channel) -> NewLink {
    let hosts = [HostPattern::parse("example.com").unwrap()];
    NewLink {
        site: SiteId::parse("demo").unwrap(),
        target: TargetUrl::parse(url, &hosts).unwrap(),
        channel,
        parent: None,
        slug: None,
        expires_at: None,
        utm: true,
        title: None,
    }
}

fn code_of(created: &Created) -> &str {
    match created {
        Created::New(code, _) | Created::Existing(code, _) => code.as_str(),
    }
}

#[test]
fn the_same_share_twice_gets_the_same_code() {
    let store = MemoryLinks::default();
    let first = block_on(create(&store, SECRET, new_link("https://example.com/p", Channel::Whatsapp), 0, 1)).unwrap();
    let again = block_on(create(&store, SECRET, new_link("https://example.com/p", Channel::Whatsapp), 5, 2)).unwrap();
    assert!(matches!(first, Created::New(..)));
    assert!(matches!(again, Created::Existing(..)));
    assert_eq!(code_of(&first), code_of(&again));
    assert!(code_of(&first).len() >= 6);
}

#[test]
fn another_channel_or_parent_is_another_share() {
    let store = MemoryLinks::default();
    let a = block_on(create(&store, SECRET, new_link("https://example.com/p", Channel::Whatsapp), 0, 1)).unwrap();
    let b = block_on(create(&store, SECRET, new_link("https://example.com/p", Channel::Telegram), 0, 2)).unwrap();
    let mut with_parent = new_link("https://example.com/p", Channel::Whatsapp);
    with_parent.parent = Some(Fingerprint::mint(SECRET, &with_parent.site, Origin::View, 2, 9));
    let c = block_on(create(&store, SECRET, with_parent, 0, 3)).unwrap();
    assert_ne!(code_of(&a), code_of(&b));
    assert_ne!(code_of(&a), code_of(&c));
    let Created::New(_, link) = c else { panic!("new link expected") };
    let fp = Fingerprint::verify(SECRET, &SiteId::parse("demo").unwrap(), &link.fp).unwrap();
    assert_eq!((fp.origin, fp.generation), (Origin::Link, 2), "a reshare link inherits the sharer's generation");
}

#[test]
fn a_code_taken_by_another_share_moves_to_a_longer_code() {
    let store = MemoryLinks::default();
    let wanted = new_link("https://example.com/p", Channel::Whatsapp);
    let parent = "";
    let identity: [&[u8]; 4] = [b"demo", wanted.target.as_str().as_bytes(), b"whatsapp", parent.as_bytes()];
    let squatted = ShortCode::derive(SECRET, &identity, 7);
    let other = block_on(create(&store, SECRET, new_link("https://example.com/other", Channel::Sms), 0, 1)).unwrap();
    let Created::New(_, other_link) = other else { panic!() };
    store.0.borrow_mut().insert(squatted.as_str().to_owned(), other_link);
    let got = block_on(create(&store, SECRET, wanted, 0, 2)).unwrap();
    assert_eq!(code_of(&got).len(), 9);
    assert!(code_of(&got).starts_with(squatted.as_str()));
}

#[test]
fn a_deleted_share_is_recreated_under_a_new_code() {
    let store = MemoryLinks::default();
    let first = block_on(create(&store, SECRET, new_link("https://example.com/p", Channel::Email), 0, 1)).unwrap();
    store.0.borrow_mut().get_mut(code_of(&first)).unwrap().disabled = true;
    let again = block_on(create(&store, SECRET, new_link("https://example.com/p", Channel::Email), 0, 2)).unwrap();
    assert!(matches!(again, Created::New(..)));
    assert_ne!(code_of(&first), code_of(&again));
}

#[test]
fn custom_slugs_are_idempotent_for_the_same_share_and_conflict_otherwise() {
    let store = MemoryLinks::default();
    let mut a = new_link("https://example.com/p", Channel::Email);
    a.slug = Some(ShortCode::custom("spring-sale").unwrap());
    let mut b = a.clone();
    b.target = TargetUrl::parse("https://example.com/q", &[HostPattern::parse("example.com").unwrap()]).unwrap();
    assert!(matches!(block_on(create(&store, SECRET, a.clone(), 0, 1)), Ok(Created::New(..))));
    assert!(matches!(block_on(create(&store, SECRET, a, 0, 2)), Ok(Created::Existing(..))));
    assert_eq!(block_on(create(&store, SECRET, b, 0, 3)), Err(Error::SlugTaken));
}

#[test]
fn expiry_must_be_in_the_future_and_ends_the_link() {
    let store = MemoryLinks::default();
    let mut past = new_link("https://example.com/p", Channel::Email);
    past.expires_at = Some(100);
    assert!(matches!(block_on(create(&store, SECRET, past, 100, 1)), Err(Error::BadDate(_))));
    let mut soon = new_link("https://example.com/p", Channel::Email);
    soon.expires_at = Some(200);
    let Created::New(_, link) = block_on(create(&store, SECRET, soon, 100, 1)).unwrap() else { panic!() };
    assert!(link.is_live(199));
    assert!(!link.is_live(200));
}

#[test]
fn the_location_carries_utm_and_the_links_fingerprint() {
    let store = MemoryLinks::default();
    let Created::New(_, link) = block_on(create(&store, SECRET, new_link("https://example.com/p?x=1", Channel::Whatsapp), 0, 1)).unwrap() else { panic!() };
    assert_eq!(link.location(), format!("https://example.com/p?x=1&utm_source=whatsapp&utm_medium=darkshare#ds={}", link.fp));
    let opted_out = Link { utm: false, ..link.clone() };
    assert_eq!(opted_out.location(), format!("https://example.com/p?x=1#ds={}", link.fp));
}

#[test]
fn a_stored_record_round_trips_through_json() {
    let store = MemoryLinks::default();
    let Created::New(_, link) = block_on(create(&store, SECRET, new_link("https://example.com/p", Channel::Sms), 0, 1)).unwrap() else { panic!() };
    let json = serde_json::to_string(&link).unwrap();
    assert_eq!(serde_json::from_str::<Link>(&json).unwrap(), link);
}
