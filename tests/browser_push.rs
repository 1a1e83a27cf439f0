#![cfg(target_arch = "wasm32")]
//! The order's event stream (`events`) in headless Chromium and Firefox: pushed orders
//! rendered through the normal parse path, no polling at all while the stream is healthy,
//! polling at once when it fails or falls silent (the heartbeat watchdog), reopening with
//! backoff, closing on a terminal order, at the maximum wait and on destroy, and no code or
//! token in events or on the console. Streams the test drives by hand, on a clock the
//! tests advance; and the browser's own `EventSource`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_events::EventListener;
use order_core::error::FetchError;
use order_widget::config::{Config, Credentials, RawConfig};
use order_widget::platform::clock::ManualClock;
use order_widget::platform::event_source::{Connection, EventSourceStreams, StreamEvent, Streams};
use order_widget::platform::fetch::{PendingResponse, Request, Response, Transport};
use order_widget::{mount_with, WidgetHandle};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CustomEvent, Element};

mod browser_support;
use browser_support::{canonical_order, host, pass, settle, status, wait_until, Mutations};

wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "v1.1795431080.TOKEN+/=";

// ---------------------------------------------------------------- helpers

/// Answers polls with the given bodies in order (the last one repeats) and counts them.
struct Polls {
    bodies: RefCell<VecDeque<String>>,
    count: Cell<usize>,
}

impl Polls {
    fn answering(bodies: Vec<String>) -> Rc<Polls> {
        Rc::new(Polls {
            bodies: RefCell::new(bodies.into()),
            count: Cell::new(0),
        })
    }

    /// Every later poll answers `body`.
    fn answer_from_now(&self, body: String) {
        *self.bodies.borrow_mut() = VecDeque::from([body]);
    }
}

impl Transport for Polls {
    fn send(&self, _request: Request) -> PendingResponse {
        self.count.set(self.count.get() + 1);
        let mut bodies = self.bodies.borrow_mut();
        let body = if bodies.len() > 1 {
            bodies.pop_front()
        } else {
            bodies.front().cloned()
        };
        let answer: Result<Response, FetchError> = Ok(Response::json(body.unwrap_or_default()));
        Box::pin(async move { answer })
    }
}

type Listener = Rc<dyn Fn(StreamEvent)>;

/// Event streams the test drives: it sees each one opened, pushes orders into the open
/// one and fails it.
#[derive(Default)]
struct Pushed {
    urls: RefCell<Vec<String>>,
    listener: RefCell<Option<Listener>>,
    /// Whether the last stream opened is still open.
    open: RefCell<Rc<Cell<bool>>>,
}

/// Marks its stream closed when the widget drops it.
struct Closes(Rc<Cell<bool>>);

impl Drop for Closes {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

impl Streams for Pushed {
    fn open(
        &self,
        url: &str,
        _credentials: Credentials,
        listener: Box<dyn Fn(StreamEvent)>,
    ) -> Option<Connection> {
        self.urls.borrow_mut().push(url.to_owned());
        *self.listener.borrow_mut() = Some(Rc::from(listener));
        let open = Rc::new(Cell::new(true));
        *self.open.borrow_mut() = open.clone();
        Some(Connection(Box::new(Closes(open))))
    }
}

impl Pushed {
    fn opened(&self) -> usize {
        self.urls.borrow().len()
    }

    fn is_open(&self) -> bool {
        self.open.borrow().get()
    }

    fn send(&self, event: StreamEvent) {
        assert!(self.is_open(), "the stream is closed");
        let listener = self.listener.borrow().clone().expect("a stream was opened");
        listener(event);
    }

    fn push(&self, body: String) {
        self.send(StreamEvent::Order(body));
    }

    fn heartbeat(&self, data: &str) {
        self.send(StreamEvent::Heartbeat(data.to_owned()));
    }

