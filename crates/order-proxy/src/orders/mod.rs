//! The one way to an order's body, for a GET, the event stream, webhooks and the schedule:
//! this instance's cache, then one call at a time per order (`flight`), which checks the
//! vendor's block (`block`, `Retry-After`), then (with `--redis`) the shared cache, single
//! flight, block and budgets, then the vendor. Every new answer is kept and announced to
//! the subscribers of every instance.

pub mod block;
pub mod cache;
pub mod fanout;
pub mod flight;
pub mod ids;
pub mod schedule;
pub mod upstream;
pub mod vendor;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::whole_seconds_at_least_one;
use crate::error::ProxyError;
use crate::metrics::{Budget, Limit, Metrics};
use crate::orders::block::Blocks;
use crate::orders::cache::{now_ms, Fetched, OrderCache, Source, Ttls, Want};
use crate::orders::fanout::{Fanout, Update};
use crate::orders::flight::{Answer, Flights};
use crate::orders::upstream::{Target, Upstream};
use crate::rate_limits::RateLimits;
use crate::redis::budget::Spend;
use crate::redis::{Shared, Unavailable};

/// While another instance asks the vendor, how often the shared cache is looked at.
const FLIGHT_POLL: Duration = Duration::from_millis(20);
/// A caller that needs a newer answer than the calls under way give it joins at most this
/// many of them before its own.
const MOST_CALLS_JOINED: usize = 3;

pub struct Orders {
    pub upstream: Upstream,
    pub cache: OrderCache,
    pub ttls: Ttls,
    pub limits: Arc<RateLimits>,
    pub fanout: Arc<Fanout>,
    pub shared: Option<Arc<Shared>>,
    /// Longest a fetch may take; single-flight locks and waits are bounded by it.
    pub upstream_timeout: Duration,
    pub metrics: Arc<Metrics>,
    flights: Arc<Flights>,
    blocks: Blocks,
}

/// `<vendor>:<id>`: how an order is named in caches, budgets and updates (never a token).
pub fn order_key(target: &Target, id: &str) -> String {
    format!("{}:{id}", target.vendor.as_str())
}

impl Orders {
    pub fn new(
        upstream: Upstream,
        ttls: Ttls,
        limits: Arc<RateLimits>,
        fanout: Arc<Fanout>,
        shared: Option<Arc<Shared>>,
        upstream_timeout: Duration,
        metrics: Arc<Metrics>,
    ) -> Arc<Self> {
        Arc::new(Orders {
            upstream,
            cache: OrderCache::new(ttls),
            ttls,
            limits,
            fanout,
            shared,
            upstream_timeout,
            metrics,
            flights: Flights::new(),
            blocks: Blocks::new(),
        })
    }

    /// The order as a GET or a new stream serves it: from a cache while current; while the
    /// vendor asks us to wait, its last good answer however old (else that refusal).
    pub async fn current(
        self: &Arc<Self>,
        target: &Target,
        id: &str,
    ) -> Result<(Arc<Fetched>, Source), ProxyError> {
        let key = order_key(target, id);
        match self.answer(target, id, &key, Want::Current).await {
            Err(refusal @ ProxyError::RateLimited { .. }) => {
                match self.while_the_vendor_waits(&key).await {
                    Some(last_good) => Ok((last_good, Source::Cache)),
                    None => Err(refusal),
                }
            }
            answer => answer,
        }
    }

    /// An answer the vendor gives at or after `since` (unix ms), kept and announced: a
    /// webhook said the order changed. If the vendor asked us to wait, it is asked once its
    /// wait is over.
    pub async fn refresh(
        self: &Arc<Self>,
        target: &Target,
        id: &str,
        since: u64,
    ) -> Result<(), ProxyError> {
        let key = order_key(target, id);
        let want = Want::AskedSince(since);
        let answer = self.answer(target, id, &key, want).await;
        if let Err(ProxyError::RateLimited { .. }) = answer {
            if let Some(wait) = self.blocks.remaining(&key).await {
                tokio::time::sleep(wait).await;
                return self.answer(target, id, &key, want).await.map(drop);
            }
        }
        answer.map(drop)
    }

