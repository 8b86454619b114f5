//! `LinkStore`, the port through which link creation reads and writes link records, beside the code
//! that uses it; the edge implements it over KV (`edge/store/kv.rs`), tests over memory (`MemoryLinks`,
//! public so that integration tests in `tests/` can use it too).
#![allow(async_fn_in_trait)]

use super::Link;
use crate::code::ShortCode;
use crate::Result;
use std::cell::RefCell;
use std::collections::HashMap;

/// Code → link records (KV in production). No `Send` bound: Workers bindings are single-threaded
/// JavaScript objects.
pub trait LinkStore {
    /// The link stored under `code`, if any. MUST return `Ok(None)` for an unknown code and an
    /// error only when storage itself failed.
    async fn get(&self, code: &ShortCode) -> Result<Option<Link>>;
    /// Stores `link` under `code`, replacing what was there.
    async fn put(&self, code: &ShortCode, link: &Link) -> Result<()>;
}

/// An in-memory `LinkStore` for tests.
#[derive(Default)]
pub struct MemoryLinks(pub RefCell<HashMap<String, Link>>);

impl LinkStore for MemoryLinks {
    async fn get(&self, code: &ShortCode) -> Result<Option<Link>> {
        Ok(self.0.borrow().get(code.as_str()).cloned())
    }
    async fn put(&self, code: &ShortCode, link: &Link) -> Result<()> {
        self.0.borrow_mut().insert(code.as_str().to_owned(), link.clone());
        Ok(())
    }
}

/// Runs a future that never waits on I/O to completion (the in-memory fakes never pend).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}
