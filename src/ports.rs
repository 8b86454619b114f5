//! Storage ports: small async traits the edge implements over KV and D1, and tests over memory.
//!
//! No `Send` bounds: Workers bindings are single-threaded JavaScript objects.
#![allow(async_fn_in_trait)]

use crate::code::ShortCode;
use crate::link::Link;
use crate::Result;

/// Code → link records (KV in production).
pub trait LinkStore {
    /// The link stored under `code`, if any. MUST return `Ok(None)` for an unknown code and an
    /// error only when storage itself failed.
    async fn get(&self, code: &ShortCode) -> Result<Option<Link>>;
    /// Stores `link` under `code`, replacing what was there.
    async fn put(&self, code: &ShortCode, link: &Link) -> Result<()>;
}

/// Runs a future that never waits on I/O to completion (the in-memory fakes never pend).
#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// An in-memory `LinkStore` for tests.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct MemoryLinks(pub std::cell::RefCell<std::collections::HashMap<String, Link>>);

#[cfg(test)]
impl LinkStore for MemoryLinks {
    async fn get(&self, code: &ShortCode) -> Result<Option<Link>> {
        Ok(self.0.borrow().get(code.as_str()).cloned())
    }
    async fn put(&self, code: &ShortCode, link: &Link) -> Result<()> {
        self.0.borrow_mut().insert(code.as_str().to_owned(), link.clone());
        Ok(())
    }
}
