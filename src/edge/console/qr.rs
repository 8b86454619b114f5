//! `GET /{code}/qr.svg`: the QR code of a short link, answered 404/410 exactly like the link.
//!
//! Two path segments, so the router's hot-path test (`paths::short_link`) never sees it: the
//! redirect pays nothing for this route.

use crate::edge::app::App;
use crate::edge::http::with_type;
use crate::edge::store::kv::resolve_cached;
use crate::code::ShortCode;
use crate::{pages, qr, Error, Result};
use worker::{Request, Response};

/// The same bound the redirect gives a browser: a disabled link's image goes stale as fast.
const CACHE_CONTROL: &str = "private, max-age=90";

/// The SVG of `{origin}/{code}?qr=1`, or the link's own 404/410 page.
pub async fn image(app: &App, req: Request, raw_code: &str) -> Result<Response> {
    let Ok(code) = ShortCode::parse(raw_code) else { return Ok(missing(false)) };
    let Some(resolved) = resolve_cached(app, &code).await? else { return Ok(missing(false)) };
    if !resolved.link.is_live(app.now_ms) {
        return Ok(missing(true));
    }
    let url = req.url().map_err(|_| Error::NotFound)?;
    let short_url = format!("{}/{}", app.public_origin(&url), code);
    let mut response = with_type(200, qr::svg(&qr::scan_url(&short_url))?, "image/svg+xml");
    let _ = response.headers_mut().set("cache-control", CACHE_CONTROL);
    Ok(response)
}

fn missing(gone: bool) -> Response {
    with_type(if gone { 410 } else { 404 }, pages::missing(gone), "text/html; charset=utf-8")
}
