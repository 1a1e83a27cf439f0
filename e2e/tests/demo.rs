//! The real demo in headless Chromium and Firefox: `order-proxy serve --mock`
//! serving the built widget, through the real network path (widget → proxy → mock
//! vendor). Scenario ids are the mock vendors' documented ones (README, "Mock vendors").

use std::time::Duration;

use e2e::{in_both_browsers, wait, Browser, Demo, Viewport, ONE_AT_A_TIME};
use serde_json::Value;

in_both_browsers!(
    delayed_order_is_delivered_masked_then_revealed_and_copied,
    rate_limited_order_recovers,
    forged_or_missing_token_shows_not_allowed,
    partial_delivery_shows_which_item_is_pending,
    delivered_order_screenshot,
    bengali_and_arabic_label_sets_load_on_demand,
    skeleton_holds_the_place_until_the_order_is_shown,
);

async fn start(browser: Browser) -> Demo {
    match Demo::start(browser, Viewport::DESKTOP).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    }
}

/// Every code of `order`, as order-proxy reveals them (to the test, not the page).
async fn codes_of(demo: &Demo, order: &str) -> Vec<String> {
    let codes = demo.codes(order).await.unwrap();
    codes
        .iter()
        .filter_map(|revealed| revealed["code"].as_str())
        .map(str::to_owned)
        .collect()
}

async fn delayed_order_is_delivered_masked_then_revealed_and_copied(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    demo.open("/?order=20250010&provider=bdvoucher")
        .await
        .unwrap();

    demo.wait_for_status("initiated", Duration::from_secs(20))
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(45))
        .await
        .unwrap();

    let codes = codes_of(&demo, "20250010").await;
    assert!(!codes.is_empty(), "the mock delivered no codes");
    let html = demo.html().await.unwrap();
    for code in &codes {
        assert!(!html.contains(code.as_str()), "a masked code is in the DOM");
    }

    demo.record_events().await.unwrap();
    demo.click(".ow-reveal").await.unwrap();
    // The code is fetched on the press.
    demo.wait_for_element("[part~=code-text]", Duration::from_secs(10))
        .await
        .unwrap();
    let html = demo.html().await.unwrap();
    assert!(
        codes.iter().any(|code| html.contains(code.as_str())),
        "Reveal did not show a code"
    );
    assert_eq!(
        demo.text_of(".ow-reveal[aria-pressed=true]")
            .await
            .unwrap()
            .split(" (")
            .next(),
        Some("Hide")
    );

    demo.click("[part~=copy-button]").await.unwrap();
    demo.wait_for_text("Copied", Duration::from_secs(5))
        .await
        .unwrap();
    let events = demo.events().await.unwrap();
    let copies: Vec<&Value> = events.iter().filter(|e| e["name"] == "copy").collect();
    assert_eq!(copies.len(), 1, "events: {events:?}");
    assert_eq!(copies[0]["detail"]["ok"], Value::Bool(true));
    assert!(events.iter().any(|e| e["name"] == "reveal"));
    let recorded = serde_json::to_string(&events).unwrap();
    for code in &codes {
        assert!(!recorded.contains(code.as_str()), "an event carries a code");
    }
    demo.close().await.unwrap();
}

async fn rate_limited_order_recovers(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    // The mock answers 429 with Retry-After twice before delivering.
    demo.open("/?order=1004&provider=voucher-api")
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(demo.error_kind().await.unwrap(), None);
    demo.close().await.unwrap();
}

async fn forged_or_missing_token_shows_not_allowed(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    for query in [
        "/?order=1001&token=v2.9999999999.forged",
        "/?order=1001&token=",
    ] {
        demo.open(query).await.unwrap();
        demo.wait_for_text("sign in again", Duration::from_secs(15))
            .await
            .unwrap();
        assert_eq!(
            demo.error_kind().await.unwrap().as_deref(),
            Some("not_allowed")
        );
        assert_eq!(demo.status().await.unwrap(), "", "an order was shown");
    }
    demo.close().await.unwrap();
}

