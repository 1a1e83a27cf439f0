//! How soon the real demo shows a delivery, measured against the mock vendor's own phase
//! clock: with push (the demo's `events` stream, fed by the mock vendors' webhooks), with
//! the stream of a vendor that sends no webhooks (the proxy's own schedule of the order),
//! and with polling only (`live=0`), in headless Chromium and Firefox.
//!
//! The mock's clock for an order starts at its first authenticated request; the test
//! sends that request itself and notes when, so the vendor's change happens no earlier
//! than that instant plus the scenario's delay. The delay measured is therefore never
//! shorter than the real one.

use std::time::{Duration, Instant};

use e2e::{in_both_browsers, Browser, Demo, Viewport, ONE_AT_A_TIME};
use serde_json::json;

in_both_browsers!(
    push_shows_a_delivery_within_a_second_of_the_vendors_change,
    polling_alone_shows_a_delivery_within_its_target,
    without_webhooks_the_stream_shows_a_delivery_within_the_polling_target,
    without_webhooks_polling_alone_shows_it_within_the_same_target,
);

/// hsmail: pending, processing after 4 s, completed after 10 s.
const ORDER: Order = Order {
    id: "HSM000000010",
    delivered_after_ms: 10_000.0,
};

/// hsmail: pending, completed after 20 s; served by mock vendors that send no webhooks.
const SLOW_ORDER: Order = Order {
    id: "HSM000000020",
    delivered_after_ms: 20_000.0,
};
const NO_WEBHOOKS: [&str; 2] = ["--mock-webhooks", "off"];

#[derive(Clone, Copy)]
struct Order {
    id: &'static str,
    delivered_after_ms: f64,
}

/// Push: well within a second of the vendor's change.
const PUSH_TARGET_MS: f64 = 1_000.0;
/// Polling: max(3 s, 10 % of the delivery time), the schedule's own target.
const POLL_TARGET_MS: f64 = 3_000.0;

async fn start(browser: Browser, flags: &[&str]) -> Demo {
    match Demo::start_with(browser, Viewport::DESKTOP, flags).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    }
}

/// Sends the order's first request through the proxy, as a page would, which starts the
/// mock vendor's clock for it. Returns when it was sent (ms since 1970, the page's clock).
async fn start_the_orders_clock(demo: &Demo, order: Order) -> f64 {
    demo.open("/").await.unwrap();
    let sent = demo
        .client()
        .execute_async(
            "const [order, done] = arguments;\n\
             fetch('/demo/token/' + order).then((r) => r.json()).then(({ token }) => {\n\
               const sent = Date.now();\n\
               return fetch('/api/orders/' + order, { headers: { 'X-Order-Token': token } })\n\
                 .then((r) => (r.ok ? sent : Promise.reject(new Error('HTTP ' + r.status))));\n\
             }).then(done, (e) => done({ error: String(e) }));",
            vec![json!(order.id)],
        )
        .await
        .unwrap();
    sent.as_f64()
        .unwrap_or_else(|| panic!("the first request failed: {sent}"))
}

/// Opens the demo page for the order and notes (in the page's clock) when the widget
/// shows it delivered. Returns that instant and the number of order polls the page sent.
async fn delivered_at(demo: &Demo, order: Order, query: &str) -> (f64, usize) {
    demo.open(&format!("/?order={}&provider=hsmail{query}", order.id))
        .await
        .unwrap();
    // The widget's events bubble out of its shadow root; it may not exist yet.
    let shown = demo
        .client()
        .execute(
            "window.__deliveredAt = null;\n\
             document.addEventListener('order-widget:delivered', () => {\n\
               window.__deliveredAt = Date.now();\n\
             });\n\
             const host = document.querySelector('order-widget');\n\
             const badge = host && host.shadowRoot.querySelector('[part~=badge]');\n\
             return badge ? badge.dataset.status : '';",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(
        shown,
        json!("delivered"),
        "delivered before the test listened"
    );
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let seen = demo
            .client()
            .execute(
                "return [window.__deliveredAt, performance.getEntriesByType('resource')\n\
                   .filter((e) => /\\/api\\/orders\\/[^/]+$/.test(new URL(e.name).pathname))\n\
                   .length];",
                vec![],
            )
            .await
            .unwrap();
        if let Some(at) = seen[0].as_f64() {
            return (at, seen[1].as_u64().unwrap_or_default() as usize);
        }
        assert!(
            Instant::now() < deadline,
            "not delivered within 40 s; the widget shows: {}",
            demo.text().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens the demo for `order` (with `query`), waits for the delivery and checks it was shown
/// within `target_ms` of the vendor's change. Returns how many order polls the page sent.
async fn shown_within(
    browser: Browser,
    flags: &[&str],
    order: Order,
    query: &str,
    target_ms: f64,
    what: &str,
) -> usize {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser, flags).await;
    let started = start_the_orders_clock(&demo, order).await;
    let (shown, polls) = delivered_at(&demo, order, query).await;
    let delay = shown - (started + order.delivered_after_ms);
    println!(
        "{what} ({}): the delivery shown {delay:.0} ms after the vendor's change, {polls} poll(s)",
        browser.name()
    );
    assert!(
        (0.0..=target_ms).contains(&delay),
        "{what}: shown {delay:.0} ms after the vendor's change"
    );
    demo.close().await.unwrap();
    polls
}

async fn push_shows_a_delivery_within_a_second_of_the_vendors_change(browser: Browser) {
    let polls = shown_within(browser, &[], ORDER, "", PUSH_TARGET_MS, "push").await;
    // The stream brought both changes: the page polled only once, at the start.
    assert_eq!(polls, 1, "order polls while the stream was healthy");
}

async fn polling_alone_shows_a_delivery_within_its_target(browser: Browser) {
    let polls = shown_within(browser, &[], ORDER, "&live=0", POLL_TARGET_MS, "polling").await;
    assert!(polls >= 4, "{polls} polls: was it polling?");
}

/// The vendor sends no webhooks: the order's stream shows the delivery as soon as the
/// proxy's own schedule of the order sees it, within the polling target.
async fn without_webhooks_the_stream_shows_a_delivery_within_the_polling_target(browser: Browser) {
    let what = "stream, no webhooks";
    let polls = shown_within(browser, &NO_WEBHOOKS, SLOW_ORDER, "", POLL_TARGET_MS, what).await;
    assert_eq!(polls, 1, "order polls while the stream was healthy");
}

async fn without_webhooks_polling_alone_shows_it_within_the_same_target(browser: Browser) {
    let what = "polling, no webhooks";
    let query = "&live=0";
    let polls = shown_within(
        browser,
        &NO_WEBHOOKS,
        SLOW_ORDER,
        query,
        POLL_TARGET_MS,
        what,
    )
    .await;
    assert!(polls >= 4, "{polls} polls: was it polling?");
}
