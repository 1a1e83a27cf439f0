#![cfg(target_arch = "wasm32")]
//! Polling in headless Chromium with a scripted transport, on a clock the tests advance by
//! hand (and once on the real one). The DOM-mutation checks of polls are in
//! `browser_widget.rs`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use order_core::error::FetchError;
use order_widget::config::{Config, RawConfig};
use order_widget::platform::clock::{BrowserClock, Clock, ManualClock};
use order_widget::platform::event_source::EventSourceStreams;
use order_widget::platform::fetch::{PendingResponse, Request, Response, Transport};
use order_widget::{mount_with, WidgetHandle};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::Element;

mod browser_support;
use browser_support::{canonical_order, host, pass, settle, status, wait_until};

wasm_bindgen_test_configure!(run_in_browser);

/// Serves scripted answers in order (the last one repeats) and notes when each request came.
struct Scripted {
    answers: RefCell<VecDeque<Result<Response, FetchError>>>,
    clock: Rc<dyn Clock>,
    times: RefCell<Vec<f64>>,
}

impl Scripted {
    fn new(answers: Vec<Result<Response, FetchError>>, clock: Rc<dyn Clock>) -> Rc<Scripted> {
        Rc::new(Scripted {
            answers: RefCell::new(answers.into()),
            clock,
            times: RefCell::default(),
        })
    }

    fn requests(&self) -> usize {
        self.times.borrow().len()
    }
}

impl Transport for Scripted {
    fn send(&self, _request: Request) -> PendingResponse {
        self.times.borrow_mut().push(self.clock.monotonic_ms());
        let mut answers = self.answers.borrow_mut();
        let answer = if answers.len() > 1 {
            answers.pop_front()
        } else {
            answers.front().cloned()
        };
        let answer = answer.unwrap_or_else(|| Ok(Response::default()));
        Box::pin(async move { answer })
    }
}

fn config() -> Config {
    let json = r#"{"proxy": "/api/orders/{id}", "orderId": "7", "provider": "order"}"#;
    let raw = RawConfig::from_js(&js_sys::JSON::parse(json).unwrap()).unwrap();
    raw.validate("en-US").unwrap()
}

fn voucher(n: usize) -> String {
    format!(
        r#"{{"code": "CODE-{n:06}-ABCDEFGH", "pin": null, "claim_url": null, "reference": null,
            "serial": null, "expires_at": null, "item": 0, "kind": "code"}}"#
    )
}

fn order(status: &str, codes: usize) -> Result<Response, FetchError> {
    let vouchers: Vec<String> = (0..codes).map(voucher).collect();
    Ok(Response::json(canonical_order(status, &vouchers)))
}

/// Mounts a widget on a manual clock and lets its first check answer.
async fn start(
    answers: Vec<Result<Response, FetchError>>,
) -> (Element, WidgetHandle, Rc<Scripted>, ManualClock) {
    let element = host();
    let clock = ManualClock::new(js_sys::Date::now());
    let transport = Scripted::new(answers, Rc::new(clock.clone()));
    let handle = mount_with(
        element.clone(),
        config(),
        transport.clone(),
        Rc::new(EventSourceStreams),
        Rc::new(clock.clone()),
    );
    settle().await;
    assert!(status(&element).is_some());
    (element, handle, transport, clock)
}

#[wasm_bindgen_test]
async fn polls_through_each_step_and_stops_after_delivery() {
    let (element, mut handle, transport, clock) = start(vec![
        order("pending", 0),
        order("processing", 0),
        order("delivered", 1),
    ])
    .await;
    assert_eq!(status(&element).as_deref(), Some("pending"));
    // The schedule's first delay is 2 s, then 3 s.
    pass(&clock, 2000).await;
    assert_eq!(status(&element).as_deref(), Some("processing"));
    pass(&clock, 2000).await;
    assert_eq!(status(&element).as_deref(), Some("delivered"));
    assert_eq!(transport.requests(), 3);
    let live = element
        .query_selector("[aria-live=polite]")
        .unwrap()
        .unwrap();
    assert_eq!(
        live.text_content().as_deref(),
        Some("Order status: Delivered")
    );
    // Delivered is terminal: no timer is left, no more requests, and no "Check again".
    assert_eq!(clock.pending(), 0);
    pass(&clock, 60_000).await;
    assert_eq!(transport.requests(), 3);
    assert!(element.query_selector(".ow-check-again").unwrap().is_none());
    handle.destroy();
}

