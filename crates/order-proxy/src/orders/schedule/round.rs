//! One order's schedule as one instance sees it: the widget's own [`Schedule`], fed with
//! every answer the vendor gave for the order, from any path or instance, as a poll. Pure:
//! time is unix milliseconds passed in (answers carry when the vendor was asked, in the same
//! clock on every instance), so an instance that takes the schedule over goes on from where
//! the last holder was.

use order_core::error::ErrorKind;
use order_core::schedule::{Outcome, Schedule, StopReason, Tuning};
use std::sync::Arc;

use crate::error::ProxyError;
use crate::orders::fanout::Update;

pub struct Round {
    schedule: Schedule,
    /// When the vendor was asked for the last answer counted.
    last_asked_ms: u64,
    last_body: Arc<str>,
    /// Our own poll is under way: its answer is already counted as a request.
    polling: bool,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Poll the vendor at this instant (unix ms), if this instance holds the schedule.
    PollAt(u64),
    /// The schedule is over.
    Stop(StopReason),
}

impl Round {
    /// A round that begins at `now_ms` with `first`, the answer the order's first stream was
    /// sent, counted as its first poll.
    pub fn new(config: Tuning, seed: u64, first: &Update, now_ms: u64) -> Round {
        let mut schedule = Schedule::new(config, seed, now_ms);
        schedule.on_request(first.asked_at_ms.min(now_ms));
        let outcome = if first.terminal {
            Outcome::Terminal
        } else {
            Outcome::Unchanged
        };
        schedule.on(outcome, now_ms);
        Round {
            schedule,
            last_asked_ms: first.asked_at_ms,
            last_body: first.body.clone(),
            polling: false,
        }
    }

    pub fn next(&self) -> Step {
        if let Some(reason) = self.schedule.stopped() {
            return Step::Stop(reason);
        }
        // Only `None` while our own poll is under way, and then nobody asks.
        Step::PollAt(self.schedule.next_check_at().unwrap_or(self.last_asked_ms))
    }

    /// When the vendor was asked for the last answer counted: a poll wants a newer one.
    pub fn last_asked_ms(&self) -> u64 {
        self.last_asked_ms
    }

    /// Our own poll goes out at `now_ms`.
    pub fn polling(&mut self, now_ms: u64) {
        self.schedule.on_request(now_ms);
        self.polling = true;
    }

    /// An answer for the order arrived at `now_ms`, from our poll or any other call:
    /// counted as a poll, unless it is not newer than the last one counted.
    pub fn on_answer(&mut self, answer: &Update, now_ms: u64) {
        let ours = std::mem::take(&mut self.polling);
        if answer.asked_at_ms <= self.last_asked_ms {
            if ours {
                // Our poll brought nothing newer: it was an unchanged answer.
                self.schedule.on(Outcome::Unchanged, now_ms);
            }
            return;
        }
        if !ours {
            self.schedule.on_request(answer.asked_at_ms.min(now_ms));
        }
        let outcome = if answer.terminal {
            Outcome::Terminal
        } else if answer.body == self.last_body {
            Outcome::Unchanged
        } else {
            Outcome::Changed {
                status: answer.status,
            }
        };
        self.last_asked_ms = answer.asked_at_ms;
        self.last_body = answer.body.clone();
        self.schedule.on(outcome, now_ms);
    }

