#![cfg(target_arch = "wasm32")]
//! Polling in headless Chromium: real timers, a scripted transport. (The DOM-mutation
//! checks of polls are in `browser_widget.rs`: each file must finish within the runner's 20 s.)

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use order_widget::config::{Config, RawConfig};
use order_widget::error::FetchError;
use order_widget::fetch::{PendingResponse, Request, Response, Transport};
use order_widget::{mount_with, WidgetHandle};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Serves scripted answers in order (the last one repeats) and notes when each request came.
#[derive(Default)]
struct Scripted {
    answers: RefCell<VecDeque<Result<Response, FetchError>>>,
    times: RefCell<Vec<f64>>,
}

impl Scripted {
    fn new(answers: Vec<Result<Response, FetchError>>) -> Rc<Scripted> {
        Rc::new(Scripted {
            answers: RefCell::new(answers.into()),
            times: RefCell::default(),
        })
    }

    fn requests(&self) -> usize {
        self.times.borrow().len()
    }
}

impl Transport for Scripted {
    fn send(&self, _request: Request) -> PendingResponse {
        self.times.borrow_mut().push(js_sys::Date::now());
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

fn host() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
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
    Ok(Response::json(format!(
        r#"{{"vendor": "shop", "id": "7", "number": "A-7", "status": "{status}", "terminal": false,
        "status_label": null, "status_message": null, "status_colors": null, "total": null,
        "created_at": null, "is_service": false,
        "items": [{{"name": "Gift card", "quantity": 1, "unit_price": null, "fulfilled": null,
                    "fulfillment_status": null}}],
        "vouchers": [{}]}}"#,
        vouchers.join(",")
    )))
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
    yew::scheduler::flush().await;
}

/// Waits (up to `ms`) until `done` holds.
async fn wait_until(ms: u32, done: impl Fn() -> bool) -> bool {
    for _ in 0..ms / 50 {
        if done() {
            return true;
        }
        sleep(50).await;
    }
    done()
}

fn status(element: &Element) -> Option<String> {
    element
        .query_selector(".ow-badge")
        .unwrap()
        .and_then(|badge| badge.get_attribute("data-status"))
}

async fn start(
    answers: Vec<Result<Response, FetchError>>,
) -> (Element, WidgetHandle, Rc<Scripted>) {
    let element = host();
    let transport = Scripted::new(answers);
    let handle = mount_with(element.clone(), config(), transport.clone());
    let shown = element.clone();
    assert!(wait_until(2000, move || status(&shown).is_some()).await);
    (element, handle, transport)
}

#[wasm_bindgen_test]
async fn polls_through_each_step_and_stops_after_delivery() {
    let (element, mut handle, transport) = start(vec![
        order("pending", 0),
        order("processing", 0),
        order("delivered", 1),
    ])
    .await;
    assert_eq!(status(&element).as_deref(), Some("pending"));
    let shown = element.clone();
    assert!(wait_until(4000, || status(&shown).as_deref() == Some("processing")).await);
    assert!(wait_until(5000, || status(&shown).as_deref() == Some("delivered")).await);
    assert_eq!(transport.requests(), 3);
    let live = element
        .query_selector("[aria-live=polite]")
        .unwrap()
        .unwrap();
    assert_eq!(
        live.text_content().as_deref(),
        Some("Order status: Delivered")
    );
    // Delivered is terminal: no more requests, and no "Check again".
    // 2 s is the shortest delay the schedule ever plans.
    sleep(2200).await;
    assert_eq!(transport.requests(), 3);
    assert!(element.query_selector(".ow-check-again").unwrap().is_none());
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_429_with_retry_after_is_obeyed() {
    let limited = Ok(Response {
        status: 429,
        content_type: None,
        retry_after: Some("2".to_owned()),
        body: String::new(),
    });
    let (element, mut handle, transport) =
        start(vec![order("pending", 0), limited, order("processing", 0)]).await;
    let probe = transport.clone();
    assert!(wait_until(9000, move || probe.requests() >= 3).await);
    let times = transport.times.borrow().clone();
    assert!(
        times[2] - times[1] >= 2000.0,
        "waited only {} ms",
        times[2] - times[1]
    );
    // The order stayed on screen through the error.
    let shown = element.clone();
    assert!(
        wait_until(1000, move || status(&shown).as_deref()
            == Some("processing"))
        .await
    );
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
    let (_element, mut handle, transport) = start(vec![order("processing", 0)]).await;
    assert_eq!(transport.requests(), 1);
    set_hidden(true);
    sleep(2200).await;
    let while_hidden = transport.requests();
    set_hidden(false);
    assert_eq!(while_hidden, 1, "requests while hidden");
    // Overdue when visible again: checks at once.
    let probe = transport.clone();
    assert!(wait_until(800, move || probe.requests() == 2).await);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn destroy_stops_the_poll_timer_and_listeners() {
    let (element, mut handle, transport) = start(vec![order("processing", 0)]).await;
    handle.destroy();
    // The next poll would have come after at most 2 s; a visibility change would check at once.
    set_hidden(true);
    set_hidden(false);
    sleep(2200).await;
    assert_eq!(transport.requests(), 1);
    assert_eq!(element.child_element_count(), 0);
    handle.refresh();
    sleep(100).await;
    assert_eq!(transport.requests(), 1);
}
