#![cfg(not(target_arch = "wasm32"))]
//! The polling scheduler on a simulated clock: every rule of issue 4, and the efficiency targets.

use std::time::Duration;

use order_core::error::ErrorKind;
use order_core::model::Status;
use order_core::schedule::simulate::{
    delivery_instants, max_in_window, simulate, simulation_config, target_delay, worst_case,
    worst_over_seeds, Strategy, DELIVERY_TIMES,
};
use order_core::schedule::{
    parse_retry_after, MaxWaitPreset, Millis, Next, Outcome, Schedule, StopReason, Tuning,
};

const HOUR: Millis = 3_600_000;

fn ms(duration: Duration) -> Millis {
    duration.as_millis() as Millis
}

fn no_jitter() -> Tuning {
    Tuning {
        jitter_percent: 0,
        ..Tuning::default()
    }
}

fn error(kind: ErrorKind) -> Outcome {
    Outcome::Error {
        kind,
        retry_after: None,
    }
}

/// Executes the schedule's answers like the widget does: one timer at most, a request
/// when it fires, and the responder's outcome at the same instant.
struct Driver {
    schedule: Schedule,
    /// When the planned check runs.
    timer: Option<Millis>,
    /// When the maximum wait ends while the stream does the checking (`AwaitPush`).
    max_wait_timer: Option<Millis>,
    requests: Vec<Millis>,
    last: Next,
}

impl Driver {
    fn new(config: Tuning, seed: u64) -> Self {
        Driver {
            schedule: Schedule::new(config, seed, 0),
            timer: Some(0),
            max_wait_timer: None,
            requests: Vec::new(),
            last: Next::After(Duration::ZERO),
        }
    }

    fn apply(&mut self, next: Next, now: Millis) {
        self.last = next;
        self.timer = match next {
            Next::After(delay) => {
                let at = now + ms(delay);
                // Every answer is at or after the earliest instant the budget allows.
                assert_eq!(self.schedule.manual_allowed(at), Ok(()), "answer at {at}");
                assert_eq!(self.schedule.next_check_at(), Some(at));
                Some(at)
            }
            _ => None,
        };
        self.max_wait_timer = match next {
            Next::AwaitPush { max_wait_left } => {
                assert_eq!(self.schedule.next_check_at(), None, "nothing planned");
                Some(now + ms(max_wait_left))
            }
            _ => None,
        };
    }

    /// Fires every timer up to and including `end`.
    fn run_until(&mut self, end: Millis, respond: &mut dyn FnMut(Millis) -> Outcome) {
        loop {
            if let Some(at) = self.timer.filter(|&at| at <= end) {
                self.schedule.on_request(at);
                self.requests.push(at);
                let next = self.schedule.on(respond(at), at);
                self.apply(next, at);
            } else if let Some(at) = self.max_wait_timer.filter(|&at| at <= end) {
                let next = self.schedule.on(Outcome::MaxWaitPassed, at);
                self.apply(next, at);
            } else {
                break;
            }
        }
    }

    fn event(
        &mut self,
        outcome: Outcome,
        at: Millis,
        respond: &mut dyn FnMut(Millis) -> Outcome,
    ) -> Next {
        self.run_until(at, respond);
        let next = self.schedule.on(outcome, at);
        self.apply(next, at);
        next
    }

    fn gaps(&self) -> Vec<Millis> {
        self.requests.windows(2).map(|w| w[1] - w[0]).collect()
    }

    fn assert_budget(&self) {
        assert!(
            max_in_window(&self.requests, HOUR) <= 60,
            "{:?}",
            self.requests
        );
        assert!(
            max_in_window(&self.requests, 10_000) <= 20,
            "{:?}",
            self.requests
        );
    }
}

fn unchanged(_: Millis) -> Outcome {
    Outcome::Unchanged
}

// --- backoff -------------------------------------------------------------------------

/// The default configuration with the preset's maximum wait.
fn preset(preset: MaxWaitPreset) -> Tuning {
    Tuning {
        max_wait: preset.max_wait(),
        ..Tuning::default()
    }
}

