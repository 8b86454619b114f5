//! A constant 302 in workers-rs: what any Rust worker pays per request on this runtime (request and
//! response conversion across the JavaScript boundary) before doing any work of its own.

use worker::{event, Context, Env, Headers, Request, Response, Result};

#[event(fetch)]
async fn fetch(_req: Request, _env: Env, _ctx: Context) -> Result<Response> {
    let headers = Headers::new();
    headers.set("location", "https://example.com/post?x=1")?;
    Ok(Response::empty()?.with_status(302).with_headers(headers))
}
