//! The event stream's part of the poller: opens it, hears it, and opens it again after a
//! failure, as [`Push`] decides. Its orders are answers like a poll's ([`take_answer`]).

use std::cell::RefCell;
use std::rc::Weak;

use super::{execute, take_answer, Inner};
use crate::clock::Timer;
use crate::model::Order;
use crate::poll::Push;
use crate::providers;
use crate::push::{Connection, Heard};

/// The event stream: what [`Push`] decided, the open connection and the timer that opens
/// it again. It runs while the schedule does.
pub(super) struct Stream {
    url: String,
    push: Push,
    connection: Option<Connection>,
    reopen: Option<Timer>,
}

impl Stream {
    /// A stream not opened yet.
    pub fn new(url: String, push: Push) -> Stream {
        Stream {
            url,
            push,
            connection: None,
            reopen: None,
        }
    }

    /// Closes the stream and cancels its reopening.
    pub fn close(&mut self) {
        self.connection = None;
        self.reopen = None;
    }
}

/// Opens the event stream, when there is one and polling runs.
pub(super) fn open_stream(weak: &Weak<RefCell<Inner>>) {
    let Some(rc) = weak.upgrade() else { return };
    let opened = {
        let mut inner = rc.borrow_mut();
        let Inner {
            config,
            streams,
            schedule,
            stream,
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
            Box::new(move |heard| hear(&weak, heard))
        };
        stream.connection = streams.open(&stream.url, config.credentials, listener);
        stream.connection.is_some()
    };
    if !opened {
        stream_failed(weak);
    }
}

/// What the stream heard: an order goes through the parse path of a poll's body; a body
/// that is not an order fails the stream (the polls then report what they see).
fn hear(weak: &Weak<RefCell<Inner>>, heard: Heard) {
    let Some(rc) = weak.upgrade() else { return };
    let order = match heard {
        Heard::Order(body) => providers::parse(&body, rc.borrow().config.provider).ok(),
        Heard::Failed => None,
    };
    match order {
        Some(order) => pushed(weak, order),
        None => stream_failed(weak),
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
        inner
            .stream
            .as_mut()
            .and_then(|stream| stream.push.on_order(now))
    };
    take_answer(weak, Ok(order), first);
}

/// The stream failed: it is closed, opened again later, and the schedule hears of it.
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