#[test]
fn fast_start_then_ten_percent_growth_toward_the_cap() {
    let mut driver = Driver::new(no_jitter(), 1);
    driver.run_until(HOUR, &mut unchanged);
    assert_eq!(driver.last, Next::Stop(StopReason::MaxWait));
    let gaps = driver.gaps();
    assert_eq!(gaps[..4], [2000, 2000, 3000, 3000]);
    // The last gap ends at the 10-minute deadline; all others follow the rule.
    let (last, regular) = gaps.split_last().unwrap();
    for (gap, &at) in regular.iter().zip(&driver.requests) {
        let expected = if at < 3000 {
            2000
        } else {
            (at / 10).clamp(3000, 60_000)
        };
        assert_eq!(*gap, expected, "gap after the request at {at}");
    }
    // Between 30 s and the cap each delay is 10 % longer than the one before.
    for pair in regular.windows(2) {
        if pair[0] > 3000 {
            let growth = pair[1] as f64 / pair[0] as f64;
            assert!((1.09..=1.11).contains(&growth), "{pair:?}");
        }
    }
    assert!(*last <= 60_000);
    assert!(regular.last().unwrap() > &50_000, "{gaps:?}");
    assert_eq!(driver.requests.len(), 44);
}

#[test]
fn the_slow_end_is_sixty_seconds_or_a_tenth_of_the_max_wait() {
    assert_eq!(Tuning::default().slow_delay(), Duration::from_secs(60));
    assert_eq!(
        preset(MaxWaitPreset::Fast).slow_delay(),
        Duration::from_secs(60)
    );
    assert_eq!(
        preset(MaxWaitPreset::Slow).slow_delay(),
        Duration::from_secs(180)
    );
}

#[test]
fn a_non_terminal_change_resets_to_the_fast_start() {
    let mut driver = Driver::new(no_jitter(), 1);
    driver.run_until(300_000, &mut unchanged);
    let Next::After(before) = driver.last else {
        panic!("{:?}", driver.last)
    };
    assert!(before >= Duration::from_secs(25));
    let at = driver.timer.unwrap();
    driver.schedule.on_request(at);
    let next = driver.schedule.on(
        Outcome::Changed {
            status: Status::Processing,
        },
        at,
    );
    assert_eq!(next, Next::After(Duration::from_secs(2)));
}

#[test]
fn jitter_only_shortens_and_stays_within_ten_percent() {
    let reference = {
        let mut driver = Driver::new(no_jitter(), 0);
        driver.run_until(HOUR, &mut unchanged);
        driver
    };
    let mut first_delays = std::collections::BTreeSet::new();
    for seed in 0..300 {
        let mut schedule = Schedule::new(Tuning::default(), seed, 0);
        // At the same instants as the jitter-free run, the delay is within [90 %, 100 %] of it.
        for (&at, &gap) in reference.requests.iter().zip(&reference.gaps()) {
            schedule.on_request(at);
            let Next::After(delay) = schedule.on(Outcome::Unchanged, at) else {
                panic!("stopped at {at}")
            };
            let delay = ms(delay);
            assert!(
                delay <= gap && delay * 10 >= gap * 9,
                "seed {seed} at {at}: {delay} vs {gap}"
            );
            if at == 0 {
                first_delays.insert(delay);
            }
        }
    }
    // The spread is real: customers who paid together do not poll together.
    assert!(first_delays.len() > 100, "{}", first_delays.len());
}

// --- budget --------------------------------------------------------------------------

#[test]
fn a_thousand_manual_clicks_in_an_hour_stay_within_the_budget() {
    let mut driver = Driver::new(Tuning::default(), 7);
    let mut refused = 0;
    for click in 0..1000u64 {
        let at = click * 3600;
        driver.run_until(at, &mut unchanged);
        if driver.schedule.manual_allowed(at).is_err() {
            refused += 1;
        }
        if let Next::Stop(_) = driver.last {
            let next = driver.schedule.restart(at);
            driver.apply(next, at);
        } else {
            driver.event(Outcome::Manual, at, &mut unchanged);
        }
    }
    driver.run_until(2 * HOUR, &mut unchanged);
    driver.assert_budget();
    assert!(refused > 500, "{refused}");
    assert!(
        driver.requests.len() >= 60,
        "the budget is used: {}",
        driver.requests.len()
    );
}

