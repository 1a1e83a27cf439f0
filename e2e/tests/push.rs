//! How soon the real demo shows a delivery, measured against the mock vendor's own phase
//! clock: with push (the demo's `events` stream, fed by the mock vendors' webhooks) and
//! with polling only (`live=0`), in headless Chromium and Firefox.
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
);

/// hsmail: pending, processing after 4 s, completed after 10 s.
const ORDER: &str = "HSM000000010";
const DELIVERED_AFTER_MS: f64 = 10_000.0;

/// Push: well within a second of the vendor's change.
const PUSH_TARGET_MS: f64 = 1_000.0;
/// Polling: max(3 s, 10 % of the delivery time), the schedule's own target.
const POLL_TARGET_MS: f64 = 3_000.0;

async fn start(browser: Browser) -> Demo {
    match Demo::start(browser, Viewport::DESKTOP).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    }
}

/// Sends the order's first request through the proxy, as a page would, which starts the
/// mock vendor's clock for it. Returns when it was sent (ms since 1970, the page's clock).
async fn start_the_orders_clock(demo: &Demo) -> f64 {
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
            vec![json!(ORDER)],
        )
        .await
        .unwrap();
    sent.as_f64()
        .unwrap_or_else(|| panic!("the first request failed: {sent}"))
}

/// Opens the demo page for the order and notes (in the page's clock) when the widget
/// shows it delivered. Returns that instant and the number of order polls the page sent.
async fn delivered_at(demo: &Demo, query: &str) -> (f64, usize) {
    demo.open(&format!("/?order={ORDER}&provider=hsmail{query}"))
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
    let deadline = Instant::now() + Duration::from_secs(30);
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
            "not delivered within 30 s; the widget shows: {}",
            demo.text().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn push_shows_a_delivery_within_a_second_of_the_vendors_change(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    let started = start_the_orders_clock(&demo).await;
    let (shown, polls) = delivered_at(&demo, "").await;
    let delay = shown - (started + DELIVERED_AFTER_MS);
    println!(
        "push ({}): the delivery shown {delay:.0} ms after the vendor's change, {polls} poll(s)",
        browser.name()
    );
    assert!(
        (0.0..=PUSH_TARGET_MS).contains(&delay),
        "shown {delay:.0} ms after the vendor's change"
    );
    // The stream brought both changes: the page polled only once, at the start.
    assert_eq!(polls, 1, "order polls while the stream was healthy");
    demo.close().await.unwrap();
}

async fn polling_alone_shows_a_delivery_within_its_target(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    let started = start_the_orders_clock(&demo).await;
    let (shown, polls) = delivered_at(&demo, "&live=0").await;
    let delay = shown - (started + DELIVERED_AFTER_MS);
    println!(
        "polling ({}): the delivery shown {delay:.0} ms after the vendor's change, {polls} poll(s)",
        browser.name()
    );
    assert!(
        (0.0..=POLL_TARGET_MS).contains(&delay),
        "shown {delay:.0} ms after the vendor's change"
    );
    assert!(polls >= 4, "{polls} polls: was it polling?");
    demo.close().await.unwrap();
}
