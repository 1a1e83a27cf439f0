//! Time for the widget's timers (polling, re-masking, copy feedback): the browser's clocks
//! and `setTimeout` in a page, a clock the test advances by hand in tests.

use std::any::Any;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

/// Where the widget reads the time and sets its timers.
pub trait Clock {
    /// Milliseconds on a monotonic clock (for the polling schedule).
    fn monotonic_ms(&self) -> f64;
    /// Milliseconds since 1970 (for deadlines, expiry and "last checked").
    fn unix_ms(&self) -> f64;
    /// Calls `callback` once, `delay` from now, unless the returned [`Timer`] is dropped first.
    fn after(&self, delay: Duration, callback: Box<dyn FnOnce()>) -> Timer;
}

/// A callback waiting for its time. Dropping it cancels the callback.
#[must_use = "dropping a Timer cancels it"]
pub struct Timer(#[allow(dead_code)] Box<dyn Any>);

impl Timer {
    /// A timer that never fires (a server render sets none that could).
    #[cfg(feature = "ssr")]
    pub fn never() -> Timer {
        Timer(Box::new(()))
    }
}

/// A clock shared by the parts of one widget; equal only to itself (for Yew properties).
#[derive(Clone)]
pub struct SharedClock(pub Rc<dyn Clock>);

impl PartialEq for SharedClock {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedClock {
    type Target = dyn Clock;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

/// The page's clocks (`performance.now()`, `Date.now()`) and `setTimeout` (gloo-timers).
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn monotonic_ms(&self) -> f64 {
        web_sys::window()
            .and_then(|window| window.performance())
            .map_or_else(js_sys::Date::now, |performance| performance.now())
    }

    fn unix_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn after(&self, delay: Duration, callback: Box<dyn FnOnce()>) -> Timer {
        let millis = u32::try_from(delay.as_millis()).unwrap_or(u32::MAX);
        Timer(Box::new(gloo_timers::callback::Timeout::new(
            millis, callback,
        )))
    }
}

/// A clock that moves only when told to: tests advance it and the due callbacks run at once,
/// in order of their time.
#[derive(Clone)]
pub struct ManualClock(Rc<RefCell<Queue>>);

struct Queue {
    /// Since the clock was made. Whole durations, so that advancing by `until_next()`
    /// always reaches the timer (milliseconds as floats would round short of it).
    now: Duration,
    unix_start_ms: f64,
    next_id: u64,
    pending: Vec<Pending>,
}

struct Pending {
    due: Duration,
    id: u64,
    callback: Box<dyn FnOnce()>,
}

impl ManualClock {
    /// A clock whose `unix_ms()` starts at `unix_start_ms`.
    pub fn new(unix_start_ms: f64) -> ManualClock {
        ManualClock(Rc::new(RefCell::new(Queue {
            now: Duration::ZERO,
            unix_start_ms,
            next_id: 0,
            pending: Vec::new(),
        })))
    }

    /// Moves the time forward by `delay`, running each callback that falls due at its own
    /// time (a callback may set new timers; those that fall due run too).
    pub fn advance(&self, delay: Duration) {
        let until = self.0.borrow().now + delay;
        while let Some(callback) = self.next_due(until) {
            callback();
        }
        self.0.borrow_mut().now = until;
    }

    /// How many callbacks are waiting.
    pub fn pending(&self) -> usize {
        self.0.borrow().pending.len()
    }

    /// How long until the earliest waiting callback is due.
    pub fn until_next(&self) -> Option<Duration> {
        let queue = self.0.borrow();
        let due = queue.pending.iter().map(|pending| pending.due).min()?;
        Some(due.saturating_sub(queue.now))
    }

    /// Takes the earliest callback due by `until` and moves the time to it.
    fn next_due(&self, until: Duration) -> Option<Box<dyn FnOnce()>> {
        let mut queue = self.0.borrow_mut();
        let (index, due) = queue
            .pending
            .iter()
            .enumerate()
            .filter(|(_, pending)| pending.due <= until)
            .min_by_key(|(_, pending)| (pending.due, pending.id))
            .map(|(index, pending)| (index, pending.due))?;
        queue.now = queue.now.max(due);
        Some(queue.pending.swap_remove(index).callback)
    }
}

impl Clock for ManualClock {
    fn monotonic_ms(&self) -> f64 {
        self.0.borrow().now.as_secs_f64() * 1000.0
    }

    fn unix_ms(&self) -> f64 {
        let queue = self.0.borrow();
        queue.unix_start_ms + queue.now.as_secs_f64() * 1000.0
    }

    fn after(&self, delay: Duration, callback: Box<dyn FnOnce()>) -> Timer {
        let mut queue = self.0.borrow_mut();
        let id = queue.next_id;
        queue.next_id += 1;
        let due = queue.now + delay;
        queue.pending.push(Pending { due, id, callback });
        Timer(Box::new(CancelOnDrop {
            queue: Rc::downgrade(&self.0),
            id,
        }))
    }
}

/// Removes a manual timer's callback when its [`Timer`] is dropped before it ran.
struct CancelOnDrop {
    queue: Weak<RefCell<Queue>>,
    id: u64,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(queue) = self.queue.upgrade() {
            // A timer may be dropped by its own callback, while the queue is borrowed.
            if let Ok(mut queue) = queue.try_borrow_mut() {
                queue.pending.retain(|pending| pending.id != self.id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    fn log_into(
        log: &Rc<RefCell<Vec<(&'static str, f64)>>>,
        clock: &ManualClock,
        name: &'static str,
    ) -> Box<dyn FnOnce()> {
        let log = log.clone();
        let clock = clock.clone();
        Box::new(move || log.borrow_mut().push((name, clock.monotonic_ms())))
    }

    #[test]
    fn callbacks_run_in_order_at_their_time() {
        let clock = ManualClock::new(1_000.0);
        let log = Rc::new(RefCell::new(Vec::new()));
        let _late = clock.after(Duration::from_millis(300), log_into(&log, &clock, "late"));
        let _early = clock.after(Duration::from_millis(100), log_into(&log, &clock, "early"));
        clock.advance(Duration::from_millis(99));
        assert!(log.borrow().is_empty());
        assert_eq!(clock.until_next(), Some(Duration::from_millis(1)));
        clock.advance(Duration::from_millis(251));
        assert_eq!(*log.borrow(), [("early", 100.0), ("late", 300.0)]);
        assert_eq!(clock.monotonic_ms(), 350.0);
        assert_eq!(clock.unix_ms(), 1_350.0);
        assert_eq!(clock.pending(), 0);
        assert_eq!(clock.until_next(), None);
    }

    #[test]
    fn a_dropped_timer_never_runs() {
        let clock = ManualClock::new(0.0);
        let log = Rc::new(RefCell::new(Vec::new()));
        let timer = clock.after(Duration::from_millis(10), log_into(&log, &clock, "dropped"));
        drop(timer);
        assert_eq!(clock.pending(), 0);
        clock.advance(Duration::from_secs(1));
        assert!(log.borrow().is_empty());
    }

    /// Moving the clock from one timer to the next, as the browser tests do, reaches each
    /// one. (With milliseconds as floats it could stop a rounding error short, for ever.)
    #[test]
    fn advancing_until_the_next_timer_runs_it() {
        let clock = ManualClock::new(0.0);
        let ran = Rc::new(RefCell::new(0));
        let mut rng = fastrand::Rng::with_seed(1);
        let mut timers = Vec::new();
        for set in 1..2_000 {
            let counter = ran.clone();
            let delay = Duration::from_millis(rng.u64(1..5_000));
            timers.push(clock.after(delay, Box::new(move || *counter.borrow_mut() += 1)));
            let mut left = Duration::from_micros(rng.u64(1..3_000_000));
            while !left.is_zero() {
                let step = clock.until_next().map_or(left, |next| next.min(left));
                let before = (clock.pending(), clock.monotonic_ms());
                clock.advance(step);
                let progressed = (clock.pending(), clock.monotonic_ms()) != before;
                assert!(progressed || step == left, "stuck after {set} timers");
                left -= step;
            }
        }
        assert!(*ran.borrow() > 1_000);
    }

    #[test]
    fn a_callback_may_set_the_next_timer() {
        let clock = ManualClock::new(0.0);
        let log = Rc::new(RefCell::new(Vec::new()));
        let kept = Rc::new(RefCell::new(Vec::new()));
        let (inner_clock, inner_log, inner_kept) = (clock.clone(), log.clone(), kept.clone());
        let first = clock.after(
            Duration::from_millis(10),
            Box::new(move || {
                let next = log_into(&inner_log, &inner_clock, "second");
                let timer = inner_clock.after(Duration::from_millis(10), next);
                inner_kept.borrow_mut().push(timer);
            }),
        );
        clock.advance(Duration::from_millis(25));
        assert_eq!(*log.borrow(), [("second", 20.0)]);
        drop(first);
    }
}