#[test]
fn a_burst_of_clicks_gets_twenty_requests_then_waits_for_the_ten_second_window() {
    let mut driver = Driver::new(Tuning::default(), 7);
    for click in 0..100u64 {
        driver.event(Outcome::Manual, click * 100, &mut unchanged);
    }
    let in_first_window = driver.requests.iter().filter(|&&t| t < 10_000).count();
    assert_eq!(in_first_window, 20);
    assert_eq!(driver.schedule.manual_allowed(9_999), Err(10_000));
    driver.run_until(HOUR, &mut unchanged);
    driver.assert_budget();
}

#[test]
fn a_storm_of_errors_and_clicks_never_exceeds_the_budget() {
    for seed in 0..20 {
        let mut driver = Driver::new(Tuning::default(), seed);
        let kinds = [
            ErrorKind::Server,
            ErrorKind::Timeout,
            ErrorKind::Network,
            ErrorKind::BadResponse,
            ErrorKind::RateLimit,
        ];
        let mut count = 0usize;
        let mut respond = |_| {
            count += 1;
            let kind = kinds[count % kinds.len()];
            let retry_after = (count % 7 == 0).then(|| Duration::from_secs(1));
            Outcome::Error { kind, retry_after }
        };
        for click in 0..2000u64 {
            let at = click * 1800;
            driver.run_until(at, &mut respond);
            if let Next::Stop(reason) = driver.last {
                assert_eq!(reason, StopReason::MaxWait);
                let next = driver.schedule.restart(at);
                driver.apply(next, at);
            } else if click % 3 == 0 {
                driver.event(Outcome::Manual, at, &mut respond);
            } else {
                let flip = if click % 2 == 0 {
                    Outcome::Hidden
                } else {
                    Outcome::Visible
                };
                driver.event(flip, at, &mut respond);
            }
        }
        driver.run_until(2 * HOUR, &mut respond);
        driver.assert_budget();
    }
}

#[test]
fn transient_errors_back_off_by_doubling() {
    let mut driver = Driver::new(no_jitter(), 1);
    driver.run_until(200_000, &mut |_| error(ErrorKind::Server));
    let gaps = driver.gaps();
    assert_eq!(gaps[..6], [2000, 4000, 8000, 16_000, 32_000, 60_000]);
    assert_eq!(driver.last, Next::After(Duration::from_secs(60)));
    // One good answer ends the backoff.
    let at = driver.timer.unwrap();
    driver.schedule.on_request(at);
    let Next::After(delay) = driver.schedule.on(Outcome::Unchanged, at) else {
        panic!()
    };
    assert!(delay < Duration::from_secs(60));
}

// --- Retry-After ---------------------------------------------------------------------

const NOV_6_1994_08_49_37: u64 = 784_111_777_000;

#[test]
fn retry_after_in_seconds() {
    assert_eq!(parse_retry_after("120", 0), Some(Duration::from_secs(120)));
    assert_eq!(parse_retry_after(" 2 ", 5), Some(Duration::from_secs(2)));
    assert_eq!(parse_retry_after("0", 0), Some(Duration::ZERO));
}

#[test]
fn retry_after_as_an_http_date_in_all_three_forms() {
    let two_minutes = Some(Duration::from_secs(120));
    let now = NOV_6_1994_08_49_37;
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", now),
        two_minutes
    );
    assert_eq!(
        parse_retry_after("Sunday, 06-Nov-94 08:51:37 GMT", now),
        two_minutes
    );
    assert_eq!(
        parse_retry_after("Sun Nov  6 08:51:37 1994", now),
        two_minutes
    );
    assert_eq!(
        parse_retry_after("Sat, 28 Feb 2026 23:59:00 GMT", 1_772_323_140_000 - 1500),
        Some(Duration::from_millis(1500))
    );
    assert_eq!(
        parse_retry_after("Thu, 29 Feb 2024 12:00:10 GMT", 1_709_208_000_000),
        Some(Duration::from_secs(10))
    );
    // A date in the past means: now.
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
        Some(Duration::ZERO)
    );
}

#[test]
fn garbage_retry_after_is_none() {
    for header in [
        "",
        "soon",
        "-5",
        "1.5",
        "12 s",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 CET",
        "06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1969 08:49:37 GMT",
    ] {
        assert_eq!(parse_retry_after(header, 0), None, "{header:?}");
    }
}

