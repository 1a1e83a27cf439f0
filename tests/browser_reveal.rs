#![cfg(target_arch = "wasm32")]
//! Withheld codes (order-proxy's redacted order) in headless Chromium and Firefox: Reveal,
//! Copy, Reveal all, Copy all and Download CSV fetch them from the reveal endpoints on the
//! press (one request each, the right URL and header), say so on the button, fail without
//! showing anything, and forget them with the re-mask; QR codes exist only while their
//! code is shown. The proxy is a fake transport; the clipboard and downloads are stubbed.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use order_core::host_events::HostEvent;
use order_core::labels::Labels;
use order_core::model::{Item, Order, Status, Vendor, Voucher, VoucherKind};
use order_core::secret::{Revealed, RevealedAll};
use order_widget::config::RawConfig;
use order_widget::platform::clock::{ManualClock, SharedClock};
use order_widget::platform::fetch::{Method, PendingResponse, Request, Response, Transport};
use order_widget::platform::reveal::RevealClient;
use order_widget::ui::Codes;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::{AppHandle, AttrValue, Callback};

mod browser_support;
use browser_support::{host, settle};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------- page stubs

#[wasm_bindgen(inline_js = r#"
// 'item': write() of a ClipboardItem (the text read from its promise) and writeText;
// 'text': no ClipboardItem, writeText only; 'refuse': both refuse.
export function stub_clipboard(mode) {
  window.__owLog = [];
  window.__owItemClass ??= window.ClipboardItem;
  window.ClipboardItem = mode === 'item' ? window.__owItemClass : undefined;
  const refuse = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      write(items) {
        window.__owLog.push('write');
        if (mode === 'refuse') return refuse();
        return items[0].getType('text/plain')
          .then((blob) => blob.text())
          .then((text) => { window.__owLog.push('item:' + text); });
      },
      writeText(text) {
        if (mode === 'refuse') return refuse();
        window.__owLog.push('writeText:' + text);
        return Promise.resolve();
      },
    },
  });
}
export function clipboard_log() { return (window.__owLog || []).slice(); }

export function stub_exec_command(answer) {
  document.execCommand = function () { return answer; };
}

export function selected_text() { return String(getSelection()); }

// Records each file the page offers: its name and, through the object URL, its blob.
export function capture_downloads() {
  window.__owBlobs ??= new Map();
  window.__owSaved = [];
  if (!window.__owCreate) {
    window.__owCreate = URL.createObjectURL;
    URL.createObjectURL = (blob) => {
      const url = window.__owCreate.call(URL, blob);
      window.__owBlobs.set(url, blob);
      return url;
    };
    HTMLAnchorElement.prototype.click = function () {
      window.__owSaved.push({ name: this.download, blob: window.__owBlobs.get(this.href) });
    };
  }
}
export async function saved_files() {
  const files = [];
  for (const { name, blob } of window.__owSaved || []) {
    files.push([name, blob ? blob.type : '', blob ? await blob.text() : '']);
  }
  return JSON.stringify(files);
}

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
    fn clipboard_log() -> Vec<String>;
    fn stub_exec_command(answer: bool);
    fn selected_text() -> String;
    fn capture_downloads();
    fn saved_files() -> js_sys::Promise;
    fn set_page_hidden(hidden: bool);
}

// ---------------------------------------------------------------- the fake proxy

/// order-proxy's reveal endpoints: records each request and answers from a queue (then
/// 500s); while `held`, answers wait until `release`.
#[derive(Default)]
struct FakeProxy {
    requests: RefCell<Vec<Request>>,
    answers: RefCell<VecDeque<Response>>,
    held: Cell<bool>,
    waiting: Rc<RefCell<Vec<js_sys::Function>>>,
}

impl FakeProxy {
    fn answer(&self, response: Response) {
        self.answers.borrow_mut().push_back(response);
    }

    fn urls(&self) -> Vec<String> {
        let requests = self.requests.borrow();
        requests.iter().map(|request| request.url.clone()).collect()
    }

    async fn release(&self) {
        self.held.set(false);
        for resolve in self.waiting.borrow_mut().drain(..) {
            let _ = resolve.call0(&JsValue::NULL);
        }
        settle().await;
    }
}