async fn partial_delivery_shows_which_item_is_pending(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    // The first item's delivery is what is checked, not when it comes.
    let demo = match Demo::start_fast(browser, Viewport::DESKTOP).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    };
    demo.open("/?order=20250004&provider=bdvoucher")
        .await
        .unwrap();
    let states = wait::until(
        "the first item delivered",
        Duration::from_secs(30),
        || async {
            let states = demo.item_states().await.unwrap();
            if states.first().map(String::as_str) == Some("delivered") {
                Ok(states)
            } else {
                Err(states)
            }
        },
    )
    .await
    .unwrap();
    assert_eq!(
        states.get(1).map(String::as_str),
        Some("in-progress"),
        "{states:?}"
    );
    demo.wait_for_text("In progress", Duration::from_secs(1))
        .await
        .unwrap();
    demo.close().await.unwrap();
}

async fn delivered_order_screenshot(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    demo.open("/?order=20250001&provider=bdvoucher")
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    demo.wait_for_text("Your codes", Duration::from_secs(5))
        .await
        .unwrap();
    let path = demo
        .screenshot(&format!("delivered-{}.png", browser.name()))
        .await
        .unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 10_000);
    demo.close().await.unwrap();
}

async fn bengali_and_arabic_label_sets_load_on_demand(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    // `<order-widget>` fetches www/labels/<language>.json under the demo's strict CSP.
    demo.open("/?order=20250001&provider=bdvoucher&locale=bn")
        .await
        .unwrap();
    demo.wait_for_text("আপনার কোড", Duration::from_secs(20))
        .await
        .unwrap();
    demo.open("/?order=20250001&provider=bdvoucher&locale=ar")
        .await
        .unwrap();
    demo.wait_for_text("رموزك", Duration::from_secs(20))
        .await
        .unwrap();
    let dir = demo
        .in_widget(
            "return root.querySelector('.ow').getAttribute('dir');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dir.as_str(), Some("rtl"));
    demo.close().await.unwrap();
}

/// `<order-widget>` shows a skeleton with an accessible "Loading your order…" status
/// from the moment it is connected, then the order in its place.
async fn skeleton_holds_the_place_until_the_order_is_shown(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    // The scenario picker: embed.js is loaded, no widget yet.
    demo.open("/").await.unwrap();
    let seen = demo
        .client()
        .execute_async(
            "const done = arguments[0];\n\
             const id = '1002';\n\
             fetch('/demo/token/' + id).then((r) => r.json()).then(({ token }) => {\n\
               const widget = document.createElement('order-widget');\n\
               widget.setAttribute('order-id', id);\n\
               widget.setAttribute('proxy', '/api/orders/{id}');\n\
               widget.setAttribute('token', token);\n\
               document.getElementById('widget-slot').append(widget);\n\
               document.getElementById('thank-you').hidden = false;\n\
               const skeleton = widget.shadowRoot.querySelector('[part=skeleton]');\n\
               const status = skeleton && skeleton.querySelector('[role=status]');\n\
               const box = skeleton && skeleton.getBoundingClientRect();\n\
               const before = { present: !!skeleton, status: status && status.textContent,\n\
                 top: box && box.top, width: box && box.width, height: box && box.height };\n\
               widget.addEventListener('order-widget:ready', () => {\n\
                 const card = widget.shadowRoot.querySelector('.ow-root .ow').getBoundingClientRect();\n\
                 done({ before, after: { skeleton: !!widget.shadowRoot.querySelector('[part=skeleton]'),\n\
                   top: card.top, width: card.width, height: card.height } });\n\
               });\n\
             });",
            vec![],
        )
        .await
        .unwrap();
    let (before, after) = (&seen["before"], &seen["after"]);
    assert_eq!(before["present"], Value::Bool(true), "{seen}");
    assert_eq!(before["status"].as_str(), Some("Loading your order…"));
    assert_eq!(
        after["skeleton"],
        Value::Bool(false),
        "the skeleton stayed: {seen}"
    );
    let number = |value: &Value| value.as_f64().unwrap_or(f64::NAN);
    assert_eq!(
        number(&before["top"]),
        number(&after["top"]),
        "moved: {seen}"
    );
    assert_eq!(number(&before["width"]), number(&after["width"]), "{seen}");
    // The reserved height is a pending order's card, give or take a line.
    let (reserved, shown) = (number(&before["height"]), number(&after["height"]));
    assert!(
        (reserved - shown).abs() <= 0.2 * shown,
        "skeleton {reserved} px, order card {shown} px: {seen}"
    );
    demo.close().await.unwrap();
}