    fn fail(&self) {
        self.send(StreamEvent::Failed);
    }
}

fn config(events: &str) -> Config {
    let json = format!(
        r#"{{"proxy": "/api/orders/{{id}}", "orderId": "7", "provider": "order",
            "token": "{TOKEN}", "events": "{events}"}}"#
    );
    let raw = RawConfig::from_js(&js_sys::JSON::parse(&json).unwrap()).unwrap();
    raw.validate("en-US").unwrap()
}

fn voucher(n: usize) -> String {
    format!(
        r#"{{"code": "CODE-{n:06}-SECRETXY", "pin": "PIN-{n:04}-SECRET", "claim_url": null,
            "reference": null, "serial": null, "expires_at": null, "item": 0, "kind": "code"}}"#
    )
}

/// A canonical order body on one line, as a stream's `data` carries it.
fn order(status: &str, codes: usize) -> String {
    let vouchers: Vec<String> = (0..codes).map(voucher).collect();
    canonical_order(status, &vouchers)
}

struct Mounted {
    element: Element,
    handle: WidgetHandle,
    polls: Rc<Polls>,
    clock: ManualClock,
}

/// Mounts a widget with `events` on a manual clock; its polls answer `polled`.
async fn mount_pushed(streams: Rc<dyn Streams>, events: &str, polled: Vec<String>) -> Mounted {
    let element = host();
    let clock = ManualClock::new(js_sys::Date::now());
    let polls = Polls::answering(polled);
    let handle = mount_with(
        element.clone(),
        config(events),
        polls.clone(),
        streams,
        Rc::new(clock.clone()),
    );
    settle().await;
    Mounted {
        element,
        handle,
        polls,
        clock,
    }
}

/// Lets `ms` pass on `clock` with a heartbeat (`data: 15`) every 15 s.
async fn keep_alive(streams: &Pushed, clock: &ManualClock, ms: u64) {
    let mut left = ms;
    while left > 0 {
        let step = left.min(15_000);
        pass(clock, step).await;
        streams.heartbeat("15");
        left -= step;
    }
}

/// Whether the widget says "This is taking longer than usual".
fn taking_longer(element: &Element) -> bool {
    element.query_selector(".ow-notice-slow").unwrap().is_some()
}

/// A widget with a healthy stream: the first poll and the stream's first order (pending).
async fn healthy() -> (Mounted, Rc<Pushed>) {
    let streams = Rc::new(Pushed::default());
    let mounted = mount_pushed(
        streams.clone(),
        "/api/orders/{id}/events",
        vec![order("pending", 0)],
    )
    .await;
    streams.push(order("pending", 0));
    settle().await;
    assert_eq!(status(&mounted.element).as_deref(), Some("pending"));
    assert_eq!(mounted.polls.count.get(), 1);
    (mounted, streams)
}

// ---------------------------------------------------------------- driven streams

#[wasm_bindgen_test]
async fn a_healthy_stream_with_heartbeats_is_never_polled() {
    let (mut mounted, streams) = healthy().await;
    assert_eq!(
        streams.urls.borrow()[..],
        ["/api/orders/7/events?token=v1.1795431080.TOKEN%2B%2F%3D"]
    );
    assert_eq!(
        mounted.clock.pending(),
        2,
        "the watchdog and the end of the maximum wait, no poll"
    );

    streams.push(order("processing", 0));
    settle().await;
    assert_eq!(status(&mounted.element).as_deref(), Some("processing"));
    // Without the stream the widget would have polled about 40 times by now.
    keep_alive(&streams, &mounted.clock, 5 * 60_000).await;
    // A change restarts the maximum wait: twelve minutes in all, without a poll.
    streams.push(order("processing", 1));
    settle().await;
    keep_alive(&streams, &mounted.clock, 7 * 60_000).await;
    assert_eq!(
        mounted.polls.count.get(),
        1,
        "no poll while the stream is healthy"
    );
    assert!(streams.is_open());
    assert!(!taking_longer(&mounted.element));
    assert_eq!(streams.opened(), 1);

    // A terminal order: the stream is closed and nothing is left to run.
    streams.push(order("delivered", 2));
    settle().await;
    assert_eq!(status(&mounted.element).as_deref(), Some("delivered"));
    assert!(!streams.is_open());
    assert_eq!(mounted.clock.pending(), 0);
    mounted.handle.destroy();
}

