#![cfg(target_arch = "wasm32")]
//! The widget in headless Chromium: rendering, errors, labels, events, destroy, real fetch.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_events::EventListener;
use order_core::error::{ErrorKind, FetchError};
use order_widget::config::{Config, RawConfig};
use order_widget::platform::clock::ManualClock;
use order_widget::platform::event_source::EventSourceStreams;
use order_widget::platform::fetch::{Method, PendingResponse, Request, Response, Transport};
use order_widget::{mount, mount_with, WidgetHandle};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{CustomEvent, Element, HtmlElement};

mod browser_support;
use browser_support::{host, pass, settle, Mutations};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------- helpers

/// Serves scripted answers in order; the last one repeats.
#[derive(Default)]
struct Scripted {
    answers: RefCell<VecDeque<Result<Response, FetchError>>>,
    requests: RefCell<Vec<Request>>,
}

impl Scripted {
    fn new(answers: Vec<Result<Response, FetchError>>) -> Rc<Scripted> {
        Rc::new(Scripted {
            answers: RefCell::new(answers.into()),
            requests: RefCell::default(),
        })
    }
}

impl Transport for Scripted {
    fn send(&self, request: Request) -> PendingResponse {
        self.requests.borrow_mut().push(request);
        let mut answers = self.answers.borrow_mut();
        let answer = if answers.len() > 1 {
            answers.pop_front()
        } else {
            answers.front().cloned()
        };
        let answer = answer.unwrap_or_else(|| Err(FetchError::new(ErrorKind::Network, "none")));
        Box::pin(async move { answer })
    }
}

/// Answers only when the test resolves the promise.
struct Gated {
    resolve: Rc<RefCell<Option<js_sys::Function>>>,
    requests: Cell<u32>,
}

impl Transport for Gated {
    fn send(&self, _request: Request) -> PendingResponse {
        self.requests.set(self.requests.get() + 1);
        let resolve = self.resolve.clone();
        let promise = js_sys::Promise::new(&mut |resolve_fn, _reject| {
            *resolve.borrow_mut() = Some(resolve_fn);
        });
        Box::pin(async move {
            let body = JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_string());
            Ok(Response::json(body.unwrap_or_default()))
        })
    }
}

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn config(extra: &str) -> Config {
    let json =
        format!(r#"{{"proxy": "/api/orders/{{id}}", "orderId": "7", "provider": "order"{extra}}}"#);
    let value = js_sys::JSON::parse(&json).unwrap();
    let raw = RawConfig::from_js(&value).unwrap();
    raw.validate("en-US").unwrap()
}

/// A canonical order body; `extra` fields (`, "key": value`) override the defaults.
fn order(status: &str, extra: &str) -> String {
    format!(
        r#"{{"vendor": "shop", "id": "7", "number": "A-1007", "status": "{status}", "terminal": false,
        "status_label": null, "status_message": null, "status_colors": null,
        "total": {{"amount": "25.00", "currency": "USD"}}, "created_at": "2026-11-20T10:00:00Z",
        "is_service": false,
        "items": [{{"name": "Gift card 25", "quantity": 2, "unit_price": {{"amount": "12.50", "currency": "USD"}},
                    "fulfilled": null, "fulfillment_status": null}}],
        "vouchers": []{extra}}}"#
    )
}

fn ok(body: String) -> Result<Response, FetchError> {
    Ok(Response::json(body))
}

/// Mounts a widget on a clock that moves only when a test advances it, and lets its first
/// check answer.
async fn show(
    config: Config,
    answers: Vec<Result<Response, FetchError>>,
) -> (Element, WidgetHandle, Rc<Scripted>) {
    show_on(&ManualClock::new(js_sys::Date::now()), config, answers).await
}

async fn show_on(
    clock: &ManualClock,
    config: Config,
    answers: Vec<Result<Response, FetchError>>,
) -> (Element, WidgetHandle, Rc<Scripted>) {
    let element = host();
    let transport = Scripted::new(answers);
    let handle = mount_with(
        element.clone(),
        config,
        transport.clone(),
        Rc::new(EventSourceStreams),
        Rc::new(clock.clone()),
    );
    settle().await;
    (element, handle, transport)
}

