//! The day's salt (cached per isolate) and the visitor hash of a request.

use super::app::{random_bytes, App, SALT};
use super::d1;
use super::http::{client_ip, header};
use crate::crypto::hex;
use crate::site::SiteId;
use crate::visitor::VisitorHash;
use crate::Result;
use std::rc::Rc;
use worker::Request;

/// The salt of today, created by the first request of the day anywhere.
async fn salt(app: &App) -> Result<Rc<Vec<u8>>> {
    let today = app.today();
    if let Some(salt) = SALT.with(|s| s.borrow().as_ref().filter(|(day, _)| *day == today).map(|(_, salt)| salt.clone())) {
        return Ok(salt);
    }
    let fresh = hex(&random_bytes::<32>()?);
    let salt = Rc::new(d1::daily_salt(&app.db()?, today, &fresh).await?.into_bytes());
    SALT.with(|s| *s.borrow_mut() = Some((today, salt.clone())));
    Ok(salt)
}

/// What of a request identifies its visitor, copied out so it can outlive the request.
pub struct VisitorKey {
    ip: String,
    user_agent: String,
}

impl VisitorKey {
    pub fn of(req: &Request) -> VisitorKey {
        VisitorKey { ip: client_ip(req), user_agent: header(req, "user-agent") }
    }

    /// The visitor's hash for `site` today.
    pub async fn hash(&self, app: &App, site: &SiteId) -> Result<VisitorHash> {
        Ok(VisitorHash::new(&salt(app).await?, site, &self.ip, &self.user_agent))
    }
}
