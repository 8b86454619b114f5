//! HTTP plumbing of the edge: the one place that maps core errors to status codes and JSON bodies,
//! plus body limits, bearer tokens, CORS and the small response builders every handler shares.

use crate::edge::chain::awaited;
use crate::target::{host_allowed, HostPattern};
use crate::{Error, ErrorKind};
use worker::js_sys::{Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::worker_sys::web_sys;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Headers, Request, Response};

/// Largest request body any JSON endpoint reads.
pub const MAX_BODY_BYTES: usize = 8 * 1024;
/// A too-large chunked body is read to its end, and dropped, up to this size (`read_limited`).
const DRAINED_BODY_BYTES: usize = 64 * 1024;

/// The status code for a kind of failure (the contract's table).
pub fn status_of(kind: ErrorKind) -> u16 {
    match kind {
        ErrorKind::Malformed => 400,
        ErrorKind::Unauthorized => 401,
        ErrorKind::Forbidden => 403,
        ErrorKind::NotFound => 404,
        ErrorKind::MethodNotAllowed => 405,
        ErrorKind::Conflict => 409,
        ErrorKind::Gone => 410,
        ErrorKind::TooLarge => 413,
        ErrorKind::RateLimited => 429,
        ErrorKind::Unavailable => 503,
    }
}

/// `{"error": {"code", "message"}}` with the mapped status; never a 500.
pub fn error_response(error: &Error) -> Response {
    #[derive(Serialize)]
    struct Body<'a> {
        error: Detail<'a>,
    }
    #[derive(Serialize)]
    struct Detail<'a> {
        code: &'a str,
        message: String,
    }
    let body = Body { error: Detail { code: error.code(), message: error.to_string() } };
    let mut response = json(status_of(error.kind()), &body);
    if let Error::RateLimited(seconds) = error {
        let _ = response.headers_mut().set("retry-after", &seconds.to_string());
    }
    if let Error::MethodNotAllowed = error {
        let _ = response.headers_mut().set("allow", "GET, POST, PATCH, DELETE, OPTIONS");
    }
    response
}

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> Response {
    with_type(status, json_text(body), JSON)
}

/// `body` as JSON text; our bodies always serialize, `{}` stands in if one ever did not.
fn json_text<T: Serialize>(body: &T) -> String {
    serde_json::to_string(body).unwrap_or_else(|_| "{}".into())
}

/// A response of `content_type` with `status`.
pub fn with_type(status: u16, body: String, content_type: &str) -> Response {
    let headers = Headers::new();
    let _ = headers.set("content-type", content_type);
    let _ = headers.set("cache-control", "no-store");
    match Response::ok(body) {
        Ok(r) => r.with_status(status).with_headers(headers),
        Err(_) => empty(status),
    }
}

/// A response shape this isolate answers often (status and fixed headers), built once. The
/// runtime's `Response` constructor copies the headers it is given, so an answer costs one call
/// into JavaScript plus one per header that varies (measured on the redirect: building the
/// response had been a third of the hot path's own time). A template's varying headers must be
/// set on every answer, since the previous answer's values are still there.
pub struct Template {
    headers: web_sys::Headers,
    init: web_sys::ResponseInit,
}

impl Template {
    /// `None` only if the runtime itself is broken.
    pub fn new(status: u16, fixed: &[(&str, &str)]) -> Option<Template> {
        let headers = web_sys::Headers::new().ok()?;
        for (name, value) in fixed {
            headers.set(name, value).ok()?;
        }
        let init = web_sys::ResponseInit::new();
        init.set_status(status);
        init.set_headers_headers(&headers);
        Some(Template { headers, init })
    }

    /// An answer with `body` and this request's `varying` headers.
    ///
    /// # Errors
    /// `Error::Config` if the runtime refuses (a header value that is not a valid header).
    pub fn answer(&self, body: Option<&str>, varying: &[(&str, &str)]) -> Result<web_sys::Response, Error> {
        let refused = || Error::Config("the runtime refused a response");
        for (name, value) in varying {
            self.headers.set(name, value).map_err(|_| refused())?;
        }
        web_sys::Response::new_with_opt_str_and_init(body, &self.init).map_err(|_| refused())
    }
}

thread_local! {
    /// The snippet's JSON answers: for a request without `Origin`, and for a browser page's.
    static SNIPPET_JSON: [Option<Template>; 2] = [
        Template::new(200, &[("content-type", JSON), ("cache-control", "no-store")]),
        Template::new(200, &[("content-type", JSON), ("cache-control", "no-store"), ("vary", "Origin")]),
    ];
}

pub const JSON: &str = "application/json; charset=utf-8";

/// A snippet endpoint's JSON answer on the runtime's own types, readable by the page at `origin`
/// (checked by the caller against the site's hosts).
///
/// # Errors
/// As `Template::answer`.
pub fn snippet_json<T: Serialize>(status: u16, body: &T, origin: Option<&str>) -> Result<web_sys::Response, Error> {
    let text = json_text(body);
    SNIPPET_JSON.with(|[plain, readable]| {
        let template = if origin.is_some() { readable } else { plain };
        let template = template.as_ref().ok_or(Error::Config("the runtime refused a response"))?;
        template.init.set_status(status);
        match origin {
            Some(origin) => template.answer(Some(&text), &[("access-control-allow-origin", origin)]),
            None => template.answer(Some(&text), &[]),
        }
    })
}

/// A response with no body.
pub fn empty(status: u16) -> Response {
    // Creating an empty response cannot fail in the Workers runtime.
    Response::empty().map(|r| r.with_status(status)).unwrap_or_else(|_| unreachable!())
}

