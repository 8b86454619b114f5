//! The stats report's rollup reads for one site and period (`daily_channels`, `daily_pages`,
//! `daily_texts`, or under a page filter their per-page twins): grouped reads in one round trip,
//! never events. [`Scope`] is how every report read (here, sources, cascades) is restricted to a
//! page: the twin table (`counting::per_page`) and `page = ?4` after the site and day range.

use crate::counting::{per_page, Table, DAILY_CHANNELS, DAILY_SOURCES, DAILY_TEXTS};
use crate::edge::app::storage;
use crate::edge::site::live_store;
use crate::edge::store::d1::{n, s, stmt};
use crate::stats::{Counts, Period, PreviousRollups, Rollups};
use crate::time::Day;
use crate::view_source::ViewSource;
use crate::{Error, Result};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

/// What a report's reads are restricted to: the whole site, or one page (`stats::Filter::page`).
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub site: &'a str,
    pub page: Option<&'a str>,
}

impl Scope<'_> {
    /// The table to read for the site-wide rollup `site_wide`: its per-page twin under a filter.
    pub fn table(&self, site_wide: &'static Table) -> &'static str {
        match self.page {
            Some(_) => per_page(site_wide).unwrap_or(site_wide).name,
            None => site_wide.name,
        }
    }

    /// The condition after `site = ?1 AND day BETWEEN ?2 AND ?3` on `column`: the page, or nothing.
    pub fn and(&self, column: &str) -> String {
        self.page.map(|_| format!(" AND {column} = ?4")).unwrap_or_default()
    }

    /// ?1 site, ?2 and ?3 the period's days, ?4 the page when there is one.
    pub fn args(&self, period: Period) -> Vec<JsValue> {
        let mut args = vec![s(self.site), n(period.from.0), n(period.to.0)];
        args.extend(self.page.map(s));
        args
    }
}

/// The rollup rows of a period: three or four grouped reads in one round trip (a filtered report
/// needs no pages read: its one page row is its totals, `stats::report`).
pub async fn read(db: &D1Database, scope: Scope<'_>, period: Period) -> Result<Rollups> {
    let args = scope.args(period);
    let (channels, texts, and) = (scope.table(&DAILY_CHANNELS), scope.table(&DAILY_TEXTS), scope.and("page"));
    let mut statements = vec![
        stmt(db, &format!("SELECT day, channel, SUM(views) AS views, SUM(copies) AS copies, SUM(shares) AS shares, SUM(clicks) AS clicks, SUM(dark_clicks) AS dark_clicks, SUM(previews) AS previews FROM {channels} WHERE site = ?1 AND day BETWEEN ?2 AND ?3{and} GROUP BY day, channel"), &args)?,
        stmt(db, &format!("SELECT text, SUM(copies) AS copies FROM {texts} WHERE site = ?1 AND day BETWEEN ?2 AND ?3{and} GROUP BY text ORDER BY SUM(copies) DESC LIMIT 20"), &args)?,
        stmt(db, &format!("SELECT depth, SUM(clicks) AS clicks FROM {channels} WHERE site = ?1 AND day BETWEEN ?2 AND ?3{and} AND depth > 0 GROUP BY depth"), &args)?,
    ];
    if scope.page.is_none() {
        statements.push(stmt(db, "SELECT page, SUM(views) AS views, SUM(shares) AS shares, SUM(clicks) AS clicks FROM daily_pages WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY page ORDER BY SUM(clicks) DESC, SUM(shares) DESC, SUM(views) DESC LIMIT 20", &args)?);
    }
    let results = db.batch(statements).await.map_err(storage)?;
    let (by_day, texts, depths, pages) = match results.as_slice() {
        [by_day, texts, depths] if scope.page.is_some() => (by_day, texts, depths, None),
        [by_day, texts, depths, pages] if scope.page.is_none() => (by_day, texts, depths, Some(pages)),
        _ => return Err(Error::Storage("incomplete stats batch".into())),
    };

    #[derive(Deserialize)]
    struct DayRow {
        day: f64,
        channel: String,
        views: f64,
        copies: f64,
        shares: f64,
        clicks: f64,
        dark_clicks: f64,
        previews: f64,
    }
    #[derive(Deserialize)]
    struct PageRow {
        page: String,
        views: f64,
        shares: f64,
        clicks: f64,
    }
    #[derive(Deserialize)]
    struct TextRow {
        text: String,
        copies: f64,
    }
    #[derive(Deserialize)]
    struct DepthRow {
        depth: f64,
        clicks: f64,
    }
    let u = |x: f64| x.max(0.0) as u64;
    Ok(Rollups {
        by_day_channel: by_day
            .results::<DayRow>()
            .map_err(storage)?
            .into_iter()
            .map(|r| {
                let counts = Counts { views: u(r.views), copies: u(r.copies), shares: u(r.shares), clicks: u(r.clicks), dark_clicks: u(r.dark_clicks), previews: u(r.previews) };
                (Day(r.day as i64), r.channel, counts)
            })
            .collect(),
        pages: match pages {
            Some(pages) => pages
                .results::<PageRow>()
                .map_err(storage)?
                .into_iter()
                .map(|r| (r.page, Counts { views: u(r.views), shares: u(r.shares), clicks: u(r.clicks), ..Counts::default() }))
                .collect(),
            None => Vec::new(),
        },
        texts: texts.results::<TextRow>().map_err(storage)?.into_iter().map(|r| (r.text, u(r.copies))).collect(),
        depths: depths.results::<DepthRow>().map_err(storage)?.into_iter().map(|r| (r.depth as u32, u(r.clicks))).collect(),
        page: scope.page.map(str::to_owned),
        // Cascades, key sharers, sources and the previous period are read on their own.
        ..Rollups::default()
    })
}

/// `compare=previous`: the previous period's summed counters and views by source, in one round
/// trip (two sums over the same rollups as the report, restricted alike).
pub async fn previous(db: &D1Database, scope: Scope<'_>, period: Period) -> Result<PreviousRollups> {
    let args = scope.args(period);
    let (channels, sources, and) = (scope.table(&DAILY_CHANNELS), scope.table(&DAILY_SOURCES), scope.and("page"));
    let results = db
        .batch(vec![
            stmt(db, &format!("SELECT COALESCE(SUM(views), 0) AS a, COALESCE(SUM(copies), 0) AS b, COALESCE(SUM(shares), 0) AS c, COALESCE(SUM(clicks), 0) AS d, COALESCE(SUM(dark_clicks), 0) AS e, COALESCE(SUM(previews), 0) AS f FROM {channels} WHERE site = ?1 AND day BETWEEN ?2 AND ?3{and}"), &args)?,
            stmt(db, &format!("SELECT source AS t, SUM(views) AS a FROM {sources} WHERE site = ?1 AND day BETWEEN ?2 AND ?3{and} GROUP BY source"), &args)?,
        ])
        .await
        .map_err(storage)?;
    let [sums, sources] = results.as_slice() else {
        return Err(Error::Storage("incomplete comparison batch".into()));
    };
    let u = |x: f64| x.max(0.0) as u64;
    let sums = live_store::rows(sums)?.into_iter().next().unwrap_or_default();
    Ok(PreviousRollups {
        counts: Counts { views: u(sums.a), copies: u(sums.b), shares: u(sums.c), clicks: u(sums.d), dark_clicks: u(sums.e), previews: u(sums.f) },
        sources: live_store::rows(sources)?.iter().filter_map(|r| Some((ViewSource::parse(r.t.as_deref()?)?, u(r.a)))).collect(),
    })
}
