//! The day's key (its salt from D1 mixed with the signing secret, cached per isolate), and the
//! visitor and address hashes of a request.

use crate::edge::app::{random_bytes, App, SALT};
use crate::edge::store::d1;
use crate::edge::http::{client_ip, header};
use crate::crypto::hex;
use crate::site::SiteId;
use crate::visitor::{VisitorHash, VisitorHasher};
use crate::Result;
use std::rc::Rc;
use worker::Headers;

/// Today's key if this isolate already has it.
fn cached_salt(app: &App) -> Option<Rc<VisitorHasher>> {
    let today = app.today();
    SALT.with(|s| s.borrow().as_ref().filter(|(day, _)| *day == today).map(|(_, salt)| salt.clone()))
}

/// Today's key, from the day's salt (created by the first request of the day anywhere) and the
/// signing secret, which the database never holds.
async fn salt(app: &App) -> Result<Rc<VisitorHasher>> {
    if let Some(salt) = cached_salt(app) {
        return Ok(salt);
    }
    let today = app.today();
    let fresh = hex(&random_bytes::<32>()?);
    let stored = d1::daily_salt(&app.db()?, today, &fresh).await?;
    let salt = Rc::new(VisitorHasher::new(&app.signing_secret()?, stored.as_bytes()));
    SALT.with(|s| *s.borrow_mut() = Some((today, salt.clone())));
    Ok(salt)
}

/// What of a request identifies its visitor, copied out so it can outlive the request.
pub struct VisitorKey {
    ip: String,
    user_agent: String,
}

impl VisitorKey {
    pub fn of(headers: &Headers) -> VisitorKey {
        VisitorKey::with_agent(headers, header(headers, "user-agent"))
    }

    /// Like `of`, for a caller that has read the user agent already.
    pub fn with_agent(headers: &Headers, user_agent: String) -> VisitorKey {
        VisitorKey { ip: client_ip(headers), user_agent }
    }

    /// The visitor's hash for `site` today, without waiting: `None` until the isolate has the salt.
    pub fn hash_now(&self, app: &App, site: &SiteId) -> Option<VisitorHash> {
        cached_salt(app).map(|salt| salt.hash(site, &self.ip, &self.user_agent))
    }

    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The visitor's hash and the hash of their address alone, for `site` today.
    pub async fn hashes(&self, app: &App, site: &SiteId) -> Result<Hashes> {
        let salt = salt(app).await?;
        Ok(Hashes { visitor: salt.hash(site, &self.ip, &self.user_agent), address: salt.address(site, &self.ip) })
    }
}

/// A request's daily-salted pseudonyms: the visitor (IP + user agent) and the address (IP alone).
pub struct Hashes {
    pub visitor: VisitorHash,
    pub address: String,
}
