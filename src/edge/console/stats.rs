//! `GET /api/stats` and `GET /api/stats.csv`: rollups of a period, behind the site's stats token.

use crate::edge::app::App;
use crate::edge::site::cascade_sql;
use crate::edge::site::rollups;
use crate::edge::http::{json, with_type};
use crate::edge::site::live_store;
use crate::edge::store::sites;
use crate::stats::{self, Period};
use crate::Result;
use worker::{Request, Response};

/// The two renderings of the same report.
#[derive(Clone, Copy)]
pub enum Format {
    Json,
    Csv,
}

/// `GET /api/stats?site=…&from=YYYY-MM-DD&to=YYYY-MM-DD`.
pub async fn report(app: &App, req: Request, format: Format) -> Result<Response> {
    let query = sites::of_query(app, &req).await?;
    let site = &query.site;
    let period = Period::parse(query.param("from").as_deref(), query.param("to").as_deref(), app.today())?;
    let db = app.db()?;
    let mut rollups = rollups::read(&db, site.id.as_str(), period).await?;
    if let Format::Json = format {
        (rollups.cascades, rollups.key_sharers) = cascade_sql::report(&db, site.id.as_str(), period).await?;
    }
    rollups.sources = live_store::sources(&db, site.id.as_str(), period).await?;
    Ok(match format {
        Format::Json => json(200, &stats::report(site.id.as_str(), period, rollups)),
        Format::Csv => {
            let mut response = with_type(200, stats::csv(&rollups), "text/csv; charset=utf-8");
            let filename = format!("attachment; filename=\"darkshare-{}-{}-{}.csv\"", site.id.as_str(), period.from, period.to);
            let _ = response.headers_mut().set("content-disposition", &filename);
            response
        }
    })
}
