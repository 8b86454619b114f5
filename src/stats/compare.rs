//! `compare=previous`: the period of equal length that ends the day before the report's `from`,
//! and its totals (`"previous": {"from", "to", "totals"}`). Pure period arithmetic; the store
//! answers one sum over the same rollups the report reads (restricted to the same page, if any).

use super::{totals, Counts, Period, Totals};
use crate::view_source::ViewSource;
use serde::Serialize;

impl Period {
    /// The period of the same number of days that ends the day before `from`.
    pub fn previous(self) -> Period {
        let days = self.to.0 - self.from.0 + 1;
        Period { from: self.from.plus(-days), to: self.from.plus(-1) }
    }
}

/// What the store sums for the previous period: the counters and the views by source (all days
/// of the period together; totals need no series).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreviousRollups {
    pub counts: Counts,
    pub sources: Vec<(ViewSource, u64)>,
}

/// The report's `previous`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Previous {
    pub from: String,
    pub to: String,
    pub totals: Totals,
}

/// The previous period's totals, computed as the report's own (`share_to_click`,
/// `direct_dark_share` included).
pub fn previous(period: Period, rollups: &PreviousRollups) -> Previous {
    let of = |wanted: ViewSource| rollups.sources.iter().filter(|(s, _)| *s == wanted).map(|(_, v)| v).sum::<u64>();
    let (dark, direct) = (of(ViewSource::DarkSocial), of(ViewSource::Direct));
    Previous { from: period.from.to_string(), to: period.to.to_string(), totals: totals(rollups.counts, super::ratio(dark, dark + direct)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Day;

    fn period(from: &str, to: &str) -> Period {
        Period { from: Day::parse(from).unwrap(), to: Day::parse(to).unwrap() }
    }

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_the_day_before() {
        assert_eq!(period("2026-11-24", "2026-11-30").previous(), period("2026-11-17", "2026-11-23"));
        assert_eq!(period("2026-12-05", "2026-12-05").previous(), period("2026-12-04", "2026-12-04"));
        // Across a month, a year and a leap day.
        assert_eq!(period("2024-03-01", "2024-03-31").previous(), period("2024-01-30", "2024-02-29"));
        assert_eq!(period("2027-01-01", "2027-01-10").previous(), period("2026-12-22", "2026-12-31"));
        let long = period("2025-11-01", "2026-12-05");
        let prev = long.previous();
        assert_eq!(prev.days().count(), long.days().count());
        assert_eq!(prev.to.plus(1), long.from);
    }

    #[test]
    fn previous_totals_have_the_reports_ratios() {
        let counts = Counts { views: 40, shares: 4, clicks: 10, dark_clicks: 6, ..Counts::default() };
        let sources = vec![(ViewSource::DarkSocial, 6), (ViewSource::Direct, 12), (ViewSource::Search, 22)];
        let p = previous(period("2026-11-01", "2026-11-07"), &PreviousRollups { counts, sources });
        assert_eq!((p.from.as_str(), p.to.as_str()), ("2026-11-01", "2026-11-07"));
        assert_eq!(p.totals.counts, counts);
        assert_eq!(p.totals.share_to_click, Some(2.5));
        assert_eq!(p.totals.direct_dark_share, Some(0.333));
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["totals"]["views"], 40);
        assert_eq!(json["from"], "2026-11-01");
    }

    #[test]
    fn an_empty_previous_period_has_zeros_and_null_ratios() {
        let p = previous(period("2026-11-01", "2026-11-07"), &PreviousRollups::default());
        assert_eq!(p.totals.counts, Counts::default());
        assert_eq!((p.totals.share_to_click, p.totals.direct_dark_share), (None, None));
    }
}
