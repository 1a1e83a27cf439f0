//! The delay before the next check: fast start, growth with the age of the round, jitter.

use std::time::Duration;

use super::tuning::Tuning;
use super::Millis;

/// The delay after a normal answer, `elapsed` after the round began (or the order changed):
/// `first_delay` at first, then `fast_delay`, then `growth_percent` of `elapsed` (about
/// 10 % longer each poll), capped at the slow end.
pub fn regular(config: &Tuning, elapsed: Millis) -> Duration {
    let fast = millis(config.fast_delay);
    let delay = if elapsed < fast {
        millis(config.first_delay)
    } else {
        let grown = elapsed.saturating_mul(u64::from(config.growth_percent)) / 100;
        grown.max(fast)
    };
    Duration::from_millis(delay).min(config.slow_delay())
}

/// The delay after `errors` consecutive transient errors: `first_delay` doubled per error,
/// capped at the slow end, and never shorter than the regular delay.
pub fn after_errors(config: &Tuning, elapsed: Millis, errors: u32) -> Duration {
    doubling(config, errors).max(regular(config, elapsed))
}

/// `first_delay` after one failure, doubled with each further one, capped at the slow end.
pub fn doubling(config: &Tuning, failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(20);
    config
        .first_delay
        .saturating_mul(1 << doublings)
        .min(config.slow_delay())
}

/// Shortens `delay` by a random 0..=`jitter_percent` % (at most half of it).
pub fn jitter(config: &Tuning, delay: Duration, rng: &mut fastrand::Rng) -> Duration {
    let base = millis(delay);
    let spread = base.saturating_mul(u64::from(config.jitter_percent.min(50))) / 100;
    Duration::from_millis(base - rng.u64(0..=spread))
}

pub fn millis(duration: Duration) -> Millis {
    u64::try_from(duration.as_millis()).unwrap_or(Millis::MAX)
}