#[wasm_bindgen_test]
async fn an_order_that_does_not_move_on_a_healthy_stream_stops_at_the_maximum_wait_without_a_poll()
{
    let (mut mounted, streams) = healthy().await;
    keep_alive(&streams, &mounted.clock, 585_000).await;
    assert!(!taking_longer(&mounted.element));
    pass(&mounted.clock, 15_000).await;
    // Ten minutes after the order last moved: "taking longer than usual", the stream closed.
    assert!(taking_longer(&mounted.element));
    assert!(!streams.is_open());
    assert_eq!(mounted.polls.count.get(), 1);
    assert_eq!(mounted.clock.pending(), 0);

    // "Check again": a poll at once, and the stream is opened again.
    mounted.handle.refresh();
    settle().await;
    assert_eq!(mounted.polls.count.get(), 2);
    assert_eq!(streams.opened(), 2);
    assert!(!taking_longer(&mounted.element));
    mounted.handle.destroy();
}

#[wasm_bindgen_test]
async fn a_stream_silent_for_two_heartbeats_falls_back_at_once_and_is_reopened_after_the_backoff() {
    let (mut mounted, streams) = healthy().await;
    // Two default intervals (15 s) after the stream's last order, it has failed.
    pass(&mounted.clock, 29_999).await;
    assert!(streams.is_open());
    assert_eq!(mounted.polls.count.get(), 1);
    pass(&mounted.clock, 1).await;
    assert!(!streams.is_open(), "the watchdog closed the silent stream");
    assert_eq!(mounted.polls.count.get(), 2, "a poll at once");

    // Reopened after 2 s, less up to 10 % jitter; healthy again, no more polls.
    pass(&mounted.clock, 1_799).await;
    assert_eq!(streams.opened(), 1, "reopened too soon");
    pass(&mounted.clock, 201).await;
    assert_eq!(streams.opened(), 2);
    streams.push(order("pending", 0));
    settle().await;
    let polled = mounted.polls.count.get();
    keep_alive(&streams, &mounted.clock, 120_000).await;
    assert_eq!(mounted.polls.count.get(), polled);
    assert!(streams.is_open());
    mounted.handle.destroy();
}

#[wasm_bindgen_test]
async fn a_heartbeat_sets_the_watchdogs_interval_and_a_malformed_one_keeps_it() {
    let (mut mounted, streams) = healthy().await;
    // `data: 5`: silent after 10 s.
    streams.heartbeat("5");
    pass(&mounted.clock, 9_999).await;
    assert!(streams.is_open());
    pass(&mounted.clock, 1).await;
    assert!(!streams.is_open(), "two 5 s intervals");
    let polled = mounted.polls.count.get();
    assert_eq!(polled, 2, "a poll at once");

    // `data: 60` on the reopened stream: silent after 2 minutes, even through heartbeats
    // that name no valid interval.
    pass(&mounted.clock, 2_000).await;
    assert_eq!(streams.opened(), 2);
    streams.push(order("pending", 0));
    streams.heartbeat("60");
    settle().await;
    let polled = mounted.polls.count.get();
    pass(&mounted.clock, 60_000).await;
    for malformed in ["", "soon", "0", "100000", "-15", "1.5"] {
        streams.heartbeat(malformed);
    }
    pass(&mounted.clock, 119_999).await;
    assert!(
        streams.is_open(),
        "a malformed heartbeat kept the 60 s interval"
    );
    assert_eq!(mounted.polls.count.get(), polled);
    pass(&mounted.clock, 1).await;
    assert!(!streams.is_open());
    assert_eq!(mounted.polls.count.get(), polled + 1, "a poll at once");
    mounted.handle.destroy();
}

