//! This instance's cache: terminal orders for long, live ones briefly. Concurrent requests
//! for one order share one fetch (moka's `or_try_insert_with`).
//!
//! An answer's age counts from when the vendor was asked, so a live answer is never served
//! more than `live_ttl` after the vendor produced it, however slow the vendor was.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use moka::future::Cache;
use moka::Expiry;

use crate::error::ProxyError;

/// One upstream answer, ready to serve.
#[derive(Debug)]
pub struct Fetched {
    /// The body to send: the vendor's, or the canonical order JSON with `--normalize`.
    pub body: Arc<str>,
    pub terminal: bool,
    pub upstream_latency: Duration,
    /// When the vendor was asked, in unix milliseconds (comparable across instances).
    pub asked_at_ms: u64,
}

/// Whether this request waited on a fetch or was served from memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Upstream,
    Cache,
}

#[derive(Debug, Clone, Copy)]
pub struct Ttls {
    pub terminal: Duration,
    pub live: Duration,
}

impl Ttls {
    /// How much longer `fetched` may be served at `now_ms`.
    pub fn remaining(&self, fetched: &Fetched, now_ms: u64) -> Duration {
        let ttl = if fetched.terminal {
            self.terminal
        } else {
            self.live
        };
        ttl.saturating_sub(Duration::from_millis(
            now_ms.saturating_sub(fetched.asked_at_ms),
        ))
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as u64)
}

pub struct OrderCache {
    entries: Cache<String, Arc<Fetched>>,
}

struct ByAge(Ttls);

impl Expiry<String, Arc<Fetched>> for ByAge {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Arc<Fetched>,
        _now: Instant,
    ) -> Option<Duration> {
        Some(self.0.remaining(value, now_ms()))
    }

    fn expire_after_update(
        &self,
        key: &String,
        value: &Arc<Fetched>,
        now: Instant,
        _current: Option<Duration>,
    ) -> Option<Duration> {
        self.expire_after_create(key, value, now)
    }
}

impl OrderCache {
    pub fn new(ttls: Ttls) -> Self {
        OrderCache {
            entries: Cache::builder()
                .max_capacity(10_000)
                .expire_after(ByAge(ttls))
                .build(),
        }
    }

    /// The cached answer for `key`, or the result of `fetch` (run once for all
    /// concurrent callers). Errors are shared with the waiting callers but not kept.
    pub async fn get_or_fetch<F>(
        &self,
        key: String,
        fetch: F,
    ) -> Result<(Arc<Fetched>, Source), ProxyError>
    where
        F: Future<Output = Result<Arc<Fetched>, ProxyError>>,
    {
        let entry = self
            .entries
            .entry(key)
            .or_try_insert_with(fetch)
            .await
            .map_err(|shared: Arc<ProxyError>| (*shared).clone())?;
        let source = if entry.is_fresh() {
            Source::Upstream
        } else {
            Source::Cache
        };
        Ok((entry.into_value(), source))
    }

    /// Replaces the answer for `key` (a webhook's fetch, another instance's answer),
    /// unless the one kept was asked for later (answers may arrive out of order).
    pub async fn insert(&self, key: String, fetched: Arc<Fetched>) {
        let newer_kept = self
            .entries
            .get(&key)
            .await
            .is_some_and(|kept| kept.asked_at_ms > fetched.asked_at_ms);
        if !newer_kept {
            self.entries.insert(key, fetched).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_from_when_the_vendor_was_asked() {
        let ttls = Ttls {
            terminal: Duration::from_secs(600),
            live: Duration::from_secs(1),
        };
        let live = Fetched {
            body: "{}".into(),
            terminal: false,
            upstream_latency: Duration::from_millis(700),
            asked_at_ms: 10_000,
        };
        assert_eq!(ttls.remaining(&live, 10_700), Duration::from_millis(300));
        assert_eq!(ttls.remaining(&live, 11_500), Duration::ZERO);
        let terminal = Fetched {
            terminal: true,
            ..live
        };
        assert_eq!(ttls.remaining(&terminal, 11_000), Duration::from_secs(599));
    }
}
