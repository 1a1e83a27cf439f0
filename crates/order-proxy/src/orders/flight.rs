//! Single flight on this instance: whoever asks for an order while a vendor call for it is
//! under way (a GET, a stream, a webhook, the schedule) shares that call. The call runs in
//! its own task, so it completes and is kept even if every caller goes away.
//!
//! moka's `or_try_insert_with` coalesces only while nothing is cached for a key, but a
//! webhook and the schedule must ask the vendor although an answer is cached: hence this map
//! of shared futures (`futures`' `Shared`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use futures_util::future::{BoxFuture, FutureExt, Shared};

use crate::error::ProxyError;
use crate::orders::cache::Fetched;

pub type Answer = Result<Arc<Fetched>, ProxyError>;
pub type Flight = Shared<BoxFuture<'static, Answer>>;

#[derive(Default)]
pub struct Flights {
    running: Mutex<HashMap<String, (u64, Flight)>>,
    started: AtomicU64,
}

impl Flights {
    pub fn new() -> Arc<Self> {
        Arc::new(Flights::default())
    }

    /// The call under way for `key`, or a new one made by `call`; true if it is new.
    pub fn join_or_start<F>(self: &Arc<Self>, key: &str, call: impl FnOnce() -> F) -> (Flight, bool)
    where
        F: Future<Output = Answer> + Send + 'static,
    {
        let mut running = self.lock();
        if let Some((_, flight)) = running.get(key) {
            return (flight.clone(), false);
        }
        let number = self.started.fetch_add(1, Ordering::Relaxed);
        let flights = Arc::downgrade(self);
        let finished_key = key.to_owned();
        let call = call();
        let task = tokio::spawn(async move {
            let answer = call.await;
            if let Some(flights) = flights.upgrade() {
                flights.finish(&finished_key, number);
            }
            answer
        });
        let flight = async move { task.await.unwrap_or(Err(ProxyError::UpstreamUnavailable)) }
            .boxed()
            .shared();
        running.insert(key.to_owned(), (number, flight.clone()));
        (flight, true)
    }

    /// Calls under way, for tests and diagnostics.
    pub fn running(&self) -> usize {
        self.lock().len()
    }

    fn finish(&self, key: &str, number: u64) {
        let mut running = self.lock();
        if running.get(key).is_some_and(|(n, _)| *n == number) {
            running.remove(key);
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, (u64, Flight)>> {
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU32;
    use std::time::Duration;

    use order_core::model::{Order, Status, Vendor};

    use super::*;

    fn answer(asked_at_ms: u64) -> Answer {
        Ok(Arc::new(Fetched {
            body: "{}".into(),
            order: Arc::new(Order::new(
                Vendor::Hsmail,
                "o".into(),
                "o".into(),
                Status::Pending,
            )),
            terminal: false,
            status: Status::Pending,
            upstream_latency: Duration::ZERO,
            asked_at_ms,
        }))
    }

    #[tokio::test]
    async fn callers_share_the_call_under_way_then_a_new_one_starts() {
        let flights = Flights::new();
        let calls = Arc::new(AtomicU32::new(0));
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let counted = calls.clone();
        let (first, new) = flights.join_or_start("o", move || async move {
            counted.fetch_add(1, Ordering::SeqCst);
            let _ = released.await;
            answer(1)
        });
        assert!(new);
        let (second, new) = flights.join_or_start("o", || async { answer(2) });
        assert!(!new, "joined the call under way");
        let (other, new) = flights.join_or_start("other", || async { answer(3) });
        assert!(new, "another order has its own call");
        let _ = release.send(());
        let (a, b) = tokio::join!(first, second);
        assert_eq!(a.unwrap().asked_at_ms, 1);
        assert_eq!(b.unwrap().asked_at_ms, 1);
        assert_eq!(other.await.unwrap().asked_at_ms, 3);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(flights.running(), 0, "finished calls leave the map");
        let (third, new) = flights.join_or_start("o", || async { answer(4) });
        assert!(new);
        assert_eq!(third.await.unwrap().asked_at_ms, 4);
    }

    #[tokio::test]
    async fn a_call_completes_when_its_callers_are_gone() {
        let flights = Flights::new();
        let (done, finished) = tokio::sync::oneshot::channel();
        let (flight, _) = flights.join_or_start("o", move || async move {
            tokio::task::yield_now().await;
            let _ = done.send(());
            answer(1)
        });
        drop(flight);
        finished.await.expect("the call ran to its end");
    }
}
