use super::*;
use crate::cascade::Growth;
use crate::event::{Click, Event};
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

/// Settles `events` as a batch of one-event messages.
fn settle_each(events: &[Event], reads: &Reads) -> Write {
    settle(&singles(events), reads)
}

fn keys_each(events: &[Event]) -> Keys {
    keys(&singles(events))
}

fn singles(events: &[Event]) -> Vec<Message> {
    events.iter().map(|e| vec![e.clone()]).collect()
}

fn sum(write: &Write, table: &Table, counter: &str) -> i64 {
    let column = table.counters.iter().position(|c| *c == counter).unwrap();
    write.upserts.iter().filter(|u| u.table == table).map(|u| u.add[column]).sum()
}

#[test]
fn increments_of_one_row_are_summed_per_batch() {
    let events = [view("1", "p"), view("2", "p"), view("3", "q")];
    let write = settle_each(&events, &Reads::default());
    let channel_rows: Vec<_> = write.upserts.iter().filter(|u| u.table == &DAILY_CHANNELS).collect();
    assert_eq!(channel_rows.len(), 1, "one views row for the site and day");
    assert_eq!(channel_rows[0].add, vec![3, 0, 0, 0, 0, 0]);
    assert_eq!(write.upserts.iter().filter(|u| u.table == &DAILY_PAGES).count(), 2);
}

