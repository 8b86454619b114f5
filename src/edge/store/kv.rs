//! `LinkStore` over Workers KV, plus the cached read the redirect path uses.

use crate::edge::app::{storage, App, Resolved, LINKS};
use crate::code::ShortCode;
use crate::link::Link;
use crate::link::LinkStore;
use crate::{Error, Result};
use std::rc::Rc;
use worker::KvStore;

/// Links in the `LINKS` namespace, one JSON record per code.
pub struct KvLinks(pub KvStore);

impl LinkStore for KvLinks {
    async fn get(&self, code: &ShortCode) -> Result<Option<Link>> {
        let text = self.0.get(code.as_str()).text().await.map_err(storage)?;
        text.map(|t| serde_json::from_str(&t).map_err(|e| Error::Storage(format!("corrupt link record: {e}")))).transpose()
    }

    async fn put(&self, code: &ShortCode, link: &Link) -> Result<()> {
        let json = serde_json::to_string(link).map_err(|e| Error::Storage(e.to_string()))?;
        // Bytes, not `put`: its generic value conversion formats numbers, 16 KB of wasm for nothing.
        self.0.put_bytes(code.as_str(), json.as_bytes()).map_err(storage)?.execute().await.map_err(storage)
    }
}

/// The link behind `code` if this isolate has it (and it is younger than the cache's TTL).
pub fn cached(app: &App, code: &ShortCode) -> Option<Rc<Resolved>> {
    LINKS.with(|c| c.borrow().get(code.as_str(), app.now_ms))
}

/// The link behind `code`, from this isolate's cache or from KV (then cached).
pub async fn resolve_cached(app: &App, code: &ShortCode) -> Result<Option<Rc<Resolved>>> {
    if let Some(hit) = cached(app, code) {
        return Ok(Some(hit));
    }
    let Some(link) = KvLinks(app.kv()?).get(code).await? else { return Ok(None) };
    let resolved = Rc::new(Resolved::new(link));
    LINKS.with(|c| c.borrow_mut().insert_sized(code.as_str(), resolved.clone(), resolved.bytes(), app.now_ms));
    Ok(Some(resolved))
}

/// Drops `code` from this isolate's cache (after a delete).
pub fn forget(code: &ShortCode) {
    LINKS.with(|c| c.borrow_mut().remove(code.as_str()));
}
