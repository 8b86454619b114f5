//! `App`: what every handler gets — bindings, secrets, the clock, randomness — and the per-isolate
//! caches (links, sites, the day's salt) that keep the hot path off storage.

use crate::cache::{TtlCache, LINK_CACHE_BYTES, LINK_CAPACITY, LINK_TTL_MS};
use crate::link::Link;
use crate::site::Site;
use crate::time::Day;
use crate::visitor::VisitorHasher;
use crate::Error;
use std::cell::RefCell;
use std::rc::Rc;
use worker::{D1Database, Env, KvStore};

/// Sites change rarely; a minute of staleness is the same bound as for links.
const SITE_TTL_MS: i64 = 60_000;
const SITE_CAPACITY: usize = 1_000;
/// Click keys this isolate has recorded: a repeat of one is an `INSERT OR IGNORE` that cannot
/// change a count, so it is skipped. The key holds the day, so the TTL only bounds memory.
const CLICKED_TTL_MS: i64 = 3_600_000;
const CLICKED_CAPACITY: usize = 20_000;
/// Shortest signing secret accepted (bytes).
const MIN_SECRET_LEN: usize = 16;

/// A resolved link with what every click needs computed once, when it is cached.
pub struct Resolved {
    pub location: String,
    /// The stats page of the target (no query, no fragment).
    pub page: String,
    pub link: Link,
}

impl Resolved {
    pub fn new(link: Link) -> Resolved {
        let page = url::Url::parse(&link.url).map(|u| crate::target::TargetUrl::trusted(u).page()).unwrap_or_default();
        Resolved { location: link.location(), page, link }
    }

    /// The bytes this entry holds in the link cache (its strings; the rest is in the cache's
    /// per-entry overhead).
    pub fn bytes(&self) -> usize {
        let link = &self.link;
        let optional = link.parent.as_ref().map_or(0, String::len) + link.title.as_ref().map_or(0, String::len);
        self.location.len() + self.page.len() + link.url.len() + link.site.len() + link.fp.len() + optional
    }
}

thread_local! {
    pub static LINKS: RefCell<TtlCache<Rc<Resolved>>> = RefCell::new(TtlCache::with_max_bytes(LINK_CAPACITY, LINK_CACHE_BYTES, LINK_TTL_MS));
    pub static SITES: RefCell<TtlCache<Rc<Site>>> = RefCell::new(TtlCache::new(SITE_CAPACITY, SITE_TTL_MS));
    pub static CLICKED: RefCell<TtlCache<()>> = RefCell::new(TtlCache::new(CLICKED_CAPACITY, CLICKED_TTL_MS));
    pub static SALT: RefCell<Option<(Day, Rc<VisitorHasher>)>> = const { RefCell::new(None) };
}

/// Per-request access to the environment.
#[derive(Clone)]
pub struct App {
    pub env: Env,
    pub now_ms: i64,
}

impl App {
    pub fn new(env: Env) -> App {
        App { env, now_ms: worker::js_sys::Date::now() as i64 }
    }

    pub fn today(&self) -> Day {
        Day::from_ms(self.now_ms)
    }

    /// The HMAC key for fingerprints and codes.
    ///
    /// # Errors
    /// `Error::Config` when `SIGNING_SECRET` is missing or too short.
    pub fn signing_secret(&self) -> Result<Vec<u8>, Error> {
        let secret = self.env.secret("SIGNING_SECRET").map(|s| s.to_string()).unwrap_or_default();
        if secret.len() < MIN_SECRET_LEN {
            return Err(Error::Config("SIGNING_SECRET is missing or shorter than 16 bytes"));
        }
        Ok(secret.into_bytes())
    }

    /// # Errors
    /// `Error::Config` when `ADMIN_TOKEN` is missing.
    pub fn admin_token(&self) -> Result<String, Error> {
        let token = self.env.secret("ADMIN_TOKEN").map(|s| s.to_string()).unwrap_or_default();
        if token.is_empty() {
            return Err(Error::Config("ADMIN_TOKEN is not set"));
        }
        Ok(token)
    }

    pub fn kv(&self) -> Result<KvStore, Error> {
        self.env.kv("LINKS").map_err(|_| Error::Config("KV binding LINKS is missing"))
    }

    pub fn db(&self) -> Result<D1Database, Error> {
        self.env.d1("DB").map_err(|_| Error::Config("D1 binding DB is missing"))
    }

    /// The origin short links are issued under: `PUBLIC_ORIGIN`, or the request's own.
    pub fn public_origin(&self, request_url: &url::Url) -> String {
        let configured = self.env.var("PUBLIC_ORIGIN").map(|v| v.to_string()).unwrap_or_default();
        if configured.is_empty() {
            request_url.origin().ascii_serialization()
        } else {
            configured.trim_end_matches('/').to_owned()
        }
    }
}

/// Random bytes from the platform's CSPRNG (`crypto.getRandomValues`).
///
/// # Errors
/// `Error::Config` if the platform refuses, which the Workers runtime never does.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf).map_err(|_| Error::Config("no randomness available"))?;
    Ok(buf)
}

/// A random 64-bit id.
pub fn random_u64() -> Result<u64, Error> {
    random_bytes::<8>().map(u64::from_be_bytes)
}

/// Maps a runtime storage failure to the core's retryable error.
pub fn storage<E: std::fmt::Display>(error: E) -> Error {
    Error::Storage(error.to_string())
}

/// A secret token (stats token, webhook secret): `prefix` and 256 random bits in base62.
pub fn random_token(prefix: &str) -> Result<String, Error> {
    let bytes = random_bytes::<32>()?;
    let hi = u128::from_be_bytes(bytes[..16].try_into().unwrap_or([0; 16]));
    let lo = u128::from_be_bytes(bytes[16..].try_into().unwrap_or([0; 16]));
    Ok(format!("{prefix}{}{}", base62::encode(hi), base62::encode(lo)))
}
