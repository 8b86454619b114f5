//! Runs a hot request's future as a chain of the runtime's own promises, without wasm-bindgen's
//! executor: the future is polled at once, and then from the callback of the promise it waits on.
//!
//! Why: wasm-bindgen's `future_to_promise` builds a promise, spawns a task and wakes it through a
//! microtask every time an awaited promise settles. Measured with `benches/views.mjs`: a view
//! stripped down to reading its body answered 0.044 ms sooner chained than spawned (0.62 against
//! 0.67 ms, 11 rounds), about a quarter of what the whole view costs beyond the JS POST floor; the
//! full view went from 0.90 to 0.83 ms. Here each wait costs the promise's own `then` and one call
//! into the module.
//!
//! The chain only knows the promises awaited through [`awaited`]. A future that waits on anything
//! else (the `worker` crate's KV or D1 calls, a timer) is handed to `future_to_promise` as it
//! stands, and its `Awaited`s then wait as ordinary `JsFuture`s. So a request whose site or salt is
//! not cached yet still works, at the old cost; only one promise may be awaited at a time (join
//! several with `Promise.allSettled` first, as `limits.rs` does).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use worker::js_sys::Promise;
use worker::wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen(inline_js = "export function settle_then(p, f) { return p.then((v) => f(true, v), (e) => f(false, e)); }")]
extern "C" {
    /// `p.then(…)` with one callback for both outcomes, so that exactly one closure exists per
    /// wait and it is always called (a `Closure::once` never called would never be freed).
    fn settle_then(p: &Promise, f: JsValue) -> Promise;
}

thread_local! {
    /// Whether a chain is polling its future right now.
    static DRIVING: Cell<bool> = const { Cell::new(false) };
    /// The promises the future registered during this poll (more than one: hand it over).
    static WAITING: RefCell<Vec<Promise>> = const { RefCell::new(Vec::new()) };
    /// How the awaited promise settled, for the `Awaited` that is waiting on it.
    static SETTLED: RefCell<Option<Result<JsValue, JsValue>>> = const { RefCell::new(None) };
}

type Task = Pin<Box<dyn Future<Output = JsValue>>>;

/// Runs `response` and returns what the runtime expects from `fetch`: the value itself when it is
/// ready at once, else a promise of it.
pub fn run(response: impl Future<Output = JsValue> + 'static) -> JsValue {
    step(Rc::new(RefCell::new(Box::pin(response))), None)
}

/// Polls the task with the outcome of the promise it was waiting on, and chains its next wait.
fn step(task: Rc<RefCell<Task>>, settled: Option<Result<JsValue, JsValue>>) -> JsValue {
    SETTLED.with(|s| *s.borrow_mut() = settled);
    DRIVING.with(|d| d.set(true));
    let poll = task.borrow_mut().as_mut().poll(&mut Context::from_waker(Waker::noop()));
    DRIVING.with(|d| d.set(false));
    SETTLED.with(|s| s.borrow_mut().take());
    let mut waiting = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
    match poll {
        Poll::Ready(value) => value,
        Poll::Pending if waiting.len() == 1 => {
            let promise = waiting.pop().unwrap_or_else(|| unreachable!());
            let next = Closure::once_into_js(move |ok: bool, value: JsValue| step(task, Some(if ok { Ok(value) } else { Err(value) })));
            settle_then(&promise, next).into()
        }
        // Waiting on something the chain does not see: the executor takes over.
        Poll::Pending => future_to_promise(Handover(task)).into(),
    }
}

/// The task polled by wasm-bindgen's executor from now on.
struct Handover(Rc<RefCell<Task>>);

impl Future for Handover {
    type Output = Result<JsValue, JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.borrow_mut().as_mut().poll(cx).map(Ok)
    }
}

/// `promise` as a future: one a chain can wait on in the hot worker; a plain `JsFuture` in the
/// console worker, which never runs a chain (and whose upload is then 245 bytes smaller).
#[cfg(not(feature = "console"))]
pub fn awaited(promise: Promise) -> Awaited {
    Awaited::New(promise)
}

#[cfg(feature = "console")]
pub fn awaited(promise: Promise) -> JsFuture {
    JsFuture::from(promise)
}

/// A promise awaited by a future that may run in a chain.
pub enum Awaited {
    New(Promise),
    /// Registered with the chain, whose next step brings its outcome.
    Chained(Promise),
    Spawned(JsFuture),
}

impl Future for Awaited {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let promise = match this {
            Awaited::Spawned(future) => return Pin::new(future).poll(cx),
            Awaited::New(promise) | Awaited::Chained(promise) => promise.clone(),
        };
        if !DRIVING.with(Cell::get) {
            *this = Awaited::Spawned(JsFuture::from(promise));
            return Pin::new(this).poll(cx);
        }
        if matches!(this, Awaited::Chained(_)) {
            if let Some(outcome) = SETTLED.with(|s| s.borrow_mut().take()) {
                return Poll::Ready(outcome);
            }
        }
        WAITING.with(|w| w.borrow_mut().push(promise.clone()));
        *this = Awaited::Chained(promise);
        Poll::Pending
    }
}