    /// The schedule's poll: an answer newer than the last one it had (asked at `last_ms`).
    pub async fn poll(self: &Arc<Self>, target: &Target, id: &str, last_ms: u64) -> Answer {
        let key = order_key(target, id);
        let want = Want::AskedSince(last_ms.saturating_add(1));
        self.answer(target, id, &key, want)
            .await
            .map(|(fetched, _)| fetched)
    }

    /// An answer another instance fetched (through Redis pub/sub).
    pub async fn accept_shared(&self, key: String, fetched: Fetched) {
        let fetched = Arc::new(fetched);
        self.fanout.publish(&key, update(&fetched));
        self.cache.insert(&key, fetched).await;
    }

    /// From this instance's cache if it will do, else from the call under way for the
    /// order (or a new one), until an answer will do.
    async fn answer(
        self: &Arc<Self>,
        target: &Target,
        id: &str,
        key: &str,
        want: Want,
    ) -> Result<(Arc<Fetched>, Source), ProxyError> {
        let mut joined = 0;
        loop {
            let kept = self.cache.get(key, want).await;
            self.metrics.cache_lookup(kept.is_some());
            if let Some(kept) = kept {
                return Ok((kept, Source::Cache));
            }
            let orders = self.clone();
            let (target, id, call_key) = (target.clone(), id.to_owned(), key.to_owned());
            let (flight, ours) = self.flights.join_or_start(key, move || async move {
                orders.call(&target, &id, &call_key, want).await
            });
            let fetched = flight.await?;
            joined += usize::from(!ours);
            // A call that began before this caller's `since` may not have seen the change
            // it was told about: after it ends, one more (shared by whoever comes).
            if ours || want.accepts_answer(&fetched) || joined >= MOST_CALLS_JOINED {
                return Ok((fetched, Source::Upstream));
            }
        }
    }

    /// One call for `key`, run as this instance's single flight: nothing while the vendor's
    /// block lasts; with Redis up, the shared cache, lock, block and budgets; else this
    /// instance's own budgets.
    async fn call(&self, target: &Target, id: &str, key: &str, want: Want) -> Answer {
        if let Some(wait) = self.blocks.remaining(key).await {
            self.metrics.refused(Limit::VendorRetryAfter);
            return Err(rate_limited(wait));
        }
        if let Some(shared) = self.shared_up() {
            if let Ok(answer) = self.call_shared(shared, target, id, key, want).await {
                return answer;
            }
        }
        self.limits.check_upstream(key)?;
        self.ask_vendor(target, id, key).await
    }

