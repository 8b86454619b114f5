//! The counting rules of goals: what a [`Visit`] and a [`GoalReached`] do to storage, in the
//! vocabulary of `counting::Effect`, so they run through the same batches, keys and caps as every
//! other event.
//!
//! - A visit remembers the visitor's day for credit (`counting::Effect::Visited`, merged, no read),
//!   the view's node → visitor for server-side goals ([`VIEW_NODES`], kept 2 days), and counts the
//!   visitor once per day and source ([`SOURCE_VISITORS`]: the denominator of conversion rates).
//! - A goal event counts once per event id (`events`, `cents`); its visitor's first event of that
//!   goal that day is a conversion, unless the address already brought
//!   [`CONVERSIONS_PER_ADDRESS`] conversions of that goal that day; a conversion credited to an
//!   arrival also counts for that arrival's cascade and the node's ancestors
//!   (`cascade::Growth::Conversion`).
//!
//! Why one wide rollup ([`GOAL_DAYS`]) rather than one per dimension: a day holds few goals, pages,
//! sources, channels and currencies, and every figure of the report (per goal, per source, per
//! channel, per currency, per page) is a GROUP BY of it; one row write per event instead of four.

use super::credit::{visit_key, Credit, VisitState};
use super::resolve::{Converting, NamedView};
use crate::cascade::Growth;
use crate::counting::{Cell, Effect, Table, KEY_RETENTION_DAYS};
use crate::event::{GoalReached, Visit, MINUTES_PER_DAY};

/// Conversions one address may add to one goal per day, whatever its user agents: enough for a
/// household or an office behind one address, small against one machine posing as many people.
/// Server-side goals (`fp`) are not capped by address: they come from the site's own server.
pub const CONVERSIONS_PER_ADDRESS: i64 = 10;

/// Per site, day, goal, page, credited source, credited channel (`''` unless an arrival through a
/// share) and currency (`''` without a value): conversions, events and value in hundredths.
pub const GOAL_DAYS: Table = Table {
    name: "goal_days",
    keys: &["site", "day", "goal", "page", "source", "channel", "currency"],
    counters: &["conversions", "events", "cents"],
    columns: &[],
};
/// Distinct visitors per site, day and source of their views.
pub const SOURCE_VISITORS: Table = Table { name: "source_visitors", keys: &["site", "day", "source"], counters: &["visitors"], columns: &[] };
/// A view's node → its visitor, day, page and source, for a server-side goal naming it by `fp`;
/// written once (the first view of a node, which a self-visit reuses), kept 2 days.
pub const VIEW_NODES: Table = Table { name: "view_nodes", keys: &["site", "node"], counters: &[], columns: &["visitor", "day", "page", "source"] };

/// What a visit does.
pub fn visit_effects(visit: &Visit) -> Vec<Effect> {
    let Visit { site, minute, page, visitor, node, source, .. } = visit;
    let day = minute.div_euclid(MINUTES_PER_DAY);
    vec![
        Effect::Visited {
            key: visit_key(site, day, visitor),
            state: VisitState::of(visit),
            node: node.clone(),
            view: NamedView { visitor: visitor.clone(), day, page: page.clone(), source: *source },
        },
        Effect::Insert { table: &VIEW_NODES, row: vec![site.as_str().into(), node.as_str().into(), visitor.as_str().into(), day.into(), page.as_str().into(), source.as_str().into()] },
        Effect::Once {
            key: format!("u:{site}:{day}:{}:{visitor}", source.as_str()),
            keep_days: KEY_RETENTION_DAYS,
            then: vec![Effect::Add { table: &SOURCE_VISITORS, key: vec![site.as_str().into(), day.into(), source.as_str().into()], counter: "visitors", by: 1 }],
        },
    ]
}

/// The de-duplication key of a visitor's conversion of a goal on a day.
pub fn conversion_key(site: &str, goal: &str, visitor: &str, day: i64) -> String {
    format!("gv:{site}:{goal}:{day}:{visitor}")
}

/// What a goal event does, once its converter and credit are known. The keys it depends on do not
/// depend on `credit` (only the rows it raises do), so `counting::keys` can list them before the
/// credit is read.
pub fn goal_effects(goal: &GoalReached, who: &Converting, credit: &Credit) -> Vec<Effect> {
    let GoalReached { id, site, minute, name, value, .. } = goal;
    let day = minute.div_euclid(MINUTES_PER_DAY);
    let channel = credit.arrival.as_ref().map_or("", |(c, _)| c.as_str());
    let currency = value.as_ref().map_or("", |(_, c)| c.as_str());
    let row = || -> Vec<Cell> { vec![site.as_str().into(), day.into(), name.as_str().into(), who.page.as_str().into(), credit.source.as_str().into(), channel.into(), currency.into()] };
    let add = |counter: &'static str, by: i64| Effect::Add { table: &GOAL_DAYS, key: row(), counter, by };
    let mut converted = vec![add("conversions", 1)];
    if let Some((_, node)) = &credit.arrival {
        converted.push(Effect::Grow(Growth::Conversion { site: site.clone(), node: node.clone() }));
    }
    let converted = match &who.address {
        Some(address) => vec![Effect::Capped { key: format!("ga:{site}:{name}:{address}:{day}"), cap: CONVERSIONS_PER_ADDRESS, then: converted }],
        None => converted,
    };
    let then = vec![
        add("events", 1),
        add("cents", value.as_ref().map_or(0, |(cents, _)| *cents)),
        Effect::Once { key: conversion_key(site, name, &who.visitor, day), keep_days: KEY_RETENTION_DAYS, then: converted },
    ];
    vec![Effect::Redelivery { key: format!("g:{id}"), keep_days: KEY_RETENTION_DAYS, then }]
}
