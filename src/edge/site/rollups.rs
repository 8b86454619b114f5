//! The stats report's rollup reads for one site and period (`daily_channels`, `daily_pages`,
//! `daily_texts`): grouped reads in one round trip, never events.

use crate::edge::app::storage;
use crate::edge::store::d1::{n, s, stmt};
use crate::stats::{Counts, Period, Rollups};
use crate::time::Day;
use crate::{Error, Result};
use serde::Deserialize;
use worker::D1Database;

/// The rollup rows of a period: four grouped reads in one round trip.
pub async fn read(db: &D1Database, site: &str, period: Period) -> Result<Rollups> {
    let range = [s(site), n(period.from.0), n(period.to.0)];
    let results = db
        .batch(vec![
            stmt(db, "SELECT day, channel, SUM(views) AS views, SUM(copies) AS copies, SUM(shares) AS shares, SUM(clicks) AS clicks, SUM(dark_clicks) AS dark_clicks, SUM(previews) AS previews FROM daily_channels WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY day, channel", &range)?,
            stmt(db, "SELECT page, SUM(views) AS views, SUM(shares) AS shares, SUM(clicks) AS clicks FROM daily_pages WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY page ORDER BY SUM(clicks) DESC, SUM(shares) DESC, SUM(views) DESC LIMIT 20", &range)?,
            stmt(db, "SELECT text, SUM(copies) AS copies FROM daily_texts WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY text ORDER BY SUM(copies) DESC LIMIT 20", &range)?,
            stmt(db, "SELECT depth, SUM(clicks) AS clicks FROM daily_channels WHERE site = ?1 AND day BETWEEN ?2 AND ?3 AND depth > 0 GROUP BY depth", &range)?,
        ])
        .await
        .map_err(storage)?;
    let [by_day, pages, texts, depths] = results.as_slice() else {
        return Err(Error::Storage("incomplete stats batch".into()));
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
        pages: pages
            .results::<PageRow>()
            .map_err(storage)?
            .into_iter()
            .map(|r| (r.page, Counts { views: u(r.views), shares: u(r.shares), clicks: u(r.clicks), ..Counts::default() }))
            .collect(),
        texts: texts.results::<TextRow>().map_err(storage)?.into_iter().map(|r| (r.text, u(r.copies))).collect(),
        depths: depths.results::<DepthRow>().map_err(storage)?.into_iter().map(|r| (r.depth as u32, u(r.clicks))).collect(),
        // Cascades, key sharers and sources are read by their own stores.
        ..Rollups::default()
    })
}
