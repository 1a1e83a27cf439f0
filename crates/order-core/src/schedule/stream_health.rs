//! The event stream's side of the schedule: whether the stream is healthy, when its silence
//! means it has failed, and when to open it again after a failure. Pure, clock passed in,
//! like [`Schedule`](super::Schedule).
//!
//! The stream (order-proxy's `GET /api/orders/{id}/events`) sends `order` events and, right
//! after the first order and then every interval, a `heartbeat` event whose data is that
//! interval in whole seconds. A stream that sent neither for two intervals has failed, even
//! if the browser still reports it open (a proxy that buffers, a connection that died
//! without a reset).

use std::ops::RangeInclusive;
use std::time::Duration;

use super::backoff::{self, millis};
use super::tuning::Tuning;
use super::{Millis, Outcome};

/// The heartbeat interval assumed until a heartbeat names one.
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(15);

/// The heartbeat intervals a stream may name, in seconds. Outside it (or not a whole number)
/// the interval stays what it was: a longer one would leave a dead stream trusted for
/// minutes.
pub const HEARTBEAT_SECONDS: RangeInclusive<u64> = 1..=120;

/// A stream that stayed healthy this long had worked: its next failure is retried after
/// the shortest delay again, rather than continuing the backoff of a flapping stream.
const WORKED: Millis = 60_000;

/// One order's event stream, as the schedule needs to know it.
#[derive(Clone, Debug)]
pub struct StreamHealth {
    config: Tuning,
    rng: fastrand::Rng,
    /// When the open stream delivered its first order; `None` while it is not healthy.
    healthy_since: Option<Millis>,
    failures: u32,
    /// The interval of the stream's heartbeats.
    heartbeat: Duration,
    /// When the stream was opened or last sent an order or a heartbeat.
    last_heard: Millis,
}

/// What a failed stream means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Open the stream again after this.
    pub reopen_after: Duration,
    /// `Some(StreamDown)` when the stream had been healthy: tell the schedule.
    pub tell: Option<Outcome>,
}

impl StreamHealth {
    /// A stream about to be opened for the first time.
    pub fn new(config: Tuning, seed: u64) -> StreamHealth {
        StreamHealth {
            config,
            rng: fastrand::Rng::with_seed(seed),
            healthy_since: None,
            failures: 0,
            heartbeat: DEFAULT_HEARTBEAT,
            last_heard: 0,
        }
    }

    /// The stream was opened at `now`: its silence counts from here.
    pub fn on_open(&mut self, now: Millis) {
        self.last_heard = now;
    }

    /// An order arrived on the stream at `now`. The first one since it was opened makes
    /// it healthy: `Some(StreamUp)`, for the schedule.
    pub fn on_order(&mut self, now: Millis) -> Option<Outcome> {
        self.last_heard = now;
        if self.healthy_since.is_some() {
            return None;
        }
        self.healthy_since = Some(now);
        Some(Outcome::StreamUp)
    }

    /// A heartbeat arrived at `now`, naming its `interval` (see [`parse_heartbeat`]; `None`
    /// keeps the interval it had). It keeps the stream alive, but only an order makes it
    /// healthy.
    pub fn on_heartbeat(&mut self, interval: Option<Duration>, now: Millis) {
        self.last_heard = now;
        if let Some(interval) = interval {
            self.heartbeat = interval;
        }
    }

    /// When the open stream counts as failed unless it sends an order or a heartbeat
    /// before: two heartbeat intervals after it was last heard.
    pub fn silent_at(&self) -> Millis {
        self.last_heard
            .saturating_add(millis(self.heartbeat).saturating_mul(2))
    }

    /// The stream failed, fell silent, or could not be opened, at `now`. It is opened
    /// again after 2, 4, 8 … s (capped at the slow end, jittered); a stream that stayed
    /// healthy for a minute had worked, so the next failure starts from 2 s again.
    pub fn on_failure(&mut self, now: Millis) -> Failure {
        let was_healthy = self.healthy_since.take();
        let lasted = was_healthy.is_some_and(|since| now.saturating_sub(since) >= WORKED);
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

    /// The widget closed the stream (polling stopped): the next one opened must deliver
    /// an order before it is healthy again.
    pub fn on_close(&mut self) {
        self.healthy_since = None;
    }
}

/// The interval a heartbeat's `data` names: whole seconds within [`HEARTBEAT_SECONDS`].
/// Anything else is `None`.
pub fn parse_heartbeat(data: &str) -> Option<Duration> {
    let digits = data.trim();
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let seconds: u64 = digits.parse().ok()?;
    HEARTBEAT_SECONDS
        .contains(&seconds)
        .then(|| Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push() -> StreamHealth {
        let config = Tuning {
            jitter_percent: 0,
            ..Tuning::default()
        };
        StreamHealth::new(config, 1)
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
    fn a_heartbeat_alone_does_not_make_the_stream_healthy() {
        let mut push = push();
        push.on_open(0);
        push.on_heartbeat(Some(Duration::from_secs(15)), 100);
        assert_eq!(push.on_failure(200).tell, None);
    }

    #[test]
    fn a_closed_stream_must_deliver_again_before_it_is_healthy() {
        let mut push = push();
        push.on_order(0);
        push.on_close();
        assert_eq!(push.on_order(600_000), Some(Outcome::StreamUp));
        push.on_close();
        assert_eq!(push.on_failure(700_000).tell, None, "closed, not failed");
    }

    #[test]
    fn silence_counts_from_the_open_and_from_every_order_or_heartbeat() {
        let mut push = push();
        push.on_open(1_000);
        assert_eq!(push.silent_at(), 31_000, "two default intervals");
        push.on_order(5_000);
        assert_eq!(push.silent_at(), 35_000);
        push.on_heartbeat(None, 20_000);
        assert_eq!(push.silent_at(), 50_000);
        push.on_heartbeat(Some(Duration::from_secs(5)), 21_000);
        assert_eq!(push.silent_at(), 31_000, "the stream's own interval");
        push.on_heartbeat(None, 25_000);
        assert_eq!(push.silent_at(), 35_000, "a malformed one keeps it");
        push.on_open(40_000);
        assert_eq!(push.silent_at(), 50_000, "a reopened stream keeps it too");
    }

    #[test]
    fn heartbeat_data_is_whole_seconds_in_a_sane_range() {
        assert_eq!(parse_heartbeat("15"), Some(Duration::from_secs(15)));
        assert_eq!(parse_heartbeat(" 30 "), Some(Duration::from_secs(30)));
        assert_eq!(parse_heartbeat("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_heartbeat("120"), Some(Duration::from_secs(120)));
        for data in [
            "",
            " ",
            "0",
            "121",
            "-5",
            "+15",
            "1.5",
            "15s",
            "1e3",
            "fifteen",
            "١٥",
            "99999999999999999999999",
            "15\n16",
        ] {
            assert_eq!(parse_heartbeat(data), None, "{data:?}");
        }
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
        assert_eq!(seconds(push.on_failure(69_999)), 16, "not quite a minute");
        push.on_order(80_000);
        assert_eq!(seconds(push.on_failure(140_000)), 2);
    }

    #[test]
    fn jitter_only_shortens_the_reopen_delay() {
        let mut push = StreamHealth::new(Tuning::default(), 7);
        for failures in 1..=10 {
            let failure = push.on_failure(0);
            let full = backoff::doubling(&Tuning::default(), failures);
            assert!(failure.reopen_after <= full);
            assert!(failure.reopen_after >= full * 9 / 10);
        }
    }
}
