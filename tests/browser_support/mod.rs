//! Helpers the widget's browser tests share: a host element, letting the page settle,
//! moving a `ManualClock`, and counting DOM mutations.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use order_widget::platform::clock::ManualClock;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, MutationObserver, MutationObserverInit};

/// A new `<div>` at the end of the page's body.
pub fn host() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// Lets promises, 0 ms timers and Yew's renders run; no time passes on a manual clock.
pub async fn settle() {
    for _ in 0..3 {
        gloo_timers::future::TimeoutFuture::new(0).await;
        yew::scheduler::flush().await;
    }
}

/// Moves the clock forward by `ms`, from one due timer to the next, letting what each
/// timer starts (a check, its answer, the next timer) run before going on.
pub async fn pass(clock: &ManualClock, ms: u64) {
    let mut left = Duration::from_millis(ms);
    loop {
        let step = clock.until_next().map_or(left, |next| next.min(left));
        clock.advance(step);
        settle().await;
        left -= step;
        if left.is_zero() {
            break;
        }
    }
}

/// Waits on the real clock (up to `ms`) until `done` holds.
pub async fn wait_until(ms: u32, done: impl Fn() -> bool) -> bool {
    for _ in 0..ms / 50 {
        if done() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
        yew::scheduler::flush().await;
    }
    done()
}

/// A canonical `shop` order (id 7, one item) with `vouchers` (canonical voucher objects),
/// on one line, as an event stream's `data` carries it.
pub fn canonical_order(status: &str, vouchers: &[String]) -> String {
    let body = format!(
        r#"{{"vendor": "shop", "id": "7", "number": "A-7", "status": "{status}", "terminal": false,
        "status_label": null, "status_message": null, "status_colors": null, "total": null,
        "created_at": null, "is_service": false,
        "items": [{{"name": "Gift card", "quantity": 1, "unit_price": null, "fulfilled": null,
                    "fulfillment_status": null}}],
        "vouchers": [{}]}}"#,
        vouchers.join(",")
    );
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The status the badge shows (`data-status`), if there is a badge.
pub fn status(element: &Element) -> Option<String> {
    element
        .query_selector(".ow-badge")
        .unwrap()
        .and_then(|badge| badge.get_attribute("data-status"))
}

/// Records every DOM mutation under an element (the node each one changed).
pub struct Mutations {
    observer: MutationObserver,
    targets: Rc<RefCell<Vec<web_sys::Node>>>,
    _callback: Closure<dyn FnMut(js_sys::Array, MutationObserver)>,
}

impl Mutations {
    pub fn observe(element: &Element) -> Mutations {
        let targets = Rc::new(RefCell::new(Vec::new()));
        let recorded = targets.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(
            move |records: js_sys::Array, _| record(&recorded, &records),
        );
        let observer = MutationObserver::new(callback.as_ref().unchecked_ref()).unwrap();
        let options = MutationObserverInit::new();
        options.set_subtree(true);
        options.set_child_list(true);
        options.set_attributes(true);
        options.set_character_data(true);
        observer.observe_with_options(element, &options).unwrap();
        Mutations {
            observer,
            targets,
            _callback: callback,
        }
    }

    /// Stops counting; the mutations seen, including those not yet delivered.
    pub fn stop(self) -> u32 {
        self.stop_with_targets().len() as u32
    }

    /// Stops recording; the node each mutation changed, including those not yet delivered.
    pub fn stop_with_targets(self) -> Vec<web_sys::Node> {
        record(&self.targets, &self.observer.take_records());
        self.observer.disconnect();
        self.targets.take()
    }
}

fn record(targets: &RefCell<Vec<web_sys::Node>>, records: &js_sys::Array) {
    let changed = records
        .iter()
        .filter_map(|record| record.dyn_into::<web_sys::MutationRecord>().ok())
        .filter_map(|record| record.target());
    targets.borrow_mut().extend(changed);
}