    /// Single flight across instances: the lock holder asks the vendor, the others read
    /// its answer from the shared cache.
    async fn call_shared(
        &self,
        shared: &Shared,
        target: &Target,
        id: &str,
        key: &str,
        want: Want,
    ) -> Result<Answer, Unavailable> {
        let hold = self.upstream_timeout + Duration::from_secs(1);
        let give_up = Instant::now() + hold + Duration::from_secs(1);
        let began_ms = now_ms();
        loop {
            if let Some(fetched) = self.shared_answer(shared, key, want, began_ms).await? {
                return Ok(Ok(fetched));
            }
            if let Some(lock) = shared.lock(key, hold).await? {
                let answer = self
                    .call_holding_lock(shared, target, id, key, want, began_ms)
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

    async fn call_holding_lock(
        &self,
        shared: &Shared,
        target: &Target,
        id: &str,
        key: &str,
        want: Want,
        began_ms: u64,
    ) -> Result<Answer, Unavailable> {
        // The previous holder may have stored its answer just before we took the lock.
        if let Some(fetched) = self.shared_answer(shared, key, want, began_ms).await? {
            return Ok(Ok(fetched));
        }
        match shared.spend_budget(key).await? {
            Spend::Spent => {
                self.metrics.budget_used(Budget::Shared);
                Ok(self.ask_vendor(target, id, key).await)
            }
            Spend::OverBudget(wait) => {
                self.metrics.refused(Limit::VendorBudgetShared);
                Ok(Err(rate_limited(wait)))
            }
            Spend::Blocked(wait) => {
                self.metrics.refused(Limit::VendorRetryAfter);
                self.blocks.hold(key, wait).await;
                Ok(Err(rate_limited(wait)))
            }
        }
    }

    /// The shared answer if it is what `want` needs, or (for a current one) if the vendor
    /// gave it after this call began: a slow vendor's answer is as fresh as the waiters
    /// could get. Kept here too.
    async fn shared_answer(
        &self,
        shared: &Shared,
        key: &str,
        want: Want,
        began_ms: u64,
    ) -> Result<Option<Arc<Fetched>>, Unavailable> {
        let Some(fetched) = shared.cached(key).await? else {
            return Ok(None);
        };
        let will_do = want.accepts_kept(&fetched, &self.ttls, now_ms())
            || (want == Want::Current && fetched.asked_at_ms >= began_ms);
        if !will_do {
            return Ok(None);
        }
        let fetched = Arc::new(fetched);
        self.cache.insert(key, fetched.clone()).await;
        Ok(Some(fetched))
    }

    /// Asks the vendor. Its answer is kept (here and in Redis) and announced; a request to
    /// wait (`Retry-After`) blocks the order here and for every instance.
    async fn ask_vendor(&self, target: &Target, id: &str, key: &str) -> Answer {
        match self.upstream.fetch(target, id).await {
            Ok(fetched) => {
                let fetched = Arc::new(fetched);
                // The vendor was asked: its answer is served whatever Redis does next.
                if let Some(shared) = self.shared_up() {
                    let ttl = self.ttls.remaining(&fetched, now_ms());
                    let _ = shared.store(key, &fetched, ttl).await;
                }
                self.cache.insert(key, fetched.clone()).await;
                self.announce(key, &fetched).await;
                Ok(fetched)
            }
            Err(ProxyError::VendorWait { wait }) => {
                self.blocks.hold(key, wait).await;
                if let Some(shared) = self.shared_up() {
                    let _ = shared.block(key, wait).await;
                }
                Err(rate_limited(wait))
            }
            Err(error) => Err(error),
        }
    }

    /// The last good answer while the vendor asks us to wait for `key`: this instance's,
    /// else the one kept in Redis.
    async fn while_the_vendor_waits(&self, key: &str) -> Option<Arc<Fetched>> {
        self.blocks.remaining(key).await?;
        if let Some(kept) = self.cache.last_good(key).await {
            return Some(kept);
        }
        let fetched = Arc::new(self.shared_up()?.cached(key).await.ok()??);
        self.cache.insert(key, fetched.clone()).await;
        Some(fetched)
    }

    /// Wakes this instance's streams at once, and every other instance's through Redis.
    async fn announce(&self, key: &str, fetched: &Fetched) {
        self.fanout.publish(key, update(fetched));
        if let Some(shared) = self.shared_up() {
            let _ = shared.publish(key, fetched).await;
        }
    }

    fn shared_up(&self) -> Option<&Shared> {
        self.shared.as_deref().filter(|shared| shared.is_up())
    }
}

fn rate_limited(wait: Duration) -> ProxyError {
    ProxyError::RateLimited {
        retry_after_secs: whole_seconds_at_least_one(wait),
    }
}

pub fn update(fetched: &Fetched) -> Update {
    Update {
        body: fetched.body.clone(),
        terminal: fetched.terminal,
        status: fetched.status,
        asked_at_ms: fetched.asked_at_ms,
    }
}
