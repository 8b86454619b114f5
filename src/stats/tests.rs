//! Report shaping: zero-filled series, totals, ordering, ratios and CSV.

use super::*;

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn counts(views: u64, shares: u64, clicks: u64, dark: u64) -> Counts {
    Counts { views, shares, clicks, dark_clicks: dark, ..Counts::default() }
}

#[test]
fn periods_default_to_thirty_days_and_are_bounded() {
    let today = day("2026-11-23");
    assert_eq!(Period::parse(None, None, today).unwrap(), Period { from: day("2026-10-25"), to: today });
    assert!(Period::parse(Some("2026-11-24"), Some("2026-11-23"), today).is_err());
    assert!(Period::parse(Some("2020-01-01"), Some("2026-11-23"), today).is_err());
    assert!(Period::parse(Some("2026-11-31"), None, today).is_err());
    assert_eq!(Period::parse(Some("2026-11-23"), Some("2026-11-23"), today).unwrap().days().count(), 1);
}

#[test]
fn the_report_totals_fills_days_and_ranks_breakdowns() {
    let period = Period { from: day("2026-11-20"), to: day("2026-11-22") };
    let rollups = Rollups {
        by_day_channel: vec![
            (day("2026-11-20"), String::new(), counts(10, 0, 0, 0)),
            (day("2026-11-20"), "whatsapp".into(), counts(0, 2, 3, 3)),
            (day("2026-11-22"), "telegram".into(), counts(0, 1, 5, 4)),
            (day("2026-11-22"), "dark".into(), counts(0, 0, 1, 1)),
        ],
        pages: vec![("https://a/".into(), counts(10, 0, 1, 0)), ("https://b/".into(), counts(1, 3, 8, 0))],
        texts: vec![("x".into(), 1), ("y".into(), 4)],
        depths: vec![(2, 3), (1, 6)],
        ..Rollups::default()
    };
    let r = report("demo", period, rollups);
    assert_eq!(r.totals.counts, Counts { views: 10, shares: 3, clicks: 9, dark_clicks: 8, ..Counts::default() });
    assert_eq!(r.totals.share_to_click, Some(3.0));
    assert_eq!(r.k_factor, Some(0.9));
    assert_eq!(r.timeseries.len(), 3);
    assert_eq!(r.timeseries[1], DayRow { date: "2026-11-21".into(), views: 0, copies: 0, shares: 0, clicks: 0, dark_clicks: 0 });
    assert_eq!(r.channels.iter().map(|c| c.channel.as_str()).collect::<Vec<_>>(), ["telegram", "whatsapp", "dark"]);
    assert_eq!(r.pages[0].url, "https://b/");
    assert_eq!(r.copied_texts[0].text, "y");
    assert_eq!(r.generations, vec![DepthRow { depth: 1, clicks: 6 }, DepthRow { depth: 2, clicks: 3 }]);
}

#[test]
fn ratios_are_null_without_a_denominator() {
    let r = report("demo", Period { from: day("2026-11-20"), to: day("2026-11-20") }, Rollups::default());
    assert_eq!(r.totals.share_to_click, None);
    assert_eq!(r.k_factor, None);
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["totals"]["share_to_click"].is_null());
    assert_eq!(json["totals"]["views"], 0);
}

#[test]
fn csv_has_one_row_per_day_and_channel_with_counts() {
    let rollups = Rollups {
        by_day_channel: vec![
            (day("2026-11-21"), "whatsapp".into(), counts(0, 1, 2, 2)),
            (day("2026-11-20"), String::new(), counts(4, 0, 0, 0)),
            (day("2026-11-20"), "sms".into(), Counts::default()),
            (day("2026-11-20"), "dark".into(), counts(0, 0, 1, 1)),
        ],
        goal_days: vec![(day("2026-11-20"), String::new(), 2, 3), (day("2026-11-21"), "slack".into(), 1, 1)],
        ..Rollups::default()
    };
    assert_eq!(
        csv(&rollups),
        "date,channel,views,copies,shares,clicks,dark_clicks,previews,conversions,goal_events\r\n\
         2026-11-20,dark,0,0,0,1,1,0,0,0\r\n2026-11-20,none,4,0,0,0,0,0,2,3\r\n\
         2026-11-21,slack,0,0,0,0,0,0,1,1\r\n2026-11-21,whatsapp,0,0,1,2,2,0,0,0\r\n"
    );
    assert_eq!(csv_field("=cmd"), "'=cmd");
    assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
}

