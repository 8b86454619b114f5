//! Goal rollup rows → the report's `goals` (`GET /api/stats`).
//!
//! Per goal: `conversions` (distinct visitors per goal per UTC day, summed over the days), `events`,
//! `value` per currency to 2 decimals; `sources` (those with conversions) and `channels` (the
//! conversions credited to arrivals through shares, by the share's channel), each with its
//! conversions and value; and `rates`: conversions ÷ visitors for dark social, direct and search.
//!
//! How visitors are counted for a rate: distinct daily visitor hashes per source (one visitor with
//! views from two sources on a day counts in both), summed over the days of the period, as
//! conversions are. A rate is then "conversions credited to this source per daily visitor of it".

use crate::small_sort::sort_small_by;
use crate::view_source::ViewSource;
use serde::Serialize;
use std::collections::BTreeMap;

/// The sources whose rates the report compares.
pub const RATED: [ViewSource; 3] = [ViewSource::DarkSocial, ViewSource::Direct, ViewSource::Search];

/// One group of `goal_days` over the period: (goal, source, channel, currency) and its sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalRollup {
    pub goal: String,
    pub source: String,
    /// `""` when the credited view was not an arrival through a share.
    pub channel: String,
    /// `""` for events without a value.
    pub currency: String,
    pub conversions: u64,
    pub events: u64,
    pub cents: i64,
}

/// Value per currency, to 2 decimals (`{"EUR": 59.9}`).
pub type Value = BTreeMap<String, f64>;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GoalRow {
    pub name: String,
    pub conversions: u64,
    pub events: u64,
    pub value: Value,
    pub sources: Vec<SourceConversions>,
    pub channels: Vec<ChannelConversions>,
    pub rates: Vec<Rate>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceConversions {
    pub source: String,
    pub conversions: u64,
    pub value: Value,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChannelConversions {
    pub channel: String,
    pub conversions: u64,
    pub value: Value,
}

/// Conversions ÷ daily visitors of one source; `rate` is `null` without visitors.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rate {
    pub source: String,
    pub visitors: u64,
    pub conversions: u64,
    pub rate: Option<f64>,
}

#[derive(Default)]
struct Sum {
    conversions: u64,
    events: u64,
    cents: BTreeMap<String, i64>,
}

impl Sum {
    fn add(&mut self, r: &GoalRollup) {
        self.conversions += r.conversions;
        self.events += r.events;
        if !r.currency.is_empty() {
            *self.cents.entry(r.currency.clone()).or_default() += r.cents;
        }
    }

    fn value(&self) -> Value {
        self.cents.iter().map(|(c, cents)| (c.clone(), crate::goal::Cents(*cents).as_f64())).collect()
    }
}

/// The report's `goals`: goals with at least one event, most conversions first (then by name).
/// `visitors` are the period's daily visitors per source (`source_visitors`).
pub fn goals(rows: &[GoalRollup], visitors: &[(ViewSource, u64)]) -> Vec<GoalRow> {
    /// A goal's sums: in all, per source, per channel.
    type Sums<'a> = (Sum, BTreeMap<&'a str, Sum>, BTreeMap<&'a str, Sum>);
    let mut per_goal: BTreeMap<&str, Sums> = BTreeMap::new();
    for r in rows {
        let (all, sources, channels) = per_goal.entry(&r.goal).or_default();
        all.add(r);
        sources.entry(&r.source).or_default().add(r);
        if !r.channel.is_empty() {
            channels.entry(&r.channel).or_default().add(r);
        }
    }
    let mut out: Vec<GoalRow> = per_goal
        .into_iter()
        .filter(|(_, (all, _, _))| all.events > 0)
        .map(|(name, (all, sources, channels))| {
            let mut source_rows: Vec<SourceConversions> = sources
                .iter()
                .filter(|(_, s)| s.conversions > 0)
                .map(|(source, s)| SourceConversions { source: (*source).to_owned(), conversions: s.conversions, value: s.value() })
                .collect();
            sort_small_by(&mut source_rows, |a, b| b.conversions.cmp(&a.conversions).then(a.source.cmp(&b.source)));
            let mut channel_rows: Vec<ChannelConversions> = channels
                .iter()
                .filter(|(_, s)| s.conversions > 0)
                .map(|(channel, s)| ChannelConversions { channel: (*channel).to_owned(), conversions: s.conversions, value: s.value() })
                .collect();
            sort_small_by(&mut channel_rows, |a, b| b.conversions.cmp(&a.conversions).then(a.channel.cmp(&b.channel)));
            let rates = RATED
                .iter()
                .map(|source| {
                    let conversions = sources.get(source.as_str()).map_or(0, |s| s.conversions);
                    let visitors = visitors.iter().filter(|(s, _)| s == source).map(|(_, n)| n).sum::<u64>();
                    Rate { source: source.as_str().to_owned(), visitors, conversions, rate: rate(conversions, visitors) }
                })
                .collect();
            GoalRow { name: name.to_owned(), conversions: all.conversions, events: all.events, value: all.value(), sources: source_rows, channels: channel_rows, rates }
        })
        .collect();
    sort_small_by(&mut out, |a, b| b.conversions.cmp(&a.conversions).then(b.events.cmp(&a.events)).then(a.name.cmp(&b.name)));
    out
}

/// `a / b` to 4 decimals (a rate is often below 1%), `None` when `b` is zero.
fn rate(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| (a as f64 / b as f64 * 10_000.0).round() / 10_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(goal: &str, source: &str, channel: &str, currency: &str, conversions: u64, events: u64, cents: i64) -> GoalRollup {
        GoalRollup { goal: goal.into(), source: source.into(), channel: channel.into(), currency: currency.into(), conversions, events, cents }
    }

    #[test]
    fn a_goal_sums_its_rows_by_source_channel_and_currency() {
        let rows = [
            row("buy", "dark_social", "whatsapp", "EUR", 2, 3, 5990),
            row("buy", "dark_social", "slack", "EUR", 1, 1, 1000),
            row("buy", "search", "", "USD", 1, 1, 1),
            row("buy", "direct", "", "", 0, 2, 0),
            row("signup", "direct", "", "", 1, 1, 0),
        ];
        let goals = goals(&rows, &[(ViewSource::DarkSocial, 30), (ViewSource::DarkSocial, 10), (ViewSource::Search, 4)]);
        assert_eq!(goals.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["buy", "signup"]);
        let buy = &goals[0];
        assert_eq!((buy.conversions, buy.events), (4, 7));
        assert_eq!(buy.value, BTreeMap::from([("EUR".into(), 69.9), ("USD".into(), 0.01)]));
        let sources: Vec<_> = buy.sources.iter().map(|s| (s.source.as_str(), s.conversions)).collect();
        assert_eq!(sources, [("dark_social", 3), ("search", 1)], "direct had events but no conversion");
        let channels: Vec<_> = buy.channels.iter().map(|c| (c.channel.as_str(), c.conversions, c.value.get("EUR").copied())).collect();
        assert_eq!(channels, [("whatsapp", 2, Some(59.9)), ("slack", 1, Some(10.0))]);
        let rates: Vec<_> = buy.rates.iter().map(|r| (r.source.as_str(), r.visitors, r.conversions, r.rate)).collect();
        assert_eq!(rates, [("dark_social", 40, 3, Some(0.075)), ("direct", 0, 0, None), ("search", 4, 1, Some(0.25))]);
    }

    #[test]
    fn a_goal_without_events_in_the_period_is_not_listed() {
        assert!(goals(&[row("x", "direct", "", "", 0, 0, 0)], &[]).is_empty());
    }
}
