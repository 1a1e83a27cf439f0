//! The polling state machine. See the module documentation of `poll` for the contract.

use std::time::Duration;

use super::backoff::{self, millis};
use super::budget::RequestLog;
use super::tuning::Tuning;
use super::{Millis, Next, Outcome, StopReason};
use crate::error::ErrorKind;
use crate::model::Status;

const HOUR: Millis = 3_600_000;
const TEN_SECONDS: Millis = 10_000;
/// A just-placed order may not be visible yet: 404s are retried during this first part of a round…
const NOT_FOUND_WINDOW: Millis = 60_000;
/// …at most this many times.
const NOT_FOUND_RETRIES: u32 = 4;

/// When to check one order next. Pure: the caller passes the time in and executes the answers.
#[derive(Clone, Debug)]
pub struct Schedule {
    config: Tuning,
    rng: fastrand::Rng,
    log: RequestLog,
    round_started: Millis,
    /// The round start or the last non-terminal change: the backoff and `max_wait` count from here.
    origin: Millis,
    /// Partially delivered / needs attention: poll at the slow end.
    slow: bool,
    errors: u32,
    not_found: u32,
    /// No request before this (`Retry-After`).
    not_before: Millis,
    last_checked: Option<Millis>,
    /// When the next check is planned; `None` while a request is in flight, while the
    /// stream does the checking, or after a stop.
    due: Option<Millis>,
    in_flight: bool,
    hidden: bool,
    offline: bool,
    /// The event stream is healthy: it does the checking, none is planned.
    pushed: bool,
    stopped: Option<StopReason>,
}

impl Schedule {
    /// A round starts at `now`; its first check is due at once.
    pub fn new(config: Tuning, seed: u64, now: Millis) -> Schedule {
        Schedule {
            config,
            rng: fastrand::Rng::with_seed(seed),
            log: RequestLog::new(config.budget_per_hour.max(config.burst_per_10s)),
            round_started: now,
            origin: now,
            slow: false,
            errors: 0,
            not_found: 0,
            not_before: 0,
            last_checked: None,
            due: Some(now),
            in_flight: false,
            hidden: false,
            offline: false,
            pushed: false,
            stopped: None,
        }
    }

    pub fn config(&self) -> &Tuning {
        &self.config
    }

    /// Record that a request is being sent now (counts against the budget).
    pub fn on_request(&mut self, now: Millis) {
        self.log.record(now);
        self.last_checked = Some(now);
        self.due = None;
        self.in_flight = true;
    }

    /// Tell it what happened at `now`; it answers when to check next.
    pub fn on(&mut self, outcome: Outcome, now: Millis) -> Next {
        if let Some(reason) = self.stopped {
            return Next::Stop(reason);
        }
        match outcome {
            Outcome::Unchanged => {
                self.answered();
                self.plan_regular(now)
            }
            Outcome::Changed { status } => {
                self.answered();
                if status.is_terminal() {
                    return self.stop(StopReason::Terminal);
                }
                self.slow = matches!(status, Status::PartiallyDelivered | Status::NeedsAttention);
                self.origin = now;
                self.plan_regular(now)
            }
            Outcome::Terminal => self.stop(StopReason::Terminal),
            Outcome::Error { kind, retry_after } => self.on_error(kind, retry_after, now),
            Outcome::Hidden => {
                self.hidden = true;
                self.resume(now)
            }
            Outcome::Visible => {
                self.hidden = false;
                self.resume(now)
            }
            Outcome::Offline => {
                self.offline = true;
                self.resume(now)
            }
            Outcome::Online => {
                if self.offline {
                    self.offline = false;
                    self.check_at_once(now);
                }
                self.resume(now)
            }
            Outcome::Manual => {
                // A click only happens on a visible page.
                self.hidden = false;
                if !self.in_flight {
                    self.due = Some(now);
                }
                self.resume(now)
            }
            Outcome::StreamUp => {
                self.pushed = true;
                self.due = None;
                self.resume(now)
            }
            Outcome::StreamDown => {
                if self.pushed {
                    self.pushed = false;
                    if !self.in_flight {
                        self.due = Some(now);
                    }
                }
                self.resume(now)
            }
            Outcome::MaxWaitPassed => self.resume(now),
        }
    }

    /// Can a manual check run now? `Err` carries the earliest instant it is allowed
    /// (hourly budget, 10 s burst and `Retry-After` all respected).
    pub fn manual_allowed(&self, now: Millis) -> Result<(), Millis> {
        let earliest = self.earliest_allowed(now);
        if earliest <= now {
            Ok(())
        } else {
            Err(earliest)
        }
    }

    /// When the last request was sent.
    pub fn last_checked(&self) -> Option<Millis> {
        self.last_checked
    }

    /// When the next check will run; `None` while stopped, hidden, offline or awaiting a response.
    pub fn next_check_at(&self) -> Option<Millis> {
        if self.stopped.is_some() || self.hidden || self.offline || self.in_flight {
            return None;
        }
        self.due.map(|due| self.earliest_allowed(due))
    }