    /// Our poll failed at `now_ms`: the schedule backs off, and obeys a `Retry-After`.
    pub fn on_error(&mut self, error: &ProxyError, now_ms: u64) {
        self.polling = false;
        let retry_after = match error {
            ProxyError::RateLimited { retry_after_secs } => {
                Some(std::time::Duration::from_secs(*retry_after_secs))
            }
            _ => None,
        };
        let kind = ErrorKind::from_http_status(error.status().as_u16());
        self.schedule
            .on(Outcome::Error { kind, retry_after }, now_ms);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use order_core::model::Status;

    use super::*;

    fn config() -> Tuning {
        Tuning {
            jitter_percent: 0,
            max_wait: Duration::from_secs(60),
            ..Tuning::default()
        }
    }

    fn answer(body: &str, asked_at_ms: u64) -> Update {
        Update {
            body: body.into(),
            terminal: false,
            status: Status::Pending,
            asked_at_ms,
        }
    }

    const START: u64 = 1_000_000;

    #[test]
    fn the_first_answer_is_the_first_poll() {
        let round = Round::new(config(), 1, &answer("a", START - 300), START);
        assert_eq!(round.next(), Step::PollAt(START + 2_000));
        assert_eq!(round.last_asked_ms(), START - 300);
    }

    #[test]
    fn any_newer_answer_counts_as_a_poll_and_the_next_is_planned_from_it() {
        let mut round = Round::new(config(), 1, &answer("a", START), START);
        // A webhook's fetch, before the planned poll at +2 s.
        round.on_answer(&answer("a", START + 1_500), START + 1_500);
        assert_eq!(round.next(), Step::PollAt(START + 3_500));
        // The same answer again (through Redis), or an older one: not another poll.
        round.on_answer(&answer("a", START + 1_500), START + 1_600);
        round.on_answer(&answer("a", START + 1_000), START + 1_600);
        assert_eq!(round.next(), Step::PollAt(START + 3_500));
    }

    #[test]
    fn our_poll_is_counted_once() {
        let budget = Tuning {
            budget_per_hour: 5,
            ..config()
        };
        let mut round = Round::new(budget, 1, &answer("a", START), START);
        for _ in 0..2 {
            let Step::PollAt(at) = round.next() else {
                panic!("polling");
            };
            round.polling(at);
            round.on_answer(&answer("a", at + 5), at + 10);
        }
        // Three requests of five: counted twice, the two polls would have spent them all.
        let Step::PollAt(next) = round.next() else {
            panic!("polling");
        };
        assert!(next < START + 60_000, "{next}");
    }

    #[test]
    fn our_poll_answered_with_nothing_newer_is_an_unchanged_answer() {
        let mut round = Round::new(config(), 1, &answer("a", START), START);
        round.polling(START + 2_000);
        round.on_answer(&answer("a", START), START + 2_010);
        assert_eq!(round.next(), Step::PollAt(START + 4_010));
    }

    #[test]
    fn a_change_restarts_the_fast_start_and_a_terminal_answer_stops() {
        let mut round = Round::new(config(), 1, &answer("a", START), START);
        round.on_answer(&answer("a", START + 40_000), START + 40_000);
        assert_eq!(round.next(), Step::PollAt(START + 44_000), "10 % of 40 s");
        round.on_answer(&answer("b", START + 41_000), START + 41_000);
        assert_eq!(round.next(), Step::PollAt(START + 43_000), "fast again");
        let delivered = Update {
            terminal: true,
            status: Status::Delivered,
            ..answer("c", START + 42_000)
        };
        round.on_answer(&delivered, START + 42_000);
        assert_eq!(round.next(), Step::Stop(StopReason::Terminal));
    }

    #[test]
    fn a_retry_after_is_obeyed() {
        let mut round = Round::new(config(), 1, &answer("a", START), START);
        round.polling(START + 2_000);
        let refusal = ProxyError::RateLimited {
            retry_after_secs: 30,
        };
        round.on_error(&refusal, START + 2_010);
        assert_eq!(round.next(), Step::PollAt(START + 32_010));
    }

    #[test]
    fn it_stops_at_its_max_wait() {
        let mut round = Round::new(config(), 1, &answer("a", START), START);
        let mut now = START;
        while let Step::PollAt(at) = round.next() {
            now = at;
            round.polling(now);
            round.on_answer(&answer("a", now), now);
        }
        assert_eq!(round.next(), Step::Stop(StopReason::MaxWait));
        assert_eq!(now, START + 60_000, "the last poll at the deadline");
    }
}
