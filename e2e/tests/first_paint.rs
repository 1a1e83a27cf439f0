//! The server-rendered first paint on the real demo (`order-proxy serve --mock`, the built
//! widget) in headless Chromium and Firefox: what the page's HTML holds, the client's
//! render taking the server's card's place (one card, the DOM of a client-only render,
//! Reveal and Copy working, one first request), another order's token refused, axe-core.
//! With JavaScript disabled (Chromium's `Emulation.setScriptExecutionDisabled`): the page
//! shows the order, passes axe-core, and looks the same as after the take-over; no layout
//! shift (`PerformanceObserver` `layout-shift`). Firefox with `javascript.enabled` off shows
//! the order too.

use std::time::Duration;

use e2e::{
    axe, cdp, http, in_both_browsers, proxy_binary, Browser, Demo, Proxy, Session, Viewport,
    ONE_AT_A_TIME,
};
use serde_json::{json, Value};

in_both_browsers!(
    the_page_holds_the_order_without_a_secret_and_the_client_takes_over,
    another_orders_token_gets_no_fragment,
);

mod without_javascript {
    #[tokio::test]
    async fn chromium() {
        super::without_javascript_the_order_shows_and_looks_as_after_the_take_over().await
    }

    #[tokio::test]
    async fn firefox() {
        super::without_javascript_firefox_shows_the_order().await
    }
}

const ORDER: &str = "1001";
const PAGE: &str = "/?order=1001&provider=voucher-api";

async fn start(browser: Browser) -> Demo {
    match Demo::start(browser, Viewport::DESKTOP).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    }
}

/// Every code and PIN of the order, as order-proxy reveals them to the test.
async fn secrets(demo: &Demo) -> Vec<String> {
    let codes = demo.codes(ORDER).await.unwrap();
    let secrets: Vec<String> = codes
        .iter()
        .flat_map(|revealed| [&revealed["code"], &revealed["pin"]])
        .filter_map(|secret| secret.as_str().map(str::to_owned))
        .collect();
    assert!(!secrets.is_empty(), "the mock order has codes");
    secrets
}

