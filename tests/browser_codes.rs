#![cfg(target_arch = "wasm32")]
//! The codes list in headless Chromium and Firefox, with codes inline (a vendor's body, or
//! `serve --codes inline`): masking in the DOM, reveal/hide, copy with its fallbacks,
//! "Copy all", re-masking, links, expiry, events and unmounting; none of it asks the
//! proxy for anything. Withheld codes: `browser_reveal.rs`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::future::TimeoutFuture;
use order_core::error::{ErrorKind, FetchError};
use order_core::host_events::HostEvent;
use order_core::labels::Labels;
use order_core::model::{Item, Order, Status, Vendor, Voucher, VoucherKind};
use order_widget::config::RawConfig;
use order_widget::platform::clock::{BrowserClock, Clock, ManualClock, SharedClock};
use order_widget::platform::fetch::{PendingResponse, Request, Transport};
use order_widget::platform::reveal::RevealClient;
use order_widget::ui::Codes;

mod browser_support;
use browser_support::Mutations;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::{AppHandle, AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------- page stubs

#[wasm_bindgen(inline_js = r#"
export function stub_clipboard(mode) {
  window.__owWritten = [];
  if (mode === 'missing') {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    return;
  }
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText(text) {
        if (mode === 'refuse') {
          return Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
        }
        window.__owWritten.push(text);
        return Promise.resolve();
      },
    },
  });
}
export function clipboard_writes() { return (window.__owWritten || []).slice(); }

export function stub_exec_command(answer) {
  window.__owExec = [];
  document.execCommand = function (command) {
    const field = document.activeElement;
    const selected = field && typeof field.value === 'string'
      ? field.value.substring(field.selectionStart, field.selectionEnd)
      : String(getSelection());
    window.__owExec.push(command + '|' + selected);
    return answer;
  };
}
export function exec_command_calls() { return (window.__owExec || []).slice(); }

export function selected_text() { return String(getSelection()); }

export function set_page_hidden(hidden) {
  if (hidden) {
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
  } else {
    delete document.hidden;
  }
  document.dispatchEvent(new Event('visibilitychange'));
}

"#)]
extern "C" {
    fn stub_clipboard(mode: &str);
    fn clipboard_writes() -> Vec<String>;
    fn stub_exec_command(answer: bool);
    fn exec_command_calls() -> Vec<String>;
    fn selected_text() -> String;
    fn set_page_hidden(hidden: bool);
}

// ---------------------------------------------------------------- helpers

fn voucher(code: &str) -> Voucher {
    Voucher::new(code, VoucherKind::Code)
}

fn item(name: &str) -> Item {
    Item {
        id: None,
        name: Some(name.into()),
        quantity: Some(1),
        unit_price: None,
        fulfilled: Some(true),
        fulfillment_status: None,
    }
}

fn order(vouchers: Vec<Voucher>) -> Order {
    let mut order = Order::new(
        Vendor::VoucherApi,
        "1".into(),
        "A-1".into(),
        Status::Delivered,
    );
    order.items = vec![item("Gift card")];
    order.vouchers = vouchers;
    order
}

/// The proxy of an order whose codes are inline: asking it for one is a defect.
#[derive(Default)]
struct NoProxy {
    asked: std::cell::Cell<u32>,
}

impl Transport for NoProxy {
    fn send(&self, _request: Request) -> PendingResponse {
        self.asked.set(self.asked.get() + 1);
        Box::pin(async { Err(FetchError::new(ErrorKind::Network, "not asked")) })
    }
}

struct Mounted {
    app: Option<AppHandle<Codes>>,
    proxy: Rc<NoProxy>,
    root: Element,
    /// The list's clock, unless it runs on the real one.
    clock: ManualClock,
    events: Rc<RefCell<Vec<HostEvent>>>,
    announced: Rc<RefCell<Vec<String>>>,
}

impl Mounted {
    /// On a clock the test advances, codes revealed for a minute.
    fn new(order: Order) -> Mounted {
        let clock = ManualClock::new(js_sys::Date::now());
        Mounted::on(order, 60_000, clock.clone(), Rc::new(clock))
    }

