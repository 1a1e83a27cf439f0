//! Several pages open on one order, simulated like the rest of the report: each page running
//! its own schedule through order-proxy's 1 s live cache (the widget holds the schedule),
//! against order-proxy keeping one schedule for the order and pushing each change to every
//! page's event stream (the proxy holds it, whatever the number of pages).
//!
//! Page `k` opens `k` × [`OPENED_EVERY`] after the first and polls at once, then on its own
//! schedule (its own jitter seed). A poll reaches the vendor unless the vendor was asked less
//! than [`LIVE_TTL`] before (the proxy answers from its cache, with the answer of that call).
//! Answers and pushes are instant, as everywhere in the report.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

use order_core::schedule::simulate::{delivery_instants, max_in_window, worst, Run};
use order_core::schedule::{Next, Outcome, Schedule, Tuning};

/// Pages open on the order.
pub const PAGES: u64 = 10;
/// How far apart the pages open.
pub const OPENED_EVERY: Duration = Duration::from_secs(1);
/// order-proxy's default `--live-ttl`.
pub const LIVE_TTL: Duration = Duration::from_secs(1);

/// Every page with its own schedule: the worst of each measure over `seeds` and the
/// delivery instants of `delivery` (as for one schedule). The detection delay is the worst
/// page's, from the delivery or from when the page opened if later; the requests are the
/// vendor's, until every page has seen the delivery.
pub fn own_schedules(config: Tuning, seeds: std::ops::Range<u64>, delivery: Duration) -> Run {
    worst(seeds.flat_map(|seed| {
        delivery_instants(delivery)
            .map(move |instant| simulate(config, seed, instant, OPENED_EVERY))
    }))
}

/// Pages opened `opened_every` apart, the order delivered at `delivery`.
fn simulate(config: Tuning, seed: u64, delivery: Duration, opened_every: Duration) -> Run {
    let delivered_at = millis(delivery);
    let live_ttl = millis(LIVE_TTL);
    let mut schedules: Vec<Schedule> = (0..PAGES)
        .map(|page| {
            let opened = page * millis(opened_every);
            Schedule::new(config, seed * PAGES + page, opened)
        })
        .collect();
    // (next poll, page), earliest first.
    let mut due: BinaryHeap<Reverse<(u64, usize)>> = (0..schedules.len())
        .map(|page| Reverse((page as u64 * millis(opened_every), page)))
        .collect();
    let mut calls: Vec<u64> = Vec::new();
    let (mut latest_seen, mut longest_delay) = (0, 0);
    while let Some(Reverse((now, page))) = due.pop() {
        let answered_by = match calls.last() {
            Some(&call) if now < call + live_ttl => call,
            _ => {
                calls.push(now);
                now
            }
        };
        let schedule = &mut schedules[page];
        schedule.on_request(now);
        if answered_by >= delivered_at {
            schedule.on(Outcome::Terminal, now);
            let opened = page as u64 * millis(opened_every);
            latest_seen = latest_seen.max(now);
            longest_delay = longest_delay.max(now - delivered_at.max(opened));
            continue;
        }
        if let Next::After(delay) = schedule.on(Outcome::Unchanged, now) {
            due.push(Reverse((now + millis(delay).max(1), page)));
        }
    }
    let all_seen = schedules
        .iter()
        .all(|schedule| schedule.stopped().is_some());
    Run {
        requests: u32::try_from(calls.len()).unwrap_or(u32::MAX),
        seen_at: all_seen.then_some(latest_seen),
        detection_delay: all_seen.then_some(Duration::from_millis(longest_delay)),
        max_per_hour: max_in_window(&calls, 3_600_000),
        max_per_10s: max_in_window(&calls, 10_000),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use order_core::schedule::simulate::{simulation_config, worst_over_seeds};

    use super::*;

    #[test]
    fn pages_with_their_own_schedules_cost_the_vendor_several_times_one_schedule() {
        let config = simulation_config();
        for delivery in [Duration::from_secs(30), Duration::from_secs(600)] {
            let pages = own_schedules(config, 0..5, delivery);
            let one = worst_over_seeds(config, 0..5, delivery);
            assert!(
                pages.requests > 2 * one.requests,
                "{delivery:?}: {} against {}",
                pages.requests,
                one.requests
            );
            assert!(pages.detection_delay.is_some(), "every page saw it");
        }
    }

    #[test]
    fn a_poll_within_the_live_cache_time_reaches_no_vendor() {
        let config = Tuning {
            jitter_percent: 0,
            ..simulation_config()
        };
        // Delivered before anyone asks: each page's first poll sees it at once. The pages
        // open a second apart, when the cached answer is just too old: one call each.
        let run = simulate(config, 0, Duration::ZERO, OPENED_EVERY);
        assert_eq!(run.requests, u32::try_from(PAGES).unwrap());
        assert_eq!(run.detection_delay, Some(Duration::ZERO));
        // Half a second apart, every other page is answered from the cache.
        let run = simulate(config, 0, Duration::ZERO, Duration::from_millis(500));
        assert_eq!(run.requests, u32::try_from(PAGES / 2).unwrap());
    }
}
