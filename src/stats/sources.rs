//! Where the period's views came from: the eight sources (zeros included), per day for the chart,
//! and the headline ratio `direct_dark_share`: of the views ordinary analytics would call
//! "direct" (no referrer), the share that really came through private channels.

use super::{ratio, Period};
use crate::time::Day;
use crate::view_source::ViewSource;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SourceRow {
    pub source: ViewSource,
    pub views: u64,
}

/// One day's views by source; the field names are the sources' names.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SourceDayRow {
    pub date: String,
    pub dark_social: u64,
    pub shared: u64,
    #[serde(rename = "self")]
    pub self_visit: u64,
    pub internal: u64,
    pub search: u64,
    pub social: u64,
    pub referral: u64,
    pub direct: u64,
}

impl SourceDayRow {
    fn slot(&mut self, source: ViewSource) -> &mut u64 {
        match source {
            ViewSource::DarkSocial => &mut self.dark_social,
            ViewSource::Shared => &mut self.shared,
            ViewSource::SelfVisit => &mut self.self_visit,
            ViewSource::Internal => &mut self.internal,
            ViewSource::Search => &mut self.search,
            ViewSource::Social => &mut self.social,
            ViewSource::Referral => &mut self.referral,
            ViewSource::Direct => &mut self.direct,
        }
    }
}

/// The report's source parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Sources {
    /// All eight, in `ViewSource::ALL` order, zeros included.
    pub rows: Vec<SourceRow>,
    /// One row per day of the period, zeros included.
    pub by_day: Vec<SourceDayRow>,
    /// dark_social ÷ (dark_social + direct), 3 decimals; `None` when both are 0.
    pub direct_dark_share: Option<f64>,
}

/// Shapes the stored `(day, source, views)` rows; days outside the period are ignored.
pub fn summarize(period: Period, stored: &[(Day, ViewSource, u64)]) -> Sources {
    // Indexed by day − from, and the totals are a row of their own: no map needed.
    let mut by_day: Vec<SourceDayRow> = period.days().map(|d| SourceDayRow { date: d.to_string(), ..SourceDayRow::default() }).collect();
    let mut totals = SourceDayRow::default();
    for &(day, source, views) in stored {
        let Some(row) = usize::try_from(day.0 - period.from.0).ok().and_then(|i| by_day.get_mut(i)) else { continue };
        *row.slot(source) += views;
        *totals.slot(source) += views;
    }
    Sources {
        rows: ViewSource::ALL.into_iter().map(|source| SourceRow { source, views: *totals.slot(source) }).collect(),
        by_day,
        direct_dark_share: ratio(totals.dark_social, totals.dark_social + totals.direct),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn all_eight_sources_are_listed_with_zeros_and_days_are_filled() {
        let period = Period { from: day("2026-11-20"), to: day("2026-11-22") };
        let stored = [
            (day("2026-11-20"), ViewSource::DarkSocial, 3),
            (day("2026-11-22"), ViewSource::DarkSocial, 1),
            (day("2026-11-22"), ViewSource::Direct, 4),
            (day("2026-11-21"), ViewSource::Search, 2),
            (day("2026-11-19"), ViewSource::Search, 100), // outside the period
        ];
        let s = summarize(period, &stored);
        let views: Vec<(&str, u64)> = s.rows.iter().map(|r| (r.source.as_str(), r.views)).collect();
        assert_eq!(
            views,
            [("dark_social", 4), ("shared", 0), ("self", 0), ("internal", 0), ("search", 2), ("social", 0), ("referral", 0), ("direct", 4)]
        );
        assert_eq!(s.by_day.len(), 3);
        assert_eq!((s.by_day[0].dark_social, s.by_day[1].search, s.by_day[2].direct), (3, 2, 4));
        assert_eq!(s.direct_dark_share, Some(0.5));
        let json = serde_json::to_value(&s.by_day[0]).unwrap();
        assert_eq!(json["date"], "2026-11-20");
        assert_eq!(json["self"], 0);
    }

    #[test]
    fn the_share_is_rounded_and_null_without_dark_or_direct_views() {
        let period = Period { from: day("2026-11-20"), to: day("2026-11-20") };
        assert_eq!(summarize(period, &[]).direct_dark_share, None);
        let only_search = [(day("2026-11-20"), ViewSource::Search, 5)];
        assert_eq!(summarize(period, &only_search).direct_dark_share, None);
        let mix = [(day("2026-11-20"), ViewSource::DarkSocial, 1), (day("2026-11-20"), ViewSource::Direct, 2)];
        assert_eq!(summarize(period, &mix).direct_dark_share, Some(0.333));
        let all_dark = [(day("2026-11-20"), ViewSource::DarkSocial, 7)];
        assert_eq!(summarize(period, &all_dark).direct_dark_share, Some(1.0));
    }
}