    /// Why polling stopped, if it did.
    pub fn stopped(&self) -> Option<StopReason> {
        self.stopped
    }

    /// "Check again": start a new round at `now`, fast again. The budget and any
    /// `Retry-After` still apply, so the answer may be a later `After`.
    pub fn restart(&mut self, now: Millis) -> Next {
        self.stopped = None;
        self.round_started = now;
        self.origin = now;
        self.slow = false;
        self.errors = 0;
        self.not_found = 0;
        self.in_flight = false;
        self.due = Some(now);
        self.resume(now)
    }

    fn answered(&mut self) {
        self.in_flight = false;
        self.errors = 0;
        self.not_found = 0;
    }

    fn on_error(&mut self, kind: ErrorKind, retry_after: Option<Duration>, now: Millis) -> Next {
        self.in_flight = false;
        if let Some(wait) = retry_after {
            self.not_before = self.not_before.max(now.saturating_add(millis(wait)));
        }
        match kind {
            ErrorKind::NotAllowed => return self.stop(StopReason::NotAllowed),
            ErrorKind::NotFound => {
                self.not_found += 1;
                let late = now.saturating_sub(self.round_started) >= NOT_FOUND_WINDOW;
                if late || self.not_found > NOT_FOUND_RETRIES {
                    return self.stop(StopReason::NotFound);
                }
            }
            // Network, timeout, rate limit, 5xx and bad bodies (a proxy's HTML error page)
            // are all transient: back off and retry; the last good order stays on screen.
            ErrorKind::Network
            | ErrorKind::Timeout
            | ErrorKind::RateLimit
            | ErrorKind::Server
            | ErrorKind::BadResponse => {}
        }
        self.errors = self.errors.saturating_add(1);
        if retry_after.is_some() {
            // The server said exactly when; `not_before` holds it.
            self.plan_regular(now)
        } else {
            let delay = backoff::after_errors(&self.config, self.elapsed(now), self.errors);
            self.plan(delay, now)
        }
    }

    fn plan_regular(&mut self, now: Millis) -> Next {
        let delay = if self.slow {
            self.config.slow_delay()
        } else {
            backoff::regular(&self.config, self.elapsed(now))
        };
        self.plan(delay, now)
    }

    fn plan(&mut self, delay: Duration, now: Millis) -> Next {
        let deadline = self.deadline();
        if now >= deadline {
            return self.stop(StopReason::MaxWait);
        }
        if self.pushed {
            self.due = None;
            return self.resume(now);
        }
        let delay = backoff::jitter(&self.config, delay, &mut self.rng);
        // One last check exactly at the deadline rather than none after it.
        self.due = Some(now.saturating_add(millis(delay)).min(deadline));
        self.resume(now)
    }

    fn check_at_once(&mut self, now: Millis) {
        if let Some(due) = self.due {
            self.due = Some(due.min(now));
        }
    }

    /// The answer for the current state, with the planned check moved to the budget.
    fn resume(&mut self, now: Millis) -> Next {
        if self.offline {
            return Next::WaitForOnline;
        }
        if self.hidden {
            return Next::WaitForVisible;
        }
        match self.due {
            Some(due) => {
                // Visible again after the planned time has passed: `due` is in the past,
                // so the check runs at once (within the budget); otherwise the rest of the delay.
                let at = self.earliest_allowed(due.max(now));
                self.due = Some(at);
                Next::After(Duration::from_millis(at.saturating_sub(now)))
            }
            None if self.pushed && !self.in_flight => self.await_push(now),
            None => Next::AwaitResponse,
        }
    }

    /// Nothing planned while the stream does the checking, until `max_wait` is over.
    fn await_push(&mut self, now: Millis) -> Next {
        let deadline = self.deadline();
        if now >= deadline {
            return self.stop(StopReason::MaxWait);
        }
        Next::AwaitPush {
            max_wait_left: Duration::from_millis(deadline - now),
        }
    }

    fn earliest_allowed(&self, at: Millis) -> Millis {
        at.max(self.not_before)
            .max(self.log.earliest_allowed(self.config.budget_per_hour, HOUR))
            .max(
                self.log
                    .earliest_allowed(self.config.burst_per_10s, TEN_SECONDS),
            )
    }

    /// `max_wait` after the round start or the last change.
    fn deadline(&self) -> Millis {
        self.origin.saturating_add(millis(self.config.max_wait))
    }

    fn elapsed(&self, now: Millis) -> Millis {
        now.saturating_sub(self.origin)
    }

    fn stop(&mut self, reason: StopReason) -> Next {
        self.stopped = Some(reason);
        self.due = None;
        self.in_flight = false;
        // The widget closes its event stream when polling stops.
        self.pushed = false;
        Next::Stop(reason)
    }
}
