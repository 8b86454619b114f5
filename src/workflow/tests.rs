//! The workflows as specifications: what a view or a redirect records, decided without storage.

use super::*;
use crate::attribution::RequestSignals;
use crate::event::{Click, Event};
use crate::fingerprint::{Fingerprint, Origin};
use crate::site::SiteId;
use crate::view_source::ViewSource;
use crate::visitor::VisitorHash;
use crate::Channel;

const SECRET: &[u8] = b"test-signing-secret";
const NOW: i64 = 1_764_000_000_000;

fn demo() -> SiteId {
    SiteId::parse("demo").unwrap()
}

fn person(name: char) -> VisitorHash {
    VisitorHash::from_stored(name.to_string().repeat(32))
}

fn facts(visitor: char, parent: Option<Fingerprint>, referrer: Option<&str>, random: u64) -> ViewFacts {
    ViewFacts {
        site: demo(),
        page: "https://example.com/a".into(),
        now_ms: NOW,
        visitor: person(visitor),
        address: format!("addr-{visitor}"),
        parent,
        referrer: referrer.map(str::to_owned),
        referrer_is_same_site: referrer.is_some_and(|r| r.starts_with("https://example.com")),
        user_agent: "Mozilla/5.0".into(),
        hint: None,
        random: [random, random + 1],
    }
}

fn click_of(plan: &ViewPlan) -> Option<&Click> {
    plan.events.iter().find_map(|e| if let Event::Click(c) = e { Some(c) } else { None })
}

fn source_of(plan: &ViewPlan) -> ViewSource {
    plan.events.iter().find_map(|e| if let Event::View { source, .. } = e { Some(*source) } else { None }).unwrap()
}

#[test]
fn an_organic_view_records_one_view_and_gets_a_first_generation_fingerprint() {
    let plan = plan_view(SECRET, facts('a', None, None, 1));
    assert_eq!(plan.events.len(), 2, "the view and what it leaves for credit: {:?}", plan.events);
    assert_eq!(source_of(&plan), ViewSource::Direct);
    assert_eq!((plan.fp.origin, plan.fp.generation), (Origin::View, 0));
}

#[test]
fn reopening_ones_own_url_is_a_self_visit_without_any_storage() {
    let ann = plan_view(SECRET, facts('a', None, None, 1));
    let reload = plan_view(SECRET, facts('a', Some(ann.fp.clone()), None, 2));
    assert_eq!(reload.fp, ann.fp, "the visitor keeps their own fingerprint");
    assert!(click_of(&reload).is_none());
    assert_eq!(source_of(&reload), ViewSource::SelfVisit);
}

#[test]
fn another_visitor_arriving_with_the_fingerprint_is_a_dark_click_at_depth_one() {
    let ann = plan_view(SECRET, facts('a', None, None, 1));
    let ben = plan_view(SECRET, facts('b', Some(ann.fp.clone()), None, 2));
    let click = click_of(&ben).expect("a click");
    assert_eq!((click.depth, click.dark, click.channel, click.from_link), (1, true, Channel::Dark, false));
    assert_eq!(click.share, ann.fp.as_str());
    assert_eq!(click.node, ben.fp.node_id(), "the arrival's node is the fingerprint it gets");
    assert_eq!(ben.fp.generation, 1);
    assert_eq!(source_of(&ben), ViewSource::DarkSocial);
    // Reloading the page keeps the arrival's fingerprint and counts nothing more.
    let reload = plan_view(SECRET, facts('b', Some(ben.fp.clone()), None, 3));
    assert_eq!(reload.fp, ben.fp);
    assert!(click_of(&reload).is_none());
}

#[test]
fn a_click_at_the_redirect_and_at_the_landing_view_name_the_same_node() {
    let link_fp = Fingerprint::mint(SECRET, &demo(), Origin::Link, 0, Fingerprint::link_id(Channel::Whatsapp, 99));
    let at_redirect = plan_click(
        SECRET,
        ClickFacts {
            site: demo(),
            code: "abc1234",
            link_fp: &link_fp,
            channel: Channel::Whatsapp,
            page: "https://example.com/a",
            now_ms: NOW,
            visitor: person('c'),
            address: "addr-c".into(),
            referrer: None,
            user_agent: "Mozilla/5.0",
            signals: RequestSignals::default(),
            scan: false,
        },
    );
    let Some(Event::Click(at_redirect)) = at_redirect else { panic!("counted") };
    let landing = plan_view(SECRET, facts('c', Some(link_fp.clone()), None, 5));
    let at_view = click_of(&landing).unwrap();
    assert_eq!(at_redirect.node, at_view.node);
    assert_eq!(at_redirect.node, landing.fp.node_id());
    assert_eq!((at_view.channel, at_redirect.channel), (Channel::Whatsapp, Channel::Whatsapp));
    assert_eq!(at_redirect.link.as_deref(), Some("abc1234"));
}

#[test]
fn a_scan_is_a_click_with_channel_qr_and_a_subresource_request_is_none() {
    let link_fp = Fingerprint::mint(SECRET, &demo(), Origin::Link, 0, Fingerprint::link_id(Channel::Email, 7));
    let base = ClickFacts {
        site: demo(),
        code: "abc1234",
        link_fp: &link_fp,
        channel: Channel::Email,
        page: "https://example.com/a",
        now_ms: NOW,
        visitor: person('d'),
        address: "addr-d".into(),
        referrer: None,
        user_agent: "Mozilla/5.0",
        signals: RequestSignals::default(),
        scan: true,
    };
    let Some(Event::Click(scan)) = plan_click(SECRET, base.clone()) else { panic!("counted") };
    assert_eq!((scan.channel, scan.scan), (Channel::Qr, true));
    let image = ClickFacts { signals: RequestSignals { fetch_dest: Some("image"), fetch_mode: Some("no-cors"), opted_out: false }, ..base };
    assert_eq!(plan_click(SECRET, image), None);
}

#[test]
fn a_same_site_navigation_carrying_a_fingerprint_is_internal_and_keeps_the_generation() {
    let ann = plan_view(SECRET, facts('a', None, None, 1));
    let ben = plan_view(SECRET, facts('b', Some(ann.fp.clone()), None, 2));
    let next_page = plan_view(SECRET, facts('e', Some(ben.fp.clone()), Some("https://example.com/other"), 3));
    assert!(click_of(&next_page).is_none());
    assert_eq!(source_of(&next_page), ViewSource::Internal);
    assert_eq!(next_page.fp.generation, 1);
}