#[wasm_bindgen_test]
async fn an_unchanged_pushed_order_does_not_touch_the_dom() {
    let (mut mounted, streams) = healthy().await;
    streams.push(order("processing", 3));
    settle().await;
    let mutations = Mutations::observe(&mounted.element);
    for _ in 0..3 {
        streams.push(order("processing", 3));
        settle().await;
    }
    assert_eq!(mutations.stop(), 0);
    mounted.handle.destroy();
}

#[wasm_bindgen_test]
async fn a_failed_stream_falls_back_to_polling_at_once_and_is_reopened_with_backoff() {
    let (mut mounted, streams) = healthy().await;
    keep_alive(&streams, &mounted.clock, 30_000).await;
    assert_eq!(mounted.polls.count.get(), 1);

    // The stream drops: a poll at once, then the regular schedule (every 3 s at first).
    streams.fail();
    assert!(!streams.is_open());
    settle().await;
    assert_eq!(mounted.polls.count.get(), 2, "a poll at once");
    mounted.polls.answer_from_now(order("processing", 0));
    // Reopened after 2 s, less up to 10 % jitter.
    pass(&mounted.clock, 1_799).await;
    assert_eq!(streams.opened(), 1, "reopened too soon");
    pass(&mounted.clock, 201).await;
    assert_eq!(streams.opened(), 2);
    // It is refused at once (`429 too_many_streams` is an error to `EventSource`), twice:
    // reopened after 4 s, then 8 s.
    streams.fail();
    pass(&mounted.clock, 3_599).await;
    assert_eq!(streams.opened(), 2);
    pass(&mounted.clock, 401).await;
    assert_eq!(streams.opened(), 3);
    streams.fail();
    pass(&mounted.clock, 7_199).await;
    assert_eq!(streams.opened(), 3);
    pass(&mounted.clock, 801).await;
    assert_eq!(streams.opened(), 4);
    let polled = mounted.polls.count.get();
    assert!(polled >= 5, "{polled} polls in 14 s without a stream");
    assert_eq!(status(&mounted.element).as_deref(), Some("processing"));

    // Healthy again: no more polls.
    streams.push(order("processing", 0));
    settle().await;
    let polled = mounted.polls.count.get();
    keep_alive(&streams, &mounted.clock, 120_000).await;
    assert_eq!(mounted.polls.count.get(), polled);
    mounted.handle.destroy();
}

#[wasm_bindgen_test]
async fn destroy_closes_the_stream_and_cancels_its_reopening() {
    let (mut mounted, streams) = healthy().await;
    let listener = streams.listener.borrow().clone().unwrap();
    assert_eq!(
        mounted.clock.pending(),
        2,
        "the watchdog and the end of the maximum wait"
    );
    mounted.handle.destroy();
    settle().await;
    assert!(!streams.is_open(), "destroy closed the stream");
    assert_eq!(mounted.clock.pending(), 0, "destroy dropped the watchdog");
    // Even a stream that broke its promise and spoke after closing changes nothing.
    listener(StreamEvent::Heartbeat("15".to_owned()));
    listener(StreamEvent::Order(order("delivered", 1)));
    listener(StreamEvent::Failed);
    pass(&mounted.clock, 120_000).await;
    assert_eq!(mounted.element.child_element_count(), 0);
    assert_eq!(streams.opened(), 1);
    assert_eq!(mounted.polls.count.get(), 1);

    // Destroyed while waiting to reopen: it never reopens.
    let (mut mounted, streams) = healthy().await;
    streams.fail();
    settle().await;
    assert_eq!(
        mounted.clock.pending(),
        2,
        "the next poll and the reopening; no watchdog"
    );
    mounted.handle.destroy();
    settle().await;
    assert_eq!(mounted.clock.pending(), 0);
    pass(&mounted.clock, 120_000).await;
    assert_eq!(streams.opened(), 1);
}

