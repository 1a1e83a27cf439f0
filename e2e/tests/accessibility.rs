//! Accessibility of the real demo in Chromium and Firefox: axe-core finds no
//! WCAG 2.1 AA violation in any state the customer meets, and the codes can be
//! revealed and copied with the keyboard alone.

use std::time::Duration;

use e2e::{axe, in_both_browsers, wait, Browser, Demo, Viewport, ONE_AT_A_TIME};
use fantoccini::key::Key;
use serde_json::{json, Value};

in_both_browsers!(
    no_wcag_violation_in_any_state,
    keyboard_alone_reaches_and_works_every_code_control,
    focus_survives_the_automatic_re_mask,
);

async fn start(browser: Browser) -> Demo {
    match Demo::start(browser, Viewport::DESKTOP).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    }
}

async fn no_wcag_violation_in_any_state(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    let mut found = Vec::new();
    for (state, path) in [
        ("delivered", "/?order=20250001&provider=bdvoucher"),
        ("pending", "/?order=1002&provider=voucher-api"),
        ("error", "/?order=1404&provider=voucher-api"),
        ("500 codes", "/?order=20250500&provider=bdvoucher"),
        ("pickup code", "/?order=SHOP-PICKUP-1&provider=shop"),
        ("Arabic", "/?order=20250001&provider=bdvoucher&locale=ar"),
    ] {
        demo.open(path).await.unwrap();
        match state {
            "pending" => {
                demo.wait_for_status("pending", Duration::from_secs(20))
                    .await
            }
            "error" => demo
                .wait_for_text("could not find", Duration::from_secs(20))
                .await
                .map(drop),
            // Its mock delivers 500 codes ~3 s after the first request.
            "500 codes" => {
                demo.wait_for_status("delivered", Duration::from_secs(45))
                    .await
            }
            // Its mock delivers a pickup and a return code ~8 s after the first request.
            "pickup code" => {
                demo.wait_for_status("delivered", Duration::from_secs(45))
                    .await
            }
            "Arabic" => demo
                .wait_for_text("رموزك", Duration::from_secs(20))
                .await
                .map(drop),
            _ => {
                demo.wait_for_status("delivered", Duration::from_secs(20))
                    .await
            }
        }
        .unwrap();
        if state == "500 codes" {
            let rows = demo
                .in_widget(
                    "return root.querySelectorAll('[part~=code]').length;",
                    vec![],
                )
                .await
                .unwrap();
            assert!(rows.as_u64() >= Some(500), "{rows} code rows");
        }
        let violations = axe::violations(demo.client()).await.unwrap();
        if !violations.is_empty() {
            found.push(json!({ "state": state, "violations": violations }));
        }
        // Revealed codes are in the DOM (fetched on the press), with their "Show QR"
        // actions; a pickup code with its QR code: check them too.
        let revealed = match state {
            "delivered" => Some(("revealed", ".ow-reveal-all", "[part~=code-text]")),
            "pickup code" => Some((
                "QR code shown",
                "[data-kind=pickup_code] .ow-reveal",
                "svg[part=qr]",
            )),
            _ => None,
        };
        if let Some((name, button, shown)) = revealed {
            demo.click(button).await.unwrap();
            demo.wait_for_element(shown, TIMEOUT).await.unwrap();
            let violations = axe::violations(demo.client()).await.unwrap();
            if !violations.is_empty() {
                found.push(json!({ "state": name, "violations": violations }));
            }
        }
    }
    assert!(
        found.is_empty(),
        "axe-core, WCAG 2.1 AA: {:#}",
        Value::Array(found)
    );
    demo.close().await.unwrap();
}

/// What has the keyboard focus in the widget, and whether it is where the Tab order
/// says it should be: right after the previously focused element in DOM order.
#[derive(Debug)]
struct Focus {
    in_widget: bool,
    /// Stable per element: a re-rendered (replaced) button gets a new one.
    id: u64,
    index: i64,
    expected_index: i64,
    classes: String,
    pressed: Option<String>,
    href: bool,
    visible: bool,
}

impl Focus {
    fn is(&self, class: &str) -> bool {
        self.classes.split(' ').any(|c| c == class)
    }
}

/// How long a key press may take to show its effect.
const TIMEOUT: Duration = Duration::from_secs(10);

const FOCUS: &str = "\
const focusables = root ? [...root.querySelectorAll(\
  'button:not([disabled]), a[href], input:not([disabled]), textarea, select, [tabindex]:not([tabindex=\"-1\"])')]\
  .filter((element) => element.getClientRects().length > 0) : [];\n\
const element = root && document.activeElement === host ? root.activeElement : null;\n\
window.__ids ??= new WeakMap();\n\
const previous = window.__focused;\n\
window.__focused = element;\n\
if (!element) return { in_widget: false };\n\
if (!window.__ids.has(element)) window.__ids.set(element, (window.__lastId = (window.__lastId || 0) + 1));\n\
const style = getComputedStyle(element);\n\
return {\n\
  in_widget: true, id: window.__ids.get(element), index: focusables.indexOf(element),\n\
  expected_index: previous && focusables.includes(previous) ? focusables.indexOf(previous) + 1 : 0,\n\
  classes: element.className, pressed: element.getAttribute('aria-pressed'),\n\
  href: element.tagName === 'A' && element.hasAttribute('href'),\n\
  visible: element.matches(':focus-visible') && style.outlineStyle !== 'none'\n\
    && parseFloat(style.outlineWidth) >= 2,\n\
};";

