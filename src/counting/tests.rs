use super::*;
use crate::event::Click;
use crate::view_source::ViewSource;
use crate::Channel;

const MINUTE: i64 = 20_000 * 1440 + 600; // day 20000, 10:00 UTC

fn view(id: &str, page: &str) -> Event {
    Event::View { id: id.into(), site: "demo".into(), minute: MINUTE, page: page.into(), source: ViewSource::Direct }
}

fn click(share: &str, visitor: &str, address: &str) -> Event {
    Event::Click(Click {
        site: "demo".into(),
        minute: MINUTE,
        page: "https://e.com/a".into(),
        channel: Channel::Whatsapp,
        depth: 1,
        dark: true,
        share: share.into(),
        from_link: false,
        visitor: visitor.into(),
        address: address.into(),
        node: format!("n-{visitor}"),
        link: None,
        scan: false,
    })
}

/// Reads as storage would give them after `write` was committed on top of `before`.
fn after(before: Reads, write: &Write) -> Reads {
    let mut reads = before;
    reads.seen.extend(write.remember.iter().map(|(k, _)| k.clone()));
    for (key, _, n) in &write.capped {
        reads.capped.insert(key.clone(), *n);
    }
    reads
}

fn sum(write: &Write, table: &Table, counter: &str) -> i64 {
    let column = table.counters.iter().position(|c| *c == counter).unwrap();
    write.upserts.iter().filter(|u| u.table == table).map(|u| u.add[column]).sum()
}

#[test]
fn increments_of_one_row_are_summed_per_batch() {
    let events = [view("1", "p"), view("2", "p"), view("3", "q")];
    let write = settle(&events, &Reads::default());
    let channel_rows: Vec<_> = write.upserts.iter().filter(|u| u.table == &DAILY_CHANNELS).collect();
    assert_eq!(channel_rows.len(), 1, "one views row for the site and day");
    assert_eq!(channel_rows[0].add, vec![3, 0, 0, 0, 0, 0]);
    assert_eq!(write.upserts.iter().filter(|u| u.table == &DAILY_PAGES).count(), 2);
}

#[test]
fn a_redelivered_batch_counts_once() {
    let events = [view("1", "p"), click("fp1", "v1", "a1"), click("fp1", "v2", "a2")];
    let first = settle(&events, &Reads::default());
    assert_eq!(sum(&first, &DAILY_CHANNELS, "views"), 1);
    assert_eq!(sum(&first, &DAILY_CHANNELS, "clicks"), 2);
    let again = settle(&events, &after(Reads::default(), &first));
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn the_same_event_twice_in_one_batch_counts_once() {
    let write = settle(&[view("1", "p"), view("1", "p")], &Reads::default());
    assert_eq!(sum(&write, &DAILY_CHANNELS, "views"), 1);
    assert_eq!(write.remember.len(), 1);
}

#[test]
fn a_click_seen_at_the_redirect_and_at_the_landing_view_counts_once() {
    let mut from_redirect = click("linkfp", "v1", "a1");
    let mut from_view = from_redirect.clone();
    if let (Event::Click(r), Event::Click(v)) = (&mut from_redirect, &mut from_view) {
        r.link = Some("abc1234".into());
        r.from_link = true;
        v.from_link = true;
    }
    let first = settle(&[from_redirect], &Reads::default());
    assert_eq!(sum(&first, &DAILY_CHANNELS, "clicks"), 1);
    assert!(settle(&[from_view], &after(Reads::default(), &first)).is_empty());
}

#[test]
fn one_address_adds_at_most_the_cap_whatever_its_user_agents() {
    let events: Vec<Event> = (0..40).map(|i| click("fp1", &format!("ua{i}"), "one-address")).collect();
    let write = settle(&events, &Reads::default());
    assert_eq!(sum(&write, &DAILY_CHANNELS, "clicks"), CLICKS_PER_ADDRESS);
    // And across batches: the cap read back from storage still holds.
    let more: Vec<Event> = (40..50).map(|i| click("fp1", &format!("ua{i}"), "one-address")).collect();
    let later = settle(&more, &after(Reads::default(), &write));
    assert_eq!(sum(&later, &DAILY_CHANNELS, "clicks"), 0);
    // Another share, or another address, has its own cap.
    let other = settle(&[click("fp2", "ua0", "one-address"), click("fp1", "someone-else", "other-address")], &after(Reads::default(), &write));
    assert_eq!(sum(&other, &DAILY_CHANNELS, "clicks"), 2);
}

#[test]
fn a_page_view_fingerprint_is_one_share_at_its_first_arrival() {
    let write = settle(&[click("fp1", "v1", "a1"), click("fp1", "v2", "a2")], &Reads::default());
    assert_eq!(sum(&write, &DAILY_CHANNELS, "shares"), 1);
    assert_eq!(sum(&write, &DAILY_PAGES, "shares"), 1);
    let mut link_click = click("linkfp", "v3", "a3");
    if let Event::Click(c) = &mut link_click {
        c.from_link = true;
    }
    assert_eq!(sum(&settle(&[link_click], &Reads::default()), &DAILY_CHANNELS, "shares"), 0, "a link's share is counted when it is created");
}

#[test]
fn one_preview_fetcher_fetching_a_link_again_the_same_day_is_one_preview() {
    let preview = |fetcher: &str| Event::Preview {
        site: "demo".into(),
        minute: MINUTE,
        page: "p".into(),
        channel: Channel::Slack,
        link_fp: "lfp".into(),
        code: "abc1234".into(),
        fetcher: fetcher.into(),
    };
    let write = settle(&[preview("f1"), preview("f1"), preview("f1"), preview("f2")], &Reads::default());
    assert_eq!(sum(&write, &DAILY_CHANNELS, "previews"), 2);
}

#[test]
fn keys_lists_every_key_the_batch_depends_on_once() {
    let keys = keys(&[click("fp1", "v1", "a1"), click("fp1", "v1", "a1"), view("1", "p")]);
    assert_eq!(keys.once.len(), 3, "{keys:?}"); // click key, share key, view key
    assert_eq!(keys.capped.len(), 1);
}