/// The card's markup under the widget's shadow root (the client's `.ow-root`).
async fn client_card(demo: &Demo) -> String {
    let value = demo
        .in_widget(
            "const roots = root ? root.querySelectorAll('.ow-root') : [];\n\
             return roots.length === 1 ? roots[0].innerHTML : `${roots.length} client roots`;",
            vec![],
        )
        .await
        .unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

async fn the_page_holds_the_order_without_a_secret_and_the_client_takes_over(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;

    // The page as the server sends it.
    let page = http::get(&format!("{}{PAGE}", demo.base)).await.unwrap();
    assert!(page.status.is_success(), "{}", page.status);
    let html = page.body;
    assert!(
        html.contains(r#"<template shadowrootmode="open">"#),
        "{html}"
    );
    assert!(html.contains(r#"data-status="delivered""#), "the status");
    assert!(html.contains(r#"class="ow-item""#), "the items");
    assert!(
        html.contains(r#"class="ow-code-mask">•"#),
        "the masked codes"
    );
    assert!(
        !html.contains("/demo/token"),
        "no token request from the page"
    );
    for secret in secrets(&demo).await {
        assert!(!html.contains(&secret), "a code or PIN is in the page");
    }

    // The client's render takes the server's card's place: one card, as a client-only page.
    demo.open(PAGE).await.unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    let cards = demo
        .in_widget("return root.querySelectorAll('section.ow').length;", vec![])
        .await
        .unwrap();
    assert_eq!(cards, json!(1), "exactly one card after the take-over");
    let first_requests = demo
        .client()
        .execute(
            "return performance.getEntriesByType('resource')\
               .filter((entry) => new URL(entry.name).pathname === arguments[0]).length;",
            vec![json!(format!("/api/orders/{ORDER}"))],
        )
        .await
        .unwrap();
    assert_eq!(first_requests, json!(1), "the element mounted once");
    let taken_over = client_card(&demo).await;
    let violations = axe::violations(demo.client()).await.unwrap();
    assert!(
        violations.is_empty(),
        "after the take-over: {violations:#?}"
    );

    demo.open(&format!("{PAGE}&first-paint=0")).await.unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(
        taken_over,
        client_card(&demo).await,
        "the client-only render"
    );

    // Reveal and Copy work on the page that was server-rendered.
    demo.open(PAGE).await.unwrap();
    demo.record_events().await.unwrap();
    demo.click(".ow-reveal").await.unwrap();
    demo.wait_for_element("[part~=code-text]", Duration::from_secs(10))
        .await
        .unwrap();
    demo.click("[part~=copy-button]").await.unwrap();
    demo.wait_for_text("Copied", Duration::from_secs(5))
        .await
        .unwrap();
    demo.close().await.unwrap();
}

async fn another_orders_token_gets_no_fragment(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    let other = demo.token("1003").await.unwrap();
    let view = |token: String| format!("{}/api/orders/{ORDER}/view?token={token}", demo.base);
    let refused = http::get(&view(other)).await.unwrap();
    assert_eq!(refused.status.as_u16(), 403, "{}", refused.body);
    assert!(!refused.body.contains("<template"), "{}", refused.body);
    let own = http::get(&view(demo.token(ORDER).await.unwrap()))
        .await
        .unwrap();
    assert_eq!(own.status.as_u16(), 200, "{}", own.body);
    assert!(own.body.starts_with("<template shadowrootmode=\"open\">"));
    demo.close().await.unwrap();
}

/// The widget alone, with the page's scenario picker out of the way (the page lays it out
/// beside the widget, and its list loads only with the page's script).
async fn widget_screenshot(demo: &Demo) -> Vec<u8> {
    demo.client()
        .execute(
            "document.getElementById('picker').style.display = 'none';",
            vec![],
        )
        .await
        .unwrap();
    let widget = demo
        .client()
        .find(fantoccini::Locator::Css("order-widget"))
        .await
        .unwrap();
    widget.screenshot().await.unwrap()
}

/// How many pixels of two PNG screenshots differ (decoded by the page's canvas).
async fn differing_pixels(demo: &Demo, before: &[u8], after: &[u8]) -> Value {
    use base64::Engine as _;
    let url = |png: &[u8]| {
        let data = base64::engine::general_purpose::STANDARD.encode(png);
        json!(format!("data:image/png;base64,{data}"))
    };
    demo.client()
        .execute_async(
            "const [a, b, done] = arguments;\n\
             const load = (src) => new Promise((ok) => { const i = new Image(); i.onload = () => ok(i); i.src = src; });\n\
             Promise.all([load(a), load(b)]).then(([x, y]) => {\n\
               if (x.width !== y.width || x.height !== y.height) return done({ size: [x.width, x.height, y.width, y.height] });\n\
               const pixels = (image) => { const c = document.createElement('canvas'); c.width = image.width; c.height = image.height;\n\
                 const g = c.getContext('2d'); g.drawImage(image, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; };\n\
               const p = pixels(x), q = pixels(y); let differ = 0;\n\
               for (let i = 0; i < p.length; i += 4) {\n\
                 if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 24) differ += 1;\n\
               }\n\
               done({ differ, total: p.length / 4 });\n\
             });",
            vec![url(before), url(after)],
        )
        .await
        .unwrap()
}

async fn without_javascript_the_order_shows_and_looks_as_after_the_take_over() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(Browser::Chromium).await;
    let client = demo.client();

    cdp::execute(
        client,
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    )
    .await
    .unwrap();
    demo.goto(PAGE).await.unwrap();
    let text = demo.text().await.unwrap_or_default();
    // WebDriver's scripts still run with the page's scripts disabled.
    assert!(text.contains("Delivered"), "{text}");
    assert!(text.contains("Hidden code ending"), "{text}");
    let masks = demo
        .in_widget(
            "return [...root.querySelectorAll('.ow-first-paint .ow-code-mask')].length;",
            vec![],
        )
        .await
        .unwrap();
    assert!(masks.as_u64().unwrap_or(0) > 0, "masked codes: {masks}");
    let items = demo
        .in_widget(
            "return root.querySelectorAll('.ow-first-paint [part~=item]').length;",
            vec![],
        )
        .await
        .unwrap();
    assert!(items.as_u64().unwrap_or(0) > 0, "items: {items}");
    // Scripts back on: this page's never ran, so it still shows the server's card, and
    // axe-core (an injected script) can run on it.
    cdp::execute(
        client,
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": false }),
    )
    .await
    .unwrap();
    let violations = axe::violations(client).await.unwrap();
    assert!(
        violations.is_empty(),
        "before the take-over: {violations:#?}"
    );
    let still = demo
        .in_widget("return !!root.querySelector('.ow-first-paint');", vec![])
        .await
        .unwrap();
    assert_eq!(still, json!(true), "the server's card was checked");
    let before = widget_screenshot(&demo).await;
    std::fs::create_dir_all(e2e::repo_root().join("target/e2e")).unwrap();
    std::fs::write(
        e2e::repo_root().join("target/e2e/first-paint-before.png"),
        &before,
    )
    .unwrap();

    // The page's own shift is not the widget's: its scenario list, asked for after the
    // widget has shown the order, grows the page's grid (the widget's column moves a few
    // pixels). Shifts from before that answer arrived are the page's load and the take-over.
    demo.open(PAGE).await.unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    let shift = demo
        .client()
        .execute_async(
            "const done = arguments[0]; const shifts = [];\n\
             new PerformanceObserver((list) => { for (const e of list.getEntries()) shifts.push({ value: e.value, at: e.startTime,\
               sources: e.sources.map((s) => `${s.node && (s.node.nodeName + '.' + (s.node.className || ''))} ${JSON.stringify(s.previousRect)} -> ${JSON.stringify(s.currentRect)}`) }); })\
               .observe({ type: 'layout-shift', buffered: true });\n\
             setTimeout(() => {\n\
               const list = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/demo/scenarios'));\n\
               const shown = performance.getEntriesByName('order-widget:shown')[0];\n\
               done({ shifts, list: list ? list.responseEnd : null, shown: shown ? shown.startTime : null });\n\
             }, 500);",
            vec![],
        )
        .await
        .unwrap();
    let shown = shift["shown"]
        .as_f64()
        .expect("the order-widget:shown mark");
    let list = shift["list"].as_f64().unwrap_or(f64::INFINITY);
    assert!(
        shown < list,
        "the take-over came before the page's own change: {shift:#}"
    );
    let total: f64 = shift["shifts"]
        .as_array()
        .map(|shifts| {
            shifts
                .iter()
                .filter(|entry| entry["at"].as_f64().unwrap_or(0.0) < list)
                .filter_map(|entry| entry["value"].as_f64())
                .sum()
        })
        .unwrap_or(f64::NAN);
    assert_eq!(total, 0.0, "layout shift caused by the widget: {shift:#}");
    let after = widget_screenshot(&demo).await;
    std::fs::write(
        e2e::repo_root().join("target/e2e/first-paint-after.png"),
        &after,
    )
    .unwrap();
    let compared = differing_pixels(&demo, &before, &after).await;
    println!("screenshots before and after the take-over: {compared}");
    let differ = compared["differ"].as_u64().unwrap_or(u64::MAX);
    assert!(
        differ <= 50,
        "the take-over changed what the customer sees: {compared}"
    );
    demo.close().await.unwrap();
}

/// Firefox with `javascript.enabled` off: the server's card is the page (read through
/// WebDriver's shadow-root commands, no script).
async fn without_javascript_firefox_shows_the_order() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let proxy = Proxy::start(&proxy_binary().unwrap(), &[]).await.unwrap();
    let session = Session::firefox_without_javascript(Viewport::DESKTOP)
        .await
        .unwrap();
    let demo = Demo::on_page(proxy.base.clone(), proxy, session);
    demo.goto(PAGE).await.unwrap();
    let client = demo.client();
    let root = client
        .find(fantoccini::Locator::Css("order-widget"))
        .await
        .unwrap()
        .shadow_root()
        .await
        .unwrap();
    let card = root
        .find(fantoccini::Locator::Css(".ow-first-paint"))
        .await
        .unwrap();
    let text = card.text().await.unwrap();
    assert!(text.contains("Delivered"), "{text}");
    assert!(text.contains("Qty 1"), "the items: {text}");
    assert!(
        text.contains("\u{2022}\u{2022}\u{2022}\u{2022}"),
        "masked codes: {text}"
    );
    let secrets = secrets(&demo).await;
    for secret in secrets {
        assert!(!text.contains(&secret), "a code or PIN is shown");
    }
    let root_client = root.find(fantoccini::Locator::Css(".ow-root")).await;
    assert!(root_client.is_err(), "no script ran: no client render");
    demo.session.close().await.unwrap();
}
