//! The Public Suffix List in D1 (`public_suffixes`, migration 0006): which of a domain's deciding
//! rules it holds. Read only at site registration; `crate::suffix` decides.

use crate::edge::app::storage;
use crate::suffix::{is_public_suffix, refused, rules};
use crate::target::HostPattern;
use crate::Result;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

/// Refuses the first wildcard host that sits on a public suffix.
///
/// # Errors
/// `Error::BadField("hosts")` for such a host; storage errors.
pub async fn check_wildcards(db: &D1Database, hosts: &[HostPattern]) -> Result<()> {
    #[derive(Deserialize)]
    struct Row {
        rule: String,
    }
    for domain in hosts.iter().filter_map(HostPattern::wildcard_domain) {
        let args: Vec<JsValue> = rules(domain).iter().map(|r| JsValue::from_str(r)).collect();
        let listed: Vec<String> = db
            .prepare("SELECT rule FROM public_suffixes WHERE rule IN (?1, ?2, ?3)")
            .bind(&args)
            .map_err(storage)?
            .all()
            .await
            .map_err(storage)?
            .results::<Row>()
            .map_err(storage)?
            .into_iter()
            .map(|r| r.rule)
            .collect();
        if is_public_suffix(domain, &listed) {
            return Err(refused(domain));
        }
    }
    Ok(())
}