#[test]
fn every_page_has_its_own_k_factor_and_cascades_pass_through_in_order() {
    use crate::cascade::{Aggregates, KeySharerRow, StoredCascade};
    let period = Period { from: day("2026-11-20"), to: day("2026-11-20") };
    let cascade = |id: &str, size| StoredCascade {
        id: id.into(),
        url: "https://a/".into(),
        aggregates: Aggregates { size, wiener: 0, depth_sum: 0, depth: 1 },
        first_day: day("2026-11-20"),
        last_day: day("2026-11-20"),
        conversions: 0,
    };
    let sharer = KeySharerRow { id: "n1".into(), url: "https://a/".into(), depth: 0, clicks: 2, reach: 5, conversions: 0 };
    let rollups = Rollups {
        pages: vec![("https://a/".into(), counts(8, 0, 2, 0)), ("https://b/".into(), counts(0, 1, 3, 0))],
        cascades: vec![cascade("big", 6), cascade("small", 2)],
        key_sharers: vec![sharer.clone()],
        ..Rollups::default()
    };
    let r = report("demo", period, rollups);
    let k: Vec<_> = r.pages.iter().map(|p| (p.url.as_str(), p.k_factor)).collect();
    assert_eq!(k, [("https://b/", None), ("https://a/", Some(0.25))]);
    assert_eq!(r.cascades.iter().map(|c| (c.id.as_str(), c.clicks)).collect::<Vec<_>>(), [("big", 5), ("small", 1)]);
    assert_eq!(r.key_sharers, vec![sharer]);
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["pages"][0]["k_factor"].is_null());
}

#[test]
fn a_page_filtered_report_lists_that_page_alone_with_the_filtered_totals() {
    let period = Period { from: day("2026-11-20"), to: day("2026-11-21") };
    let rollups = Rollups {
        by_day_channel: vec![
            (day("2026-11-20"), String::new(), counts(8, 0, 0, 0)),
            (day("2026-11-21"), "whatsapp".into(), counts(0, 2, 4, 4)),
        ],
        // Whatever the store put here is not what a filtered report lists.
        pages: vec![("https://other/".into(), counts(99, 0, 0, 0))],
        page: Some("https://a/".into()),
        ..Rollups::default()
    };
    let r = report("demo", period, rollups);
    assert_eq!(r.pages, vec![PageRow { url: "https://a/".into(), views: 8, shares: 2, clicks: 4, k_factor: Some(0.5) }]);
    assert_eq!(r.k_factor, Some(0.5));
    // A page with nothing counted is still listed, with zeros.
    let none = report("demo", period, Rollups { page: Some("https://quiet/".into()), ..Rollups::default() });
    assert_eq!(none.pages.len(), 1);
    assert_eq!((none.pages[0].views, none.pages[0].k_factor), (0, None));
}

#[test]
fn previous_totals_are_present_only_when_asked_for() {
    let period = Period { from: day("2026-11-20"), to: day("2026-11-26") };
    let plain = serde_json::to_value(report("demo", period, Rollups::default())).unwrap();
    assert!(plain.get("previous").is_none());
    let sums = PreviousRollups { counts: counts(5, 1, 2, 1), sources: vec![(ViewSource::Direct, 5)] };
    let r = report("demo", period, Rollups { previous: Some((period.previous(), sums)), ..Rollups::default() });
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["previous"]["from"], "2026-11-13");
    assert_eq!(json["previous"]["to"], "2026-11-19");
    assert_eq!(json["previous"]["totals"]["views"], 5);
    assert_eq!(json["previous"]["totals"]["share_to_click"], 2.0);
    assert_eq!(json["previous"]["totals"]["direct_dark_share"], 0.0);
}