/// Every console message from now until dropped, still printed.
struct Console;

impl Console {
    fn record() -> Console {
        js_sys::Function::new_no_args(
            "window.__consoleLog = []; window.__console = {};
             for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
               const original = console[level];
               window.__console[level] = original;
               console[level] = (...args) => {
                 window.__consoleLog.push(args.map((arg) => {
                   try { return typeof arg === 'string' ? arg : JSON.stringify(arg) ?? String(arg); }
                   catch { return String(arg); }
                 }).join(' '));
                 original.apply(console, args);
               };
             }",
        )
        .call0(&JsValue::NULL)
        .unwrap();
        Console
    }

    fn text(&self) -> String {
        let log =
            js_sys::Reflect::get(&web_sys::window().unwrap(), &"__consoleLog".into()).unwrap();
        js_sys::Array::from(&log).join("\n").into()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = js_sys::Function::new_no_args(
            "for (const [level, original] of Object.entries(window.__console)) console[level] = original;",
        )
        .call0(&JsValue::NULL);
    }
}

#[wasm_bindgen_test]
async fn no_code_or_token_reaches_the_events_or_the_console() {
    let console = Console::record();
    let streams = Rc::new(Pushed::default());
    let element = host();
    let details: Rc<RefCell<Vec<String>>> = Rc::default();
    let _listeners: Vec<EventListener> = ["ready", "status", "delivered", "error"]
        .into_iter()
        .map(|name| {
            let details = details.clone();
            EventListener::new(&element, format!("order-widget:{name}"), move |event| {
                let detail = event
                    .dyn_ref::<CustomEvent>()
                    .map(|event| event.detail())
                    .unwrap_or(JsValue::NULL);
                let json = js_sys::JSON::stringify(&detail).map(String::from);
                details.borrow_mut().push(json.unwrap_or_default());
            })
        })
        .collect();
    let clock = ManualClock::new(js_sys::Date::now());
    let polls = Polls::answering(vec![order("processing", 0)]);
    let mut handle = mount_with(
        element.clone(),
        config("/api/orders/{id}/events"),
        polls.clone(),
        streams.clone(),
        Rc::new(clock.clone()),
    );
    settle().await;
    streams.push(order("processing", 0));
    // A body that is not an order, with a code in it, fails the stream quietly.
    streams.push(r#"{"unexpected": "CODE-000009-SECRETXY"}"#.to_owned());
    settle().await;
    assert!(!streams.is_open());
    pass(&clock, 2_000).await;
    streams.push(order("delivered", 3));
    settle().await;
    assert_eq!(status(&element).as_deref(), Some("delivered"));

    let details = details.borrow().join("\n");
    assert!(details.contains(r#"{"codes":3}"#), "{details}");
    let console = console.text();
    let markup = element.inner_html();
    for seen in [&details, &console, &markup] {
        assert!(!seen.contains("SECRET"), "a code: {seen}");
        assert!(!seen.contains("TOKEN"), "the token: {seen}");
    }
    handle.destroy();
}

// ---------------------------------------------------------------- the browser's EventSource

/// The browser's streams, noting what each one reports before the widget gets it.
#[derive(Default)]
struct Noting {
    reported: Rc<RefCell<Vec<StreamEvent>>>,
}

impl Streams for Noting {
    fn open(
        &self,
        url: &str,
        credentials: Credentials,
        listener: Box<dyn Fn(StreamEvent)>,
    ) -> Option<Connection> {
        let reported = self.reported.clone();
        let noting = move |event: StreamEvent| {
            reported.borrow_mut().push(event.clone());
            listener(event);
        };
        EventSourceStreams.open(url, credentials, Box::new(noting))
    }
}

/// A `data:` URL serving one `order` event with `body`, in which `{id}` stands for the id,
/// then a `heartbeat` event naming a 15 s interval.
fn data_stream(body: &str) -> String {
    let (before, after) = body.split_once(r#""id": "7""#).unwrap();
    let encode = |text: &str| String::from(js_sys::encode_uri_component(text));
    format!(
        "data:text/event-stream,{}{{id}}{}",
        encode(&format!("event: order\ndata: {before}\"id\": \"")),
        encode(&format!("\"{after}\n\nevent: heartbeat\ndata: 15\n\n"))
    )
}

fn is_firefox() -> bool {
    let agent = web_sys::window().unwrap().navigator().user_agent();
    agent.unwrap_or_default().contains("Firefox")
}

/// Chromium streams `data:` URLs: the order is pushed, the heartbeat reported, and the end of
/// the stream (which the browser would reconnect) is a failure: polling at once. Firefox refuses `data:`
/// for `EventSource` (readyState CLOSED at once): a failure before any order, retried.
#[wasm_bindgen_test]
async fn the_browsers_event_source_pushes_an_order_and_a_heartbeat_and_its_end_falls_back_to_polling(
) {
    let streams = Rc::new(Noting::default());
    let reported = streams.reported.clone();
    let events = data_stream(&order("processing", 0));
    let config = {
        let json = format!(
            r#"{{"proxy": "/api/orders/{{id}}", "orderId": "7", "provider": "order",
                "events": {}}}"#,
            js_sys::JSON::stringify(&events.as_str().into()).unwrap()
        );
        RawConfig::from_js(&js_sys::JSON::parse(&json).unwrap())
            .unwrap()
            .validate("en-US")
            .unwrap()
    };
    let element = host();
    let clock = ManualClock::new(js_sys::Date::now());
    // The poll after the stream ended (Chromium) sees what the stream pushed.
    let polls = Polls::answering(vec![order("pending", 0), order("processing", 0)]);
    let mut handle = mount_with(
        element.clone(),
        config,
        polls.clone(),
        streams,
        Rc::new(clock.clone()),
    );
    let noted = reported.clone();
    assert!(wait_until(5_000, move || noted.borrow().contains(&StreamEvent::Failed)).await);
    settle().await;
    let reported = reported.borrow().clone();
    if is_firefox() {
        assert_eq!(reported, [StreamEvent::Failed]);
        assert_eq!(status(&element).as_deref(), Some("pending"));
        assert_eq!(
            polls.count.get(),
            1,
            "it never came up: the schedule is unchanged"
        );
    } else {
        let expected = [
            StreamEvent::Order(order("processing", 0)),
            StreamEvent::Heartbeat("15".to_owned()),
            StreamEvent::Failed,
        ];
        assert_eq!(reported, expected);
        assert_eq!(status(&element).as_deref(), Some("processing"));
        assert_eq!(polls.count.get(), 2, "a poll at once when the stream ended");
    }
    assert_eq!(
        clock.pending(),
        2,
        "the next poll and the stream's reopening; no watchdog"
    );
    handle.destroy();
}

/// A stream the browser refuses (here: not `text/event-stream`) fails in every browser.
#[wasm_bindgen_test]
async fn a_stream_the_browser_refuses_is_a_failure() {
    let streams = Rc::new(Noting::default());
    let reported = streams.reported.clone();
    let mounted = mount_pushed(streams, "data:text/plain,{id}", vec![order("pending", 0)]).await;
    let noted = reported.clone();
    assert!(wait_until(5_000, move || !noted.borrow().is_empty()).await);
    settle().await;
    assert_eq!(reported.borrow()[..], [StreamEvent::Failed]);
    assert_eq!(status(&mounted.element).as_deref(), Some("pending"));
    let Mounted {
        mut handle, clock, ..
    } = mounted;
    pass(&clock, 2_000).await;
    let noted = reported.clone();
    assert!(
        wait_until(5_000, move || noted.borrow().len() == 2).await,
        "reopened after 2 s"
    );
    handle.destroy();
}
