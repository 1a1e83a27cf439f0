//! Webhook signatures already accepted, so a captured notification cannot be sent again.

use std::time::Duration;

use moka::future::Cache;

use crate::auth::webhook_signature::TOLERANCE_SECS;
use crate::redis::Shared;

/// Signatures already accepted, here and (with `--redis`) by any instance. Kept for twice
/// the timestamp tolerance: an older signature is refused as stale anyway.
pub struct Replays {
    seen: Cache<String, ()>,
}

impl Replays {
    pub fn new() -> Self {
        Replays {
            seen: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_secs(2 * TOLERANCE_SECS))
                .build(),
        }
    }

    /// True the first time `replay_key` is seen.
    pub async fn first_sighting(&self, replay_key: &str, shared: Option<&Shared>) -> bool {
        let here = self
            .seen
            .entry(replay_key.to_owned())
            .or_insert(())
            .await
            .is_fresh();
        match shared.filter(|shared| shared.is_up()) {
            Some(shared) if here => shared.first_sighting(replay_key).await.unwrap_or(true),
            _ => here,
        }
    }
}

impl Default for Replays {
    fn default() -> Self {
        Replays::new()
    }
}