/// The same on the browser's own clock and `setTimeout`.
#[wasm_bindgen_test]
async fn polls_on_real_timers() {
    let element = host();
    let clock: Rc<dyn Clock> = Rc::new(BrowserClock);
    let transport = Scripted::new(
        vec![order("pending", 0), order("delivered", 1)],
        clock.clone(),
    );
    let mut handle = mount_with(
        element.clone(),
        config(),
        transport.clone(),
        Rc::new(EventSourceStreams),
        clock,
    );
    let shown = element.clone();
    assert!(wait_until(1000, move || status(&shown).as_deref() == Some("pending")).await);
    let shown = element.clone();
    assert!(wait_until(4000, move || status(&shown).as_deref() == Some("delivered")).await);
    let times = transport.times.borrow().clone();
    assert!(times[1] - times[0] >= 1800.0, "{times:?}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_429_with_retry_after_is_obeyed() {
    let limited = Ok(Response {
        status: 429,
        content_type: None,
        retry_after: Some("20".to_owned()),
        body: String::new(),
    });
    let (element, mut handle, transport, clock) =
        start(vec![order("pending", 0), limited, order("processing", 0)]).await;
    pass(&clock, 2000).await;
    assert_eq!(transport.requests(), 2, "the rate-limited check");
    pass(&clock, 19_000).await;
    assert_eq!(transport.requests(), 2, "no check before Retry-After");
    pass(&clock, 1_500).await;
    assert_eq!(transport.requests(), 3);
    let times = transport.times.borrow().clone();
    assert!(times[2] - times[1] >= 20_000.0, "{times:?}");
    // The order stayed on screen through the error.
    assert_eq!(status(&element).as_deref(), Some("processing"));
    handle.destroy();
}

fn set_hidden(hidden: bool) {
    let document = web_sys::window().unwrap().document().unwrap();
    if hidden {
        let descriptor = js_sys::Object::new();
        js_sys::Reflect::set(&descriptor, &"value".into(), &JsValue::TRUE).unwrap();
        js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE).unwrap();
        js_sys::Object::define_property(&document, &"hidden".into(), &descriptor);
    } else {
        js_sys::Reflect::delete_property(&document, &"hidden".into()).unwrap();
    }
    let event = web_sys::Event::new("visibilitychange").unwrap();
    document.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn a_hidden_page_makes_no_requests() {
    let (_element, mut handle, transport, clock) = start(vec![order("processing", 0)]).await;
    assert_eq!(transport.requests(), 1);
    set_hidden(true);
    pass(&clock, 60_000).await;
    let while_hidden = transport.requests();
    set_hidden(false);
    assert_eq!(while_hidden, 1, "requests while hidden");
    // Overdue when visible again: checks at once.
    pass(&clock, 0).await;
    assert_eq!(transport.requests(), 2);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn destroy_stops_the_poll_timer_and_listeners() {
    let (element, mut handle, transport, clock) = start(vec![order("processing", 0)]).await;
    assert_eq!(clock.pending(), 1, "the next check's timer");
    handle.destroy();
    settle().await;
    assert_eq!(clock.pending(), 0, "destroy dropped it");
    // A visibility change would check at once.
    set_hidden(true);
    set_hidden(false);
    pass(&clock, 60_000).await;
    assert_eq!(transport.requests(), 1);
    assert_eq!(element.child_element_count(), 0);
    handle.refresh();
    settle().await;
    assert_eq!(transport.requests(), 1);
}
