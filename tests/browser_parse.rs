#![cfg(target_arch = "wasm32")]
//! The wasm path of the parsers, in headless Chromium: `JSON.parse` → `JsValue` →
//! the `Node` readers → `Order`, compared with the native goldens.

use order_widget::model::{Status, VoucherKind};
use order_widget::providers::{parse, parse_value, ParseError, Provider};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! fixture {
    ($path:literal) => {
        (
            include_str!(concat!("fixtures/", $path, ".json")),
            include_str!(concat!("fixtures/", $path, ".expected.json")),
        )
    };
}

/// (vendor body, its native golden, provider)
fn cases() -> [(&'static str, &'static str, Provider); 8] {
    let (a, a_golden) = fixture!("voucher-api/spec-example");
    let (b, b_golden) = fixture!("voucher-api/loose-types");
    let (c, c_golden) = fixture!("shop/spec-example");
    let (d, d_golden) = fixture!("shop/decoration-valid");
    let (e, e_golden) = fixture!("hsmail/completed-mixed-lines");
    let (f, f_golden) = fixture!("bdvoucher/dedup-codes");
    let (g, g_golden) = fixture!("bdvoucher/large-600-codes");
    let (h, h_golden) = fixture!("voucher-api/claim-urls-filtered");
    [
        (a, a_golden, Provider::VoucherApi),
        (b, b_golden, Provider::VoucherApi),
        (c, c_golden, Provider::Shop),
        (d, d_golden, Provider::Shop),
        (e, e_golden, Provider::Hsmail),
        (f, f_golden, Provider::Bdvoucher),
        (g, g_golden, Provider::Bdvoucher),
        (h, h_golden, Provider::VoucherApi),
    ]
}

#[wasm_bindgen_test]
fn fixtures_parse_from_a_js_value_exactly_as_natively() {
    for (body, golden, provider) in cases() {
        let expected = parse(golden, Provider::Canonical).unwrap();
        let value = js_sys::JSON::parse(body).unwrap();
        assert_eq!(parse_value(&value, provider).unwrap(), expected);
        assert_eq!(parse_value(&value, Provider::Auto).unwrap(), expected);
        assert_eq!(parse(body, provider).unwrap(), expected);
    }
}

#[wasm_bindgen_test]
fn key_fields_of_the_spec_example() {
    let (body, _) = fixture!("voucher-api/spec-example");
    let order = parse(body, Provider::Auto).unwrap();
    assert_eq!(order.id, "12345");
    assert_eq!(order.number, "ORD-ABC123");
    assert_eq!(order.status, Status::Delivered);
    assert!(order.terminal);
    assert_eq!(order.total.unwrap().amount, "25.00");
    let voucher = &order.vouchers[0];
    assert_eq!(voucher.code, "1234567890123456");
    assert_eq!(voucher.pin.as_deref(), Some("1234"));
    assert_eq!(
        voucher.claim_url.as_deref(),
        Some("https://redeem.example.com/abc123xyz")
    );
    assert_eq!(voucher.kind, VoucherKind::Code);
}

#[wasm_bindgen_test]
fn numbers_are_formatted_by_javascript_without_float_noise() {
    let body = r#"{"id": 1, "reference_code": "R", "status": "pending", "amount": 1250.5, "denomination": 1250.0, "quantity": "2"}"#;
    let order = parse(body, Provider::VoucherApi).unwrap();
    assert_eq!(order.total.unwrap().amount, "1250.5");
    let item = &order.items[0];
    assert_eq!(item.unit_price.as_ref().unwrap().amount, "1250");
    assert_eq!(item.quantity, Some(2));
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
            Provider::Shop
        ),
        Err(ParseError::Vendor {
            message: "Order not found".into()
        })
    );
    let pairs = js_sys::JSON::parse(r#"[["id", 1], ["order_number", "10000001"]]"#).unwrap();
    assert!(matches!(
        parse_value(&pairs, Provider::Auto),
        Err(ParseError::Unrecognized { .. })
    ));
    assert!(matches!(
        parse_value(&wasm_bindgen::JsValue::from_f64(3.0), Provider::Bdvoucher),
        Err(ParseError::Unrecognized { .. })
    ));
}

#[wasm_bindgen_test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let levels = 50_000;
    let body = format!(
        r#"{{"id": 1, "order_number": "1", "status": "SUCCEEDED", "items": {}0{}}}"#,
        "[".repeat(levels),
        "]".repeat(levels)
    );
    assert!(matches!(
        parse(&body, Provider::Auto),
        Err(ParseError::Unrecognized { .. })
    ));
    // JSON.parse itself copes with this depth; the value must be refused, not walked.
    if let Ok(value) = js_sys::JSON::parse(&body) {
        assert!(parse_value(&value, Provider::Bdvoucher).is_err());
    }
}
