//! This instance's cache: terminal orders for long, live ones briefly, and every order's last
//! good answer for an hour more, served while the vendor asks us to wait (see `block`).
//!
//! An answer's age counts from when the vendor was asked, so a live answer is never served
//! as current more than `live_ttl` after the vendor produced it, however slow the vendor was.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use moka::future::Cache;
use moka::Expiry;
use order_core::model::{Order, Status};

/// How long an answer stays at hand after its cache time, for while the vendor asks us to
/// wait: as long as the longest `Retry-After` obeyed.
pub const LAST_GOOD_KEPT: Duration = Duration::from_secs(3600);

/// One upstream answer, ready to serve.
#[derive(Debug)]
pub struct Fetched {
    /// The body to send: the redacted canonical order, or with `--codes inline` the vendor's
    /// (the canonical order with `--normalize`). See `codes`.
    pub body: Arc<str>,
    /// The order as read, secrets included, each voucher with its `ref`: what the reveal
    /// endpoints answer from. Never sent as it is.
    pub order: Arc<Order>,
    pub terminal: bool,
    pub status: Status,
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

/// What a caller needs of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// One still within its cache time (a GET, a stream's first event).
    Current,
    /// One the vendor gave at or after this instant, in unix ms: a webhook's (the order
    /// changed before the notification arrived), or the schedule's (newer than its last).
    AskedSince(u64),
}

impl Want {
    /// Whether a kept answer will do at `now_ms`.
    pub fn accepts_kept(self, fetched: &Fetched, ttls: &Ttls, now_ms: u64) -> bool {
        match self {
            Want::Current => ttls.remaining(fetched, now_ms) > Duration::ZERO,
            Want::AskedSince(since) => fetched.asked_at_ms >= since,
        }
    }

    /// Whether the answer of a call that was already under way when this caller came will
    /// do: for `Current` always (it is as fresh as any), for `AskedSince` only if the vendor
    /// was asked late enough.
    pub fn accepts_answer(self, fetched: &Fetched) -> bool {
        match self {
            Want::Current => true,
            Want::AskedSince(since) => fetched.asked_at_ms >= since,
        }
    }
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
    ttls: Ttls,
}

/// Kept for its cache time or [`LAST_GOOD_KEPT`], whichever is longer.
struct ByAge(Ttls);

impl Expiry<String, Arc<Fetched>> for ByAge {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Arc<Fetched>,
        _now: Instant,
    ) -> Option<Duration> {
        Some(self.0.remaining(value, now_ms()).max(LAST_GOOD_KEPT))
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
            ttls,
        }
    }

    /// The kept answer for `key`, if it is what `want` needs.
    pub async fn get(&self, key: &str, want: Want) -> Option<Arc<Fetched>> {
        self.entries
            .get(key)
            .await
            .filter(|kept| want.accepts_kept(kept, &self.ttls, now_ms()))
    }

    /// The last good answer for `key`, however old.
    pub async fn last_good(&self, key: &str) -> Option<Arc<Fetched>> {
        self.entries.get(key).await
    }

    /// Keeps `fetched` for `key`, unless the one kept was asked for later (answers may
    /// arrive out of order).
    pub async fn insert(&self, key: &str, fetched: Arc<Fetched>) {
        let newer_kept = self
            .entries
            .get(key)
            .await
            .is_some_and(|kept| kept.asked_at_ms > fetched.asked_at_ms);
        if !newer_kept {
            self.entries.insert(key.to_owned(), fetched).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ttls() -> Ttls {
        Ttls {
            terminal: Duration::from_secs(600),
            live: Duration::from_secs(1),
        }
    }

    fn live(asked_at_ms: u64) -> Fetched {
        Fetched {
            body: "{}".into(),
            order: Arc::new(Order::new(
                order_core::model::Vendor::Hsmail,
                "o".into(),
                "o".into(),
                Status::Pending,
            )),
            terminal: false,
            status: Status::Pending,
            upstream_latency: Duration::from_millis(700),
            asked_at_ms,
        }
    }

    #[test]
    fn age_counts_from_when_the_vendor_was_asked() {
        let ttls = ttls();
        let live = live(10_000);
        assert_eq!(ttls.remaining(&live, 10_700), Duration::from_millis(300));
        assert_eq!(ttls.remaining(&live, 11_500), Duration::ZERO);
        let terminal = Fetched {
            terminal: true,
            ..live
        };
        assert_eq!(ttls.remaining(&terminal, 11_000), Duration::from_secs(599));
    }

    #[test]
    fn what_each_caller_accepts() {
        let ttls = ttls();
        let answer = live(10_000);
        assert!(Want::Current.accepts_kept(&answer, &ttls, 10_500));
        assert!(!Want::Current.accepts_kept(&answer, &ttls, 11_000));
        assert!(Want::Current.accepts_answer(&answer), "a call under way");
        assert!(Want::AskedSince(10_000).accepts_kept(&answer, &ttls, 99_000));
        assert!(!Want::AskedSince(10_001).accepts_kept(&answer, &ttls, 10_001));
        assert!(!Want::AskedSince(10_001).accepts_answer(&answer));
    }

    #[tokio::test]
    async fn the_last_good_answer_outlives_its_cache_time() {
        let cache = OrderCache::new(ttls());
        let two_seconds_ago = now_ms() - 2_000;
        cache.insert("o", Arc::new(live(two_seconds_ago))).await;
        cache.insert("o", Arc::new(live(1))).await; // older: ignored
        assert!(cache.get("o", Want::Current).await.is_none());
        let last = cache.last_good("o").await.expect("kept");
        assert_eq!(last.asked_at_ms, two_seconds_ago);
    }
}
