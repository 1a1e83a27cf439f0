//! Measures polling strategies against a known delivery time, on a simulated clock.
//!
//! The order becomes delivered at `delivery`; a request at `t` sees it iff `t ≥ delivery`.
//! Answers are instantaneous. Shared by `tests/poll.rs` and `cargo xtask poll-report`.

use std::time::Duration;

use super::backoff::millis;
use super::{Millis, Next, Outcome, Schedule, Tuning};

/// The delivery times the report and the tests use.
pub const DELIVERY_TIMES: [Duration; 5] = [
    Duration::from_secs(5),
    Duration::from_secs(30),
    Duration::from_secs(120),
    Duration::from_secs(600),
    Duration::from_secs(1800),
];

/// How long a simulation runs before giving up on seeing the delivery.
pub const HORIZON: Duration = Duration::from_secs(2 * 3600);

/// The configuration our schedule is simulated with: the defaults with a one-hour maximum
/// wait, so that no round ends before the 30-minute delivery and no check is placed at
/// a deadline that happens to equal a delivery time. (The `slow` preset behaves the same
/// up to its 30-minute deadline, where it makes one last check.)
pub fn simulation_config() -> Tuning {
    Tuning {
        max_wait: Duration::from_secs(3600),
        ..Tuning::default()
    }
}

/// The detection target: max(3 s, 10 % of the delivery time).
pub fn target_delay(delivery: Duration) -> Duration {
    Duration::from_secs(3).max(delivery / 10)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Our [`Schedule`] with this configuration and jitter seed.
    Schedule { config: Tuning, seed: u64 },
    /// A request every `interval`.
    Fixed { interval: Duration },
    /// `first`, then doubling each time, never capped.
    Doubling { first: Duration },
}

/// What one simulated run measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    /// Requests made, up to and including the one that saw the delivery.
    pub requests: u32,
    /// When the delivery was seen, `None` if the strategy stopped or ran past the horizon.
    pub seen_at: Option<Millis>,
    /// `seen_at − delivery`.
    pub detection_delay: Option<Duration>,
    /// The most requests in any rolling hour.
    pub max_per_hour: u32,
    /// The most requests in any rolling 10 s.
    pub max_per_10s: u32,
}

/// Runs `strategy` until it sees an order delivered at `delivery`.
pub fn simulate(strategy: &Strategy, delivery: Duration) -> Run {
    let delivery_at = millis(delivery);
    let horizon = millis(HORIZON);
    let mut times = Vec::new();
    let mut seen_at = None;
    let mut schedule = match strategy {
        Strategy::Schedule { config, seed } => Some(Schedule::new(*config, *seed, 0)),
        _ => None,
    };
    let mut now: Millis = 0;
    let mut gap = match strategy {
        Strategy::Fixed { interval } => millis(*interval),
        Strategy::Doubling { first } => millis(*first),
        Strategy::Schedule { .. } => 0,
    };
    while now <= horizon {
        times.push(now);
        if now >= delivery_at {
            seen_at = Some(now);
            break;
        }
        let step = match (&mut schedule, strategy) {
            (Some(schedule), _) => {
                schedule.on_request(now);
                match schedule.on(Outcome::Unchanged, now) {
                    Next::After(delay) => millis(delay),
                    _ => break,
                }
            }
            (None, Strategy::Doubling { .. }) => {
                let step = gap;
                gap = gap.saturating_mul(2);
                step
            }
            (None, _) => gap,
        };
        now = now.saturating_add(step.max(1));
    }
    Run {
        requests: u32::try_from(times.len()).unwrap_or(u32::MAX),
        seen_at,
        detection_delay: seen_at.map(|at| Duration::from_millis(at - delivery_at)),
        max_per_hour: max_in_window(&times, 3_600_000),
        max_per_10s: max_in_window(&times, 10_000),
    }
}

/// The instants a delivery time `D` is tried at: every 100 ms over the 5 s up to it,
/// `(D − 5 s, D]`, so that no strategy's phase lines up with a round delivery time by luck
/// (a fixed 5 s interval would otherwise always see a delivery at 30 s the instant it happens).
/// Every instant is at most `D`, so its own target is at most `target_delay(D)`.
pub fn delivery_instants(delivery: Duration) -> impl Iterator<Item = Duration> {
    (0..50u32).filter_map(move |step| delivery.checked_sub(Duration::from_millis(100) * step))
}

/// `strategy` at each of [`delivery_instants`], each measure at its worst.
pub fn worst_case(strategy: &Strategy, delivery: Duration) -> Run {
    worst(delivery_instants(delivery).map(|instant| simulate(strategy, instant)))
}

/// Our schedule over `seeds` and [`delivery_instants`], each measure at its worst.
pub fn worst_over_seeds(config: Tuning, seeds: std::ops::Range<u64>, delivery: Duration) -> Run {
    worst(seeds.map(|seed| worst_case(&Strategy::Schedule { config, seed }, delivery)))
}

/// Each measure at its worst over `runs` (a missed delivery is worst of all).
pub fn worst(runs: impl Iterator<Item = Run>) -> Run {
    runs.reduce(|worst, run| Run {
        requests: worst.requests.max(run.requests),
        seen_at: worst.seen_at.zip(run.seen_at).map(|(a, b)| a.max(b)),
        detection_delay: worst
            .detection_delay
            .zip(run.detection_delay)
            .map(|(a, b)| a.max(b)),
        max_per_hour: worst.max_per_hour.max(run.max_per_hour),
        max_per_10s: worst.max_per_10s.max(run.max_per_10s),
    })
    .unwrap_or(Run {
        requests: 0,
        seen_at: None,
        detection_delay: None,
        max_per_hour: 0,
        max_per_10s: 0,
    })
}

/// The most of `times` (ascending) inside any half-open window `[t, t + window)`.
pub fn max_in_window(times: &[Millis], window: Millis) -> u32 {
    let mut most = 0;
    let mut start = 0;
    for (end, &t) in times.iter().enumerate() {
        while times
            .get(start)
            .is_some_and(|&s| s.saturating_add(window) <= t)
        {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    u32::try_from(most).unwrap_or(u32::MAX)
}
