//! Runs the checks of one widget: the first fetch, then the [`Schedule`]'s answers with the
//! widget's [`Clock`], fed by page visibility, `online`/`offline` and "Check again"; and,
//! with `events`, the order's event stream, whose orders are answers like a poll's: while
//! it is healthy the widget does not poll at all.
//!
//! The schedule (and [`StreamHealth`] for the stream) decides *when*, `fetch` and `event_source` know
//! *how*, the reducer keeps *what*. Dropping the timers, the listeners, the request and
//! the stream is all [`Runtime::stop`] has to do, so nothing runs after a widget is destroyed.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use yew::UseReducerDispatcher;

use crate::config::Config;
use crate::platform::clock::{SharedClock, Timer};
use crate::platform::event_source::Streams;
use crate::platform::fetch::{classify, Cancel, Request, Response, Transport};
use crate::ui::widget_state::{outcome, Action, Stopped, WidgetState};
use event_stream::{open_stream, Stream};
use order_core::error::FetchError;
use order_core::model::Order;
use order_core::providers::Provider;
use order_core::schedule::{Millis, Next, Outcome, Schedule, StreamHealth};

mod event_stream;

type Dispatch = UseReducerDispatcher<WidgetState>;

/// A handle on the running checks of one widget. Cheap to clone.
#[derive(Clone)]
pub struct Runtime(Rc<RefCell<Inner>>);

struct Inner {
    schedule: Schedule,
    config: Rc<Config>,
    transport: Rc<dyn Transport>,
    streams: Rc<dyn Streams>,
    clock: SharedClock,
    dispatch: Dispatch,
    /// The order last received, to tell the schedule whether it changed.
    last: Option<Rc<Order>>,
    timer: Option<Timer>,
    in_flight: Option<Cancel>,
    listeners: Vec<EventListener>,
    /// The next check was asked for by the customer: show it.
    visible_next: bool,
    last_checked_unix_ms: Option<u64>,
    /// The event stream, when `events` is configured.
    stream: Option<Stream>,
    /// The widget is gone: nothing may run any more.
    destroyed: bool,
}

impl Inner {
    /// Now on the schedule's clock.
    fn now(&self) -> Millis {
        self.clock.monotonic_ms().max(0.0) as Millis
    }
}

impl Runtime {
    /// Starts with a check at once.
    pub fn start(
        config: Rc<Config>,
        transport: Rc<dyn Transport>,
        streams: Rc<dyn Streams>,
        clock: SharedClock,
        dispatch: Dispatch,
    ) -> Runtime {
        // Jitter only needs customers to differ, not unpredictability.
        let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
        let started = clock.monotonic_ms().max(0.0) as Millis;
        let push = StreamHealth::new(config.poll, seed.wrapping_add(1));
        let stream = config.events.clone().map(|url| Stream::new(url, push));
        let inner = Rc::new(RefCell::new(Inner {
            schedule: Schedule::new(config.poll, seed, started),
            config,
            transport,
            streams,
            clock,
            dispatch,
            last: None,
            timer: None,
            in_flight: None,
            listeners: Vec::new(),
            visible_next: true,
            last_checked_unix_ms: None,
            stream,
            destroyed: false,
        }));
        let listeners = listen(&Rc::downgrade(&inner));
        {
            let mut inner = inner.borrow_mut();
            inner.listeners = listeners;
            if page_hidden() {
                // Only the first check runs in a background tab; polling waits for the page.
                let now = inner.now();
                let _ = inner.schedule.on(Outcome::Hidden, now);
            }
        }
        check(&Rc::downgrade(&inner));
        open_stream(&Rc::downgrade(&inner));
        Runtime(inner)
    }

    /// "Check again" (or `handle.refresh()`): at once when the budget allows, else when it
    /// does; after a stop, a new round.
    pub fn manual(&self) {
        let restarted;
        let next = {
            let mut inner = self.0.borrow_mut();
            if inner.destroyed {
                return;
            }
            let now = inner.now();
            inner.visible_next = true;
            restarted = inner.schedule.stopped().is_some();
            if restarted {
                inner.schedule.restart(now)
            } else {
                if let Err(at) = inner.schedule.manual_allowed(now) {
                    let dispatch = inner.dispatch.clone();
                    drop(inner);
                    dispatch.dispatch(Action::Deferred {
                        wait_ms: at.saturating_sub(now),
                    });
                    inner = self.0.borrow_mut();
                }
                inner.schedule.on(Outcome::Manual, now)
            }
        };
        execute(&Rc::downgrade(&self.0), next);
        if restarted {
            open_stream(&Rc::downgrade(&self.0));
        }
    }

    /// Stops everything: the timers, the listeners, the stream and any request in flight.
    pub fn stop(&self) {
        let mut inner = self.0.borrow_mut();
        inner.destroyed = true;
        inner.timer = None;
        inner.stream = None;
        inner.listeners.clear();
        if let Some(cancel) = inner.in_flight.take() {
            cancel.cancel();
        }
    }
}

fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.hidden())
}

