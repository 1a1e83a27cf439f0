//! Codes on demand in the real demo, headless Chromium and Firefox: order-proxy serves
//! each order with its codes withheld, and the widget asks for them only when the
//! customer presses a button. What the page received (Chromium's DevTools Network log,
//! a recorder in the page in Firefox) holds no code until a reveal, then exactly the
//! revealed one; Copy reaches the clipboard from one press (read back); a pickup code's
//! QR code decodes (zbarimg) to the code; the bulk order's CSV holds its 500 codes and
//! is saved within a second of the press; the shop's item labels name bdvoucher's items.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use e2e::{cdp, in_both_browsers, wait, Browser, Demo, Viewport, ONE_AT_A_TIME};
use serde_json::{json, Value};

in_both_browsers!(
    the_page_receives_no_code_until_a_reveal_then_only_that_one,
    copy_puts_the_code_on_the_clipboard_from_one_press,
    the_qr_code_of_a_pickup_code_decodes_to_the_code,
    the_csv_of_the_bulk_order_holds_every_code,
    the_shop_names_the_items_bdvoucher_leaves_unnamed,
);

/// How long a press may take to show what it fetched.
const PRESS: Duration = Duration::from_secs(10);
const FIRST_ROW: &str = ".ow-code:first-of-type";

async fn start(browser: Browser) -> Demo {
    match Demo::start(browser, Viewport::DESKTOP).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    }
}

async fn start_fast(browser: Browser, viewport: Viewport) -> Demo {
    match Demo::start_fast(browser, viewport).await {
        Ok(demo) => demo,
        Err(message) => panic!("{message}"),
    }
}

/// Every code of `order` as order-proxy reveals them, asked by the test (never the page).
async fn codes_of(demo: &Demo, order: &str) -> Vec<String> {
    let codes = demo.codes(order).await.unwrap();
    let codes: Vec<String> = codes
        .iter()
        .filter_map(|revealed| revealed["code"].as_str())
        .map(str::to_owned)
        .collect();
    assert!(!codes.is_empty(), "{order}: the mock delivered no codes");
    codes
}

fn mentioning<'a>(received: &'a [String], code: &str) -> Vec<&'a String> {
    received.iter().filter(|text| text.contains(code)).collect()
}

