//! The event stream's side of the schedule: whether the stream is healthy, and when to
//! open it again after it failed. Pure, clock passed in, like [`Schedule`](super::Schedule).

use std::time::Duration;

use super::backoff::{self, millis};
use super::config::PollConfig;
use super::{Millis, Outcome};

/// One order's event stream, as the schedule needs to know it.
#[derive(Clone, Debug)]
pub struct Push {
    config: PollConfig,
    rng: fastrand::Rng,
    /// When the open stream delivered its first order; `None` while it is not healthy.
    healthy_since: Option<Millis>,
    failures: u32,
}

/// What a failed stream means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Open the stream again after this.
    pub reopen_after: Duration,
    /// `Some(StreamDown)` when the stream had been healthy: tell the schedule.
    pub tell: Option<Outcome>,
}

impl Push {
    /// A stream about to be opened for the first time.
    pub fn new(config: PollConfig, seed: u64) -> Push {
        Push {
            config,
            rng: fastrand::Rng::with_seed(seed),
            healthy_since: None,
            failures: 0,
        }
    }

    /// An order arrived on the stream at `now`. The first one since it was opened makes
    /// it healthy: `Some(StreamUp)`, for the schedule.
    pub fn on_order(&mut self, now: Millis) -> Option<Outcome> {
        if self.healthy_since.is_some() {
            return None;
        }
        self.healthy_since = Some(now);
        Some(Outcome::StreamUp)
    }

    /// The stream failed, or could not be opened, at `now`. It is opened again after 2,
    /// 4, 8 … s (capped at the slow end, jittered); a stream that stayed healthy for a
    /// safety delay had worked, so the next failure starts from 2 s again.
    pub fn on_failure(&mut self, now: Millis) -> Failure {
        let was_healthy = self.healthy_since.take();
        let lasted = was_healthy
            .is_some_and(|since| now.saturating_sub(since) >= millis(self.config.safety_delay));
        if lasted {
            self.failures = 0;
        }
        self.failures = self.failures.saturating_add(1);
        let delay = backoff::doubling(&self.config, self.failures);
        Failure {
            reopen_after: backoff::jitter(&self.config, delay, &mut self.rng),
            tell: was_healthy.map(|_| Outcome::StreamDown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push() -> Push {
        let config = PollConfig {
            jitter_percent: 0,
            ..PollConfig::default()
        };
        Push::new(config, 1)
    }

    fn seconds(failure: Failure) -> u64 {
        failure.reopen_after.as_secs()
    }

    #[test]
    fn the_first_order_makes_the_stream_healthy_once() {
        let mut push = push();
        assert_eq!(push.on_order(100), Some(Outcome::StreamUp));
        assert_eq!(push.on_order(200), None);
        let failure = push.on_failure(300);
        assert_eq!(failure.tell, Some(Outcome::StreamDown));
        assert_eq!(push.on_order(2_400), Some(Outcome::StreamUp), "reopened");
    }

    #[test]
    fn a_stream_that_never_delivered_is_retried_with_doubling_delays() {
        let mut push = push();
        let delays: Vec<u64> = (0..8).map(|n| seconds(push.on_failure(n))).collect();
        assert_eq!(delays, [2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(push.on_failure(9).tell, None, "it was never healthy");
    }

    #[test]
    fn a_stream_that_delivers_then_drops_at_once_keeps_backing_off() {
        let mut push = push();
        let mut now = 0;
        let mut delays = Vec::new();
        for _ in 0..4 {
            push.on_order(now);
            let failure = push.on_failure(now + 100);
            assert_eq!(failure.tell, Some(Outcome::StreamDown));
            delays.push(seconds(failure));
            now += 100 + millis(failure.reopen_after);
        }
        assert_eq!(delays, [2, 4, 8, 16]);
    }

    #[test]
    fn a_stream_healthy_for_a_minute_starts_over() {
        let mut push = push();
        for n in 0..3 {
            push.on_failure(n);
        }
        push.on_order(10_000);
        assert_eq!(seconds(push.on_failure(70_000)), 2);
    }

    #[test]
    fn jitter_only_shortens_the_reopen_delay() {
        let mut push = Push::new(PollConfig::default(), 7);
        for failures in 1..=10 {
            let failure = push.on_failure(0);
            let full = backoff::doubling(&PollConfig::default(), failures);
            assert!(failure.reopen_after <= full);
            assert!(failure.reopen_after >= full * 9 / 10);
        }
    }
}
