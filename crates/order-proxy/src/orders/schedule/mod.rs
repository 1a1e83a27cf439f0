//! Each live order's vendor schedule, kept by order-proxy while event streams are open for it,
//! so that a stream shows a change within the polling target whether or not the vendor sends
//! webhooks.
//!
//! The schedule starts with the order's first stream on an instance and is the widget's own
//! (`order_core::schedule::Schedule`: the per-order budget, the 10 s burst limit, backoff,
//! jitter, `Retry-After`), run on the real clock by one task per order ([`round`] holds its
//! pure state). Every answer the vendor gives for the order — a GET's, a webhook's, another
//! instance's through Redis — reaches the task through the fanout and counts as a poll, so a
//! webhook's fetch is the schedule's next poll wherever it happened, and the schedule plans
//! from it. With `--redis` only the instance holding the order's lease polls ([`lease`]);
//! the others keep their round up to date from the answers they hear, and take over if the
//! holder dies.
//!
//! It stops when the order is terminal, when its last stream on this instance closes, or
//! when the schedule itself stops: at its max wait (an order that has not moved for an hour)
//! and for an order the vendor does not know. Then it ends the order's streams here, so
//! their clients fall back to their own polling instead of waiting for nothing.

mod lease;
pub mod round;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use order_core::schedule::{StopReason, Tuning};

use crate::orders::cache::now_ms;
use crate::orders::fanout::{Feed, Update};
use crate::orders::upstream::Target;
use crate::orders::{update, Orders};
use crate::settings::{Limits, ScheduleConfig};
use lease::Lease;
use round::{Round, Step};

pub struct Schedules {
    orders: Arc<Orders>,
    poll: Tuning,
    lease: Duration,
    running: AtomicUsize,
}

/// The widget's schedule, within the proxy's per-order budget and with the proxy's max wait.
pub fn poll_config(config: &ScheduleConfig, limits: &Limits) -> Tuning {
    Tuning {
        budget_per_hour: limits.per_order_per_hour,
        max_wait: config.max_wait,
        ..Tuning::default()
    }
}

impl Schedules {
    pub fn new(config: &ScheduleConfig, limits: &Limits, orders: Arc<Orders>) -> Arc<Self> {
        Arc::new(Schedules {
            orders,
            poll: poll_config(config, limits),
            lease: config.lease,
            running: AtomicUsize::new(0),
        })
    }

    /// Schedules running on this instance (holding their lease or not).
    pub fn running(&self) -> usize {
        self.running.load(Ordering::Acquire)
    }

    /// Starts the schedule of a live order whose first stream here was just sent `first`.
    pub fn start(self: &Arc<Self>, target: Target, id: String, feed: Feed, first: Update) {
        let running = Running::count(self.clone());
        let schedule = Schedule {
            orders: self.orders.clone(),
            target,
            id,
            feed,
            round: Round::new(self.poll, seed(), &first, now_ms()),
            lease: self.lease,
        };
        tokio::spawn(async move {
            schedule.run().await;
            drop(running);
        });
    }
}

struct Schedule {
    orders: Arc<Orders>,
    target: Target,
    id: String,
    feed: Feed,
    round: Round,
    lease: Duration,
}

impl Schedule {
    async fn run(mut self) {
        let key = crate::orders::order_key(&self.target, &self.id);
        let mut lease = Lease::new(self.orders.shared.clone(), &key, self.lease);
        loop {
            let poll_at = match self.round.next() {
                Step::PollAt(at) => at,
                Step::Stop(StopReason::Terminal) => break,
                Step::Stop(_) => {
                    self.feed.end_streams();
                    break;
                }
            };
            let now = now_ms();
            if poll_at <= now && lease.holds(now).await {
                self.poll(now).await;
                continue;
            }
            // Not due yet; or due, but another instance holds the schedule: ask again when
            // its lease may have expired (its answers keep this round up to date meanwhile).
            let wake_at = if poll_at > now {
                poll_at
            } else {
                lease.ask_again_at().unwrap_or(now + 1_000)
            };
            let wake = Duration::from_millis(wake_at.saturating_sub(now));
            tokio::select! {
                heard = self.feed.answers.changed() => {
                    // Closed: the order's last stream here closed.
                    if heard.is_err() {
                        break;
                    }
                    let answer = self.feed.answers.borrow_and_update().clone();
                    if let Some(answer) = answer {
                        self.round.on_answer(&answer, now_ms());
                    }
                }
                () = tokio::time::sleep(wake) => {}
            }
        }
        lease.release().await;
    }

    async fn poll(&mut self, now: u64) {
        self.round.polling(now);
        let last = self.round.last_asked_ms();
        match self.orders.poll(&self.target, &self.id, last).await {
            Ok(fetched) => self.round.on_answer(&update(&fetched), now_ms()),
            Err(error) => self.round.on_error(&error, now_ms()),
        }
    }
}

/// Counts a running schedule until dropped.
struct Running(Arc<Schedules>);

impl Running {
    fn count(schedules: Arc<Schedules>) -> Running {
        schedules.running.fetch_add(1, Ordering::AcqRel);
        Running(schedules)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The jitter seed of a round: random, so that orders paid in the same second spread out.
fn seed() -> u64 {
    getrandom::u64().unwrap_or_else(|_| now_ms())
}

#[cfg(test)]
mod tests {
    use order_core::schedule::simulate::simulation_config;

    use super::*;

    #[test]
    fn the_default_schedule_is_the_one_the_poll_report_simulates() {
        let config = poll_config(&ScheduleConfig::default(), &Limits::default());
        assert_eq!(config, simulation_config());
        assert!(
            config.max_wait >= 2 * order_core::schedule::MaxWaitPreset::Slow.max_wait(),
            "longer than the widget's longest max wait"
        );
    }
}