#[test]
fn a_redelivered_batch_counts_once() {
    let events = [view("1", "p"), click("fp1", "v1", "a1"), click("fp1", "v2", "a2")];
    let first = settle_each(&events, &Reads::default());
    assert_eq!(sum(&first, &DAILY_CHANNELS, "views"), 1);
    assert_eq!(sum(&first, &DAILY_CHANNELS, "clicks"), 2);
    let again = settle_each(&events, &after(Reads::default(), &first));
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn the_same_event_twice_in_one_batch_counts_once() {
    let write = settle_each(&[view("1", "p"), view("1", "p")], &Reads::default());
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
    let first = settle_each(&[from_redirect], &Reads::default());
    assert_eq!(sum(&first, &DAILY_CHANNELS, "clicks"), 1);
    assert!(settle_each(&[from_view], &after(Reads::default(), &first)).is_empty());
}

#[test]
fn one_address_adds_at_most_the_cap_whatever_its_user_agents() {
    let events: Vec<Event> = (0..40).map(|i| click("fp1", &format!("ua{i}"), "one-address")).collect();
    let write = settle_each(&events, &Reads::default());
    assert_eq!(sum(&write, &DAILY_CHANNELS, "clicks"), CLICKS_PER_ADDRESS);
    // And across batches: the cap read back from storage still holds.
    let more: Vec<Event> = (40..50).map(|i| click("fp1", &format!("ua{i}"), "one-address")).collect();
    let later = settle_each(&more, &after(Reads::default(), &write));
    assert_eq!(sum(&later, &DAILY_CHANNELS, "clicks"), 0);
    // Another share, or another address, has its own cap.
    let other = settle_each(&[click("fp2", "ua0", "one-address"), click("fp1", "someone-else", "other-address")], &after(Reads::default(), &write));
    assert_eq!(sum(&other, &DAILY_CHANNELS, "clicks"), 2);
}

#[test]
fn a_page_view_fingerprint_is_one_share_at_its_first_arrival() {
    let write = settle_each(&[click("fp1", "v1", "a1"), click("fp1", "v2", "a2")], &Reads::default());
    assert_eq!(sum(&write, &DAILY_CHANNELS, "shares"), 1);
    assert_eq!(sum(&write, &DAILY_PAGES, "shares"), 1);
    let mut link_click = click("linkfp", "v3", "a3");
    if let Event::Click(c) = &mut link_click {
        c.from_link = true;
    }
    assert_eq!(sum(&settle_each(&[link_click], &Reads::default()), &DAILY_CHANNELS, "shares"), 0, "a link's share is counted when it is created");
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
    let write = settle_each(&[preview("f1"), preview("f1"), preview("f1"), preview("f2")], &Reads::default());
    assert_eq!(sum(&write, &DAILY_CHANNELS, "previews"), 2);
}

#[test]
fn keys_lists_every_key_the_batch_depends_on_once() {
    let keys = keys_each(&[click("fp1", "v1", "a1"), click("fp1", "v1", "a1"), view("1", "p")]);
    assert_eq!(keys.once.len(), 3, "{keys:?}"); // click key, share key, view key
    assert_eq!(keys.capped.len(), 1);
}

#[test]
fn only_a_batch_of_page_views_and_copies_depends_on_redelivery_keys_alone() {
    assert!(keys(&[vec![view("1", "p"), copy("2")], vec![copy("3")]]).only_redelivery());
    let mixed = keys(&[vec![view("1", "p"), copy("2"), click("fp1", "v1", "a1")]]);
    assert!(!mixed.only_redelivery(), "a click's keys may have been written by another click: {mixed:?}");
}

#[test]
fn a_message_settled_without_reads_remembers_its_key_so_a_repeat_fails_at_the_insert() {
    // What writing without a read relies on: settled without reads, events counted before
    // remember their keys again, and count_store writes those with a plain INSERT that then fails.
    let batch = [vec![view("1", "p"), copy("2")]];
    let write = settle(&batch, &Reads::default());
    assert_eq!(write.remember.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["v:1"]);
    let redelivered = settle(&batch, &Reads { seen: ["v:1".to_owned()].into(), ..Reads::default() });
    assert!(redelivered.remember.is_empty() && redelivered.upserts.is_empty(), "read, the redelivery counts nothing");
}

#[test]
fn every_counted_click_grows_its_cascade_once_and_a_capped_or_repeated_one_does_not() {
    let mut events = vec![click("fp1", "v1", "a1"), click("fp1", "v1", "a1")];
    events.extend((0..CLICKS_PER_ADDRESS + 2).map(|k| click("fp2", &format!("p{k}"), "office")));
    let write = settle_each(&events, &Reads::default());
    let nodes: Vec<_> = write.growth.iter().filter_map(|g| match g { Growth::Node { node, share, .. } => Some((node.as_str(), share.as_str())), _ => None }).collect();
    assert_eq!(nodes.len() as i64, 1 + CLICKS_PER_ADDRESS, "the duplicate and the clicks over the cap are no nodes");
    assert_eq!(nodes[0], ("n-v1", "fp1"));
    assert!(settle_each(&events, &after(Reads::default(), &write)).growth.is_empty(), "a redelivered batch grows nothing");
}

// Links for marketers (issue 14): the index row and the per-link counters.

fn link_click(fp: &str, visitor: &str, address: &str, scan: bool) -> Event {
    let Event::Click(mut c) = click(fp, visitor, address) else { unreachable!() };
    c.from_link = true;
    c.scan = scan;
    c.channel = if scan { Channel::Qr } else { Channel::Whatsapp };
    Event::Click(c)
}

fn link_created(code: &str, fp: &str) -> Event {
    Event::LinkCreated {
        site: "demo".into(),
        minute: MINUTE,
        page: "https://e.com/a".into(),
        channel: Channel::Email,
        code: code.into(),
        fp: fp.into(),
        parent: None,
        url: "https://e.com/a?x=1".into(),
        created_at: MINUTE * 60_000 + 1_234,
    }
}

fn link_counts(write: &Write, fp: &str) -> Vec<i64> {
    let key = vec![Cell::from("demo"), Cell::from(fp)];
    write.upserts.iter().find(|u| u.table == &LINK_COUNTS && u.key == key).map_or(vec![0; 4], |u| u.add.clone())
}

#[test]
fn a_created_link_gets_one_index_row() {
    let first = settle_each(&[link_created("abc1234", "lfp"), link_created("abc1234", "lfp")], &Reads::default());
    let row = vec![Cell::from("demo"), Cell::from("abc1234"), Cell::from("lfp"), Cell::Int(MINUTE * 60_000 + 1_234)];
    assert_eq!(first.inserts, vec![(&LINKS, row)]);
    let again = settle_each(&[link_created("abc1234", "lfp")], &after(Reads::default(), &first));
    assert!(again.inserts.is_empty(), "a redelivered creation writes no second row");
}

/// clicks, dark_clicks, previews, scans: a scan is a click too; the landing view of the same
/// click adds nothing; a click through a page-view fingerprint is no link's.
#[test]
fn clicks_through_a_link_raise_its_counters_once_and_scans_apart() {
    let events = [link_click("lfp", "v1", "a1", true), link_click("lfp", "v1", "a1", false), link_click("lfp", "v2", "a2", false), click("viewfp", "v3", "a3")];
    let write = settle_each(&events, &Reads::default());
    assert_eq!(link_counts(&write, "lfp"), vec![2, 2, 0, 1]);
    assert_eq!(link_counts(&write, "viewfp"), vec![0; 4]);
    assert_eq!(write.upserts.iter().filter(|u| u.table == &LINK_COUNTS).count(), 1);
    let again = settle_each(&events, &after(Reads::default(), &write));
    assert_eq!(link_counts(&again, "lfp"), vec![0; 4], "a redelivered batch counts once");
}

#[test]
fn one_address_adds_at_most_the_cap_to_a_link() {
    let events: Vec<Event> = (0..CLICKS_PER_ADDRESS + 5).map(|i| link_click("lfp", &format!("ua{i}"), "same-address", false)).collect();
    assert_eq!(link_counts(&settle_each(&events, &Reads::default()), "lfp")[0], CLICKS_PER_ADDRESS);
}

#[test]
fn a_preview_counts_for_its_link_once_per_fetcher_and_day() {
    let preview = |fetcher: &str| Event::Preview {
        site: "demo".into(),
        minute: MINUTE,
        page: "https://e.com/a".into(),
        channel: Channel::Slack,
        link_fp: "lfp".into(),
        code: "abc1234".into(),
        fetcher: fetcher.into(),
    };
    let write = settle_each(&[preview("f1"), preview("f1"), preview("f2")], &Reads::default());
    assert_eq!(link_counts(&write, "lfp"), vec![0, 0, 2, 0]);
}

fn copy(id: &str) -> Event {
    Event::Copy { id: id.into(), site: "demo".into(), minute: MINUTE, page: "p".into(), text: "copied".into() }
}

#[test]
fn the_views_and_copies_of_one_message_share_one_key_the_first_ones() {
    let message = vec![view("1", "p"), click("fp1", "v1", "a1"), view("2", "p"), copy("3"), view("4", "q")];
    let write = settle(std::slice::from_ref(&message), &Reads::default());
    assert_eq!(sum(&write, &DAILY_CHANNELS, "views"), 3);
    assert_eq!(sum(&write, &DAILY_CHANNELS, "copies"), 1);
    assert_eq!(sum(&write, &DAILY_CHANNELS, "clicks"), 1);
    let remembered: Vec<&str> = write.remember.iter().map(|(k, _)| k.as_str()).filter(|k| k.starts_with("v:") || k.starts_with("c:")).collect();
    assert_eq!(remembered, ["v:1"], "one key guards the message's page activity");
    assert_eq!(keys(&[message]).once.iter().filter(|k| k.starts_with("v:") || k.starts_with("c:")).count(), 1);
}

#[test]
fn a_redelivered_message_counts_nothing_even_beside_itself_in_one_batch() {
    let message = vec![view("1", "p"), copy("2"), click("fp1", "v1", "a1")];
    let first = settle(&[message.clone(), message.clone()], &Reads::default());
    assert_eq!((sum(&first, &DAILY_CHANNELS, "views"), sum(&first, &DAILY_CHANNELS, "copies"), sum(&first, &DAILY_CHANNELS, "clicks")), (1, 1, 1));
    assert!(settle(&[message], &after(Reads::default(), &first)).is_empty());
}

#[test]
fn a_message_whose_first_view_was_counted_alone_counts_none_of_its_page_activity() {
    // What a consumer that keyed every view on its own left behind for a message it had counted.
    let message = vec![view("1", "p"), view("2", "p"), copy("3")];
    let earlier = settle_each(&message, &Reads::default());
    let again = settle(&[message], &after(Reads::default(), &earlier));
    assert_eq!((sum(&again, &DAILY_CHANNELS, "views"), sum(&again, &DAILY_CHANNELS, "copies")), (0, 0));
}
