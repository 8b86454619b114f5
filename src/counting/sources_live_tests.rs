//! Issue 13's rollups: views by source, and the minute rollups behind live and alerts.

use super::*;
use crate::event::{Click, Event};
use crate::view_source::ViewSource;
use crate::Channel;

const MINUTE: i64 = 20_000 * 1440 + 600;

fn view(id: &str, source: ViewSource) -> Event {
    Event::View { id: id.into(), site: "demo".into(), minute: MINUTE, page: "https://e.com/a".into(), source }
}

fn click(visitor: &str, minute: i64, channel: Channel, dark: bool) -> Event {
    Event::Click(Click {
        site: "demo".into(),
        minute,
        page: "https://e.com/a".into(),
        channel,
        depth: 1,
        dark,
        share: "fp1".into(),
        from_link: false,
        visitor: visitor.into(),
        address: visitor.into(),
        node: format!("n-{visitor}"),
        link: None,
        scan: false,
    })
}

fn row(write: &Write, table: &Table, key: Vec<Cell>) -> Vec<i64> {
    write.upserts.iter().find(|u| u.table == table && u.key == key).map(|u| u.add.clone()).unwrap_or_default()
}

#[test]
fn views_are_counted_by_source_once() {
    let events = [view("1", ViewSource::DarkSocial), view("2", ViewSource::Search), view("3", ViewSource::DarkSocial), view("1", ViewSource::DarkSocial)];
    let write = settle(&events.map(|e| vec![e]), &Reads::default());
    let day = MINUTE / 1440;
    assert_eq!(row(&write, &DAILY_SOURCES, vec!["demo".into(), day.into(), "dark_social".into()]), [2]);
    assert_eq!(row(&write, &DAILY_SOURCES, vec!["demo".into(), day.into(), "search".into()]), [1]);
    assert_eq!(row(&write, &MINUTE_COUNTS, vec!["demo".into(), MINUTE.into()]), [3, 0, 0, 0, 0]);
}

#[test]
fn clicks_fill_the_minute_the_page_and_the_channel_once_per_visitor() {
    let events = [
        click("v1", MINUTE, Channel::Whatsapp, true),
        click("v1", MINUTE, Channel::Whatsapp, true), // the same visitor again: counted once
        click("v2", MINUTE, Channel::X, false),
        click("v3", MINUTE + 1, Channel::Whatsapp, true),
    ];
    let write = settle(&events.map(|e| vec![e]), &Reads::default());
    // views, clicks, dark_clicks, shares (the fingerprint's first arrival), previews
    assert_eq!(row(&write, &MINUTE_COUNTS, vec!["demo".into(), MINUTE.into()]), [0, 2, 1, 1, 0]);
    assert_eq!(row(&write, &MINUTE_COUNTS, vec!["demo".into(), (MINUTE + 1).into()]), [0, 1, 1, 0, 0]);
    assert_eq!(row(&write, &MINUTE_PAGES, vec!["demo".into(), MINUTE.into(), "https://e.com/a".into()]), [0, 2, 1]);
    assert_eq!(row(&write, &MINUTE_CHANNELS, vec!["demo".into(), MINUTE.into(), "https://e.com/a".into(), "whatsapp".into()]), [1]);
    assert_eq!(row(&write, &MINUTE_CHANNELS, vec!["demo".into(), MINUTE.into(), "https://e.com/a".into(), "x".into()]), [1]);
}
