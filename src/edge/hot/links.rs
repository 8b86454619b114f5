//! `POST /api/links`: share buttons and marketers create short links (hot worker).

use crate::edge::app::{random_u64, App};
use crate::edge::http::{bearer, check_origin, json, read_json};
use crate::edge::store::kv::KvLinks;
use crate::edge::hot::visitors::VisitorKey;
use crate::edge::hot::limits;
use crate::edge::hot::outbox;
use crate::edge::store::sites;
use crate::code::ShortCode;
use crate::fingerprint::Fingerprint;
use crate::link::{self, Created, NewLink, MAX_TITLE_CHARS};
use crate::target::TargetUrl;
use crate::time::parse_rfc3339_ms;
use crate::workflow::link_created_event;
use crate::{Channel, Error, Result};
use serde::{Deserialize, Serialize};
use worker::{Request, Response};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    site: String,
    url: String,
    channel: String,
    parent: Option<String>,
    slug: Option<String>,
    expires_at: Option<String>,
    /// `false` opts the link out of the added `utm_*` parameters.
    utm: Option<bool>,
    /// Shown to link-preview fetchers; only with the site's stats token (`400 bad_field` otherwise).
    title: Option<String>,
}

#[derive(Serialize)]
struct CreatedBody<'a> {
    code: &'a str,
    short_url: String,
    url: &'a str,
    channel: Channel,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
}

/// `POST /api/links` → `201` (new) or `200` (the same share again), both with the same body shape.
pub async fn create(app: &App, req: Request, origin: Option<&str>) -> Result<Response> {
    let body: CreateBody = read_json(req.inner()).await?;
    let site = sites::load(app, &body.site).await?;
    check_origin(origin, || req.inner().url(), &site.hosts)?;
    let marketer = bearer(&req).is_some();
    if marketer {
        sites::authorize(app, &req, &site).await?;
    } else if body.slug.is_some() || body.expires_at.is_some() {
        return Err(Error::MissingToken);
    }
    let secret = app.signing_secret()?;
    // An anonymous title, even an empty one, is refused by `link::create`; a marketer's empty title
    // is no title.
    let title = body.title.map(|t| t.chars().filter(|c| !c.is_control()).take(MAX_TITLE_CHARS).collect::<String>()).filter(|t| !marketer || !t.trim().is_empty());
    let new = NewLink {
        site: site.id.clone(),
        target: TargetUrl::parse(&body.url, &site.hosts)?.without_fragment(),
        channel: Channel::parse_shareable(&body.channel)?,
        parent: body.parent.filter(|p| !p.is_empty()).map(|p| Fingerprint::verify(&secret, &site.id, &p)).transpose()?,
        slug: body.slug.as_deref().map(ShortCode::custom).transpose()?,
        expires_at: body.expires_at.as_deref().map(parse_rfc3339_ms).transpose()?,
        utm: body.utm.unwrap_or(true),
        title,
        marketer,
    };
    let page = new.target.page();
    limits::admit_link(app, &VisitorKey::of(req.headers()), &site.id, marketer).await?;
    let store = KvLinks(app.kv()?);
    let created = link::create(&store, &secret, new, app.now_ms, random_u64()?).await?;
    let (status, code, link) = match &created {
        Created::New(code, link) => (201, code, link),
        Created::Existing(code, link) => (200, code, link),
    };
    if status == 201 {
        if let Err(e) = outbox::send(app, vec![link_created_event(code.as_str(), link, &page)]).await {
            // Keep "a failed request writes nothing": take the link back out of KV.
            let _ = store.0.delete(code.as_str()).await;
            return Err(e);
        }
    }
    let url = req.url().map_err(|_| Error::NotFound)?;
    let body = CreatedBody {
        code: code.as_str(),
        short_url: format!("{}/{}", app.public_origin(&url), code),
        url: &link.url,
        channel: link.channel,
        expires_at: link.expires_at,
    };
    Ok(json(status, &body))
}