#[test]
fn retry_after_is_obeyed_exactly_by_the_schedule_and_by_manual_checks() {
    for kind in [ErrorKind::RateLimit, ErrorKind::Server] {
        let mut schedule = Schedule::new(Tuning::default(), 3, 1000);
        schedule.on_request(1000);
        let next = schedule.on(
            Outcome::Error {
                kind,
                retry_after: Some(Duration::from_secs(30)),
            },
            1200,
        );
        assert_eq!(next, Next::After(Duration::from_secs(30)));
        assert_eq!(schedule.next_check_at(), Some(31_200));
        assert_eq!(schedule.manual_allowed(31_199), Err(31_200));
        assert_eq!(schedule.manual_allowed(31_200), Ok(()));
        assert_eq!(
            schedule.on(Outcome::Manual, 5000),
            Next::After(Duration::from_millis(26_200))
        );
    }
}

// --- errors that stop ----------------------------------------------------------------

#[test]
fn not_allowed_stops() {
    let mut driver = Driver::new(Tuning::default(), 1);
    driver.run_until(10_000, &mut |at| {
        if at < 5000 {
            Outcome::Unchanged
        } else {
            error(ErrorKind::NotAllowed)
        }
    });
    assert_eq!(driver.last, Next::Stop(StopReason::NotAllowed));
    assert_eq!(driver.schedule.on(Outcome::Visible, 20_000), driver.last);
    assert_eq!(driver.schedule.next_check_at(), None);
}

#[test]
fn not_found_is_retried_in_the_first_minute_then_stops() {
    let mut driver = Driver::new(no_jitter(), 1);
    driver.run_until(HOUR, &mut |_| error(ErrorKind::NotFound));
    assert_eq!(driver.requests, [0, 2000, 6000, 14_000, 30_000]);
    assert_eq!(driver.last, Next::Stop(StopReason::NotFound));

    // An order that appears after a few 404s is polled normally.
    let mut driver = Driver::new(no_jitter(), 1);
    driver.run_until(HOUR, &mut |at| {
        if at < 5000 {
            error(ErrorKind::NotFound)
        } else {
            Outcome::Unchanged
        }
    });
    assert_eq!(driver.last, Next::Stop(StopReason::MaxWait));

    // A 404 after the first minute stops at once.
    let mut driver = Driver::new(no_jitter(), 1);
    driver.run_until(HOUR, &mut |at| {
        if at < 70_000 {
            Outcome::Unchanged
        } else {
            error(ErrorKind::NotFound)
        }
    });
    assert_eq!(driver.last, Next::Stop(StopReason::NotFound));
    assert!(driver.requests.last().unwrap() < &80_000);
}

#[test]
fn terminal_stops() {
    for outcome in [
        Outcome::Terminal,
        Outcome::Changed {
            status: Status::Delivered,
        },
        Outcome::Changed {
            status: Status::Cancelled,
        },
    ] {
        let mut schedule = Schedule::new(Tuning::default(), 1, 0);
        schedule.on_request(0);
        assert_eq!(schedule.on(outcome, 10), Next::Stop(StopReason::Terminal));
        assert_eq!(
            schedule.on(Outcome::Manual, 20),
            Next::Stop(StopReason::Terminal)
        );
        assert_eq!(schedule.next_check_at(), None);
    }
}

#[test]
fn partially_delivered_and_needs_attention_keep_polling_at_the_slow_end() {
    for status in [Status::PartiallyDelivered, Status::NeedsAttention] {
        let mut driver = Driver::new(Tuning::default(), 5);
        driver.run_until(HOUR, &mut |at| {
            if at == 0 {
                Outcome::Changed { status }
            } else {
                Outcome::Unchanged
            }
        });
        let gaps = driver.gaps();
        assert!(gaps.len() >= 9, "{gaps:?}");
        // Every delay is the 60 s slow end less at most 10 % jitter (the last one ends at the deadline).
        for gap in &gaps[..gaps.len() - 1] {
            assert!((54_000..=60_000).contains(gap), "{gaps:?}");
        }
        assert_eq!(driver.last, Next::Stop(StopReason::MaxWait));
    }
}

// --- max wait and restart ------------------------------------------------------------