impl Transport for FakeProxy {
    fn send(&self, request: Request) -> PendingResponse {
        self.requests.borrow_mut().push(request);
        let answer = self.answers.borrow_mut().pop_front().unwrap_or(Response {
            status: 500,
            ..Response::json("{}")
        });
        let gate = self.held.get().then(|| {
            js_sys::Promise::new(&mut |resolve, _| self.waiting.borrow_mut().push(resolve))
        });
        Box::pin(async move {
            if let Some(gate) = gate {
                let _ = JsFuture::from(gate).await;
            }
            Ok(answer)
        })
    }
}

fn status(code: u16) -> Response {
    Response {
        status: code,
        ..Response::json(r#"{"error":"x"}"#)
    }
}

// ---------------------------------------------------------------- orders

/// Codes as a vendor delivered them, and the order as order-proxy serves it: each voucher
/// redacted under the reference `r<index>`.
struct Withheld {
    vouchers: Vec<Voucher>,
    order: Order,
}

impl Withheld {
    fn new(vouchers: Vec<Voucher>) -> Withheld {
        let mut order = Order::new(Vendor::Shop, "1".into(), "A-1".into(), Status::Delivered);
        order.items = vec![Item {
            id: Some("sku-1".into()),
            name: Some("Gift card".into()),
            quantity: Some(1),
            unit_price: None,
            fulfilled: Some(true),
            fulfillment_status: None,
        }];
        order.vouchers = vouchers
            .iter()
            .enumerate()
            .map(|(index, voucher)| voucher.redacted(format!("r{index}")))
            .collect();
        Withheld { vouchers, order }
    }

    fn revealed(&self, index: usize) -> Revealed {
        self.vouchers[index].revealed(&format!("r{index}")).unwrap()
    }

    /// `POST …/codes/r<index>`'s answer.
    fn one(&self, index: usize) -> Response {
        Response::json(serde_json::to_string(&self.revealed(index)).unwrap())
    }

    /// `POST …/codes`' answer.
    fn all(&self) -> Response {
        let codes = (0..self.vouchers.len()).map(|i| self.revealed(i)).collect();
        Response::json(serde_json::to_string(&RevealedAll { codes }).unwrap())
    }
}

fn code(text: &str) -> Voucher {
    Voucher::new(text, VoucherKind::Code)
}

// ---------------------------------------------------------------- the list

type CodesProps = <Codes as yew::BaseComponent>::Properties;

struct Mounted {
    app: Option<AppHandle<Codes>>,
    root: Element,
    proxy: Rc<FakeProxy>,
    clock: ManualClock,
    events: Rc<RefCell<Vec<HostEvent>>>,
    announced: Rc<RefCell<Vec<String>>>,
}

impl Mounted {
    async fn new(order: Order) -> Mounted {
        let root = host();
        let proxy = Rc::new(FakeProxy::default());
        let clock = ManualClock::new(js_sys::Date::now());
        let events = Rc::new(RefCell::new(Vec::new()));
        let announced = Rc::new(RefCell::new(Vec::new()));
        let config = js_sys::JSON::parse(
            r#"{"proxy": "/api/orders/{id}", "orderId": "1", "token": "v2.tok",
                "headers": {"X-Shop": "7"}}"#,
        )
        .ok()
        .and_then(|json| RawConfig::from_js(&json).ok())
        .and_then(|raw| raw.validate("en-US").ok())
        .unwrap();
        let props = yew::props!(CodesProps {
            order: Rc::new(order),
            labels: Rc::new(Labels::new("en", Vec::new())),
            locale: AttrValue::from("en-US"),
            clock: SharedClock(Rc::new(clock.clone())),
            reveal_timeout_ms: 60_000,
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
        settle().await;
        Mounted {
            app: Some(app),
            root,
            proxy,
            clock,
            events,
            announced,
        }
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

    /// An element of any namespace (the QR code's are SVG).
    fn element(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
    }

    fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    fn has(&self, selector: &str) -> bool {
        self.root.query_selector(selector).unwrap().is_some()
    }

    fn text(&self, selector: &str) -> String {
        self.one(selector).text_content().unwrap_or_default()
    }

    /// Clicks without letting anything else run: what happens inside the click.
    fn press(&self, selector: &str) {
        self.one(selector).click();
    }

    async fn click(&self, selector: &str) {
        self.press(selector);
        settle().await;
    }

    async fn pass(&self, ms: u64) {
        self.clock.advance(Duration::from_millis(ms));
        settle().await;
    }

    fn shows(&self, text: &str) -> bool {
        document().body().unwrap().inner_html().contains(text)
    }

    fn destroy(mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

const ROW_REVEAL: &str = ".ow-code > .ow-code-line .ow-reveal";
const ROW_COPY: &str = ".ow-code > .ow-code-line .ow-copy";

// ---------------------------------------------------------------- reveal

#[wasm_bindgen_test]
async fn reveal_fetches_a_withheld_code_once_with_the_order_token() {
    let mut with_pin = code("WITHHELD-REVEAL-0001");
    with_pin.pin = Some("48151".into());
    let codes = Withheld::new(vec![with_pin]);
    let widget = Mounted::new(codes.order.clone()).await;
    assert_eq!(widget.text(".ow-code-mask"), "••••••••0001");
    assert!(!widget.shows("WITHHELD-REVEAL"));

    widget.proxy.answer(codes.one(0));
    widget.click(ROW_REVEAL).await;
    assert_eq!(widget.text(".ow-code-text"), "WITHHELD-REVEAL-0001");
    assert!(!widget.shows("48151"), "the PIN stays masked");
    {
        let requests = widget.proxy.requests.borrow();
        let [request] = requests.as_slice() else {
            panic!("{} requests", requests.len());
        };
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.url, "/api/orders/1/codes/r0?purpose=reveal");
        assert!(request
            .headers
            .contains(&("X-Order-Token".to_owned(), "v2.tok".to_owned())));
        assert!(request
            .headers
            .contains(&("X-Shop".to_owned(), "7".to_owned())));
    }
    assert_eq!(
        widget.events.borrow().as_slice(),
        [HostEvent::Reveal { count: 1 }]
    );

    // The PIN came with the code: revealing it asks for nothing more.
    widget.click(".ow-pin .ow-reveal").await;
    assert_eq!(widget.text(".ow-pin .ow-code-text"), "48151");
    assert_eq!(widget.proxy.requests.borrow().len(), 1);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn the_button_says_revealing_and_a_failure_shows_nothing_but_try_again() {
    let codes = Withheld::new(vec![code("WITHHELD-FAILED-0002")]);
    let widget = Mounted::new(codes.order.clone()).await;
    widget.proxy.held.set(true);
    widget.proxy.answer(status(503));
    widget.click(ROW_REVEAL).await;
    let button = widget.one(ROW_REVEAL);
    assert!(button.text_content().unwrap().starts_with("Revealing…"));
    assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("true"));
    widget.click(ROW_REVEAL).await;
    assert_eq!(
        widget.proxy.requests.borrow().len(),
        1,
        "a busy button waits"
    );

    widget.proxy.release().await;
    assert!(!widget.shows("WITHHELD-FAILED"));
    assert!(!widget.has(".ow-code-text"), "no partial text");
    assert_eq!(widget.text(".ow-code-mask"), "••••••••0002");
    let button = widget.one(ROW_REVEAL);
    assert!(button.text_content().unwrap().starts_with("Try again"));
    assert_eq!(button.get_attribute("aria-busy"), None);
    assert_eq!(
        widget.text(".ow-code-error"),
        "We could not get this code. Please try again."
    );
    assert!(widget
        .announced
        .borrow()
        .contains(&"We could not get this code. Please try again.".to_owned()));
    assert!(widget.events.borrow().is_empty(), "no reveal event");

    widget.proxy.answer(status(429));
    widget.click(ROW_REVEAL).await;
    assert!(widget
        .text(".ow-code-error")
        .starts_with("Too many requests"));

    widget.proxy.answer(codes.one(0));
    widget.click(ROW_REVEAL).await;
    assert_eq!(widget.text(".ow-code-text"), "WITHHELD-FAILED-0002");
    assert!(!widget.has(".ow-code-error"));
    assert_eq!(widget.proxy.requests.borrow().len(), 3);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn the_re_mask_forgets_the_code_and_the_next_reveal_fetches_it_again() {
    let codes = Withheld::new(vec![code("WITHHELD-REMASK-0003")]);
    let widget = Mounted::new(codes.order.clone()).await;
    widget.proxy.answer(codes.one(0));
    widget.click(ROW_REVEAL).await;
    assert!(widget.shows("WITHHELD-REMASK-0003"));

    widget.pass(60_000).await;
    assert!(!widget.shows("WITHHELD-REMASK"));
    widget.proxy.answer(codes.one(0));
    widget.click(ROW_REVEAL).await;
    assert!(widget.shows("WITHHELD-REMASK-0003"));
    assert_eq!(widget.proxy.requests.borrow().len(), 2, "fetched again");

    set_page_hidden(true);
    settle().await;
    set_page_hidden(false);
    settle().await;
    assert!(!widget.shows("WITHHELD-REMASK"));
    widget.proxy.answer(codes.one(0));
    widget.click(ROW_REVEAL).await;
    assert_eq!(widget.proxy.requests.borrow().len(), 3, "fetched again");

    // Hidden while the answer is on its way: the answer is dropped.
    widget.click(ROW_REVEAL).await;
    widget.proxy.held.set(true);
    widget.proxy.answer(codes.one(0));
    widget.click(ROW_REVEAL).await;
    set_page_hidden(true);
    settle().await;
    set_page_hidden(false);
    widget.proxy.release().await;
    assert!(!widget.shows("WITHHELD-REMASK"));
    widget.destroy();
}

// ---------------------------------------------------------------- copy

#[wasm_bindgen_test]
async fn copy_hands_the_clipboard_a_promise_inside_the_click() {
    stub_clipboard("item");
    let codes = Withheld::new(vec![code("WITHHELD-COPY-0004")]);
    let widget = Mounted::new(codes.order.clone()).await;
    widget.proxy.held.set(true);
    widget.proxy.answer(codes.one(0));
    widget.press(ROW_COPY);
    // Inside the click, before any answer: the clipboard was asked already.
    assert_eq!(clipboard_log(), ["write"]);
    settle().await;
    assert!(widget.text(ROW_COPY).starts_with("Copying…"));

    widget.proxy.release().await;
    settle().await;
    assert_eq!(clipboard_log(), ["write", "item:WITHHELD-COPY-0004"]);
    assert!(widget.text(ROW_COPY).starts_with("Copied"));
    assert!(!widget.shows("WITHHELD-COPY"), "copying reveals nothing");
    assert_eq!(widget.proxy.urls(), ["/api/orders/1/codes/r0?purpose=copy"]);
    assert!(widget.events.borrow().contains(&HostEvent::Copy {
        kind: VoucherKind::Code,
        count: 1,
        ok: true
    }));
    // Copied, not shown: not kept either. Copying again asks again.
    widget.proxy.answer(codes.one(0));
    widget.click(ROW_COPY).await;
    assert_eq!(widget.proxy.requests.borrow().len(), 2);
    widget.destroy();
}

#[wasm_bindgen_test]
async fn without_clipboard_item_the_answer_goes_to_write_text() {
    stub_clipboard("text");
    let mut with_pin = code("WITHHELD-TEXT-0005");
    with_pin.pin = Some("27182".into());
    let codes = Withheld::new(vec![with_pin]);
    let widget = Mounted::new(codes.order.clone()).await;
    widget.proxy.answer(codes.one(0));
    widget.click(".ow-pin .ow-copy").await;
    assert_eq!(clipboard_log(), ["writeText:27182"]);
    assert!(widget.text(".ow-pin .ow-copy").starts_with("Copied"));
    assert!(!widget.shows("27182"));
    widget.destroy();
}

#[wasm_bindgen_test]
async fn a_failed_fetch_copies_nothing_and_offers_to_try_again() {
    stub_clipboard("item");
    let codes = Withheld::new(vec![code("WITHHELD-NOCOPY-0006")]);
    let widget = Mounted::new(codes.order.clone()).await;
    widget.proxy.answer(status(502));
    widget.click(ROW_COPY).await;
    settle().await;
    assert_eq!(clipboard_log(), ["write"], "the clipboard got nothing");
    assert!(widget.text(ROW_COPY).starts_with("Try again"));
    assert!(widget.has(".ow-code-error"));
    assert!(!widget.shows("WITHHELD-NOCOPY"));
    assert!(widget.events.borrow().contains(&HostEvent::Copy {
        kind: VoucherKind::Code,
        count: 1,
        ok: false
    }));
    widget.destroy();
}

#[wasm_bindgen_test]
async fn when_no_way_of_copying_works_the_fetched_code_is_shown_selected() {
    stub_clipboard("refuse");
    stub_exec_command(false);
    let codes = Withheld::new(vec![code("WITHHELD-BYHAND-0007")]);
    let widget = Mounted::new(codes.order.clone()).await;
    widget.proxy.answer(codes.one(0));
    widget.click(ROW_COPY).await;
    settle().await;
    assert!(widget.text(ROW_COPY).starts_with("Press Ctrl+C"));
    assert_eq!(widget.text(".ow-code-text"), "WITHHELD-BYHAND-0007");
    assert_eq!(selected_text(), "WITHHELD-BYHAND-0007");
    // Shown, so kept until the re-mask, which forgets it.
    widget.pass(60_000).await;
    assert!(!widget.shows("WITHHELD-BYHAND"));
    widget.destroy();
}

// ---------------------------------------------------------------- all codes

#[wasm_bindgen_test]
async fn reveal_all_and_copy_all_fetch_every_code_once() {
    stub_clipboard("item");
    let mut first = code("WITHHELD-ALL-0001");
    first.pin = Some("1111".into());
    let codes = Withheld::new(vec![
        first,
        code("WITHHELD-ALL-0002"),
        code("WITHHELD-ALL-0003"),
    ]);
    let widget = Mounted::new(codes.order.clone()).await;

    widget.proxy.held.set(true);
    widget.proxy.answer(codes.all());
    widget.click(".ow-reveal-all").await;
    assert_eq!(widget.text(".ow-reveal-all"), "Revealing…");
    widget.proxy.release().await;
    for code in [
        "WITHHELD-ALL-0001",
        "WITHHELD-ALL-0002",
        "WITHHELD-ALL-0003",
        "1111",
    ] {
        assert!(widget.shows(code), "{code}");
    }
    assert_eq!(widget.text(".ow-reveal-all"), "Hide all");
    assert!(widget
        .events
        .borrow()
        .contains(&HostEvent::Reveal { count: 3 }));
    // In memory while shown: copying all asks for nothing.
    widget.click("[part~=copy-all-button]").await;
    assert_eq!(widget.proxy.requests.borrow().len(), 1);

    widget.click(".ow-reveal-all").await;
    assert!(!widget.shows("WITHHELD-ALL"));
    stub_clipboard("item");
    widget.proxy.answer(codes.all());
    widget.click("[part~=copy-all-button]").await;
    settle().await;
    assert_eq!(
        clipboard_log(),
        [
            "write",
            "item:WITHHELD-ALL-0001  PIN: 1111\nWITHHELD-ALL-0002\nWITHHELD-ALL-0003"
        ]
    );
    assert!(!widget.shows("WITHHELD-ALL"));
    assert_eq!(
        widget.proxy.urls(),
        [
            "/api/orders/1/codes?purpose=reveal",
            "/api/orders/1/codes?purpose=copy"
        ]
    );
    widget.destroy();
}

// ---------------------------------------------------------------- QR codes

#[wasm_bindgen_test]
async fn a_qr_code_exists_only_while_its_code_is_shown() {
    let pickup = Voucher::new("PICKUP-QR-000008", VoucherKind::PickupCode);
    let codes = Withheld::new(vec![pickup, code("WITHHELD-QR-0009")]);
    let widget = Mounted::new(codes.order.clone()).await;
    assert!(!widget.has("svg"));
    assert!(!widget.has(".ow-qr-toggle"), "no QR action while masked");

    // A code for the counter shows its QR code with it.
    widget.proxy.answer(codes.one(0));
    widget.click(ROW_REVEAL).await;
    let qr = widget.element("svg[part=qr]");
    assert_eq!(qr.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        qr.get_attribute("aria-label").as_deref(),
        Some("QR code: Pickup code")
    );
    assert!(!qr.has_attribute("style"));
    let light = widget.element("svg[part=qr] rect");
    assert_eq!(light.get_attribute("fill").as_deref(), Some("#ffffff"));
    let dark = widget.element("svg[part=qr] path");
    assert_eq!(dark.get_attribute("fill").as_deref(), Some("#000000"));
    assert!(!qr.outer_html().contains("PICKUP-QR"), "modules, not text");

    // Any other code: on request, after its reveal.
    let rows = widget.all(".ow-code");
    assert!(rows[1].query_selector(".ow-qr-toggle").unwrap().is_none());
    widget.proxy.answer(codes.one(1));
    rows[1]
        .query_selector(".ow-reveal")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    assert_eq!(widget.count("svg[part=qr]"), 1);
    let toggle: HtmlElement = rows[1]
        .query_selector(".ow-qr-toggle")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(
        toggle.text_content().unwrap().split(" (").next(),
        Some("Show QR")
    );
    toggle.click();
    settle().await;
    assert_eq!(widget.count("svg[part=qr]"), 2);

    widget.pass(60_000).await;
    assert!(!widget.has("svg"), "the re-mask takes the QR codes too");
    assert!(!widget.has(".ow-qr-toggle"));
    widget.destroy();
}

// ---------------------------------------------------------------- CSV

fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

async fn saved() -> Vec<(String, String, String)> {
    let json = JsFuture::from(saved_files()).await.unwrap();
    serde_json::from_str(&json.as_string().unwrap()).unwrap()
}

#[wasm_bindgen_test]
async fn download_csv_fetches_every_code_once_and_neutralises_formulas() {
    capture_downloads();
    let mut vouchers: Vec<Voucher> = (1..=5)
        .map(|n| {
            let mut voucher = code(&format!("WITHHELD-CSV-000{n}"));
            voucher.item = Some(0);
            voucher
        })
        .collect();
    let mut formula = code("=HYPERLINK(\"https://evil.example\")");
    formula.pin = Some("-1234".into());
    formula.expires_at = Some("2027-12-31".into());
    vouchers.push(formula);
    let codes = Withheld::new(vouchers);
    let widget = Mounted::new(codes.order.clone()).await;

    widget.proxy.held.set(true);
    widget.proxy.answer(codes.all());
    widget.click(".ow-download").await;
    assert_eq!(widget.text(".ow-download"), "Preparing…");
    widget.proxy.release().await;
    assert_eq!(widget.text(".ow-download"), "Download CSV");
    assert_eq!(
        widget.proxy.urls(),
        ["/api/orders/1/codes?purpose=download"]
    );
    assert!(!widget.shows("WITHHELD-CSV"), "saving reveals nothing");

    let files = saved().await;
    let [(name, mime, text)] = files.as_slice() else {
        panic!("{} files", files.len());
    };
    assert_eq!(name, "order-A-1-codes.csv");
    assert!(mime.starts_with("text/csv"), "{mime}");
    let rows = read_csv(text);
    assert_eq!(rows.len(), 7);
    assert_eq!(
        rows[0],
        ["Item", "Kind", "Code", "PIN", "Expires", "Redeem URL"]
    );
    assert_eq!(
        rows[1],
        ["Gift card", "Code", "WITHHELD-CSV-0001", "", "", ""]
    );
    assert_eq!(
        rows[6],
        [
            "",
            "Code",
            "'=HYPERLINK(\"https://evil.example\")",
            "'-1234",
            "2027-12-31",
            ""
        ]
    );

    widget.proxy.answer(status(401));
    widget.click(".ow-download").await;
    assert_eq!(widget.text(".ow-download"), "Try again");
    assert!(widget.text(".ow-code-error").contains("no longer valid"));
    assert_eq!(saved().await.len(), 1, "nothing more saved");
    widget.destroy();
}

#[wasm_bindgen_test]
async fn only_orders_of_more_than_five_codes_offer_the_csv() {
    let few = Withheld::new(
        (1..=5)
            .map(|n| code(&format!("FEW-CODES-000{n}")))
            .collect(),
    );
    let widget = Mounted::new(few.order.clone()).await;
    assert!(!widget.has(".ow-download"));
    widget.destroy();
}