fn listen(weak: &Weak<RefCell<Inner>>) -> Vec<EventListener> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let feed = |outcome: fn() -> Outcome| {
        let weak = weak.clone();
        move |_: &web_sys::Event| tell(&weak, outcome())
    };
    let mut listeners = vec![
        EventListener::new(&window, "online", feed(|| Outcome::Online)),
        EventListener::new(&window, "offline", feed(|| Outcome::Offline)),
    ];
    if let Some(document) = window.document() {
        let visibility = || {
            if page_hidden() {
                Outcome::Hidden
            } else {
                Outcome::Visible
            }
        };
        listeners.push(EventListener::new(
            &document,
            "visibilitychange",
            feed(visibility),
        ));
    }
    listeners
}

/// Tells the schedule about a page or network event and follows its answer.
fn tell(weak: &Weak<RefCell<Inner>>, outcome: Outcome) {
    let Some(inner) = weak.upgrade() else { return };
    let next = {
        let mut inner = inner.borrow_mut();
        if inner.destroyed {
            return;
        }
        let now = inner.now();
        inner.schedule.on(outcome, now)
    };
    execute(weak, next);
}

fn execute(weak: &Weak<RefCell<Inner>>, next: Next) {
    let Some(rc) = weak.upgrade() else { return };
    let mut inner = rc.borrow_mut();
    if inner.destroyed {
        return;
    }
    inner.timer = None;
    match next {
        // Due now: no timer between.
        Next::After(delay) if delay.is_zero() => {
            drop(inner);
            check(weak);
        }
        Next::After(delay) => {
            let weak = weak.clone();
            inner.timer = Some(inner.clock.after(delay, Box::new(move || check(&weak))));
        }
        // The stream does the checking; the timer only ends the maximum wait.
        Next::AwaitPush { max_wait_left } => {
            let weak = weak.clone();
            let passed = move || tell(&weak, Outcome::MaxWaitPassed);
            inner.timer = Some(inner.clock.after(max_wait_left, Box::new(passed)));
        }
        Next::Stop(reason) => {
            // The stream runs while the schedule does: "Check again" opens it again.
            if let Some(stream) = &mut inner.stream {
                stream.close();
            }
            let stopped = Stopped {
                reason,
                last_checked_unix_ms: inner.last_checked_unix_ms,
            };
            let dispatch = inner.dispatch.clone();
            drop(inner);
            dispatch.dispatch(Action::Stopped(stopped));
        }
        Next::WaitForVisible | Next::WaitForOnline | Next::AwaitResponse => {}
    }
}

fn check(weak: &Weak<RefCell<Inner>>) {
    let Some(rc) = weak.upgrade() else { return };
    let (request, provider, now_unix_ms, transport, dispatch, cancel, visible) = {
        let mut inner = rc.borrow_mut();
        if inner.destroyed || inner.in_flight.is_some() {
            return;
        }
        inner.timer = None;
        let now = inner.now();
        inner.schedule.on_request(now);
        let now_unix_ms = inner.clock.unix_ms().max(0.0) as u64;
        inner.last_checked_unix_ms = Some(now_unix_ms);
        let cancel = Cancel::default();
        inner.in_flight = Some(cancel.clone());
        let visible = std::mem::take(&mut inner.visible_next);
        (
            Request::for_config(&inner.config),
            inner.config.provider,
            now_unix_ms,
            inner.transport.clone(),
            inner.dispatch.clone(),
            cancel,
            visible,
        )
    };
    dispatch.dispatch(Action::Checking { visible });
    let weak = weak.clone();
    // Only the request lives across the await; the answer is classified afterwards.
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(response) = cancel.wrap(transport.send(request)).await {
            answered(&weak, response, provider, now_unix_ms);
        }
    });
}

fn answered(
    weak: &Weak<RefCell<Inner>>,
    response: Result<Response, FetchError>,
    provider: Provider,
    now_unix_ms: u64,
) {
    let answer = response.and_then(|response| classify(response, provider, now_unix_ms));
    take_answer(weak, answer, None);
}

/// Shows an answer, polled or pushed, and tells the schedule what it means (after `first`,
/// when the stream has just come up).
fn take_answer(
    weak: &Weak<RefCell<Inner>>,
    answer: Result<Order, FetchError>,
    first: Option<Outcome>,
) {
    let Some(rc) = weak.upgrade() else { return };
    let (action, told, dispatch) = {
        let mut inner = rc.borrow_mut();
        if inner.destroyed {
            return;
        }
        inner.in_flight = None;
        let (action, told) = match answer {
            Ok(order) => {
                let told = outcome(inner.last.as_deref(), &order);
                let order = match inner.last.take() {
                    // Keep the `Rc` the UI already has, so nothing re-renders.
                    Some(last) if *last == order => last,
                    _ => Rc::new(order),
                };
                inner.last = Some(order.clone());
                (Action::Loaded(order), told)
            }
            Err(error) => {
                let told = Outcome::Error {
                    kind: error.kind,
                    retry_after: error.retry_after,
                };
                (Action::Failed(error), told)
            }
        };
        (action, told, inner.dispatch.clone())
    };
    dispatch.dispatch(action);
    let next = {
        let mut inner = rc.borrow_mut();
        if inner.destroyed {
            return;
        }
        let now = inner.now();
        if let Some(first) = first {
            let _ = inner.schedule.on(first, now);
        }
        inner.schedule.on(told, now)
    };
    execute(weak, next);
}
