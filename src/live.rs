//! Real time: the last 30 UTC minutes of a site, minute by minute, with its top pages and channels.
//!
//! The store answers with per-minute rollups (kept at most 2 days, see the daily clean-up); this
//! module picks the window, fills the quiet minutes with zeros and ranks. The current minute is
//! always the last row, still filling up.

use crate::time::Day;
use serde::Serialize;

/// Minutes shown, the current one included.
pub const WINDOW_MINUTES: i64 = 30;
/// Pages and channels listed.
pub const TOP_N: usize = 10;

/// The first minute of the window ending at `now_minute`.
pub fn window_start(now_minute: i64) -> i64 {
    now_minute - (WINDOW_MINUTES - 1)
}

/// One minute's counters, as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MinuteCounts {
    pub views: u64,
    pub clicks: u64,
    pub dark_clicks: u64,
    pub shares: u64,
    pub previews: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MinuteRow {
    /// `YYYY-MM-DDTHH:MMZ`.
    pub minute: String,
    pub views: u64,
    pub clicks: u64,
    pub dark_clicks: u64,
    pub shares: u64,
    pub previews: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PageRow {
    pub url: String,
    pub views: u64,
    pub clicks: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChannelRow {
    pub channel: String,
    pub clicks: u64,
}

/// The body of `GET /api/live`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Live {
    pub site: String,
    pub minutes: Vec<MinuteRow>,
    pub pages: Vec<PageRow>,
    pub channels: Vec<ChannelRow>,
}

/// What the store returns for the window; pages and channels already summed over it and ranked
/// (pages by clicks then views, channels by clicks; ties by name: the SQL's `ORDER BY`), because
/// the store must rank them anyway to cut the lists at `TOP_N`.
#[derive(Debug, Clone, Default)]
pub struct LiveRollups {
    pub minutes: Vec<(i64, MinuteCounts)>,
    /// (page, views, clicks), ranked.
    pub pages: Vec<(String, u64, u64)>,
    /// (channel, clicks), ranked.
    pub channels: Vec<(String, u64)>,
}

/// Shapes the window: 30 rows oldest first (zeros included); pages and channels as ranked, without
/// empty rows, at most `TOP_N`. Minutes outside the window are ignored.
pub fn report(site: &str, now_minute: i64, rollups: LiveRollups) -> Live {
    let start = window_start(now_minute);
    // Indexed by minute − start: a plain array, not a map (the worker's size budget counts every
    // generic collection it instantiates).
    let mut per_minute = vec![MinuteCounts::default(); WINDOW_MINUTES as usize];
    for (minute, counts) in rollups.minutes {
        if let Some(slot) = usize::try_from(minute - start).ok().and_then(|i| per_minute.get_mut(i)) {
            *slot = counts;
        }
    }
    let pages: Vec<PageRow> = rollups
        .pages
        .into_iter()
        .filter(|(_, views, clicks)| views + clicks > 0)
        .take(TOP_N)
        .map(|(url, views, clicks)| PageRow { url, views, clicks })
        .collect();
    let channels: Vec<ChannelRow> =
        rollups.channels.into_iter().filter(|(_, clicks)| *clicks > 0).take(TOP_N).map(|(channel, clicks)| ChannelRow { channel, clicks }).collect();
    Live {
        site: site.to_owned(),
        minutes: per_minute
            .into_iter()
            .zip(start..)
            .map(|(c, m)| MinuteRow {
                minute: minute_text(m),
                views: c.views,
                clicks: c.clicks,
                dark_clicks: c.dark_clicks,
                shares: c.shares,
                previews: c.previews,
            })
            .collect(),
        pages,
        channels,
    }
}

/// `YYYY-MM-DDTHH:MMZ` of a unix minute.
pub fn minute_text(minute: i64) -> String {
    let of_day = minute.rem_euclid(1440);
    format!("{}T{:02}:{:02}Z", Day(minute.div_euclid(1440)), of_day / 60, of_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-25T10:00Z in unix minutes.
    const NOW: i64 = 20_782 * 1440 + 600;

    #[test]
    fn minutes_are_written_as_utc_minutes() {
        assert_eq!(minute_text(NOW), "2026-11-25T10:00Z");
        assert_eq!(minute_text(NOW - 601), "2026-11-24T23:59Z");
        assert_eq!(minute_text(0), "1970-01-01T00:00Z");
    }

    #[test]
    fn the_window_is_thirty_minutes_with_zeros_and_the_current_minute_last() {
        let rollups = LiveRollups {
            minutes: vec![
                (NOW, MinuteCounts { views: 2, ..MinuteCounts::default() }),
                (NOW - 29, MinuteCounts { clicks: 1, dark_clicks: 1, ..MinuteCounts::default() }),
                (NOW - 30, MinuteCounts { views: 99, ..MinuteCounts::default() }), // too old
            ],
            ..LiveRollups::default()
        };
        let live = report("demo", NOW, rollups);
        assert_eq!(live.minutes.len(), 30);
        assert_eq!(live.minutes[0].minute, "2026-11-25T09:31Z");
        assert_eq!((live.minutes[0].clicks, live.minutes[0].dark_clicks), (1, 1));
        assert_eq!(live.minutes[29].minute, "2026-11-25T10:00Z");
        assert_eq!(live.minutes[29].views, 2);
        assert_eq!(live.minutes.iter().map(|m| m.views).sum::<u64>(), 2);
    }

    #[test]
    fn pages_and_channels_keep_the_stores_ranking_without_empty_rows_cut_at_ten() {
        let pages = (0..12).map(|i| (format!("https://e.com/{i:02}"), 12 - i, 0)).collect();
        let channels = vec![("whatsapp".into(), 5), ("email".into(), 2), ("sms".into(), 2), ("x".into(), 0)];
        let live = report("demo", NOW, LiveRollups { pages, channels, ..LiveRollups::default() });
        assert_eq!(live.pages.len(), 10);
        assert_eq!((live.pages[0].url.as_str(), live.pages[9].url.as_str()), ("https://e.com/00", "https://e.com/09"));
        let names: Vec<&str> = live.channels.iter().map(|c| c.channel.as_str()).collect();
        assert_eq!(names, ["whatsapp", "email", "sms"]);
    }
}