fn text(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .map(|t| t.trim().to_owned())
}

fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.get_attribute(name))
}

type Log = Rc<RefCell<Vec<(String, JsValue)>>>;

fn record(target: &web_sys::EventTarget) -> (Log, Vec<EventListener>) {
    let log: Log = Rc::default();
    let listeners = ["ready", "status", "delivered", "reveal", "copy", "error"]
        .into_iter()
        .map(|name| {
            let log = log.clone();
            EventListener::new(target, format!("order-widget:{name}"), move |event| {
                let detail = event
                    .dyn_ref::<CustomEvent>()
                    .map(|e| e.detail())
                    .unwrap_or(JsValue::NULL);
                log.borrow_mut().push((event.type_(), detail));
            })
        })
        .collect();
    (log, listeners)
}

fn detail(value: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(value, &key.into())
        .ok()
        .and_then(|v| v.as_string())
}

// ---------------------------------------------------------------- rendering

#[wasm_bindgen_test]
async fn each_status_renders_its_badge_and_message() {
    let expected = [
        ("initiated", "Awaiting payment"),
        ("pending", "Order received"),
        ("authorized", "Payment authorized"),
        ("processing", "Processing"),
        ("delivered", "Delivered"),
        ("partially_delivered", "Partly delivered"),
        ("needs_attention", "Needs attention"),
        ("failed", "Failed"),
        ("cancelled", "Cancelled"),
        ("refunded", "Refunded"),
        ("unknown", "Status unknown"),
    ];
    for (status, label) in expected {
        let body = order(
            status,
            &format!(r#", "status_message": "Vendor says {status}""#),
        );
        let (element, mut handle, _) = show(config(""), vec![ok(body)]).await;
        assert_eq!(
            attr(&element, ".ow-badge", "data-status").as_deref(),
            Some(status)
        );
        assert_eq!(text(&element, ".ow-badge-label").as_deref(), Some(label));
        assert_eq!(
            text(&element, ".ow-status-message"),
            Some(format!("Vendor says {status}"))
        );
        assert!(element.query_selector(".ow-progress").unwrap().is_some());
        let ended = matches!(status, "failed" | "cancelled" | "refunded");
        assert_eq!(
            element
                .query_selector(".ow-step[data-state=ended]")
                .unwrap()
                .is_some(),
            ended,
            "{status}"
        );
        handle.destroy();
    }
}

#[wasm_bindgen_test]
async fn header_items_and_totals() {
    let body = order(
        "processing",
        r#", "items": [
            {"name": "Gift card 25", "quantity": 2, "unit_price": {"amount": "12.50", "currency": "USD"},
             "fulfilled": true, "fulfillment_status": "succeeded"},
            {"name": "Game top-up", "quantity": 1, "unit_price": {"amount": "5.00", "currency": "USD"},
             "fulfilled": false, "fulfillment_status": "dispatch_failed"}]"#,
    );
    let (element, _handle, transport) = show(config(r#", "token": "tok-1""#), vec![ok(body)]).await;
    assert_eq!(
        text(&element, ".ow-number").as_deref(),
        Some("Order A-1007")
    );
    assert!(text(&element, ".ow-placed").unwrap().starts_with("Placed "));
    assert!(text(&element, ".ow-amount").unwrap().contains("25.00"));
    let items = element.query_selector_all(".ow-item").unwrap();
    assert_eq!(items.length(), 2);
    let first = items.get(0).unwrap().text_content().unwrap();
    assert!(first.contains("Gift card 25") && first.contains("Qty 2") && first.contains("12.50"));
    assert!(first.contains("Delivered"));
    let second: Element = items.get(1).unwrap().dyn_into().unwrap();
    assert_eq!(
        second.get_attribute("data-state").as_deref(),
        Some("failed")
    );
    assert!(second.text_content().unwrap().contains("Delivery failed"));
    // The request went to the encoded URL with the token header.
    let requests = transport.requests.borrow();
    assert_eq!(requests[0].url, "/api/orders/7");
    assert!(requests[0]
        .headers
        .iter()
        .any(|(name, value)| name == "X-Order-Token" && value == "tok-1"));
}

/// Three bdvoucher-like items named only by variant id, and one the vendor named.
const UNNAMED_ITEMS: &str = r#", "items": [
    {"id": "22402", "name": null, "quantity": 1, "unit_price": null, "fulfilled": true, "fulfillment_status": null},
    {"id": "22405", "name": null, "quantity": 1, "unit_price": null, "fulfilled": true, "fulfillment_status": null},
    {"id": "999", "name": null, "quantity": 1, "unit_price": null, "fulfilled": true, "fulfillment_status": null},
    {"id": "22410", "name": "Vendor's own name", "quantity": 1, "unit_price": null, "fulfilled": true, "fulfillment_status": null}],
  "vouchers": [{"code": "LABELLED-0001", "pin": null, "claim_url": null, "reference": null,
                "serial": null, "expires_at": null, "item": 0, "kind": "code"}]"#;

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

#[wasm_bindgen_test]
async fn item_labels_name_the_items_the_vendor_left_unnamed() {
    let labels = r#", "itemLabels": {"22402": "Netflix 500 BDT", "22405": "Spotify 1 month",
                                     "22410": "Shop's name"}"#;
    let (element, mut handle, _) =
        show(config(labels), vec![ok(order("delivered", UNNAMED_ITEMS))]).await;
    assert_eq!(
        texts(&element, ".ow-item-name"),
        [
            "Netflix 500 BDT",
            "Spotify 1 month",
            "Item",
            "Vendor's own name"
        ]
    );
    assert_eq!(
        texts(&element, ".ow-code-group-heading"),
        ["Netflix 500 BDT"]
    );
    handle.destroy();

    let overriding = format!(r#"{labels}, "itemLabelsOverride": true"#);
    let (element, mut handle, _) = show(
        config(&overriding),
        vec![ok(order("delivered", UNNAMED_ITEMS))],
    )
    .await;
    assert_eq!(
        texts(&element, ".ow-item-name"),
        ["Netflix 500 BDT", "Spotify 1 month", "Item", "Shop's name"]
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_withheld_code_is_asked_for_at_the_codes_url_with_the_token() {
    let redacted = r#", "vouchers": [{"ref": "rXy_1", "code": {"length": 16, "last4": "3456"},
        "pin": null, "claim_url": null, "reference": null, "serial": null, "expires_at": null,
        "item": null, "kind": "code"}]"#;
    let revealed =
        r#"{"ref": "rXy_1", "code": "GIFT-7777-123456", "pin": null, "claim_url": null}"#;
    let config = config(r#", "token": "v2.tok", "codes": "/reveal/{id}?shop=1""#);
    let (element, mut handle, transport) = show(
        config,
        vec![ok(order("delivered", redacted)), ok(revealed.to_owned())],
    )
    .await;
    assert_eq!(
        text(&element, ".ow-code-mask").as_deref(),
        Some("••••••••3456")
    );
    element
        .query_selector(".ow-code .ow-reveal")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    assert_eq!(
        text(&element, ".ow-code-text").as_deref(),
        Some("GIFT-7777-123456")
    );
    let requests = transport.requests.borrow();
    let reveal = requests.last().unwrap();
    assert_eq!(reveal.method, Method::Post);
    assert_eq!(reveal.url, "/reveal/7/rXy_1?shop=1&purpose=reveal");
    assert!(reveal
        .headers
        .contains(&("X-Order-Token".to_owned(), "v2.tok".to_owned())));
    drop(requests);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn shop_decoration_colours_reach_the_badge_through_the_cssom() {
    let body =
        include_str!("../crates/order-core/tests/fixtures/shop/decoration-valid.json").to_owned();
    let (element, _handle, _) = show(config(r#", "provider": "shop""#), vec![ok(body)]).await;
    let badge: HtmlElement = element
        .query_selector(".ow-badge")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let style = badge.style();
    assert_eq!(
        style.get_property_value("--ow-badge-bg").unwrap(),
        "#E8F5E9"
    );
    assert_eq!(
        style.get_property_value("--ow-badge-fg").unwrap(),
        "#1b5e20"
    );
    assert_eq!(
        style.get_property_value("--ow-badge-border").unwrap(),
        "#abc"
    );
}

#[wasm_bindgen_test]
async fn service_and_pending_orders_say_what_to_expect() {
    let service =
        include_str!("../crates/order-core/tests/fixtures/hsmail/service-order.json").to_owned();
    let (element, _handle, _) = show(config(r#", "provider": "auto""#), vec![ok(service)]).await;
    assert_eq!(
        attr(&element, ".ow-expect", "data-expect").as_deref(),
        Some("expect_service")
    );
    assert!(text(&element, ".ow-expect")
        .unwrap()
        .contains("no codes will appear"));

    let (element, _handle, _) = show(config(""), vec![ok(order("pending", ""))]).await;
    assert_eq!(
        attr(&element, ".ow-expect", "data-expect").as_deref(),
        Some("expect_codes")
    );
    assert!(text(&element, ".ow-expect")
        .unwrap()
        .contains("as soon as the order is delivered"));
    assert!(element.query_selector(".ow-check-again").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn an_html_error_page_from_the_proxy_shows_a_clear_error() {
    let page = Response {
        status: 200,
        content_type: Some("text/html; charset=utf-8".to_owned()),
        retry_after: None,
        body: include_str!("../crates/order-core/tests/fixtures/shop/html-error-page.json")
            .to_owned(),
    };
    let (element, _handle, _) = show(config(""), vec![Ok(page)]).await;
    assert_eq!(
        attr(&element, ".ow-notice-error", "data-error").as_deref(),
        Some("bad_response")
    );
    assert_eq!(
        text(&element, ".ow-notice-title").as_deref(),
        Some("We could not load your order")
    );
    assert!(text(&element, ".ow-notice-detail")
        .unwrap()
        .contains("web page"));
    assert!(!element.inner_html().contains("<form"));
    assert!(element.query_selector(".ow-check-again").unwrap().is_some());

    let gateway = Response {
        status: 502,
        content_type: Some("text/html".to_owned()),
        retry_after: None,
        body: "<html><body>Bad gateway</body></html>".to_owned(),
    };
    let (element, _handle, _) = show(config(""), vec![Ok(gateway)]).await;
    assert_eq!(
        attr(&element, ".ow-notice-error", "data-error").as_deref(),
        Some("server")
    );
    assert!(!element.inner_html().contains("Bad gateway"));
}

#[wasm_bindgen_test]
async fn an_error_after_a_good_order_keeps_the_order_with_a_notice() {
    let answers = vec![
        ok(order("processing", "")),
        Err(FetchError::new(ErrorKind::Network, "down")),
    ];
    let (element, handle, transport) = show(config(""), answers).await;
    let (log, _listeners) = record(&element);
    handle.refresh();
    settle().await;
    assert_eq!(transport.requests.borrow().len(), 2);
    assert_eq!(
        text(&element, ".ow-badge-label").as_deref(),
        Some("Processing")
    );
    assert_eq!(element.query_selector_all(".ow-item").unwrap().length(), 1);
    assert_eq!(
        attr(&element, ".ow-notice-stale", "data-error").as_deref(),
        Some("network")
    );
    assert!(element
        .query_selector(".ow-notice-error")
        .unwrap()
        .is_none());
    let log = log.borrow();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].0, "order-widget:error");
    assert_eq!(detail(&log[0].1, "type").as_deref(), Some("network"));
}

#[wasm_bindgen_test]
async fn markup_in_vendor_text_renders_as_text_and_runs_nothing() {
    let evil = r#"<img src=x onerror=\"window.__owPwned=1\">"#;
    let body = order(
        "processing",
        &format!(
            r#", "status_message": "{evil}", "items": [{{"name": "{evil}", "quantity": 1, "unit_price": null,
            "fulfilled": null, "fulfillment_status": null}}]"#
        ),
    );
    let (element, _handle, _) = show(config(""), vec![ok(body)]).await;
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert!(element.query_selector("img").unwrap().is_none());
    assert_eq!(
        text(&element, ".ow-item-name").as_deref(),
        Some(r#"<img src=x onerror="window.__owPwned=1">"#)
    );
    let pwned = js_sys::Reflect::get(&window(), &"__owPwned".into()).unwrap();
    assert!(pwned.is_undefined());
}

// ---------------------------------------------------------------- labels

/// The label sets `<order-widget>` loads from `www/labels/` for these locales.
const BENGALI: &str = include_str!("../www/labels/bn.json");
const ARABIC: &str = include_str!("../www/labels/ar.json");

#[wasm_bindgen_test]
async fn bengali_and_arabic_labels() {
    let (element, _handle, _) = show(
        config(&format!(r#", "locale": "bn-BD", "labels": {BENGALI}"#)),
        vec![ok(order("delivered", ""))],
    )
    .await;
    assert_eq!(attr(&element, ".ow", "dir").as_deref(), Some("ltr"));
    assert_eq!(attr(&element, ".ow", "lang").as_deref(), Some("bn-BD"));
    assert_eq!(
        text(&element, ".ow-badge-label").as_deref(),
        Some("ডেলিভারি সম্পন্ন")
    );
    assert_eq!(text(&element, ".ow-number").as_deref(), Some("অর্ডার A-1007"));

    let (element, _handle, _) = show(
        config(&format!(r#", "locale": "ar-LY", "labels": {ARABIC}"#)),
        vec![ok(order("processing", ""))],
    )
    .await;
    assert_eq!(attr(&element, ".ow", "dir").as_deref(), Some("rtl"));
    assert_eq!(
        text(&element, ".ow-badge-label").as_deref(),
        Some("قيد المعالجة")
    );
    assert_eq!(
        text(&element, ".ow-check-again").as_deref(),
        Some("تحقق مرة أخرى")
    );

    // The embedder's own labels win over the shipped set (embed.js merges them so).
    let mut labels: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(ARABIC).unwrap();
    labels.insert("status_processing".into(), "Being prepared".into());
    let labels = serde_json::Value::Object(labels);
    let (element, _handle, _) = show(
        config(&format!(r#", "locale": "ar", "labels": {labels}"#)),
        vec![ok(order("processing", ""))],
    )
    .await;
    assert_eq!(attr(&element, ".ow", "dir").as_deref(), Some("rtl"));
    assert_eq!(
        text(&element, ".ow-badge-label").as_deref(),
        Some("Being prepared")
    );
    assert_eq!(
        text(&element, ".ow-check-again").as_deref(),
        Some("تحقق مرة أخرى")
    );
}

// ---------------------------------------------------------------- events

#[wasm_bindgen_test]
async fn events_reach_the_host_page() {
    let element = host();
    let (log, _listeners) = record(&element);
    // Other tests' widgets may still be polling: count only this widget's events.
    let bubbled = Rc::new(Cell::new(0));
    let _body_listeners: Vec<EventListener> = ["ready", "status", "delivered", "error"]
        .into_iter()
        .map(|name| {
            let (bubbled, element) = (bubbled.clone(), element.clone());
            let body = window().document().unwrap().body().unwrap();
            EventListener::new(&body, format!("order-widget:{name}"), move |event| {
                let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
                if target.as_ref() == Some(&element) {
                    bubbled.set(bubbled.get() + 1);
                }
            })
        })
        .collect();
    let transport = Scripted::new(vec![
        ok(order("processing", "")),
        ok(order("processing", "")),
        ok(order(
            "delivered",
            r#", "vouchers": [{"code": "SECRET-CODE-12345678", "pin": "9999", "claim_url": null,
                "reference": null, "serial": null, "expires_at": null, "item": 0, "kind": "code"}]"#,
        )),
        Ok(Response {
            status: 429,
            content_type: None,
            retry_after: Some("2".to_owned()),
            body: String::new(),
        }),
    ]);
    let clock = ManualClock::new(js_sys::Date::now());
    let handle = mount_with(
        element.clone(),
        config(""),
        transport,
        Rc::new(EventSourceStreams),
        Rc::new(clock.clone()),
    );
    settle().await;
    for _ in 0..3 {
        handle.refresh();
        settle().await;
    }
    let names: Vec<String> = log.borrow().iter().map(|(name, _)| name.clone()).collect();
    assert_eq!(
        names,
        [
            "order-widget:ready",
            "order-widget:status",
            "order-widget:delivered",
            "order-widget:error"
        ]
    );
    let log = log.borrow();
    assert_eq!(detail(&log[0].1, "status").as_deref(), Some("processing"));
    assert_eq!(detail(&log[1].1, "status").as_deref(), Some("delivered"));
    assert_eq!(detail(&log[1].1, "previous").as_deref(), Some("processing"));
    let codes = js_sys::Reflect::get(&log[2].1, &"codes".into()).unwrap();
    assert_eq!(codes.as_f64(), Some(1.0));
    assert_eq!(detail(&log[3].1, "type").as_deref(), Some("rate_limit"));
    for (_, detail) in log.iter() {
        let json = js_sys::JSON::stringify(detail)
            .unwrap()
            .as_string()
            .unwrap();
        assert!(!json.contains("SECRET") && !json.contains("9999"), "{json}");
    }
    // They bubble to the page.
    assert_eq!(bubbled.get(), 4);
    // The status change was announced politely.
    assert_eq!(
        text(&element, "[aria-live=polite]").as_deref(),
        Some("Order status: Delivered")
    );
}

// ---------------------------------------------------------------- lifecycle

#[wasm_bindgen_test]
async fn a_request_answered_after_destroy_changes_nothing() {
    let element = host();
    let (log, _listeners) = record(&element);
    let transport = Rc::new(Gated {
        resolve: Rc::default(),
        requests: Cell::new(0),
    });
    let clock = ManualClock::new(0.0);
    let mut handle = mount_with(
        element.clone(),
        config(""),
        transport.clone(),
        Rc::new(EventSourceStreams),
        Rc::new(clock),
    );
    settle().await;
    assert_eq!(transport.requests.get(), 1);
    assert!(text(&element, ".ow-loading").is_some());

    handle.destroy();
    settle().await;
    assert_eq!(element.child_element_count(), 0);
    let resolve = transport.resolve.borrow_mut().take().unwrap();
    resolve
        .call1(&JsValue::NULL, &JsValue::from_str(&order("delivered", "")))
        .unwrap();
    handle.refresh();
    handle.destroy();
    gloo_timers::future::TimeoutFuture::new(50).await;
    settle().await;
    assert_eq!(element.child_element_count(), 0);
    assert_eq!(element.inner_html(), "");
    assert!(log.borrow().is_empty());
    assert_eq!(transport.requests.get(), 1);
}

#[wasm_bindgen_test]
async fn widgets_on_one_page_are_independent() {
    let (first, mut first_handle, _) = show(config(""), vec![ok(order("pending", ""))]).await;
    let (second, _second_handle, _) = show(config(""), vec![ok(order("delivered", ""))]).await;
    first_handle.destroy();
    settle().await;
    assert_eq!(first.child_element_count(), 0);
    assert_eq!(
        text(&second, ".ow-badge-label").as_deref(),
        Some("Delivered")
    );
}

// ---------------------------------------------------------------- quiet polls

fn with_codes(status: &str, codes: usize) -> Result<Response, FetchError> {
    let vouchers: Vec<String> = (0..codes)
        .map(|n| {
            format!(
                r#"{{"code": "CODE-{n:06}-ABCDEFGH", "pin": null, "claim_url": null,
                "reference": null, "serial": null, "expires_at": null, "item": 0, "kind": "code"}}"#
            )
        })
        .collect();
    ok(order(
        status,
        &format!(r#", "vouchers": [{}]"#, vouchers.join(",")),
    ))
}

#[wasm_bindgen_test]
async fn unchanged_polls_do_not_touch_the_dom() {
    let clock = ManualClock::new(js_sys::Date::now());
    let (element, mut handle, transport) =
        show_on(&clock, config(""), vec![with_codes("processing", 3)]).await;
    let mutations = Mutations::observe(&element);
    // The first check and three unchanged polls (after about 2, 5 and 8 s).
    pass(&clock, 8_000).await;
    assert_eq!(transport.requests.borrow().len(), 4);
    assert_eq!(mutations.stop(), 0);
    handle.destroy();
}

/// DOM mutations caused by one poll that adds a code to an order of `codes` codes.
async fn mutations_for_one_new_code(codes: usize) -> u32 {
    let clock = ManualClock::new(js_sys::Date::now());
    let (element, mut handle, transport) = show_on(
        &clock,
        config(""),
        vec![
            with_codes("processing", codes),
            with_codes("processing", codes + 1),
        ],
    )
    .await;
    let mutations = Mutations::observe(&element);
    pass(&clock, 2_000).await;
    assert_eq!(transport.requests.borrow().len(), 2);
    let mutations = mutations.stop();
    handle.destroy();
    mutations
}

#[wasm_bindgen_test]
async fn one_new_code_in_500_mutates_only_a_little() {
    // Six codes and up: both lists already offer "Download CSV".
    let in_6 = mutations_for_one_new_code(6).await;
    let in_500 = mutations_for_one_new_code(500).await;
    assert!(in_6 > 0, "the new code was not rendered");
    // Only the new row is touched: the count does not grow with the list.
    assert_eq!(
        in_500, in_6,
        "6 codes: {in_6} mutations, 500 codes: {in_500}"
    );
    assert!(in_500 <= 30, "{in_500} mutations for one new code");
}

// ---------------------------------------------------------------- real fetch

#[wasm_bindgen_test]
async fn the_real_fetch_reads_a_data_url_through_mount() {
    // The id lands inside the JSON of the data: URL, so the template works as a proxy.
    let body = order("delivered", r#", "status_message": "Thanks""#);
    let (before, after) = body.split_once(r#""id": "7""#).unwrap();
    let encode = |text: &str| String::from(js_sys::encode_uri_component(text));
    let proxy = format!(
        "data:application/json,{}{}{}",
        encode(&format!(r#"{before}"id": ""#)),
        "{id}",
        encode(&format!(r#""{after}"#))
    );
    let config = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        js_sys::Reflect::set(&config, &key.into(), &value.into()).unwrap();
    };
    set("proxy", &proxy);
    set("orderId", "7");
    set("provider", "order");
    set("token", "signed-token");
    let element = host();
    let (log, _listeners) = record(&element);
    let _handle = mount(element.clone(), config.into(), None).unwrap();
    for _ in 0..20 {
        settle().await;
        if !log.borrow().is_empty() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    assert_eq!(
        text(&element, ".ow-badge-label").as_deref(),
        Some("Delivered")
    );
    assert_eq!(
        text(&element, ".ow-status-message").as_deref(),
        Some("Thanks")
    );
    assert_eq!(log.borrow()[0].0, "order-widget:ready");
}

/// `embed.js` starts the first request while the wasm loads: the widget reads that answer
/// instead of sending the request again, and fetches when the head start failed.
#[wasm_bindgen_test]
async fn the_first_answer_can_come_from_a_request_the_page_started() {
    let started = |body: &str| {
        let init = web_sys::ResponseInit::new();
        let headers = web_sys::Headers::new().unwrap();
        headers.set("Content-Type", "application/json").unwrap();
        init.set_headers(&headers);
        let response = web_sys::Response::new_with_opt_str_and_init(Some(body), &init).unwrap();
        js_sys::Promise::resolve(&JsValue::from(response))
    };
    let config = || {
        // A proxy that cannot answer: every order on screen came from the head start.
        js_sys::JSON::parse(
            r#"{"proxy": "/no-such-proxy/{id}", "orderId": "7", "provider": "order"}"#,
        )
        .unwrap()
    };
    let until_shown = |element: &Element| {
        let element = element.clone();
        async move {
            for _ in 0..50 {
                settle().await;
                if element
                    .query_selector(".ow-badge-label, .ow-notice-error")
                    .ok()
                    .flatten()
                    .is_some()
                {
                    break;
                }
                gloo_timers::future::TimeoutFuture::new(20).await;
            }
        }
    };

    let element = host();
    let body = order("processing", r#", "status_message": "On its way""#);
    let _handle = mount(element.clone(), config(), Some(started(&body))).unwrap();
    until_shown(&element).await;
    assert_eq!(
        text(&element, ".ow-badge-label").as_deref(),
        Some("Processing")
    );
    assert_eq!(
        text(&element, ".ow-status-message").as_deref(),
        Some("On its way")
    );

    // A head start that failed: the widget sends its own request (here: refused by the
    // page's server), so the customer sees an error state, not a spinner forever.
    let element = host();
    let failed = js_sys::Promise::reject(&JsValue::from_str("aborted"));
    let _handle = mount(element.clone(), config(), Some(failed)).unwrap();
    until_shown(&element).await;
    assert!(
        text(&element, ".ow-notice-error").is_some(),
        "no error state after a failed head start"
    );
}

#[wasm_bindgen_test]
fn mount_refuses_a_bad_config() {
    let config = js_sys::JSON::parse(r#"{"proxy": "/api/orders", "orderId": "7"}"#).unwrap();
    assert!(mount(host(), config, None).is_err());
    let typo = js_sys::JSON::parse(r#"{"proxy": "/{id}", "orderID": "7"}"#).unwrap();
    assert!(mount(host(), typo, None).is_err());
}

// ---------------------------------------------------------------- performance marks

/// The widget's marks of that name set since the page's marks were last cleared.
fn marks(name: &str) -> Vec<f64> {
    let performance = window().performance().unwrap();
    performance
        .get_entries_by_name_with_entry_type(name, "mark")
        .iter()
        .map(|entry| {
            js_sys::Reflect::get(&entry, &"startTime".into())
                .unwrap()
                .as_f64()
                .unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_first_answer_and_its_render_are_marked_once() {
    for first in [
        ok(order("processing", "")),
        Err(FetchError::new(ErrorKind::Network, "down")),
    ] {
        window().performance().unwrap().clear_marks();
        let answers = vec![
            first,
            Err(FetchError::new(ErrorKind::Server, "busy")),
            ok(order("delivered", "")),
        ];
        let (element, mut handle, transport) = show(config(""), answers).await;
        let (answer, shown) = (marks("order-widget:answer"), marks("order-widget:shown"));
        assert_eq!((answer.len(), shown.len()), (1, 1));
        assert!(answer[0] <= shown[0]);
        assert!(element
            .query_selector(".ow-badge, .ow-notice-error")
            .unwrap()
            .is_some());
        // Later answers, a failure and an order, mark nothing more.
        handle.refresh();
        settle().await;
        handle.refresh();
        settle().await;
        assert_eq!(transport.requests.borrow().len(), 3);
        assert_eq!(
            text(&element, ".ow-badge-label").as_deref(),
            Some("Delivered")
        );
        assert_eq!(marks("order-widget:answer"), answer);
        assert_eq!(marks("order-widget:shown"), shown);
        handle.destroy();
    }
}