    /// On the browser's own clock and `setTimeout`.
    fn on_real_timers(order: Order, reveal_timeout_ms: u32) -> Mounted {
        let unused = ManualClock::new(0.0);
        Mounted::on(order, reveal_timeout_ms, unused, Rc::new(BrowserClock))
    }

    fn on(
        order: Order,
        reveal_timeout_ms: u32,
        manual: ManualClock,
        clock: Rc<dyn Clock>,
    ) -> Mounted {
        let document = document();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let events = Rc::new(RefCell::new(Vec::new()));
        let announced = Rc::new(RefCell::new(Vec::new()));
        let proxy = Rc::new(NoProxy::default());
        let config = js_sys::JSON::parse(r#"{"proxy": "/api/orders/{id}", "orderId": "1"}"#)
            .ok()
            .and_then(|json| RawConfig::from_js(&json).ok())
            .and_then(|raw| raw.validate("en-US").ok())
            .unwrap();
        let props = yew::props!(CodesProps {
            order: Rc::new(order),
            labels: Rc::new(Labels::new("en", Vec::new())),
            locale: AttrValue::from("en-US"),
            clock: SharedClock(clock),
            reveal_timeout_ms,
            client: RevealClient::new(&config, proxy.clone()),
            on_event: {
                let events = events.clone();
                Callback::from(move |event| events.borrow_mut().push(event))
            },
            announce: {
                let announced = announced.clone();
                Callback::from(move |text: AttrValue| announced.borrow_mut().push(text.to_string()))
            },
        });
        let app = yew::Renderer::<Codes>::with_root_and_props(root.clone(), props).render();
        Mounted {
            app: Some(app),
            proxy,
            root,
            clock: manual,
            events,
            announced,
        }
    }

    fn html(&self) -> String {
        self.root.outer_html()
    }

    fn all(&self, selector: &str) -> Vec<HtmlElement> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|node| node.dyn_into::<HtmlElement>().unwrap())
            .collect()
    }

    fn one(&self, selector: &str) -> HtmlElement {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
            .dyn_into()
            .unwrap()
    }

    fn text(&self, selector: &str) -> String {
        self.one(selector).text_content().unwrap_or_default()
    }

    async fn click(&self, selector: &str) {
        self.one(selector).click();
        settle().await;
    }

    /// Moves the list's clock forward and lets the timers that fall due act.
    async fn pass(&self, ms: u64) {
        self.clock.advance(Duration::from_millis(ms));
        settle().await;
    }

    fn destroy(mut self) {
        assert_eq!(
            self.proxy.asked.get(),
            0,
            "asked the proxy for inline codes"
        );
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Lets promises, timers of 0 ms and Yew's renders run.
async fn settle() {
    TimeoutFuture::new(5).await;
    yew::scheduler::flush().await;
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn body_html() -> String {
    document().body().unwrap().inner_html()
}

fn assert_absent(code: &str) {
    assert!(!body_html().contains(code), "the code is in the DOM");
}

fn iso_in(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + ms));
    String::from(date.to_iso_string())
}

type CodesProps = <Codes as yew::BaseComponent>::Properties;

const DAY: f64 = 86_400_000.0;

// ---------------------------------------------------------------- masking