#[test]
fn max_wait_stops_after_a_last_check_at_the_deadline_and_restart_starts_a_new_round() {
    let mut driver = Driver::new(Tuning::default(), 9);
    driver.run_until(HOUR, &mut unchanged);
    assert_eq!(driver.last, Next::Stop(StopReason::MaxWait));
    assert_eq!(driver.requests.last(), Some(&600_000));
    assert_eq!(driver.schedule.next_check_at(), None);
    assert_eq!(driver.schedule.last_checked(), Some(600_000));

    let now = 900_000;
    assert_eq!(driver.schedule.restart(now), Next::After(Duration::ZERO));
    driver.timer = Some(now);
    driver.run_until(now + 10_000, &mut unchanged);
    let gaps = driver.gaps();
    let round: Vec<_> = gaps.iter().rev().take(3).collect();
    assert!(round.iter().all(|&&gap| gap <= 3000), "{gaps:?}");
}

#[test]
fn presets_and_their_names() {
    assert_eq!("fast".parse(), Ok(MaxWaitPreset::Fast));
    assert_eq!(" Standard ".parse(), Ok(MaxWaitPreset::Standard));
    assert_eq!("SLOW".parse(), Ok(MaxWaitPreset::Slow));
    assert!("quick".parse::<MaxWaitPreset>().is_err());
    assert_eq!(Tuning::default().max_wait, Duration::from_secs(600));
    assert_eq!(
        preset(MaxWaitPreset::Fast).max_wait,
        Duration::from_secs(300)
    );
    assert_eq!(
        preset(MaxWaitPreset::Slow).max_wait,
        Duration::from_secs(1800)
    );
}

// --- visibility and connectivity -----------------------------------------------------

#[test]
fn hidden_makes_no_requests_and_visible_checks_at_once_when_stale() {
    let mut driver = Driver::new(no_jitter(), 1);
    driver.run_until(60_000, &mut unchanged);
    assert_eq!(
        driver.event(Outcome::Hidden, 60_500, &mut unchanged),
        Next::WaitForVisible
    );
    let before = driver.requests.len();
    assert_eq!(driver.schedule.next_check_at(), None);
    driver.run_until(300_000, &mut unchanged);
    assert_eq!(driver.requests.len(), before);
    assert_eq!(
        driver.event(Outcome::Visible, 300_000, &mut unchanged),
        Next::After(Duration::ZERO)
    );
}

#[test]
fn visible_before_the_delay_is_over_resumes_the_rest_of_it() {
    let mut schedule = Schedule::new(no_jitter(), 1, 0);
    schedule.on_request(100_000);
    assert_eq!(
        schedule.on(Outcome::Unchanged, 100_000),
        Next::After(Duration::from_secs(10))
    );
    assert_eq!(schedule.on(Outcome::Hidden, 101_000), Next::WaitForVisible);
    assert_eq!(
        schedule.on(Outcome::Visible, 104_000),
        Next::After(Duration::from_secs(6))
    );
}

#[test]
fn a_response_arriving_while_hidden_waits_for_visible() {
    let mut schedule = Schedule::new(no_jitter(), 1, 0);
    schedule.on_request(0);
    assert_eq!(schedule.on(Outcome::Hidden, 100), Next::WaitForVisible);
    assert_eq!(schedule.on(Outcome::Unchanged, 200), Next::WaitForVisible);
    assert_eq!(
        schedule.on(Outcome::Visible, 1000),
        Next::After(Duration::from_millis(1200))
    );
}

#[test]
fn visibility_flips_while_a_request_is_in_flight_do_not_send_another() {
    let mut schedule = Schedule::new(Tuning::default(), 1, 0);
    schedule.on_request(0);
    assert_eq!(schedule.on(Outcome::Hidden, 10), Next::WaitForVisible);
    assert_eq!(schedule.on(Outcome::Visible, 20), Next::AwaitResponse);
    assert_eq!(schedule.on(Outcome::Manual, 30), Next::AwaitResponse);
}

#[test]
fn offline_waits_for_online_then_checks_at_once() {
    let mut driver = Driver::new(no_jitter(), 1);
    driver.run_until(20_000, &mut unchanged);
    let before = driver.requests.len();
    assert_eq!(
        driver.event(Outcome::Offline, 20_100, &mut unchanged),
        Next::WaitForOnline
    );
    driver.run_until(200_000, &mut unchanged);
    assert_eq!(driver.requests.len(), before);
    // Hidden while offline: still waits for the network first.
    assert_eq!(
        driver.schedule.on(Outcome::Hidden, 200_000),
        Next::WaitForOnline
    );
    assert_eq!(
        driver.schedule.on(Outcome::Visible, 200_000),
        Next::WaitForOnline
    );
    assert_eq!(
        driver.event(Outcome::Online, 200_500, &mut unchanged),
        Next::After(Duration::ZERO)
    );
}

