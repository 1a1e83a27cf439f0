//! Answers kept in memory: terminal orders for long, live ones briefly. Concurrent
//! requests for one order share one upstream call (moka's `or_try_insert_with`).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::future::Cache;
use moka::Expiry;

use crate::error::ProxyError;

/// One upstream answer, ready to serve.
#[derive(Debug)]
pub struct Fetched {
    /// The body to send: the vendor's, or the canonical order JSON with `--normalize`.
    pub body: String,
    pub terminal: bool,
    pub upstream_latency: Duration,
}

/// Whether this request waited on the upstream or was served from memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Upstream,
    Cache,
}

pub struct OrderCache {
    entries: Cache<String, Arc<Fetched>>,
}

struct ByTerminality {
    terminal_ttl: Duration,
    live_ttl: Duration,
}

impl Expiry<String, Arc<Fetched>> for ByTerminality {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Arc<Fetched>,
        _now: Instant,
    ) -> Option<Duration> {
        Some(if value.terminal {
            self.terminal_ttl
        } else {
            self.live_ttl
        })
    }
}

impl OrderCache {
    pub fn new(terminal_ttl: Duration, live_ttl: Duration) -> Self {
        OrderCache {
            entries: Cache::builder()
                .max_capacity(10_000)
                .expire_after(ByTerminality {
                    terminal_ttl,
                    live_ttl,
                })
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
        F: Future<Output = Result<Fetched, ProxyError>>,
    {
        let entry = self
            .entries
            .entry(key)
            .or_try_insert_with(async { fetch.await.map(Arc::new) })
            .await
            .map_err(|shared: Arc<ProxyError>| (*shared).clone())?;
        let source = if entry.is_fresh() {
            Source::Upstream
        } else {
            Source::Cache
        };
        Ok((entry.into_value(), source))
    }
}
