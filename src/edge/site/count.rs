//! The Site object's counting write: one site's part of a queue batch, read, settled and written
//! inside one synchronous transaction (`db::atomically`): the keys are read, `counting::settle`
//! applies the rules, and the statements `site_sql` generates are run, with no `await` anywhere in
//! between. Nothing else can run in the object meanwhile, so no other batch interleaves, and the
//! whole batch commits or (a failing statement, an object aborted half-way) none of it does.
//!
//! After the commit, the pages the batch clicked are checked against the site's alert threshold
//! (read from the minute rollups here, claimed once per page and day in `alerts_sent`).

use super::db::{self, atomically};
use super::reports;
use crate::alert::{self, AlertMessage, Payload};
use crate::cascade::NodeIds;
use crate::counting::{self, Reads};
use crate::event::{self, minute_of_ms, Event, MINUTES_PER_DAY};
use crate::site_protocol::{CountAnswer, CountRequest};
use crate::site_sql::{self, KeyRead};
use crate::{Error, Result};
use worker::{SqlStorageValue, Storage};

/// Pages checked per batch at most: a flood of distinct pages is checked with their next clicks.
const MAX_PAGES_PER_BATCH: usize = 50;

/// A test fault inside the object (`edge/faults.rs`): `Fail` before anything is written;
/// `Abort` after half of the batch's statements ran: the object dies mid-transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectFault {
    Fail,
    Abort,
}

/// Counts `request` for `site`; `abort` is the object dying mid-batch (the `Abort` fault only):
/// it answers the error that ends the transaction.
pub(crate) fn count(storage_api: &Storage, site: &str, secret: Vec<u8>, request: CountRequest, fault: Option<ObjectFault>, abort: impl Fn() -> Result<()> + 'static) -> Result<CountAnswer> {
    let mut messages: Vec<counting::Message> = Vec::new();
    for text in &request.messages {
        // The consumer encoded these itself: one that does not decode is a bug, not a retry.
        messages.push(event::decode(text).map_err(|e| Error::Storage(format!("undecodable message: {e}")))?);
    }
    if messages.iter().flatten().any(|e| e.site() != site) {
        return Err(Error::Storage("an event of another site".into()));
    }
    if fault == Some(ObjectFault::Fail) {
        return Err(Error::Storage("test fault: site object down".into()));
    }
    let sql = storage_api.sql();
    let batch = messages.clone();
    atomically(storage_api, move || {
        let keys = counting::keys(&batch);
        let mut reads = Reads::default();
        for (kind, statement) in site_sql::key_reads(&keys) {
            for row in db::run(&sql, &statement)? {
                let key = db::text_or_empty(&row, 0);
                match kind {
                    KeyRead::Seen => {
                        reads.seen.insert(key);
                    }
                    KeyRead::Capped => {
                        reads.capped.insert(key, db::int(&row, 1));
                    }
                }
            }
        }
        let write = counting::settle(&batch, &reads);
        let statements = site_sql::write(&write, &NodeIds::new(&secret));
        for (i, statement) in statements.iter().enumerate() {
            if fault == Some(ObjectFault::Abort) && i == statements.len() / 2 {
                abort()?;
            }
            db::run(&sql, statement)?;
        }
        Ok(())
    })?;
    let alerts = match request.alert_threshold {
        Some(threshold) => due_alerts(storage_api, &messages.concat(), threshold, request.now_ms)?,
        None => Vec::new(),
    };
    Ok(CountAnswer { alerts })
}

/// The pages of `events` over `threshold` in the last hour, each claimed (once per page and day).
fn due_alerts(storage_api: &Storage, events: &[Event], threshold: u32, now_ms: i64) -> Result<Vec<AlertMessage>> {
    let sql = storage_api.sql();
    let now_minute = minute_of_ms(now_ms);
    let day = now_minute.div_euclid(MINUTES_PER_DAY);
    let mut due = Vec::new();
    for (site, page) in alert::pages_to_check(events).into_iter().take(MAX_PAGES_PER_BATCH) {
        let hour = reports::last_hour(&sql, &site, &page, now_minute)?;
        if !alert::is_due(hour.clicks, threshold) {
            continue;
        }
        // RETURNING answers a row only when this claim inserted it.
        let claimed = db::query(
            &sql,
            "INSERT OR IGNORE INTO alerts_sent (site, page, day) VALUES (?1, ?2, ?3) RETURNING day",
            vec![site.as_str().into(), page.as_str().into(), SqlStorageValue::Integer(day)],
        )?;
        if !claimed.is_empty() {
            due.push(AlertMessage { body: Payload::new(&site, &page, &hour).body(), site, page, day, attempt: 1 });
        }
    }
    Ok(due)
}

/// Gives a claim back (its alert could not be queued), so a later batch can try again.
pub(crate) fn release(storage_api: &Storage, site: &str, page: &str, day: i64) -> Result<()> {
    db::query(&storage_api.sql(), "DELETE FROM alerts_sent WHERE site = ?1 AND page = ?2 AND day = ?3", vec![site.into(), page.into(), SqlStorageValue::Integer(day)]).map(|_| ())
}