#[test]
fn a_network_error_while_offline_waits_for_online() {
    let mut schedule = Schedule::new(Tuning::default(), 1, 0);
    schedule.on_request(0);
    assert_eq!(schedule.on(Outcome::Offline, 5), Next::WaitForOnline);
    assert_eq!(
        schedule.on(error(ErrorKind::Network), 10),
        Next::WaitForOnline
    );
    assert_eq!(
        schedule.on(Outcome::Online, 50_000),
        Next::After(Duration::ZERO)
    );
}

#[test]
fn last_checked_and_next_check_at() {
    let mut schedule = Schedule::new(no_jitter(), 1, 500);
    assert_eq!(schedule.last_checked(), None);
    assert_eq!(schedule.next_check_at(), Some(500));
    schedule.on_request(500);
    assert_eq!(schedule.last_checked(), Some(500));
    assert_eq!(schedule.next_check_at(), None);
    schedule.on(Outcome::Unchanged, 700);
    assert_eq!(schedule.next_check_at(), Some(2700));
    schedule.on(Outcome::Hidden, 800);
    assert_eq!(schedule.next_check_at(), None);
    assert_eq!(schedule.last_checked(), Some(500));
}

// --- the event stream ----------------------------------------------------------------

/// What a healthy stream answers at `now` when nothing moved since `origin`.
fn await_push(origin: Millis, now: Millis) -> Next {
    Next::AwaitPush {
        max_wait_left: Duration::from_millis(origin + 600_000 - now),
    }
}

#[test]
fn a_healthy_stream_plans_no_check_and_ends_the_wait_without_one() {
    let mut driver = Driver::new(Tuning::default(), 3);
    // The stream's first order comes right after the first check.
    let next = driver.event(Outcome::StreamUp, 300, &mut unchanged);
    assert_eq!(next, await_push(0, 300));
    assert_eq!(driver.schedule.next_check_at(), None);
    driver.run_until(HOUR, &mut unchanged);
    // The order did not move for the maximum wait: a stop, as without the stream, but
    // without a single check after the first.
    assert_eq!(driver.last, Next::Stop(StopReason::MaxWait));
    assert_eq!(driver.requests, [0]);
    assert_eq!(driver.schedule.stopped(), Some(StopReason::MaxWait));
    // "Check again": a new round with a check at once.
    assert_eq!(driver.schedule.restart(HOUR), Next::After(Duration::ZERO));
}

#[test]
fn a_check_in_flight_when_the_stream_comes_up_is_the_last_one() {
    let mut schedule = Schedule::new(Tuning::default(), 1, 0);
    schedule.on_request(0);
    assert_eq!(schedule.on(Outcome::StreamUp, 100), Next::AwaitResponse);
    assert_eq!(schedule.on(Outcome::Unchanged, 200), await_push(0, 200));
    let failed = Outcome::Error {
        kind: ErrorKind::Server,
        retry_after: None,
    };
    schedule.on_request(300);
    assert_eq!(schedule.on(failed, 400), await_push(0, 400), "nor an error");
}

#[test]
fn pushed_orders_are_answers_a_change_restarts_the_wait_and_terminal_stops() {
    let mut driver = Driver::new(Tuning::default(), 3);
    driver.event(Outcome::StreamUp, 300, &mut unchanged);
    // An unchanged order keeps the wait; a change at 9 min restarts it from there.
    assert_eq!(
        driver.event(Outcome::Unchanged, 60_000, &mut unchanged),
        await_push(0, 60_000)
    );
    let processing = Outcome::Changed {
        status: Status::Processing,
    };
    assert_eq!(
        driver.event(processing, 540_000, &mut unchanged),
        await_push(540_000, 540_000)
    );
    driver.run_until(1_139_999, &mut unchanged);
    assert_eq!(driver.last, await_push(540_000, 540_000), "still waiting");
    let next = driver.event(Outcome::Terminal, 1_000_000, &mut unchanged);
    assert_eq!(next, Next::Stop(StopReason::Terminal));
    assert_eq!(driver.requests, [0]);
}

