//! The one error type of the core, with a stable snake_case code per variant.
//!
//! The core never knows HTTP: it says what *kind* of failure happened (`ErrorKind`), and
//! `edge/http.rs` is the single place that turns a kind into a status code and a JSON body.

/// Everything that can go wrong while handling a request, in the contract's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the body is not valid JSON of the expected shape: {0}")]
    BadJson(String),
    #[error("{field}: {reason}")]
    BadField { field: &'static str, reason: String },
    #[error("not an acceptable URL: {0}")]
    BadUrl(String),
    #[error("unknown channel {0:?}")]
    BadChannel(String),
    #[error("site id must be 1-32 characters of a-z, 0-9 and '-'")]
    BadSiteId,
    #[error("bad slug: {0}")]
    BadSlug(String),
    #[error("bad date: {0}")]
    BadDate(String),
    #[error("the fingerprint is malformed or its signature does not match")]
    BadFingerprint,
    #[error("an Authorization: Bearer token is required")]
    MissingToken,
    #[error("the token is not valid")]
    BadToken,
    #[error("this token belongs to another site")]
    WrongSite,
    #[error("host {0:?} is not one of the site's hosts")]
    HostNotAllowed(String),
    #[error("origin not allowed for this site")]
    OriginNotAllowed,
    #[error("no site with this id")]
    UnknownSite,
    #[error("no link with this code")]
    UnknownLink,
    #[error("no such resource")]
    NotFound,
    #[error("method not allowed here")]
    MethodNotAllowed,
    #[error("a site with this id already exists")]
    SiteExists,
    #[error("this slug is already taken")]
    SlugTaken,
    #[error("this link has expired or was disabled")]
    LinkGone,
    #[error("the body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("too many requests; retry in {0} s")]
    RateLimited(u32),
    #[error("storage is unavailable, nothing was written: {0}")]
    Storage(String),
    #[error("the service is misconfigured: {0}")]
    Config(&'static str),
    #[error("no cascade with this id")]
    UnknownCascade,
    #[error("the cursor was not issued for this list; start again without it")]
    BadCursor,
    #[error("this site has no webhook; set one with PATCH /api/sites/{{id}} first")]
    NoWebhook,
}

/// The class of a failure, which the edge maps to an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Malformed,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    Gone,
    TooLarge,
    RateLimited,
    /// Our side failed (storage, configuration): not the client's fault, and retryable.
    Unavailable,
}

/// A client's text as quoted back in an error message: at most 80 characters, so an answer never
/// echoes a whole hostile input.
pub(crate) fn clip(raw: &str) -> String {
    raw.chars().take(80).collect()
}

impl Error {
    /// The stable machine-readable code of the contract's error body.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadJson(_) => "bad_json",
            Error::BadField { .. } => "bad_field",
            Error::BadUrl(_) => "bad_url",
            Error::BadChannel(_) => "bad_channel",
            Error::BadSiteId => "bad_site_id",
            Error::BadSlug(_) => "bad_slug",
            Error::BadDate(_) => "bad_date",
            Error::BadFingerprint => "bad_fingerprint",
            Error::MissingToken => "missing_token",
            Error::BadToken => "bad_token",
            Error::WrongSite => "wrong_site",
            Error::HostNotAllowed(_) => "host_not_allowed",
            Error::OriginNotAllowed => "origin_not_allowed",
            Error::UnknownSite => "unknown_site",
            Error::UnknownLink => "unknown_link",
            Error::NotFound => "not_found",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::SiteExists => "site_exists",
            Error::SlugTaken => "slug_taken",
            Error::LinkGone => "link_gone",
            Error::TooLarge(_) => "too_large",
            Error::RateLimited(_) => "rate_limited",
            Error::Storage(_) => "storage_unavailable",
            Error::Config(_) => "misconfigured",
            Error::UnknownCascade => "unknown_cascade",
            Error::BadCursor => "bad_cursor",
            Error::NoWebhook => "no_webhook",
        }
    }

    /// The failure's class.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::BadJson(_)
            | Error::BadField { .. }
            | Error::BadUrl(_)
            | Error::BadChannel(_)
            | Error::BadSiteId
            | Error::BadSlug(_)
            | Error::BadDate(_)
            | Error::BadFingerprint
            | Error::BadCursor => ErrorKind::Malformed,
            Error::MissingToken | Error::BadToken => ErrorKind::Unauthorized,
            Error::WrongSite | Error::HostNotAllowed(_) | Error::OriginNotAllowed => {
                ErrorKind::Forbidden
            }
            Error::UnknownSite | Error::UnknownLink | Error::NotFound => ErrorKind::NotFound,
            Error::MethodNotAllowed => ErrorKind::MethodNotAllowed,
            Error::SiteExists | Error::SlugTaken => ErrorKind::Conflict,
            Error::LinkGone => ErrorKind::Gone,
            Error::TooLarge(_) => ErrorKind::TooLarge,
            Error::RateLimited(_) => ErrorKind::RateLimited,
            Error::Storage(_) | Error::Config(_) => ErrorKind::Unavailable,
            Error::UnknownCascade => ErrorKind::NotFound,
            Error::NoWebhook => ErrorKind::Conflict,
        }
    }

    /// Shorthand for a field that failed validation.
    pub fn field(field: &'static str, reason: impl Into<String>) -> Error {
        Error::BadField { field, reason: reason.into() }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
