//! Short links: the stored record, the creation rules, and what `GET /{code}` answers.
//!
//! A link's code is derived from its identity (site, URL, channel, parent), so asking again for the
//! same share finds the same record with one read and no secondary index. See `code.rs`.

use crate::code::ShortCode;
use crate::fingerprint::{Fingerprint, Origin};
use crate::site::SiteId;
use crate::target::TargetUrl;
use crate::{Channel, Error, Result};
use serde::{Deserialize, Serialize};

/// Generated code lengths tried in turn when a shorter code is taken by another link.
const CODE_LENGTHS: [usize; 3] = [7, 9, 12];
/// Longest accepted link title (used only for link previews).
pub const MAX_TITLE_CHARS: usize = 200;

/// A short link as stored under its code (JSON in KV).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub site: String,
    /// The validated target, without a fragment of ours.
    pub url: String,
    pub channel: Channel,
    /// The link's own fingerprint, carried to the landing page as `#ds=`.
    pub fp: String,
    /// The sharer's page-view fingerprint, when the share button knew it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether `utm_source`/`utm_medium` are added on redirect.
    #[serde(default = "yes")]
    pub utm: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub disabled: bool,
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

fn yes() -> bool {
    true
}

impl Link {
    /// Whether the link still redirects at `now_ms`.
    pub fn is_live(&self, now_ms: i64) -> bool {
        !self.disabled && self.expires_at.is_none_or(|t| now_ms < t)
    }

    /// Whether `self` is the same share as the one being requested.
    fn same_share(&self, new: &NewLink) -> bool {
        self.site == new.site.as_str()
            && self.url == new.target.as_str()
            && self.channel == new.channel
            && self.parent.as_deref() == new.parent.as_ref().map(Fingerprint::as_str)
    }

    /// Where a human is sent: the target with UTM parameters (unless opted out) and the link's
    /// fingerprint in the fragment.
    pub fn location(&self) -> String {
        // The URL was validated at creation; re-parsing only guards against a hand-edited record.
        match url::Url::parse(&self.url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                let target = TargetUrl::trusted(url);
                let target = if self.utm { target.with_utm(self.channel) } else { target };
                target.with_fingerprint(&self.fp)
            }
            _ => String::new(),
        }
    }
}

/// A validated request to create a link.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub site: SiteId,
    pub target: TargetUrl,
    pub channel: Channel,
    pub parent: Option<Fingerprint>,
    pub slug: Option<ShortCode>,
    pub expires_at: Option<i64>,
    pub utm: bool,
    pub title: Option<String>,
}

/// The outcome of `create`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// A new link was stored (201).
    New(ShortCode, Link),
    /// The same share existed already (200, same code).
    Existing(ShortCode, Link),
}

/// Creates the link, or finds the identical live one.
///
/// `fp_id` is a fresh random id for the link's fingerprint.
///
/// # Errors
/// `Error::SlugTaken` when a custom slug holds another link; `Error::BadDate` when `expires_at` is
/// not in the future; storage errors as the store reports them.
pub async fn create<S: LinkStore>(store: &S, secret: &[u8], new: NewLink, now_ms: i64, fp_id: u64) -> Result<Created> {
    if new.expires_at.is_some_and(|t| t <= now_ms) {
        return Err(Error::BadDate("expires_at must be in the future".into()));
    }
    if let Some(slug) = new.slug.clone() {
        return match store.get(&slug).await? {
            Some(existing) if existing.same_share(&new) && existing.is_live(now_ms) => Ok(Created::Existing(slug, existing)),
            Some(_) => Err(Error::SlugTaken),
            None => store_new(store, secret, slug, new, now_ms, fp_id).await,
        };
    }
    let parent = new.parent.as_ref().map_or("", Fingerprint::as_str);
    let identity: [&[u8]; 4] = [new.site.as_str().as_bytes(), new.target.as_str().as_bytes(), new.channel.as_str().as_bytes(), parent.as_bytes()];
    for len in CODE_LENGTHS {
        let code = ShortCode::derive(secret, &identity, len);
        match store.get(&code).await? {
            None => return store_new(store, secret, code, new, now_ms, fp_id).await,
            Some(existing) if existing.same_share(&new) && existing.is_live(now_ms) => return Ok(Created::Existing(code, existing)),
            // Taken by another share, or a deleted/expired one: a longer code of the same identity.
            Some(_) => continue,
        }
    }
    Err(Error::Storage("no free code for this share".into()))
}

async fn store_new<S: LinkStore>(store: &S, secret: &[u8], code: ShortCode, new: NewLink, now_ms: i64, fp_id: u64) -> Result<Created> {
    let generation = new.parent.as_ref().map_or(0, |p| p.generation);
    let fp = Fingerprint::mint(secret, &new.site, Origin::Link, generation, Fingerprint::link_id(new.channel, fp_id));
    let link = Link {
        site: new.site.as_str().to_owned(),
        url: new.target.as_str().to_owned(),
        channel: new.channel,
        fp: fp.as_str().to_owned(),
        parent: new.parent.map(|p| p.as_str().to_owned()),
        utm: new.utm,
        expires_at: new.expires_at,
        disabled: false,
        created_at: now_ms,
        title: new.title,
    };
    store.put(&code, &link).await?;
    Ok(Created::New(code, link))
}

mod store;
pub use store::{block_on, LinkStore, MemoryLinks};

#[cfg(test)]
mod tests;