#[test]
fn a_max_wait_timer_that_fires_early_or_off_the_stream_changes_nothing() {
    let mut schedule = Schedule::new(no_jitter(), 1, 0);
    schedule.on_request(0);
    schedule.on(Outcome::StreamUp, 0);
    assert_eq!(schedule.on(Outcome::Unchanged, 0), await_push(0, 0));
    assert_eq!(
        schedule.on(Outcome::MaxWaitPassed, 599_999),
        await_push(0, 599_999)
    );
    assert_eq!(
        schedule.on(Outcome::MaxWaitPassed, 600_000),
        Next::Stop(StopReason::MaxWait)
    );

    let mut schedule = Schedule::new(no_jitter(), 1, 0);
    schedule.on_request(0);
    assert_eq!(
        schedule.on(Outcome::Unchanged, 0),
        Next::After(Duration::from_secs(2))
    );
    assert_eq!(
        schedule.on(Outcome::MaxWaitPassed, 500),
        Next::After(Duration::from_millis(1_500))
    );
}

#[test]
fn a_manual_check_while_streaming_is_one_request() {
    let mut driver = Driver::new(Tuning::default(), 3);
    driver.event(Outcome::StreamUp, 300, &mut unchanged);
    assert_eq!(
        driver.event(Outcome::Manual, 100_000, &mut unchanged),
        Next::After(Duration::ZERO)
    );
    driver.run_until(100_000, &mut unchanged);
    assert_eq!(driver.last, await_push(0, 100_000));
    driver.run_until(599_999, &mut unchanged);
    assert_eq!(driver.requests, [0, 100_000]);
}

#[test]
fn page_and_network_events_while_streaming_do_not_poll() {
    let mut driver = Driver::new(Tuning::default(), 3);
    driver.event(Outcome::StreamUp, 300, &mut unchanged);
    assert_eq!(
        driver.event(Outcome::Hidden, 1_000, &mut unchanged),
        Next::WaitForVisible
    );
    assert_eq!(
        driver.event(Outcome::Visible, 5_000, &mut unchanged),
        await_push(0, 5_000)
    );
    assert_eq!(
        driver.event(Outcome::Offline, 6_000, &mut unchanged),
        Next::WaitForOnline
    );
    assert_eq!(
        driver.event(Outcome::Online, 7_000, &mut unchanged),
        await_push(0, 7_000)
    );
    // The maximum wait passed while the page was hidden: it ends when it is visible again.
    driver.event(Outcome::Hidden, 8_000, &mut unchanged);
    assert_eq!(
        driver.event(Outcome::Visible, 700_000, &mut unchanged),
        Next::Stop(StopReason::MaxWait)
    );
    assert_eq!(driver.requests, [0]);
}

#[test]
fn a_failed_stream_brings_the_regular_schedule_back_with_a_check_at_once() {
    let mut driver = Driver::new(no_jitter(), 3);
    driver.event(Outcome::StreamUp, 300, &mut unchanged);
    let next = driver.event(Outcome::StreamDown, 45_000, &mut unchanged);
    assert_eq!(next, Next::After(Duration::ZERO));
    driver.run_until(60_000, &mut unchanged);
    assert_eq!(driver.requests[..2], [0, 45_000]);
    // 10 % of the round's age again: 4.5 s, 4.95 s, …
    assert_eq!(driver.gaps()[1..], [4_500, 4_950, 5_445]);
    // A stream that fails again while down changes nothing.
    let planned = driver.timer.unwrap();
    let next = driver.schedule.on(Outcome::StreamDown, 60_000);
    assert_eq!(next, Next::After(Duration::from_millis(planned - 60_000)));
}

#[test]
fn the_check_after_a_failed_stream_obeys_retry_after_and_the_budget() {
    let mut schedule = Schedule::new(no_jitter(), 3, 0);
    schedule.on_request(0);
    let limited = Outcome::Error {
        kind: ErrorKind::RateLimit,
        retry_after: Some(Duration::from_secs(30)),
    };
    schedule.on(limited, 0);
    assert_eq!(schedule.on(Outcome::StreamUp, 1_000), await_push(0, 1_000));
    assert_eq!(
        schedule.on(Outcome::StreamDown, 5_000),
        Next::After(Duration::from_secs(25))
    );

    // Twenty manual checks in the same 10 s: the fallback check waits for the window.
    let mut schedule = Schedule::new(Tuning::default(), 3, 0);
    schedule.on(Outcome::StreamUp, 0);
    for at in 0..20 {
        assert_eq!(
            schedule.on(Outcome::Manual, at),
            Next::After(Duration::ZERO)
        );
        schedule.on_request(at);
        schedule.on(Outcome::Unchanged, at);
    }
    assert_eq!(
        schedule.on(Outcome::StreamDown, 100),
        Next::After(Duration::from_millis(9_900))
    );
}

