//! The vendor's word on this instance: after a `429` or `503` with `Retry-After` for an
//! order, no call for that order reaches the vendor until then, from any path. With
//! `--redis` the block is also kept in Redis for every instance (see `shared`), and mirrored
//! here whenever an instance finds it there.

use std::time::{Duration, Instant};

use moka::future::Cache;
use moka::Expiry;

pub struct Blocks {
    until: Cache<String, Instant>,
}

/// An entry lives exactly until its block ends.
struct UntilItEnds;

impl Expiry<String, Instant> for UntilItEnds {
    fn expire_after_create(
        &self,
        _key: &String,
        until: &Instant,
        now: Instant,
    ) -> Option<Duration> {
        Some(until.saturating_duration_since(now))
    }

    fn expire_after_update(
        &self,
        key: &String,
        until: &Instant,
        now: Instant,
        _current: Option<Duration>,
    ) -> Option<Duration> {
        self.expire_after_create(key, until, now)
    }
}

impl Blocks {
    pub fn new() -> Self {
        Blocks {
            until: Cache::builder()
                .max_capacity(100_000)
                .expire_after(UntilItEnds)
                .build(),
        }
    }

    /// No call for `key` for `wait` from now (a block already longer stays).
    pub async fn hold(&self, key: &str, wait: Duration) {
        let until = Instant::now() + wait;
        self.until
            .entry(key.to_owned())
            .and_upsert_with(|kept| async move {
                kept.map_or(until, |kept| until.max(kept.into_value()))
            })
            .await;
    }

    /// How long calls for `key` must still wait, if they must.
    pub async fn remaining(&self, key: &str) -> Option<Duration> {
        let until = self.until.get(key).await?;
        let left = until.saturating_duration_since(Instant::now());
        (!left.is_zero()).then_some(left)
    }
}

impl Default for Blocks {
    fn default() -> Self {
        Blocks::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_block_lasts_its_wait_and_a_shorter_one_does_not_shorten_it() {
        let blocks = Blocks::new();
        assert_eq!(blocks.remaining("o").await, None);
        blocks.hold("o", Duration::from_secs(30)).await;
        blocks.hold("o", Duration::from_secs(1)).await;
        let left = blocks.remaining("o").await.expect("blocked");
        assert!(left > Duration::from_secs(29) && left <= Duration::from_secs(30));
        assert_eq!(blocks.remaining("other").await, None);
        blocks.hold("gone", Duration::ZERO).await;
        assert_eq!(blocks.remaining("gone").await, None);
    }
}
