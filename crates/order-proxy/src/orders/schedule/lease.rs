//! Whether this instance holds an order's schedule. With `--redis`, through the order's
//! lease in Redis (`shared::lease`): taken when free, renewed by a small task every third of
//! its length while held, given back when the schedule ends; a follower asks again when the
//! holder's lease would expire (at most a second later), so it takes over within the lease's
//! length if the holder dies. Without Redis, or while Redis does not answer, every instance
//! holds its own schedule.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::redis::lease::Taking;
use crate::redis::Shared;

/// A follower asks for the lease at least this often, so that a lease given back is taken
/// at once, not when it would have expired.
const ASK_AGAIN_WITHIN: Duration = Duration::from_secs(1);

pub struct Lease {
    shared: Option<Arc<Shared>>,
    order_key: String,
    owner: String,
    length: Duration,
    state: State,
    /// Set by the renewal task when the lease turned out to be another's.
    lost: Arc<AtomicBool>,
    renewal: Option<JoinHandle<()>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Holding,
    /// Another instance holds it; ask again at this instant (unix ms).
    Following {
        ask_at: u64,
    },
}

impl Lease {
    pub fn new(shared: Option<Arc<Shared>>, order_key: &str, length: Duration) -> Lease {
        let owner = shared
            .as_ref()
            .map_or_else(String::new, |s| s.lease_owner());
        Lease {
            shared,
            order_key: order_key.to_owned(),
            owner,
            length,
            state: State::Following { ask_at: 0 },
            lost: Arc::new(AtomicBool::new(false)),
            renewal: None,
        }
    }

    /// Whether this instance should poll at `now_ms`: it holds the lease (taking it if it
    /// is free), or it is on its own (no Redis, or Redis does not answer).
    pub async fn holds(&mut self, now_ms: u64) -> bool {
        let Some(shared) = self.shared.clone().filter(|shared| shared.is_up()) else {
            return true;
        };
        match self.state {
            State::Holding if !self.lost.load(Ordering::Acquire) => return true,
            State::Following { ask_at } if now_ms < ask_at => return false,
            _ => self.stop_renewing(),
        }
        match shared
            .take_lease(&self.order_key, &self.owner, self.length)
            .await
        {
            Ok(Taking::Taken) => {
                self.state = State::Holding;
                self.start_renewing(shared);
                true
            }
            Ok(Taking::HeldFor(rest)) => {
                let wait = rest.min(ASK_AGAIN_WITHIN) + Duration::from_millis(1);
                self.state = State::Following {
                    ask_at: now_ms + wait.as_millis() as u64,
                };
                false
            }
            Err(_) => true,
        }
    }

    /// When `holds` may answer differently (unix ms), for a follower.
    pub fn ask_again_at(&self) -> Option<u64> {
        match self.state {
            State::Following { ask_at } => Some(ask_at),
            State::Holding => None,
        }
    }

    /// Gives the lease back, if this instance holds it.
    pub async fn release(mut self) {
        self.stop_renewing();
        if let (State::Holding, Some(shared)) = (self.state, &self.shared) {
            shared.release_lease(&self.order_key, &self.owner).await;
        }
    }

    fn start_renewing(&mut self, shared: Arc<Shared>) {
        let lost = Arc::new(AtomicBool::new(false));
        self.lost = lost.clone();
        let (order_key, owner, length) = (self.order_key.clone(), self.owner.clone(), self.length);
        self.renewal = Some(tokio::spawn(async move {
            let mut every = tokio::time::interval(length / 3);
            every.tick().await;
            loop {
                every.tick().await;
                // Redis down: keep polling alone; the lease is asked for again when it is back.
                if let Ok(false) = shared.renew_lease(&order_key, &owner, length).await {
                    lost.store(true, Ordering::Release);
                    return;
                }
            }
        }));
    }

    fn stop_renewing(&mut self) {
        if let Some(renewal) = self.renewal.take() {
            renewal.abort();
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.stop_renewing();
    }
}