#[test]
fn a_failure_of_a_stream_that_never_came_up_changes_nothing() {
    let mut schedule = Schedule::new(no_jitter(), 1, 0);
    schedule.on_request(0);
    schedule.on(Outcome::Unchanged, 0);
    assert_eq!(
        schedule.on(Outcome::StreamDown, 500),
        Next::After(Duration::from_millis(1_500))
    );
}

#[test]
fn checks_stay_within_the_budget_whatever_the_stream_does() {
    let mut driver = Driver::new(Tuning::default(), 11);
    let mut rng = fastrand::Rng::with_seed(5);
    let mut at = 0;
    while at < HOUR {
        at += rng.u64(100..20_000);
        let outcome = match rng.u8(0..4) {
            0 => Outcome::StreamUp,
            1 => Outcome::StreamDown,
            2 => Outcome::Manual,
            _ => Outcome::Unchanged,
        };
        driver.event(outcome, at, &mut unchanged);
        if matches!(driver.last, Next::Stop(_)) {
            let next = driver.schedule.restart(at);
            driver.apply(next, at);
        }
    }
    driver.assert_budget();
    assert!(driver.requests.len() > 30, "{}", driver.requests.len());
}

// --- efficiency ----------------------------------------------------------------------

#[test]
fn our_schedule_meets_the_detection_target_within_the_budget_for_every_seed() {
    for config in [simulation_config(), preset(MaxWaitPreset::Slow)] {
        for delivery in DELIVERY_TIMES {
            for seed in 0..40 {
                for instant in delivery_instants(delivery) {
                    let run = simulate(&Strategy::Schedule { config, seed }, instant);
                    let delay = run.detection_delay.expect("delivery seen");
                    assert!(
                        delay <= target_delay(instant),
                        "seed {seed}, delivery at {instant:?}: {delay:?}"
                    );
                    assert!(run.max_per_hour <= 60, "{run:?}");
                    assert!(run.max_per_10s <= 20, "{run:?}");
                }
            }
        }
    }
}

#[test]
fn worst_over_seeds_is_the_worst_of_each_measure() {
    let delivery = Duration::from_secs(600);
    let config = simulation_config();
    let worst = worst_over_seeds(config, 0..10, delivery);
    let runs: Vec<_> = (0..10)
        .flat_map(|seed| {
            delivery_instants(delivery)
                .map(move |instant| simulate(&Strategy::Schedule { config, seed }, instant))
        })
        .collect();
    assert_eq!(runs.len(), 500);
    assert_eq!(
        worst.requests,
        runs.iter().map(|r| r.requests).max().unwrap()
    );
    assert_eq!(
        worst.detection_delay,
        runs.iter().map(|r| r.detection_delay).max().unwrap()
    );
    assert!(worst.detection_delay.unwrap() <= target_delay(delivery));
}

#[test]
fn the_baselines_fail_where_the_issue_says_they_do() {
    let fixed = Strategy::Fixed {
        interval: Duration::from_secs(5),
    };
    let doubling = Strategy::Doubling {
        first: Duration::from_secs(1),
    };
    let long = simulate(&fixed, Duration::from_secs(1800));
    assert_eq!(long.requests, 361);
    assert!(long.max_per_hour > 60);
    let ten_minutes = simulate(&doubling, Duration::from_secs(600));
    assert_eq!(ten_minutes.seen_at, Some(1_023_000));
    assert!(ten_minutes.detection_delay.unwrap() > target_delay(Duration::from_secs(600)));
    // Tried at instants just before a round delivery time, the fixed interval shows its real worst.
    let worst = worst_case(&fixed, Duration::from_secs(30));
    assert_eq!(worst.detection_delay, Some(Duration::from_millis(4900)));
}

#[test]
fn rolling_window_counts_are_half_open() {
    assert_eq!(max_in_window(&[], 10_000), 0);
    assert_eq!(max_in_window(&[0, 9_999, 10_000, 19_999], 10_000), 2);
    assert_eq!(max_in_window(&[0, 1, 2, 10_000], 10_000), 3);
}
