//! The install check's write: after a batch is counted, the hosts its page views came from are
//! recorded per site (`site_hosts`, read by `GET /api/sites[/{id}]`). Each isolate writes a site and
//! host at most once an hour (`SEEN`), so the check costs a D1 write per host and hour, not per view,
//! and `last_view_at` is exact to the hour. Kept in D1 beside the registry, not in a site's counts:
//! the admin's site list reads every site's `last_view_at` in one query.

use crate::cache::TtlCache;
use crate::edge::app::App;
use crate::edge::store::registry;
use crate::event::Event;
use crate::install_check::seen_hosts;
use std::cell::RefCell;

/// How long this isolate trusts that a site and host it recorded need no new write.
const SEEN_TTL_MS: i64 = 3_600_000;
const SEEN_CAPACITY: usize = 10_000;

thread_local! {
    static SEEN: RefCell<TtlCache<()>> = RefCell::new(TtlCache::new(SEEN_CAPACITY, SEEN_TTL_MS));
}

/// Records the batch's new hosts. A failure is logged, never retried: the counts are already safe,
/// and the next view from the host tries again.
pub async fn run(app: &App, events: &[Event]) {
    let fresh: Vec<(String, String, i64)> = seen_hosts(events)
        .into_iter()
        .filter(|(site, host, _)| SEEN.with(|c| c.borrow().get(&format!("{site}\t{host}"), app.now_ms).is_none()))
        .collect();
    if fresh.is_empty() {
        return;
    }
    let written = match app.db() {
        Ok(db) => registry::saw_hosts(&db, &fresh).await,
        Err(e) => Err(e),
    };
    match written {
        Ok(()) => SEEN.with(|c| {
            let mut cache = c.borrow_mut();
            for (site, host, _) in &fresh {
                cache.insert(&format!("{site}\t{host}"), (), app.now_ms);
            }
        }),
        Err(e) => worker::console_error!("install check: {}", e),
    }
}
