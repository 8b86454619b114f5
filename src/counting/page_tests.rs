//! The per-page twins (issue 22): every increment of a paged rollup lands on its twin too, under
//! the event's page, inside the same keys and caps, so a filtered report's figures are the page's
//! share of the site's.

use super::*;
use crate::event::{Click, Event};
use crate::view_source::ViewSource;
use crate::Channel;

const MINUTE: i64 = 20_000 * 1440 + 600;
const A: &str = "https://e.com/a";
const B: &str = "https://e.com/b";

fn view(id: &str, page: &str, source: ViewSource) -> Event {
    Event::View { id: id.into(), site: "demo".into(), minute: MINUTE, page: page.into(), source, viewer: None }
}

fn click(page: &str, share: &str, visitor: &str, depth: u8) -> Event {
    Event::Click(Click {
        site: "demo".into(),
        minute: MINUTE,
        page: page.into(),
        channel: Channel::Telegram,
        depth,
        dark: false,
        share: share.into(),
        from_link: false,
        visitor: visitor.into(),
        address: format!("addr-{visitor}"),
        node: format!("n-{visitor}"),
        link: None,
        scan: false,
    })
}

fn copy(id: &str, page: &str, text: &str) -> Event {
    Event::Copy { id: id.into(), site: "demo".into(), minute: MINUTE, page: page.into(), text: text.into() }
}

fn batch() -> Vec<Message> {
    vec![
        vec![view("1", A, ViewSource::Direct), view("2", A, ViewSource::DarkSocial), view("3", B, ViewSource::Search)],
        vec![copy("c1", A, "hello"), copy("c2", B, "")],
        vec![click(A, "fp1", "v1", 1)],
        vec![click(A, "fp1", "v1", 1)], // the same visitor again: counted once
        vec![click(B, "fp2", "v2", 2)],
    ]
}

/// Sums of `counter` over a table's rows whose key matches `filter`.
fn sum(write: &Write, table: &Table, counter: &str, filter: impl Fn(&[Cell]) -> bool) -> i64 {
    let column = table.counters.iter().position(|c| *c == counter).unwrap();
    write.upserts.iter().filter(|u| u.table == table && filter(&u.key)).map(|u| u.add[column]).sum()
}

#[test]
fn every_paged_increment_lands_on_its_twin_and_they_sum_to_the_site() {
    let write = settle(&batch(), &Reads::default());
    for (site_wide, twin) in PAGED {
        for counter in site_wide.counters {
            assert_eq!(sum(&write, site_wide, counter, |_| true), sum(&write, twin, counter, |_| true), "{} {counter}", twin.name);
        }
    }
    let on = |page: &'static str| move |key: &[Cell]| key.get(1) == Some(&Cell::from(page));
    assert_eq!(sum(&write, &PAGE_CHANNELS, "views", on(A)), 2);
    assert_eq!(sum(&write, &PAGE_CHANNELS, "views", on(B)), 1);
    assert_eq!(sum(&write, &PAGE_CHANNELS, "copies", on(A)), 1);
    assert_eq!(sum(&write, &PAGE_CHANNELS, "clicks", on(A)), 1, "a click is counted once, on its page too");
    assert_eq!(sum(&write, &PAGE_CHANNELS, "shares", on(B)), 1, "a fingerprint's first arrival is a share of the page");
    assert_eq!(sum(&write, &PAGE_SOURCES, "views", on(B)), 1);
    assert_eq!(sum(&write, &PAGE_TEXTS, "copies", on(A)), 1);
    assert_eq!(sum(&write, &PAGE_TEXTS, "copies", on(B)), 0, "an empty text is no text row");
}

#[test]
fn a_twins_key_is_the_site_wide_key_with_the_page_after_the_site() {
    let write = settle(&batch(), &Reads::default());
    let depth_two = write.upserts.iter().find(|u| u.table == &PAGE_CHANNELS && u.key.last() == Some(&Cell::Int(2))).unwrap();
    assert_eq!(depth_two.key, vec![Cell::from("demo"), Cell::from(B), Cell::Int(20_000), Cell::from("telegram"), Cell::Int(2)]);
    assert_eq!(PAGE_CHANNELS.keys.len(), DAILY_CHANNELS.keys.len() + 1);
    assert_eq!(per_page(&DAILY_PAGES), None, "the pages table needs no twin");
    assert_eq!(per_page(&DAILY_SOURCES), Some(&PAGE_SOURCES));
}

#[test]
fn a_redelivered_batch_adds_nothing_to_the_twins_either() {
    let first = settle(&batch(), &Reads::default());
    let mut reads = Reads::default();
    reads.seen.extend(first.remember.iter().map(|(k, _)| k.clone()));
    reads.capped.extend(first.capped.iter().map(|(k, _, n)| (k.clone(), *n)));
    assert!(settle(&batch(), &reads).upserts.is_empty());
}