async fn focus(demo: &Demo) -> Focus {
    let value = demo.in_widget(FOCUS, vec![]).await.unwrap();
    let text = |key: &str| value[key].as_str().map(str::to_owned);
    Focus {
        in_widget: value["in_widget"] == Value::Bool(true),
        id: value["id"].as_u64().unwrap_or_default(),
        index: value["index"].as_i64().unwrap_or(-1),
        expected_index: value["expected_index"].as_i64().unwrap_or(-1),
        classes: text("classes").unwrap_or_default(),
        pressed: text("pressed"),
        href: value["href"] == Value::Bool(true),
        visible: value["visible"] == Value::Bool(true),
    }
}

/// Presses Tab until the focus is in the widget (from the page's start).
async fn tab_into_widget(demo: &Demo) -> Focus {
    for _ in 0..40 {
        demo.press(Key::Tab).await.unwrap();
        let now = focus(demo).await;
        if now.in_widget {
            return now;
        }
    }
    panic!("40 Tab presses never reached the widget");
}

async fn copy_events(demo: &Demo) -> usize {
    let events = demo.events().await.unwrap();
    events
        .iter()
        .filter(|event| event["name"] == "copy")
        .count()
}

async fn keyboard_alone_reaches_and_works_every_code_control(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    // One voucher: card number, PIN, and a claim URL that shows only while revealed.
    demo.open("/?order=1001&provider=voucher-api")
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    demo.record_events().await.unwrap();

    let mut now = tab_into_widget(&demo).await;
    let (mut reveals, mut copies, mut redeems) = (0, 0, 0);
    while now.in_widget {
        assert_eq!(now.index, now.expected_index, "out of Tab order: {now:?}");
        assert!(now.visible, "no visible focus indicator: {now:?}");
        if now.is("ow-reveal") || now.is("ow-reveal-all") {
            reveals += 1;
            // Enter toggles, Space toggles back, and it is left revealed (so the
            // redeem link shows); the focus stays on the button throughout.
            let shown = now.pressed.as_deref() == Some("true");
            let mut keys = vec![(Key::Enter, !shown), (Key::Space, shown)];
            if !shown {
                keys.push((Key::Enter, true));
            }
            for (key, pressed) in keys {
                demo.press(key).await.unwrap();
                // A reveal fetches the withheld code first ("Revealing…").
                let expected = Some(if pressed { "true" } else { "false" });
                let after = wait::until("the button's new state", TIMEOUT, || async {
                    let after = focus(&demo).await;
                    if after.pressed.as_deref() == expected {
                        Ok(after)
                    } else {
                        Err(after)
                    }
                })
                .await
                .unwrap();
                assert_eq!(after.id, now.id, "the focus left the button: {after:?}");
                assert!(after.visible, "the focus indicator vanished: {after:?}");
            }
        } else if now.is("ow-copy") {
            copies += 1;
            let before = copy_events(&demo).await;
            demo.press(Key::Enter).await.unwrap();
            demo.press(Key::Space).await.unwrap();
            wait::until(
                "a copy event for Enter and one for Space",
                TIMEOUT,
                || async {
                    let events = copy_events(&demo).await;
                    if events == before + 2 {
                        Ok(())
                    } else {
                        Err(events)
                    }
                },
            )
            .await
            .unwrap();
            assert_eq!(
                focus(&demo).await.id,
                now.id,
                "the focus left the copy button"
            );
        } else if now.is("ow-redeem") {
            assert!(now.href, "Redeem is a link: {now:?}");
            redeems += 1;
        }
        demo.press(Key::Tab).await.unwrap();
        now = focus(&demo).await;
    }
    // Reveal all + the code's and the PIN's own; Copy all + theirs; the claim link.
    assert!(reveals >= 3, "{reveals} reveal buttons reached");
    assert!(copies >= 3, "{copies} copy buttons reached");
    assert_eq!(redeems, 1, "the redeem link was not reached");
    demo.close().await.unwrap();
}

async fn focus_survives_the_automatic_re_mask(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    demo.open("/?order=1001&provider=voucher-api&reveal-timeout=2")
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    let mut now = tab_into_widget(&demo).await;
    while !now.is("ow-reveal") {
        assert!(now.in_widget, "no reveal button in the Tab order");
        demo.press(Key::Tab).await.unwrap();
        now = focus(&demo).await;
    }
    demo.press(Key::Enter).await.unwrap();
    // Fetched on the press, then shown.
    wait::until("the code shown", TIMEOUT, || async {
        let focus = focus(&demo).await;
        if focus.pressed.as_deref() == Some("true") {
            Ok(())
        } else {
            Err(focus)
        }
    })
    .await
    .unwrap();
    // The reveal timeout is 2 s.
    let after = wait::until("the code masked again", TIMEOUT, || async {
        let focus = focus(&demo).await;
        if focus.pressed.as_deref() == Some("false") {
            Ok(focus)
        } else {
            Err(focus)
        }
    })
    .await
    .unwrap();
    assert_eq!(
        after.id, now.id,
        "the re-mask took the focus away: {after:?}"
    );
    assert!(after.visible, "the focus indicator vanished: {after:?}");
    demo.close().await.unwrap();
}
