//! The polling scheduler: decides *when* to check the order again. Pure, clock passed in.
//!
//! Time is [`Millis`] on a monotonic clock the caller provides (in the browser,
//! `performance.now()` rounded; in tests, a number). The widget only executes the answers.
//!
//! # The contract
//! * [`Schedule::new`] starts a round; its first check is due at once.
//! * Before every request call [`Schedule::on_request`]; when it is answered (or fails), call
//!   [`Schedule::on`] with the [`Outcome`]. Page and network events (`Hidden`, `Visible`,
//!   `Offline`, `Online`) and clicks (`Manual`) go to `on` too.
//! * Every answer replaces the previous one: cancel any pending timer, then
//!   - [`Next::After`]`(d)`: check after `d` (zero means now). `d` always respects the
//!     hourly budget, the 10 s burst limit and any `Retry-After`.
//!   - [`Next::WaitForVisible`] / [`Next::WaitForOnline`]: no timer; report `Visible` /
//!     `Online` when it happens.
//!   - [`Next::AwaitResponse`]: a request is in flight; its outcome gives the next answer.
//!   - [`Next::AwaitPush`]: the event stream is healthy and its orders are the checks: no
//!     request is planned. Set a timer for `max_wait_left` and report
//!     [`Outcome::MaxWaitPassed`] when it fires (the order did not move for `max_wait`).
//!   - [`Next::Stop`]`(reason)`: polling is over. For `MaxWait` (and `NotFound`) the UI
//!     offers "Check again", which calls [`Schedule::restart`] and executes its answer.
//!     Once stopped, `on` answers the same `Stop` until `restart`.
//! * A manual check: `manual_allowed(now)` says whether the button works now or from when;
//!   on a click send `Manual` and execute the answer (`After(0)` when allowed).
//! * `last_checked()` / `next_check_at()` feed "last checked N s ago" / "next check in …".
//!
//! # The rules
//! * Delays: `first_delay` (2 s), then `fast_delay` (3 s) until 10 % of the round's age is
//!   longer, then 10 % of the age (so each delay is ~10 % longer than the last), capped at
//!   [`Tuning::slow_delay`] (60 s, or `max_wait / 10` if longer). Jitter only shortens
//!   (by up to 10 %), so a delivery is seen within max(3 s, 10 % of its time).
//! * `Changed` to a non-terminal status resets to the fast start and restarts the
//!   `max_wait` clock; `PartiallyDelivered` / `NeedsAttention` poll at the slow end instead.
//!   A terminal status (or `Terminal`) stops.
//! * Errors: `NotAllowed` stops. `NotFound` is retried (2, 4, 8, 16 s) during the first
//!   minute of the round, at most 4 times, then stops. Network, timeout, rate limit, 5xx
//!   and bad responses back off (2 s doubling, never shorter than the regular delay, capped
//!   at the slow end). A `Retry-After` is obeyed exactly: no request before it, manual or not.
//! * `max_wait` after the round start (or last change) polling stops with `MaxWait`; the
//!   last check is placed exactly at the deadline (none while the stream is healthy).
//! * Hidden: no requests. Visible: at once if the planned check is overdue, else the rest of
//!   the delay. Offline: nothing until `Online`, then a check at once (none while the
//!   stream is healthy: if it died meanwhile, its failure brings the checks back).
//! * Push (the `events` stream, see [`StreamHealth`]): an order that arrives on the stream is an
//!   answer like a poll's (`Unchanged`, `Changed`, `Terminal`). While the stream is healthy
//!   (`StreamUp`) no check is planned at all (`AwaitPush`): order-proxy polls the vendor for
//!   every open stream and pushes each change. Only the customer (`Manual`) causes a request
//!   then; `max_wait` still counts, and ends without one (`MaxWaitPassed`). When the stream
//!   fails (`StreamDown`) the regular schedule is back at once, with a check at once (within
//!   the budget and any `Retry-After`). [`StreamHealth`] decides when the stream has failed.
//!
//! # Driving loop
//! ```
//! use order_core::schedule::{Next, Outcome, Tuning, Schedule};
//!
//! let mut clock = 0; // milliseconds
//! let mut schedule = Schedule::new(Tuning::default(), 42, clock);
//! let mut next = Next::After(std::time::Duration::ZERO);
//! for status_changed in [false, false, true] {
//!     let Next::After(delay) = next else { break };
//!     clock += delay.as_millis() as u64; // the widget sets a timer instead
//!     schedule.on_request(clock);
//!     // … fetch and compare the order …
//!     next = if status_changed { schedule.on(Outcome::Terminal, clock) } else { schedule.on(Outcome::Unchanged, clock) };
//! }
//! assert!(matches!(next, Next::Stop(_)));
//! assert_eq!(schedule.last_checked(), Some(clock));
//! ```

mod backoff;
mod budget;
mod machine;
mod retry_after;
pub mod simulate;
mod stream_health;
mod tuning;

use std::time::Duration;

use crate::error::ErrorKind;
use crate::model::Status;

pub use machine::Schedule;
pub use retry_after::parse_retry_after;
pub use stream_health::{
    parse_heartbeat, Failure, StreamHealth, DEFAULT_HEARTBEAT, HEARTBEAT_SECONDS,
};
pub use tuning::{MaxWaitPreset, Tuning, UnknownPreset};

/// Milliseconds on the caller's monotonic clock.
pub type Millis = u64;

/// What happened, as told to [`Schedule::on`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The order was fetched and did not change.
    Unchanged,
    /// The order was fetched and its status changed to `status`.
    Changed {
        status: Status,
    },
    /// The order was fetched and is terminal.
    Terminal,
    /// The check failed; `retry_after` from a 429/503 `Retry-After` header.
    Error {
        kind: ErrorKind,
        retry_after: Option<Duration>,
    },
    Hidden,
    Visible,
    Offline,
    Online,
    /// The customer asked for a check.
    Manual,
    /// The event stream delivered its first order: it does the checking now.
    StreamUp,
    /// The event stream failed: back to the regular schedule.
    StreamDown,
    /// The timer of [`Next::AwaitPush`] fired: `max_wait` passed with nothing pushed.
    MaxWaitPassed,
}

/// When to check next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    After(Duration),
    Stop(StopReason),
    WaitForVisible,
    WaitForOnline,
    AwaitResponse,
    /// The healthy event stream does the checking: no request is planned. Unless something
    /// is told first, report [`Outcome::MaxWaitPassed`] after `max_wait_left`.
    AwaitPush {
        max_wait_left: Duration,
    },
}

/// Why polling stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StopReason {
    /// The order reached a terminal status.
    Terminal,
    /// 401/403: the customer must sign in again.
    NotAllowed,
    /// 404 beyond the first minute of the round.
    NotFound,
    /// `max_wait` passed without the order moving: "taking longer than usual".
    MaxWait,
}
