#![cfg(target_arch = "wasm32")]
//! The browser's reading of vendor bodies (`JSON.parse`, then serde-wasm-bindgen into the
//! same wire structs) against the native goldens: every fixture under `tests/fixtures/`
//! gives byte for byte the canonical JSON (or the error text) that serde_json gives.

use include_dir::{include_dir, Dir, File};
use order_core::model::{Order, Status, Vendor, VoucherKind};
use order_core::providers::{parse, ParseError, Provider};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

static FIXTURES: Dir = include_dir!("$CARGO_MANIFEST_DIR/crates/order-core/tests/fixtures");

const VENDOR_DIRS: [&str; 4] = ["hsmail", "voucher-api", "shop", "bdvoucher"];

fn text<'a>(file: &'a File) -> &'a str {
    file.contents_utf8().unwrap()
}

/// The same pretty JSON as the native golden files (`serde_json::to_string_pretty` + "\n").
fn pretty(order: &Order) -> String {
    serde_json::to_string_pretty(order).unwrap() + "\n"
}

#[wasm_bindgen_test]
fn every_fixture_reads_as_its_native_golden() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for dir in VENDOR_DIRS {
        let provider: Provider = dir.parse().unwrap();
        let bodies = FIXTURES.get_dir(dir).unwrap().files().filter(|file| {
            let name = file.path().to_str().unwrap();
            name.ends_with(".json") && !name.ends_with(".expected.json")
        });
        for body in bodies {
            checked += 1;
            let path = body.path().to_str().unwrap();
            let stem = path.strip_suffix(".json").unwrap();
            let golden = FIXTURES.get_file(format!("{stem}.expected.json"));
            let golden_error = FIXTURES.get_file(format!("{stem}.expected-error.txt"));
            let result = parse(text(body), provider);
            let auto = parse(text(body), Provider::Auto);
            match (&result, golden, golden_error) {
                (Ok(order), Some(golden), _) => {
                    if pretty(order) != text(golden) {
                        problems.push(format!("{path}: differs from its .expected.json"));
                    }
                    if auto.as_ref() != Ok(order) {
                        problems.push(format!("{path}: Auto detection differs"));
                    }
                }
                (Err(error), _, Some(golden)) => {
                    if error.to_string() != text(golden).trim_end() {
                        problems.push(format!("{path}: error {error:?}"));
                    }
                }
                _ => problems.push(format!("{path}: {result:?} has no golden")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 97, "only {checked} fixtures");
}

#[wasm_bindgen_test]
fn key_fields_of_the_spec_example() {
    let body = text(FIXTURES.get_file("voucher-api/spec-example.json").unwrap());
    let order = parse(body, Provider::Auto).unwrap();
    assert_eq!(order.id, "12345");
    assert_eq!(order.number, "ORD-ABC123");
    assert_eq!(order.status, Status::Delivered);
    assert!(order.terminal);
    assert_eq!(order.total.unwrap().amount, "25.00");
    let voucher = &order.vouchers[0];
    assert_eq!(voucher.code.value(), Some("1234567890123456"));
    assert_eq!(
        voucher.pin.as_ref().and_then(|pin| pin.value()),
        Some("1234")
    );
    assert_eq!(
        voucher.claim_url.as_deref(),
        Some("https://redeem.example.com/abc123xyz")
    );
    assert_eq!(voucher.kind, VoucherKind::Code);
}

#[wasm_bindgen_test]
fn numbers_read_as_natively() {
    let body = r#"{"id": 1, "reference_code": "R", "status": "pending", "amount": 1250.5, "denomination": 1e2, "quantity": "2"}"#;
    let order = parse(body, Provider::Vendor(Vendor::VoucherApi)).unwrap();
    assert_eq!(order.total.unwrap().amount, "1250.5");
    let item = &order.items[0];
    assert_eq!(item.unit_price.as_ref().unwrap().amount, "100");
    assert_eq!(item.quantity, Some(2));
}

#[wasm_bindgen_test]
fn records_are_objects_only() {
    // serde's derive would read `["CODE"]` by position natively but not in the browser:
    // both refuse it.
    let body = r#"{"id": 1, "reference_code": "R", "status": "delivered",
        "vouchers": [["CODE-1"], {"card_number": "CODE-2"}]}"#;
    let order = parse(body, Provider::Vendor(Vendor::VoucherApi)).unwrap();
    let codes: Vec<_> = order
        .vouchers
        .iter()
        .filter_map(|v| v.code.value())
        .collect();
    assert_eq!(codes, ["CODE-2"]);
}

#[wasm_bindgen_test]
fn errors_in_the_browser() {
    assert_eq!(
        parse("<html>502</html>", Provider::Auto),
        Err(ParseError::NotJson)
    );
    assert_eq!(
        parse(
            r#"{"status":"error","message":"Order not found"}"#,
            Provider::Vendor(Vendor::Shop)
        ),
        Err(ParseError::Vendor {
            message: "Order not found".into()
        })
    );
    for body in [r#"[["id", 1], ["order_number", "10000001"]]"#, "3", "null"] {
        assert!(
            matches!(
                parse(body, Provider::Auto),
                Err(ParseError::Unrecognized { .. })
            ),
            "{body}"
        );
    }
}

/// `JSON.parse` reads any depth, and nothing recurses into the value no field reads: the
/// order is read without its (unreadable) items, and the stack never overflows.
#[wasm_bindgen_test]
fn deep_nesting_never_overflows_the_stack() {
    for levels in [50_000, 500_000] {
        let body = format!(
            r#"{{"id": 1, "order_number": "1", "status": "SUCCEEDED", "items": {}0{}}}"#,
            "[".repeat(levels),
            "]".repeat(levels)
        );
        let order = parse(&body, Provider::Auto).expect("read");
        assert_eq!(order.id, "1");
        assert!(order.items.is_empty());
    }
}