async fn the_page_receives_no_code_until_a_reveal_then_only_that_one(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    let order = "20250001";
    let codes = codes_of(&demo, order).await;
    demo.open_recording(order, "bdvoucher").await.unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    demo.wait_for_text("Your codes", Duration::from_secs(5))
        .await
        .unwrap();

    let received = demo.received().await.unwrap();
    assert!(
        received
            .iter()
            .any(|text| text.contains(r#""status":"delivered""#)),
        "the recording holds no delivered order: {received:?}"
    );
    for code in &codes {
        let found = mentioning(&received, code);
        assert!(
            found.is_empty(),
            "{code} reached the page unasked: {found:?}"
        );
    }

    demo.click(&format!("{FIRST_ROW} .ow-reveal"))
        .await
        .unwrap();
    demo.wait_for_element("[part~=code-text]", PRESS)
        .await
        .unwrap();
    let shown = demo.text_of("[part~=code-text]").await.unwrap();
    assert_eq!(shown, codes[0], "the first row shows the first code");
    let received = wait::until("the revealed code in the log", PRESS, || async {
        let received = demo.received().await?;
        if mentioning(&received, &shown).is_empty() {
            Err(format!("{} entries", received.len()))
        } else {
            Ok(received)
        }
    })
    .await
    .unwrap();
    for code in codes.iter().filter(|code| **code != shown) {
        let found = mentioning(&received, code);
        assert!(found.is_empty(), "{code} came with the reveal: {found:?}");
    }
    demo.close().await.unwrap();
}

/// Records which clipboard calls the widget makes and how each ends, in `__copyLog`.
const CLIPBOARD_SPIES: &str = "\
window.__copyLog = [];\n\
const clipboard = navigator.clipboard;\n\
const spy = (name, call) => function (...args) {\n\
  let result;\n\
  try { result = call.apply(this, args); } catch (error) { window.__copyLog.push(`${name}:threw ${error.name}`); throw error; }\n\
  if (result && typeof result.then === 'function') {\n\
    window.__copyLog.push(name);\n\
    result.then(() => window.__copyLog.push(`${name}:ok`), (error) => window.__copyLog.push(`${name}:${error.name}`));\n\
  } else {\n\
    window.__copyLog.push(`${name}:${result}`);\n\
  }\n\
  return result;\n\
};\n\
clipboard.write = spy('write', Clipboard.prototype.write.bind(clipboard));\n\
clipboard.writeText = spy('writeText', Clipboard.prototype.writeText.bind(clipboard));\n\
document.execCommand = spy('execCommand', Document.prototype.execCommand.bind(document));\n\
return null;";

async fn clipboard_text(demo: &Demo) -> String {
    let text = demo
        .client()
        .execute_async(
            "const done = arguments[0];\n\
             navigator.clipboard.readText().then(done, (error) => done(`error: ${error}`));",
            vec![],
        )
        .await
        .unwrap();
    text.as_str().unwrap_or_default().to_owned()
}

async fn copy_log(demo: &Demo) -> Vec<String> {
    let log = demo
        .client()
        .execute("return window.__copyLog.slice();", vec![])
        .await
        .unwrap();
    serde_json::from_value(log).unwrap()
}

/// Presses the Copy of row `row` (1-based) and waits for its "Copied".
async fn copy_row(demo: &Demo, row: usize) {
    let button = format!(".ow-code:nth-of-type({row}) > .ow-code-line .ow-copy");
    demo.click(&button).await.unwrap();
    let what = format!("row {row} saying Copied");
    wait::until(&what, PRESS, || async {
        let said = demo.text_of(&button).await?;
        if said.starts_with("Copied") {
            Ok(())
        } else {
            Err(said)
        }
    })
    .await
    .unwrap();
}

/// One press on Copy of a withheld code copies it: the widget hands the clipboard a
/// `ClipboardItem` holding the promise of the fetched code inside the click. Where there
/// is no `ClipboardItem` (Safari before 13.1, and here with it taken away), the code is
/// written with `writeText` once it has come, still within the press's activation.
async fn copy_puts_the_code_on_the_clipboard_from_one_press(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    let order = "20250001";
    let codes = codes_of(&demo, order).await;
    if browser == Browser::Chromium {
        cdp::execute(
            demo.client(),
            "Browser.grantPermissions",
            json!({
                "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
                "origin": demo.base,
            }),
        )
        .await
        .unwrap();
    }
    demo.open(&format!("/?order={order}&provider=bdvoucher"))
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    demo.client()
        .execute(CLIPBOARD_SPIES, vec![])
        .await
        .unwrap();

    copy_row(&demo, 1).await;
    assert_eq!(clipboard_text(&demo).await, codes[0]);
    let with_item = copy_log(&demo).await;
    println!("{}: Copy with ClipboardItem: {with_item:?}", browser.name());
    assert_eq!(with_item, ["write", "write:ok"], "{}", browser.name());
    assert!(
        !demo.html().await.unwrap().contains(&codes[0]),
        "Copy revealed the code"
    );

    demo.client()
        .execute(
            "window.ClipboardItem = undefined; window.__copyLog.length = 0; return null;",
            vec![],
        )
        .await
        .unwrap();
    copy_row(&demo, 2).await;
    assert_eq!(clipboard_text(&demo).await, codes[1]);
    let without_item = copy_log(&demo).await;
    println!(
        "{}: Copy without ClipboardItem: {without_item:?}",
        browser.name()
    );
    assert_eq!(
        without_item,
        ["writeText", "writeText:ok"],
        "{}",
        browser.name()
    );
    demo.close().await.unwrap();
}

/// `zbarimg`'s reading of the QR code in `png`.
fn decode_qr(png: &Path) -> String {
    let output = Command::new("zbarimg")
        .args(["--raw", "--quiet"])
        .arg(png)
        .output()
        .unwrap_or_else(|e| panic!("cannot run zbarimg (Debian's zbar-tools): {e}"));
    assert!(
        output.status.success(),
        "zbarimg found no QR code in {png:?}"
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

async fn the_qr_code_of_a_pickup_code_decodes_to_the_code(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start_fast(browser, Viewport::DESKTOP).await;
    let order = "SHOP-PICKUP-1";
    demo.open(&format!("/?order={order}&provider=shop"))
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(30))
        .await
        .unwrap();
    let codes = codes_of(&demo, order).await;
    let row = "[data-kind=pickup_code]";
    assert!(
        !demo.html().await.unwrap().contains("<svg"),
        "a QR code while masked"
    );

    demo.click(&format!("{row} .ow-reveal")).await.unwrap();
    let qr = format!("{row} svg[part=qr]");
    demo.wait_for_element(&qr, PRESS).await.unwrap();
    let shown = demo
        .text_of(&format!("{row} [part~=code-text]"))
        .await
        .unwrap();
    assert!(codes.contains(&shown), "{shown} is not one of {codes:?}");

    let png = demo.element(&qr).await.unwrap().screenshot().await.unwrap();
    let path = e2e::repo_root()
        .join("target/e2e")
        .join(format!("qr-{}.png", browser.name()));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, png).unwrap();
    assert_eq!(decode_qr(&path), shown);

    demo.click(&format!("{row} .ow-reveal")).await.unwrap();
    assert!(
        !demo.html().await.unwrap().contains("<svg"),
        "the QR code stayed"
    );
    demo.close().await.unwrap();
}

/// Catches the file the widget saves (its name, its text) and when: the press on
/// "Download CSV" and the click on the download link, in page time.
const CATCH_DOWNLOAD: &str = "\
window.__saved = [];\n\
const blobs = new Map();\n\
const create = URL.createObjectURL;\n\
URL.createObjectURL = (blob) => { const url = create.call(URL, blob); blobs.set(url, blob); return url; };\n\
HTMLAnchorElement.prototype.click = function () {\n\
  const savedAt = performance.now();\n\
  blobs.get(this.href).text().then((text) => window.__saved.push({ name: this.download, text, savedAt }));\n\
};\n\
root.addEventListener('click', (event) => {\n\
  if (event.composedPath().some((node) => node.classList && node.classList.contains('ow-download'))) {\n\
    window.__pressedAt = performance.now();\n\
  }\n\
}, { capture: true });\n\
return null;";

async fn the_csv_of_the_bulk_order_holds_every_code(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    let order = "20250500";
    demo.open(&format!("/?order={order}&provider=bdvoucher"))
        .await
        .unwrap();
    // Its mock delivers 500 codes ~3 s after the first request.
    demo.wait_for_status("delivered", Duration::from_secs(45))
        .await
        .unwrap();
    let codes = codes_of(&demo, order).await;
    assert_eq!(codes.len(), 500);
    demo.in_widget(CATCH_DOWNLOAD, vec![]).await.unwrap();

    demo.click(".ow-download").await.unwrap();
    let saved = wait::until("the CSV saved", PRESS, || async {
        let saved = demo
            .client()
            .execute(
                "return window.__saved.length ? { ...window.__saved[0], pressedAt: window.__pressedAt } : null;",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if saved.is_null() {
            Err("nothing yet".to_owned())
        } else {
            Ok(saved)
        }
    })
    .await
    .unwrap();
    assert_eq!(saved["name"], json!("order-20250500-codes.csv"));
    let took = saved["savedAt"].as_f64().unwrap() - saved["pressedAt"].as_f64().unwrap();
    println!(
        "{}: CSV of 500 codes saved {took:.0} ms after the press",
        browser.name()
    );
    assert!(took < 1000.0, "the CSV took {took:.0} ms");

    let text = saved["text"].as_str().unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        ["Item", "Kind", "Code", "PIN", "Expires", "Redeem URL"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let in_file: Vec<String> = rows.iter().map(|row| row[2].to_owned()).collect();
    let expected: Vec<String> = codes.iter().map(|code| neutralised(code)).collect();
    assert_eq!(in_file, expected);
    assert!(
        codes.iter().any(|code| code.starts_with('=')),
        "the bulk order has a code a spreadsheet would run"
    );
    assert!(
        !demo.html().await.unwrap().contains(&codes[0]),
        "saving revealed codes"
    );
    demo.close().await.unwrap();
}

/// What a spreadsheet-safe CSV cell holds for `code`.
fn neutralised(code: &str) -> String {
    if code.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{code}")
    } else {
        code.to_owned()
    }
}

async fn the_shop_names_the_items_bdvoucher_leaves_unnamed(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let demo = start(browser).await;
    demo.open("/?order=20250001&provider=bdvoucher")
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(20))
        .await
        .unwrap();
    let names = demo
        .in_widget(
            "return [...root.querySelectorAll('.ow-item-name')].map((name) => name.textContent);",
            vec![],
        )
        .await
        .unwrap();
    // The demo page's `item-labels` (www/demo.js), by bdvoucher's variant ids.
    assert_eq!(
        names,
        json!([
            "Free Fire 100 Diamonds (top-up)",
            "Google Play gift card 500 BDT"
        ])
    );
    let headings: Value = demo
        .in_widget(
            "return [...root.querySelectorAll('.ow-code-group-heading')].map((h) => h.textContent);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        headings, names,
        "the codes are listed under the shop's names"
    );
    demo.close().await.unwrap();
}

/// The screenshots of docs/embedding.md: the demo with a pickup code and its QR code
/// shown, desktop (1100 px) and phone (375 px) wide, into `target/e2e/`.
#[tokio::test]
async fn qr_code_screenshots() {
    let _turn = ONE_AT_A_TIME.lock().await;
    for (name, viewport) in [("desktop", Viewport::DESKTOP), ("phone", Viewport::PHONE)] {
        let demo = start_fast(Browser::Chromium, viewport).await;
        demo.open("/?order=SHOP-PICKUP-1&provider=shop")
            .await
            .unwrap();
        demo.wait_for_status("delivered", Duration::from_secs(30))
            .await
            .unwrap();
        demo.click("[data-kind=pickup_code] .ow-reveal")
            .await
            .unwrap();
        demo.wait_for_element("svg[part=qr]", PRESS).await.unwrap();
        demo.in_widget(
            "root.querySelector('[data-kind=pickup_code]').scrollIntoView({ block: 'center' });\n\
             return null;",
            vec![],
        )
        .await
        .unwrap();
        let path = demo.screenshot(&format!("qr-{name}.png")).await.unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 10_000);
        demo.close().await.unwrap();
    }
}
