//! A constant 302 written the usual workers-rs way (`#[event(fetch)]`, `worker::Request` and
//! `Response`): what such a worker pays per request on this runtime (a promise and a task per
//! request, request and response conversion) before doing any work of its own.

use worker::{event, Context, Env, Headers, Request, Response, Result};

#[event(fetch)]
async fn fetch(_req: Request, _env: Env, _ctx: Context) -> Result<Response> {
    let headers = Headers::new();
    headers.set("location", "https://example.com/post?x=1")?;
    Ok(Response::empty()?.with_status(302).with_headers(headers))
}
