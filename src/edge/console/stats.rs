//! `GET /api/stats` and `GET /api/stats.csv`: rollups of a period, behind the site's stats token.

use crate::edge::app::App;
use crate::edge::http::{with_type, JSON};
use crate::edge::site::client::SiteObject;
use crate::edge::store::sites;
use crate::stats::Period;
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
    // One call: the site's object renders the report from its own rollups.
    let csv = matches!(format, Format::Csv);
    let query = [("from", period.from.0.to_string()), ("to", period.to.0.to_string()), ("format", if csv { "csv" } else { "json" }.to_owned())];
    let body = SiteObject::of(app, site.id.as_str())?.get("/stats", &query).await?;
    Ok(if csv {
        let mut response = with_type(200, body, "text/csv; charset=utf-8");
        let filename = format!("attachment; filename=\"darkshare-{}-{}-{}.csv\"", site.id.as_str(), period.from, period.to);
        let _ = response.headers_mut().set("content-disposition", &filename);
        response
    } else {
        with_type(200, body, JSON)
    })
}
