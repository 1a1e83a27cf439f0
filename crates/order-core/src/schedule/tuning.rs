//! How the scheduler is tuned: the vendor budget, the maximum wait and the shape of the backoff.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Tuning for one order's [`Schedule`](super::Schedule). `Default` matches the vendors'
/// limits (60 requests per order per hour, 20 per 10 s) and a 10-minute maximum wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tuning {
    /// Never more requests than this in any rolling hour (values below 1 count as 1).
    pub budget_per_hour: u32,
    /// Never more requests than this in any rolling 10 s (values below 1 count as 1).
    pub burst_per_10s: u32,
    /// Stop with `StopReason::MaxWait` when the order has not moved for this long.
    pub max_wait: Duration,
    /// The delay right after the round starts (or the order changes).
    pub first_delay: Duration,
    /// The delay floor of the fast start: with the default 10 % growth it holds for 30 s.
    pub fast_delay: Duration,
    /// Later delays are this share (in percent) of the time since the round began, so a
    /// delivery is noticed within that share of its own duration.
    pub growth_percent: u32,
    /// The cap of the backoff; see [`Tuning::slow_delay`].
    pub max_delay: Duration,
    /// Each delay is shortened by a random 0..=this percent (never lengthened, so the
    /// detection bound holds), so customers who paid in the same second spread out.
    pub jitter_percent: u32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            budget_per_hour: 60,
            burst_per_10s: 20,
            max_wait: MaxWaitPreset::Standard.max_wait(),
            first_delay: Duration::from_secs(2),
            fast_delay: Duration::from_secs(3),
            growth_percent: 10,
            max_delay: Duration::from_secs(60),
            jitter_percent: 10,
        }
    }
}

impl Tuning {
    /// The slow end of the schedule: `max_delay`, or a tenth of `max_wait` when that is
    /// longer. With a 60 s cap a 30-minute round would need about 63 requests and hit the
    /// hourly budget of 60 before its end; growing to `max_wait / 10` needs about 55.
    pub fn slow_delay(&self) -> Duration {
        self.max_delay.max(self.max_wait / 10)
    }
}

/// The `maxWait` presets, matching the vendors' guidance on how long orders take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(test, derive(serde::Serialize))]
pub enum MaxWaitPreset {
    /// 5 minutes.
    Fast,
    /// 10 minutes (the default).
    Standard,
    /// 30 minutes.
    Slow,
}

impl MaxWaitPreset {
    pub fn max_wait(self) -> Duration {
        let minutes = match self {
            MaxWaitPreset::Fast => 5,
            MaxWaitPreset::Standard => 10,
            MaxWaitPreset::Slow => 30,
        };
        Duration::from_secs(minutes * 60)
    }
}

/// A `maxWait` text that is not `fast`, `standard` or `slow`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPreset;

impl fmt::Display for UnknownPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected one of: fast, standard, slow")
    }
}

impl std::error::Error for UnknownPreset {}

impl FromStr for MaxWaitPreset {
    type Err = UnknownPreset;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "fast" => Ok(MaxWaitPreset::Fast),
            "standard" => Ok(MaxWaitPreset::Standard),
            "slow" => Ok(MaxWaitPreset::Slow),
            _ => Err(UnknownPreset),
        }
    }
}