/// A header's value, or `""`.
pub fn header(headers: &Headers, name: &str) -> String {
    headers.get(name).ok().flatten().unwrap_or_default()
}

/// Reads and parses a JSON body of at most `MAX_BODY_BYTES`, whatever its content type (the
/// snippet sends `text/plain` so that browsers skip the CORS preflight).
///
/// # Errors
/// `Error::TooLarge`, or `Error::BadJson` naming what is wrong.
pub async fn read_json<T: DeserializeOwned>(req: &web_sys::Request) -> Result<T, Error> {
    let headers = Headers(req.headers());
    let declared = header(&headers, "content-length").parse::<usize>().ok();
    let bytes = match declared {
        Some(len) if len > MAX_BODY_BYTES => return Err(Error::TooLarge(MAX_BODY_BYTES)),
        // The runtime holds the client to a declared length, so one whole read is bounded; it
        // costs one call and one wait where the chunk reader costs a few of each.
        Some(_) if header(&headers, "transfer-encoding").is_empty() => read_whole(req).await?,
        _ => read_limited(req).await?,
    };
    serde_json::from_slice(&bytes).map_err(|e| Error::BadJson(e.to_string()))
}

fn unreadable() -> Error {
    Error::BadJson("the body could not be read".into())
}

async fn read_whole(req: &web_sys::Request) -> Result<Vec<u8>, Error> {
    let buffer = awaited(req.array_buffer().map_err(|_| unreadable())?).await.map_err(|_| unreadable())?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The body, read chunk by chunk and kept only up to `MAX_BODY_BYTES`: a chunked body has no
/// `content-length` to refuse it by, and reading it whole first would wait for (and hold) whatever
/// a client cares to send. A body somewhat too large is read to its end and dropped before the
/// `413`; one past `DRAINED_BODY_BYTES` is cancelled at once. Cancelling a body the client was
/// still sending left its connection unusable: under `wrangler dev` the client's next request
/// failed ("worker restarted mid-request"), and a few kilobytes too many should not cost that.
async fn read_limited(req: &web_sys::Request) -> Result<Vec<u8>, Error> {
    let Some(stream) = req.body() else { return Ok(Vec::new()) };
    // The runtime's reader directly: the `Stream` adapter of `Request::stream` costs upload size.
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::new();
    let mut seen = 0usize;
    loop {
        let chunk = awaited(reader.read()).await.map_err(|_| unreadable())?;
        if Reflect::get(&chunk, &JsValue::from_str("done")).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            return if seen > MAX_BODY_BYTES { Err(Error::TooLarge(MAX_BODY_BYTES)) } else { Ok(body) };
        }
        let bytes = Reflect::get(&chunk, &JsValue::from_str("value")).map(Uint8Array::from).map_err(|_| unreadable())?;
        seen += bytes.length() as usize;
        if seen > DRAINED_BODY_BYTES {
            // Tell the runtime we are done with the rest, whatever the client still sends.
            let _ = reader.cancel();
            return Err(Error::TooLarge(MAX_BODY_BYTES));
        }
        if seen <= MAX_BODY_BYTES {
            body.extend_from_slice(&bytes.to_vec());
        }
    }
}

/// The bearer token of the request, if it has one.
pub fn bearer(req: &Request) -> Option<String> {
    bearer_of(req.headers())
}

/// The bearer token of these request headers, if any.
pub fn bearer_of(headers: &Headers) -> Option<String> {
    let value = header(headers, "authorization");
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

/// The request's `Origin`, when a browser sent one.
pub fn origin(headers: &Headers) -> Option<String> {
    Some(header(headers, "origin")).filter(|o| !o.is_empty())
}

/// Checks a browser's `Origin` against the site's hosts. Requests without an `Origin` (servers,
/// `curl`) are not cross-origin reads and pass, and so do same-origin ones (the stats page's Links
/// view, served by this worker, at `request_url`); the target URL policy still applies to them.
///
/// # Errors
/// `Error::OriginNotAllowed` when the origin's host is not one of the site's.
pub fn check_origin(origin: Option<&str>, request_url: impl FnOnce() -> String, hosts: &[HostPattern]) -> Result<(), Error> {
    let Some(origin) = origin else { return Ok(()) };
    if url::Url::parse(&request_url()).is_ok_and(|own| own.origin().ascii_serialization() == origin) {
        return Ok(());
    }
    let host = url::Url::parse(origin).ok().and_then(|u| u.host_str().map(str::to_owned));
    match host {
        Some(host) if host_allowed(hosts, &host) => Ok(()),
        _ => Err(Error::OriginNotAllowed),
    }
}

/// Lets a browser page on `origin` read `response` (the caller has checked the origin, or the
/// response is an error that reveals nothing about a site).
pub fn allow_origin(mut response: Response, origin: Option<&str>) -> Response {
    if let Some(origin) = origin {
        let headers = response.headers_mut();
        let _ = headers.set("access-control-allow-origin", origin);
        let _ = headers.append("vary", "Origin");
    }
    response
}

/// The answer to a CORS preflight. The site is in the body, which a preflight does not carry, so
/// the real request is checked against the site's hosts when it comes.
pub fn preflight(origin: Option<&str>) -> Response {
    let mut response = empty(204);
    let headers = response.headers_mut();
    let _ = headers.set("access-control-allow-methods", "POST, GET, PATCH, DELETE, OPTIONS");
    let _ = headers.set("access-control-allow-headers", "content-type, authorization");
    let _ = headers.set("access-control-max-age", "86400");
    allow_origin(response, origin)
}

/// The client's IP address as Cloudflare reports it (used only inside the visitor hash).
pub fn client_ip(headers: &Headers) -> String {
    header(headers, "cf-connecting-ip")
}
