//! The one way to an order's body, for `GET`, the event stream and webhooks: this
//! instance's cache, then (with `--redis`) the shared cache and single flight, the vendor
//! budgets, the vendor; every new answer is announced to the subscribers of every instance.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cache::{now_ms, Fetched, OrderCache, Source, Ttls};
use crate::error::ProxyError;
use crate::hub::{Hub, Update};
use crate::limits::{whole_seconds_at_least_one, RateLimits};
use crate::shared::{Shared, Unavailable};
use crate::upstream::{Target, Upstream};

/// While another instance asks the vendor, how often the shared cache is looked at.
const FLIGHT_POLL: Duration = Duration::from_millis(20);

pub struct Orders {
    pub upstream: Upstream,
    pub cache: OrderCache,
    pub ttls: Ttls,
    pub limits: Arc<RateLimits>,
    pub hub: Arc<Hub>,
    pub shared: Option<Arc<Shared>>,
    /// Longest a fetch may take; single-flight locks and waits are bounded by it.
    pub upstream_timeout: Duration,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Freshness {
    /// A cached answer will do (GET, a new stream).
    Cached,
    /// Ask the vendor now (a webhook said the order changed).
    Fresh,
}

/// `<vendor>:<id>`: how an order is named in caches, budgets and updates (never a token).
pub fn order_key(target: &Target, id: &str) -> String {
    format!("{}:{id}", target.vendor.as_str())
}

impl Orders {
    /// The order as it is now, from a cache if one is fresh enough.
    pub async fn current(
        &self,
        target: &Target,
        id: &str,
    ) -> Result<(Arc<Fetched>, Source), ProxyError> {
        let key = order_key(target, id);
        let fetch = self.fetch(target, id, &key, Freshness::Cached);
        self.cache.get_or_fetch(key.clone(), fetch).await
    }

    /// Asks the vendor once, now, and keeps and announces the answer.
    pub async fn refresh(&self, target: &Target, id: &str) -> Result<(), ProxyError> {
        let key = order_key(target, id);
        let fetched = self.fetch(target, id, &key, Freshness::Fresh).await?;
        self.cache.insert(key, fetched).await;
        Ok(())
    }

    /// An answer another instance fetched (through Redis pub/sub).
    pub async fn accept_shared(&self, key: String, fetched: Fetched) {
        let fetched = Arc::new(fetched);
        self.hub.publish(&key, update(&fetched));
        if self.ttls.remaining(&fetched, now_ms()) > Duration::ZERO {
            self.cache.insert(key, fetched).await;
        }
    }

    async fn fetch(
        &self,
        target: &Target,
        id: &str,
        key: &str,
        freshness: Freshness,
    ) -> Result<Arc<Fetched>, ProxyError> {
        if let Some(shared) = self.shared.as_deref().filter(|shared| shared.is_up()) {
            if let Ok(answer) = self.fetch_shared(shared, target, id, key, freshness).await {
                return answer;
            }
        }
        self.limits.check_upstream(key)?;
        let fetched = Arc::new(self.upstream.fetch(target, id).await?);
        self.announce(key, &fetched).await;
        Ok(fetched)
    }

    /// Single flight across instances: the lock holder asks the vendor, the others read
    /// its answer from the shared cache.
    async fn fetch_shared(
        &self,
        shared: &Shared,
        target: &Target,
        id: &str,
        key: &str,
        freshness: Freshness,
    ) -> Result<Result<Arc<Fetched>, ProxyError>, Unavailable> {
        let hold = self.upstream_timeout + Duration::from_secs(1);
        let give_up = Instant::now() + hold + Duration::from_secs(1);
        let asked_at_ms = now_ms();
        loop {
            if freshness == Freshness::Cached {
                if let Some(fetched) = self.fresh_in(shared, key, asked_at_ms).await? {
                    return Ok(Ok(fetched));
                }
            }
            if let Some(lock) = shared.lock(key, hold).await? {
                let answer = self
                    .fetch_holding_lock(shared, target, id, key, freshness, asked_at_ms)
                    .await;
                shared.unlock(lock).await;
                return answer;
            }
            if Instant::now() >= give_up {
                return Ok(Err(ProxyError::UpstreamTimeout));
            }
            tokio::time::sleep(FLIGHT_POLL).await;
        }
    }

    async fn fetch_holding_lock(
        &self,
        shared: &Shared,
        target: &Target,
        id: &str,
        key: &str,
        freshness: Freshness,
        asked_at_ms: u64,
    ) -> Result<Result<Arc<Fetched>, ProxyError>, Unavailable> {
        if freshness == Freshness::Cached {
            // The previous holder may have stored its answer just before we took the lock.
            if let Some(fetched) = self.fresh_in(shared, key, asked_at_ms).await? {
                return Ok(Ok(fetched));
            }
        }
        if let Err(wait) = shared.spend_budget(key).await? {
            return Ok(Err(ProxyError::RateLimited {
                retry_after_secs: whole_seconds_at_least_one(wait),
            }));
        }
        let fetched = match self.upstream.fetch(target, id).await {
            Ok(fetched) => Arc::new(fetched),
            Err(error) => return Ok(Err(error)),
        };
        // The vendor was asked: its answer is served whatever Redis does next.
        let ttl = self.ttls.remaining(&fetched, now_ms());
        let _ = shared.store(key, &fetched, ttl).await;
        self.announce(key, &fetched).await;
        Ok(Ok(fetched))
    }

    /// The shared answer if it is within its TTL, or if the vendor gave it after this
    /// request began (a slow vendor's answer is as fresh as the waiters could get).
    async fn fresh_in(
        &self,
        shared: &Shared,
        key: &str,
        asked_at_ms: u64,
    ) -> Result<Option<Arc<Fetched>>, Unavailable> {
        Ok(shared
            .cached(key)
            .await?
            .filter(|fetched| {
                fetched.asked_at_ms >= asked_at_ms
                    || self.ttls.remaining(fetched, now_ms()) > Duration::ZERO
            })
            .map(Arc::new))
    }

    /// Wakes this instance's streams at once, and every other instance's through Redis.
    async fn announce(&self, key: &str, fetched: &Fetched) {
        self.hub.publish(key, update(fetched));
        if let Some(shared) = self.shared.as_deref().filter(|shared| shared.is_up()) {
            let _ = shared.publish(key, fetched).await;
        }
    }
}

pub fn update(fetched: &Fetched) -> Update {
    Update {
        body: fetched.body.clone(),
        terminal: fetched.terminal,
        asked_at_ms: fetched.asked_at_ms,
    }
}