#[wasm_bindgen_test]
async fn a_masked_code_is_nowhere_in_the_dom_until_revealed() {
    let code = "MASKTEST-4417-9932";
    let widget = Mounted::new(order(vec![voucher(code)]));
    settle().await;

    assert_absent(code);
    assert!(!widget.html().contains(code));
    assert!(!widget.html().contains("MASKTEST"));
    assert_eq!(widget.text(".ow-code-mask"), "••••••••9932");
    let reveal = widget.one(".ow-code .ow-reveal");
    assert_eq!(
        reveal.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert_eq!(reveal.get_attribute("type").as_deref(), Some("button"));
    assert!(reveal.text_content().unwrap().starts_with("Reveal"));
    // Context for screen readers says no more than the mask shows.
    assert!(reveal.text_content().unwrap().contains("ending 9932"));

    widget.click(".ow-code .ow-reveal").await;
    assert_eq!(widget.text(".ow-code-text"), code);
    let hide = widget.one(".ow-code .ow-reveal");
    assert_eq!(hide.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(hide.text_content().unwrap().starts_with("Hide"));
    assert!(matches!(
        widget.events.borrow().as_slice(),
        [HostEvent::Reveal { count: 1 }]
    ));

    widget.click(".ow-code .ow-reveal").await;
    assert_absent(code);
    assert_eq!(
        widget
            .one(".ow-code .ow-reveal")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("false")
    );
    widget.destroy();
}

#[wasm_bindgen_test]
async fn short_codes_and_credentials_are_masked_whole() {
    let mut credential = voucher("buyer@example.com:Hunter2Secret");
    credential.kind = VoucherKind::Credential;
    let widget = Mounted::new(order(vec![voucher("SHRT4711"), credential]));
    settle().await;

    let masks: Vec<String> = widget
        .all(".ow-code-mask")
        .iter()
        .map(|m| m.text_content().unwrap())
        .collect();
    assert_eq!(masks, ["••••••••", "••••••••"]);
    for secret in [
        "SHRT4711",
        "4711",
        "Hunter2Secret",
        "buyer@example.com",
        "cret",
    ] {
        assert_absent(secret);
    }
    let kinds: Vec<String> = widget
        .all(".ow-code")
        .iter()
        .map(|row| row.get_attribute("data-kind").unwrap())
        .collect();
    assert_eq!(kinds, ["code", "credential"]);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn the_pin_is_masked_and_revealed_on_its_own() {
    let mut with_pin = voucher("PINCODE-0001-7777");
    with_pin.pin = Some("80462".into());
    let widget = Mounted::new(order(vec![with_pin]));
    settle().await;
    assert_absent("80462");

    widget.click(".ow-code > .ow-code-line .ow-reveal").await;
    assert!(body_html().contains("PINCODE-0001-7777"));
    assert_absent("80462");

    widget.click(".ow-pin .ow-reveal").await;
    assert_eq!(widget.text(".ow-pin .ow-code-text"), "80462");
    assert_eq!(
        widget
            .one(".ow-pin .ow-reveal")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    widget.destroy();
}

#[wasm_bindgen_test]
async fn reveal_all_shows_every_code_and_pin_and_hide_all_masks_them() {
    let mut first = voucher("REVEALALL-AAAA-1111");
    first.pin = Some("55501".into());
    let widget = Mounted::new(order(vec![first, voucher("REVEALALL-BBBB-2222")]));
    settle().await;
    let toggle = ".ow-reveal-all";
    assert_eq!(widget.text(toggle), "Reveal all");
    assert_eq!(
        widget.one(toggle).get_attribute("aria-pressed").as_deref(),
        Some("false")
    );

    widget.click(toggle).await;
    let html = body_html();
    for secret in ["REVEALALL-AAAA-1111", "REVEALALL-BBBB-2222", "55501"] {
        assert!(html.contains(secret));
    }
    assert_eq!(widget.text(toggle), "Hide all");
    assert_eq!(
        widget.one(toggle).get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert!(widget
        .events
        .borrow()
        .contains(&HostEvent::Reveal { count: 2 }));

    widget.click(toggle).await;
    for secret in ["REVEALALL-AAAA-1111", "REVEALALL-BBBB-2222", "55501"] {
        assert_absent(secret);
    }
    widget.destroy();
}

/// One reveal in the 500-code order changes its own row (its code, its button, its "Show
/// QR" action) and the "Reveal all" state only; the time it takes is printed (run with
/// `--nocapture`) for the docs.
#[wasm_bindgen_test]
async fn a_reveal_in_a_500_code_list_touches_only_its_row() {
    let codes = (0..500)
        .map(|n| voucher(&format!("BULK-{n:04}-CODE-XYZW")))
        .collect();
    let widget = Mounted::new(order(codes));
    settle().await;
    let buttons = widget.all(".ow-reveal");
    assert_eq!(buttons.len(), 500);
    let performance = web_sys::window().unwrap().performance().unwrap();
    let mut report = Vec::new();
    for (what, index) in [("reveal", 249), ("hide", 249), ("reveal", 0)] {
        let row = widget.all(".ow-code").swap_remove(index);
        let reveal_all = widget.one(".ow-reveal-all");
        let mutations = Mutations::observe(&widget.root);
        let started = performance.now();
        widget.all(".ow-reveal")[index].click();
        yew::scheduler::flush().await;
        let took = performance.now() - started;
        let targets = mutations.stop_with_targets();
        let changed = targets.len();
        report.push(format!(
            "{what} #{index}: {changed} mutations, {took:.1} ms"
        ));
        let elsewhere = targets
            .iter()
            .filter(|node| !row.contains(Some(node)) && !reveal_all.contains(Some(node)))
            .count();
        assert_eq!(elsewhere, 0, "{what} #{index} changed another row");
        assert!(
            changed <= 12,
            "{what} #{index} made {changed} DOM mutations"
        );
        settle().await;
    }
    web_sys::console::log_1(&format!("500 codes: {}", report.join("; ")).into());
    widget.destroy();
}

#[wasm_bindgen_test]
async fn the_list_carries_session_replay_opt_outs_and_parts() {
    let widget = Mounted::new(order(vec![voucher("PRIVACY-HOOKS-0042")]));
    settle().await;
    let section = widget.one("section[part=codes]");
    for class in ["fs-exclude", "rr-block", "sentry-block", "ph-no-capture"] {
        let classes = section.get_attribute("class").unwrap_or_default();
        assert!(classes.split_whitespace().any(|c| c == class), "{class}");
    }
    for attribute in ["data-private", "data-hj-suppress", "data-cs-mask"] {
        assert!(section.has_attribute(attribute), "{attribute}");
    }
    assert_eq!(
        section.get_attribute("data-clarity-mask").as_deref(),
        Some("true")
    );
    assert_eq!(
        section.get_attribute("data-dd-privacy").as_deref(),
        Some("hidden")
    );
    widget.one("li[part=code]");
    widget.one("button[part~=copy-button]");
    widget.one("button[part~=reveal-button]");
    widget.destroy();
}

#[wasm_bindgen_test]
async fn nothing_renders_without_codes() {
    let widget = Mounted::new(order(Vec::new()));
    settle().await;
    assert_eq!(widget.root.inner_html(), "");
    widget.destroy();
}

#[wasm_bindgen_test]
async fn codes_are_grouped_by_item_with_other_codes_last() {
    let mut order = order(Vec::new());
    order.items = vec![item("Steam 20 USD"), item("<img src=x onerror=alert(1)>")];
    let mut first = voucher("GROUPED-CODE-0001");
    first.item = Some(1);
    let mut second = voucher("GROUPED-CODE-0002");
    second.item = Some(0);
    order.vouchers = vec![first, second, voucher("GROUPED-CODE-0003")];
    let widget = Mounted::new(order);
    settle().await;
    let headings: Vec<String> = widget
        .all(".ow-code-group-heading")
        .iter()
        .map(|h| h.text_content().unwrap())
        .collect();
    assert_eq!(
        headings,
        [
            "Steam 20 USD",
            "<img src=x onerror=alert(1)>",
            "Other codes"
        ]
    );
    assert!(widget.root.query_selector("img").unwrap().is_none());
    widget.destroy();
}

// ---------------------------------------------------------------- copy

#[wasm_bindgen_test]
async fn copy_writes_the_masked_code_without_revealing_it() {
    stub_clipboard("ok");
    stub_exec_command(false);
    let code = "COPYMASKED-5555-0101";
    let widget = Mounted::new(order(vec![voucher(code)]));
    settle().await;

    widget.click(".ow-code .ow-copy").await;
    assert_eq!(clipboard_writes(), [code]);
    assert!(exec_command_calls().is_empty());
    assert!(widget.text(".ow-code .ow-copy").starts_with("Copied"));
    assert_absent(code);
    assert_eq!(
        widget.announced.borrow().as_slice(),
        ["Copied to the clipboard"]
    );
    assert!(widget.events.borrow().contains(&HostEvent::Copy {
        kind: VoucherKind::Code,
        count: 1,
        ok: true
    }));
    widget.destroy();
}

#[wasm_bindgen_test]
async fn copied_goes_back_to_copy_after_two_seconds() {
    stub_clipboard("ok");
    let widget = Mounted::new(order(vec![voucher("COPIEDRESET-0000-1234")]));
    settle().await;
    widget.click(".ow-code .ow-copy").await;
    assert!(widget.text(".ow-code .ow-copy").starts_with("Copied"));
    widget.pass(1_999).await;
    assert!(widget.text(".ow-code .ow-copy").starts_with("Copied"));
    widget.pass(1).await;
    assert!(widget.text(".ow-code .ow-copy").starts_with("Copy ("));
    widget.destroy();
}

#[wasm_bindgen_test]
async fn copy_pin_copies_only_the_pin() {
    stub_clipboard("ok");
    let mut with_pin = voucher("PINCOPY-1111-2222");
    with_pin.pin = Some("31337".into());
    let widget = Mounted::new(order(vec![with_pin]));
    settle().await;
    widget.click(".ow-pin .ow-copy").await;
    assert_eq!(clipboard_writes(), ["31337"]);
    assert!(widget.text(".ow-pin .ow-copy").starts_with("Copied"));
    assert_absent("31337");
    widget.destroy();
}

#[wasm_bindgen_test]
async fn a_missing_clipboard_api_falls_back_to_exec_command() {
    stub_clipboard("missing");
    stub_exec_command(true);
    let code = "FALLBACK-MISSING-8080";
    let widget = Mounted::new(order(vec![voucher(code)]));
    settle().await;

    widget.click(".ow-code .ow-copy").await;
    assert_eq!(exec_command_calls(), [format!("copy|{code}")]);
    assert!(widget.text(".ow-code .ow-copy").starts_with("Copied"));
    // The temporary textarea is gone and the code with it.
    assert!(widget.root.query_selector("textarea").unwrap().is_none());
    assert_absent(code);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn a_refused_clipboard_falls_back_to_exec_command() {
    stub_clipboard("refuse");
    stub_exec_command(true);
    let code = "FALLBACK-REFUSED-9090";
    let widget = Mounted::new(order(vec![voucher(code)]));
    settle().await;

    widget.click(".ow-code .ow-copy").await;
    assert_eq!(exec_command_calls(), [format!("copy|{code}")]);
    assert!(widget.text(".ow-code .ow-copy").starts_with("Copied"));
    assert_absent(code);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn when_both_fail_the_code_is_shown_selected_with_press_ctrl_c() {
    stub_clipboard("refuse");
    stub_exec_command(false);
    let code = "BOTHFAIL-7777-3141";
    let widget = Mounted::new(order(vec![voucher(code)]));
    settle().await;

    widget.click(".ow-code .ow-copy").await;
    settle().await;
    let button = widget.text(".ow-code .ow-copy");
    assert!(button.starts_with("Press Ctrl+C"), "{button}");
    assert!(!button.contains("Copied"));
    assert_eq!(widget.text(".ow-code-text"), code);
    assert_eq!(selected_text(), code);
    assert_eq!(
        widget.announced.borrow().as_slice(),
        ["Press Ctrl+C to copy"]
    );
    assert!(widget.events.borrow().contains(&HostEvent::Copy {
        kind: VoucherKind::Code,
        count: 1,
        ok: false
    }));
    widget.destroy();
}

#[wasm_bindgen_test]
async fn copy_all_copies_every_code_with_its_pin() {
    stub_clipboard("ok");
    let mut first = voucher("COPYALL-AAAA-0001");
    first.pin = Some("1234".into());
    let mut credential = voucher("me@example.com:pa55word");
    credential.kind = VoucherKind::Credential;
    let widget = Mounted::new(order(vec![first, voucher("COPYALL-BBBB-0002"), credential]));
    settle().await;

    widget.click("[part~=copy-all-button]").await;
    assert_eq!(
        clipboard_writes(),
        ["COPYALL-AAAA-0001  PIN: 1234\nCOPYALL-BBBB-0002\nme@example.com:pa55word"]
    );
    assert!(widget.text("[part~=copy-all-button]").starts_with("Copied"));
    for secret in ["COPYALL-AAAA-0001", "1234", "pa55word"] {
        assert_absent(secret);
    }
    assert!(widget.events.borrow().contains(&HostEvent::Copy {
        kind: VoucherKind::Code,
        count: 3,
        ok: true
    }));
    widget.destroy();
}

#[wasm_bindgen_test]
async fn copy_all_failing_shows_every_code_selected() {
    stub_clipboard("missing");
    stub_exec_command(false);
    let widget = Mounted::new(order(vec![
        voucher("ALLFAIL-AAAA-0001"),
        voucher("ALLFAIL-BBBB-0002"),
    ]));
    settle().await;
    widget.click("[part~=copy-all-button]").await;
    settle().await;
    let text = widget
        .one(".ow-copy-all-text")
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap();
    assert_eq!(text.value(), "ALLFAIL-AAAA-0001\nALLFAIL-BBBB-0002");
    assert_eq!(text.selection_start().unwrap(), Some(0));
    assert_eq!(
        text.selection_end().unwrap(),
        Some(text.value().len() as u32)
    );
    assert!(widget
        .text("[part~=copy-all-button]")
        .starts_with("Press Ctrl+C"));

    widget.click(".ow-reveal-all").await;
    assert!(widget.root.query_selector("textarea").unwrap().is_none());
    assert_absent("ALLFAIL-AAAA-0001");
    widget.destroy();
}

#[wasm_bindgen_test]
async fn events_never_carry_a_code() {
    stub_clipboard("ok");
    let mut with_pin = voucher("EVENTSECRET-1234-5678");
    with_pin.pin = Some("24680".into());
    with_pin.claim_url = Some("https://redeem.example/EVENTSECRET-1234-5678".into());
    let widget = Mounted::new(order(vec![with_pin]));
    settle().await;
    widget.click(".ow-code .ow-reveal").await;
    widget.click(".ow-code .ow-copy").await;
    widget.click(".ow-pin .ow-copy").await;
    widget.click(".ow-reveal-all").await;
    widget.click("[part~=copy-all-button]").await;
    let events = widget.events.borrow().clone();
    assert!(events.len() >= 4);
    let debug = format!("{events:?}");
    for secret in ["EVENTSECRET", "5678", "24680", "redeem.example"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    let announced = widget.announced.borrow().join("|");
    assert!(!announced.contains("EVENTSECRET") && !announced.contains("24680"));
    widget.destroy();
}

// ---------------------------------------------------------------- re-masking

#[wasm_bindgen_test]
async fn revealed_codes_mask_again_after_the_timeout() {
    let code = "REMASK-TIMER-4242";
    let mut with_pin = voucher(code);
    with_pin.pin = Some("97531".into());
    let widget = Mounted::new(order(vec![with_pin]));
    settle().await;
    widget.click(".ow-reveal-all").await;
    assert!(body_html().contains(code));
    assert!(body_html().contains("97531"));

    widget.pass(59_999).await;
    assert!(body_html().contains(code), "shown for the whole minute");
    widget.pass(1).await;
    assert_absent(code);
    assert_absent("97531");
    assert_eq!(widget.text(".ow-reveal-all"), "Reveal all");
    widget.destroy();
}

/// The same on the browser's own clock and `setTimeout`.
#[wasm_bindgen_test]
async fn revealed_codes_mask_again_on_real_timers() {
    let code = "REMASK-REAL-4343";
    let widget = Mounted::on_real_timers(order(vec![voucher(code)]), 50);
    settle().await;
    widget.click(".ow-code .ow-reveal").await;
    assert!(body_html().contains(code));
    TimeoutFuture::new(150).await;
    settle().await;
    assert_absent(code);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn revealed_codes_mask_again_when_the_page_is_hidden() {
    let code = "REMASK-HIDDEN-2424";
    let widget = Mounted::new(order(vec![voucher(code)]));
    settle().await;
    widget.click(".ow-code .ow-reveal").await;
    assert!(body_html().contains(code));

    set_page_hidden(true);
    settle().await;
    set_page_hidden(false);
    settle().await;
    assert_absent(code);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn unmounting_cancels_the_remask_and_feedback_timers() {
    stub_clipboard("ok");
    let widget = Mounted::new(order(vec![voucher("UNMOUNT-TIMER-0001")]));
    settle().await;
    widget.click(".ow-code .ow-reveal").await;
    widget.click(".ow-code .ow-copy").await;
    let clock = widget.clock.clone();
    assert_eq!(clock.pending(), 2, "re-mask and \"Copied\"");
    widget.destroy();
    settle().await;
    assert_eq!(clock.pending(), 0);
}

// ---------------------------------------------------------------- links and expiry

#[wasm_bindgen_test]
async fn only_http_claim_urls_become_redeem_links() {
    let mut script = voucher("LINKS-SCRIPT-0001");
    script.claim_url = Some("javascript:alert(document.cookie)".into());
    let mut data = voucher("LINKS-DATA-0002");
    data.claim_url = Some("data:text/html,<script>alert(1)</script>".into());
    let mut web = voucher("LINKS-HTTPS-0003");
    web.claim_url = Some("https://redeem.example.com/ok".into());
    let widget = Mounted::new(order(vec![script, data, web]));
    settle().await;

    let links = widget.all("a");
    assert_eq!(links.len(), 1);
    let link = &links[0];
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://redeem.example.com/ok")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert!(link.text_content().unwrap().starts_with("Redeem"));
    assert!(!widget.html().contains("javascript:"));
    assert!(!widget.html().contains("data:text"));
    widget.destroy();
}

#[wasm_bindgen_test]
async fn a_claim_url_holding_the_code_is_shown_only_with_the_code() {
    let code = "URLSECRET-6543-2109";
    let mut inside = voucher(code);
    inside.claim_url = Some(format!("https://redeem.example.com/?code={code}"));
    let widget = Mounted::new(order(vec![inside]));
    settle().await;
    assert!(widget.all("a").is_empty());
    assert_absent(code);
    widget.click(".ow-code .ow-reveal").await;
    assert_eq!(widget.all("a").len(), 1);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn expiry_shows_soon_expired_and_no_expiry() {
    let mut soon = voucher("EXPIRY-SOON-0001");
    soon.expires_at = Some(iso_in(3.0 * DAY));
    let mut expired = voucher("EXPIRY-PAST-0002");
    expired.expires_at = Some(iso_in(-2.0 * DAY));
    let mut never = voucher("EXPIRY-NEVER-0003");
    never.expires_at = Some("9999-12-31T23:59:59Z".into());
    let mut later = voucher("EXPIRY-LATER-0004");
    later.expires_at = Some(iso_in(30.0 * DAY));
    let widget = Mounted::new(order(vec![soon, expired, never, later]));
    settle().await;

    let rows = widget.all(".ow-code-expiry");
    let state: Vec<String> = rows
        .iter()
        .map(|row| row.get_attribute("data-expiry").unwrap())
        .collect();
    assert_eq!(state, ["soon", "expired", "never", "valid"]);
    let texts: Vec<String> = rows.iter().map(|row| row.text_content().unwrap()).collect();
    assert!(texts[0].contains("Expires soon"), "{}", texts[0]);
    assert!(texts[0].contains("Expires in 3 days"), "{}", texts[0]);
    assert!(texts[1].contains("Expired"), "{}", texts[1]);
    assert_eq!(texts[2], "No expiry");
    assert!(texts[3].contains("Expires in 30 days"), "{}", texts[3]);
    // The localized date, e.g. "Jan 5, 2026".
    let date = widget.all(".ow-code-expiry-date");
    assert_eq!(date.len(), 3);
    assert!(date[2]
        .text_content()
        .unwrap()
        .chars()
        .any(|c| c.is_ascii_digit()));
    widget.destroy();
}

// ---------------------------------------------------------------- intl

#[wasm_bindgen_test]
fn money_is_formatted_by_intl_from_the_exact_amount() {
    use order_core::model::Money;
    use order_widget::platform::intl::format_money;
    let money = |amount: &str, currency: Option<&str>| Money {
        amount: amount.into(),
        currency: currency.map(Into::into),
    };
    assert_eq!(
        format_money(&money("25.00", Some("USD")), None, "en-US"),
        "$25.00"
    );
    assert_eq!(
        format_money(&money("1234567.5", None), Some("USD"), "en-US"),
        "$1,234,567.50"
    );
    // More digits than an f64 keeps: the text goes to Intl untouched.
    assert_eq!(
        format_money(&money("12345678901234567.25", Some("USD")), None, "en-US"),
        "$12,345,678,901,234,567.25"
    );
    assert!(format_money(&money("25", Some("LYD")), None, "en").contains("25.000"));
    assert!(format_money(&money("1500", Some("BDT")), None, "bn-BD").contains('৳'));
    assert_eq!(format_money(&money("25.5", None), None, "en-US"), "25.5");
    // Without a currency the vendor's decimals survive.
    assert_eq!(format_money(&money("25.00", None), None, "en-US"), "25.00");
    assert_eq!(format_money(&money("1250", None), None, "en-US"), "1,250");
    // An invalid currency or locale never throws.
    assert_eq!(
        format_money(&money("25.00", Some("US$")), None, "en-US"),
        "25.00 US$"
    );
    assert_eq!(
        format_money(&money("25.00", Some("USD")), None, "not a locale!"),
        format_money(&money("25.00", Some("USD")), None, "")
    );
    assert_eq!(
        format_money(&money("abc", Some("USD")), None, "en-US"),
        "abc USD"
    );
}

#[wasm_bindgen_test]
fn dates_and_relative_times_are_localized() {
    use order_widget::platform::intl::{format_date, format_day, format_relative};
    let date = format_date("2025-01-10T09:15:00Z", "en-US").unwrap();
    assert!(date.contains("2025") && date.contains("Jan"), "{date}");
    assert_eq!(
        format_day("2027-12-31", "en-US").as_deref(),
        Some("Dec 31, 2027")
    );
    assert_eq!(format_date("not a date", "en-US"), None);
    assert!(format_day("2027-12-31", "ar-LY").is_some());
    assert_eq!(format_relative(5.0 * DAY, 0.0, "en"), "in 5 days");
    assert_eq!(format_relative(DAY, 0.0, "en"), "tomorrow");
    assert_eq!(
        format_relative(-3.0 * 3_600_000.0, 0.0, "en"),
        "3 hours ago"
    );
    assert_eq!(format_relative(90_000.0, 0.0, "en_US"), "in 2 minutes");
}

#[wasm_bindgen_test]
fn a_formatter_is_built_once_per_kind_locale_and_options() {
    use order_widget::platform::intl::{formatter, Kind, Options};
    let usd = || {
        Options::default()
            .text("style", "currency")
            .text("currency", "USD")
    };
    let first = formatter(Kind::NumberFormat, "en-US", usd()).unwrap();
    let again = formatter(Kind::NumberFormat, "en-US", usd()).unwrap();
    assert!(js_sys::Object::is(&first, &again));
    // Any other kind, locale or option is another formatter.
    let eur = Options::default()
        .text("style", "currency")
        .text("currency", "EUR");
    for other in [
        formatter(Kind::NumberFormat, "en-US", eur).unwrap(),
        formatter(Kind::NumberFormat, "de-DE", usd()).unwrap(),
        formatter(Kind::DateTimeFormat, "en-US", Options::default()).unwrap(),
    ] {
        assert!(!js_sys::Object::is(&first, &other));
    }
    // The kept formatter formats as a new one does.
    let fresh = js_sys::Intl::NumberFormat::new(
        &js_sys::Array::of1(&"en-US".into()),
        &js_sys::JSON::parse(r#"{"style": "currency", "currency": "USD"}"#)
            .unwrap()
            .into(),
    );
    let format = |formatter: &js_sys::Object, amount: &str| {
        let format = js_sys::Reflect::get(formatter, &"format".into())
            .unwrap()
            .dyn_into::<js_sys::Function>()
            .unwrap();
        format.call1(formatter, &amount.into()).unwrap().as_string()
    };
    assert_eq!(format(&again, "25.5").as_deref(), Some("$25.50"));
    for amount in ["0", "25.5", "1234567.891"] {
        assert_eq!(format(&again, amount), format(&fresh, amount), "{amount}");
    }
}
