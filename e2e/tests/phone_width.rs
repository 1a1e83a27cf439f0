//! The demo on a phone-sized viewport (375 × 740, two device pixels per CSS pixel):
//! nothing is wider than the screen, revealed codes wrap inside their row;
//! screenshots under `target/e2e/`. Chromium only: it emulates the phone through
//! DevTools, while a headless Firefox window cannot be narrower than 500 CSS px.

use std::time::Duration;

use e2e::{wait, Browser, Demo, Viewport, ONE_AT_A_TIME};
use serde_json::Value;

/// Every element of the page and of the widget that sticks out of the viewport.
const OVERFLOW: &str = "\
const width = document.documentElement.clientWidth;\n\
const describe = (element) => element.tagName.toLowerCase()\n\
  + (element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '');\n\
const outside = [];\n\
if (document.documentElement.scrollWidth > width) outside.push('the page scrolls sideways: ' + document.documentElement.scrollWidth);\n\
for (const element of [...document.querySelectorAll('body *'), ...(root ? root.querySelectorAll('*') : [])]) {\n\
  const box = element.getBoundingClientRect();\n\
  if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) outside.push(`${describe(element)} ${box.left}..${box.right}`);\n\
}\n\
return { width, outside };";

#[tokio::test]
async fn nothing_overflows_a_phone_screen() {
    let browser = Browser::Chromium;
    let _turn = ONE_AT_A_TIME.lock().await;
    // The layout of delivered orders is checked, not when they are delivered.
    let demo = match Demo::start_fast(browser, Viewport::PHONE).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    };
    for (name, order, codes) in [("delivered", "20250001", 3), ("500-codes", "20250500", 500)] {
        demo.open(&format!("/?order={order}&provider=bdvoucher"))
            .await
            .unwrap();
        // The bulk order's mock delivers ~3 s (at --mock-speed 4, < 1 s) after the first request.
        demo.wait_for_status("delivered", Duration::from_secs(45))
            .await
            .unwrap();
        // Revealed (fetched on the press), the codes are at their longest.
        demo.click(".ow-reveal-all").await.unwrap();
        let what = format!("{name}: {codes} codes revealed");
        wait::until(&what, Duration::from_secs(10), || async {
            let shown = demo
                .in_widget(
                    "return root.querySelectorAll('[part~=code-text]').length;",
                    vec![],
                )
                .await?;
            if shown.as_u64() == Some(codes) {
                Ok(())
            } else {
                Err(shown)
            }
        })
        .await
        .unwrap();

        let measured = demo.in_widget(OVERFLOW, vec![]).await.unwrap();
        assert_eq!(
            measured["width"].as_u64(),
            Some(u64::from(Viewport::PHONE.width)),
            "{name}: the viewport is not phone-sized: {measured}"
        );
        let outside = measured["outside"].as_array().cloned().unwrap_or_default();
        assert!(
            outside.is_empty(),
            "{name}: {} elements overflow the screen: {:#}",
            outside.len(),
            Value::Array(outside.into_iter().take(10).collect())
        );
        demo.screenshot(&format!("phone-{name}-{}.png", browser.name()))
            .await
            .unwrap();
    }
    demo.close().await.unwrap();
}
