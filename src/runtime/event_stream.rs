//! The event stream's part of the poller: opens it, takes its events, watches for its
//! silence, and opens it again after a failure, as [`StreamHealth`] decides. Its orders are answers
//! like a poll's ([`take_answer`]).

use std::cell::RefCell;
use std::rc::Weak;
use std::time::Duration;

use super::{execute, take_answer, Inner};
use crate::platform::clock::{SharedClock, Timer};
use crate::platform::event_source::{Connection, StreamEvent};
use order_core::model::Order;
use order_core::providers;
use order_core::schedule::{parse_heartbeat, Millis, StreamHealth};

/// The event stream: what [`StreamHealth`] decided, the open connection, the watchdog that fails
/// it when it falls silent, and the timer that opens it again. It runs while the schedule
/// does.
pub(super) struct Stream {
    url: String,
    push: StreamHealth,
    connection: Option<Connection>,
    watchdog: Option<Timer>,
    reopen: Option<Timer>,
}

impl Stream {
    /// A stream not opened yet.
    pub fn new(url: String, push: StreamHealth) -> Stream {
        Stream {
            url,
            push,
            connection: None,
            watchdog: None,
            reopen: None,
        }
    }

    /// Closes the stream and cancels its watchdog and its reopening.
    pub fn close(&mut self) {
        self.connection = None;
        self.watchdog = None;
        self.reopen = None;
        self.push.on_close();
    }

    /// (Re)starts the watchdog: the stream fails at [`StreamHealth::silent_at`] unless it speaks
    /// before.
    fn watch(&mut self, clock: &SharedClock, weak: &Weak<RefCell<Inner>>, now: Millis) {
        let silent_in = Duration::from_millis(self.push.silent_at().saturating_sub(now));
        let weak = weak.clone();
        self.watchdog = Some(clock.after(silent_in, Box::new(move || stream_failed(&weak))));
    }
}

/// Opens the event stream, when there is one and polling runs.
pub(super) fn open_stream(weak: &Weak<RefCell<Inner>>) {
    let Some(rc) = weak.upgrade() else { return };
    let opened = {
        let mut inner = rc.borrow_mut();
        let now = inner.now();
        let Inner {
            config,
            streams,
            schedule,
            stream,
            clock,
            destroyed,
            ..
        } = &mut *inner;
        let Some(stream) = stream else { return };
        if *destroyed || schedule.stopped().is_some() {
            return;
        }
        stream.reopen = None;
        let listener = {
            let weak = weak.clone();
            Box::new(move |event| on_stream_event(&weak, event))
        };
        stream.connection = streams.open(&stream.url, config.credentials, listener);
        if stream.connection.is_some() {
            stream.push.on_open(now);
            stream.watch(clock, weak, now);
        }
        stream.connection.is_some()
    };
    if !opened {
        stream_failed(weak);
    }
}

/// An event of the stream: an order goes through the parse path of a poll's body (a body
/// that is not an order fails the stream: the polls then report what they see); a
/// heartbeat keeps the stream alive.
fn on_stream_event(weak: &Weak<RefCell<Inner>>, event: StreamEvent) {
    let Some(rc) = weak.upgrade() else { return };
    match event {
        StreamEvent::Order(body) => {
            let order = providers::parse(&body, rc.borrow().config.provider);
            match order {
                Ok(order) => pushed(weak, order),
                Err(_) => stream_failed(weak),
            }
        }
        StreamEvent::Heartbeat(data) => heartbeat(weak, parse_heartbeat(&data)),
        StreamEvent::Failed => stream_failed(weak),
    }
}

/// An order from the stream: an answer like a poll's, and newer than any poll in flight.
fn pushed(weak: &Weak<RefCell<Inner>>, order: Order) {
    let Some(rc) = weak.upgrade() else { return };
    let first = {
        let mut inner = rc.borrow_mut();
        if inner.destroyed {
            return;
        }
        if let Some(cancel) = inner.in_flight.take() {
            cancel.cancel();
        }
        let now = inner.now();
        inner.last_checked_unix_ms = Some(inner.clock.unix_ms().max(0.0) as u64);
        let Inner { stream, clock, .. } = &mut *inner;
        let Some(stream) = stream else { return };
        let first = stream.push.on_order(now);
        stream.watch(clock, weak, now);
        first
    };
    take_answer(weak, Ok(order), first);
}

/// A heartbeat: the stream is alive, and says how often it will say so.
fn heartbeat(weak: &Weak<RefCell<Inner>>, interval: Option<Duration>) {
    let Some(rc) = weak.upgrade() else { return };
    let mut inner = rc.borrow_mut();
    if inner.destroyed {
        return;
    }
    let now = inner.now();
    // The stream is the check while it is alive: "last checked" is now.
    inner.last_checked_unix_ms = Some(inner.clock.unix_ms().max(0.0) as u64);
    let Inner { stream, clock, .. } = &mut *inner;
    if let Some(stream) = stream {
        stream.push.on_heartbeat(interval, now);
        stream.watch(clock, weak, now);
    }
}

/// The stream failed or fell silent: it is closed, opened again later, and the schedule
/// is told.
fn stream_failed(weak: &Weak<RefCell<Inner>>) {
    let Some(rc) = weak.upgrade() else { return };
    let next = {
        let mut inner = rc.borrow_mut();
        let now = inner.now();
        let Inner {
            schedule,
            stream,
            clock,
            destroyed,
            ..
        } = &mut *inner;
        let Some(stream) = stream else { return };
        if *destroyed || schedule.stopped().is_some() {
            return;
        }
        stream.connection = None;
        stream.watchdog = None;
        let failure = stream.push.on_failure(now);
        let reopen = weak.clone();
        stream.reopen =
            Some(clock.after(failure.reopen_after, Box::new(move || open_stream(&reopen))));
        match failure.tell {
            Some(down) => schedule.on(down, now),
            None => return,
        }
    };
    execute(weak, next);
}
