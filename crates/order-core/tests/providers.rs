#![cfg(not(target_arch = "wasm32"))]
//! Every fixture under `tests/fixtures/<provider>/` against its golden file, plus the
//! tricky mapping rules one by one.
//!
//! `X.json` is a vendor body; `X.expected.json` is the whole canonical `Order` it must
//! become, `X.expected-error.txt` the error text it must give instead.
//! `UPDATE_FIXTURES=1 cargo test --test providers` rewrites the goldens: review every
//! change by hand, they are the specification.

use std::fs;
use std::path::{Path, PathBuf};

use order_core::model::{Order, Status, Vendor, VoucherKind};
use order_core::providers::{parse, ParseError, Provider};

const VENDOR_DIRS: [&str; 4] = ["hsmail", "voucher-api", "shop", "bdvoucher"];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The vendor bodies in one provider's fixture directory, sorted.
fn bodies(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_str().unwrap();
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .collect();
    paths.sort();
    paths
}

fn golden_paths(body: &Path) -> (PathBuf, PathBuf) {
    let stem = body.file_stem().unwrap().to_str().unwrap();
    (
        body.with_file_name(format!("{stem}.expected.json")),
        body.with_file_name(format!("{stem}.expected-error.txt")),
    )
}

fn pretty(order: &Order) -> String {
    serde_json::to_string_pretty(order).unwrap() + "\n"
}

/// Checks one fixture; returns a description of each mismatch.
fn check_fixture(body_path: &Path, provider: Provider, update: bool) -> Vec<String> {
    let name = body_path
        .strip_prefix(fixtures_dir())
        .unwrap()
        .display()
        .to_string();
    let text = fs::read_to_string(body_path).unwrap();
    let (golden, golden_error) = golden_paths(body_path);
    let result = parse(&text, provider);
    if update {
        match &result {
            Ok(order) => {
                fs::write(&golden, pretty(order)).unwrap();
                let _ = fs::remove_file(&golden_error);
            }
            Err(error) => {
                fs::write(&golden_error, format!("{error}\n")).unwrap();
                let _ = fs::remove_file(&golden);
            }
        }
    }
    let mut problems = Vec::new();
    let auto = parse(&text, Provider::Auto);
    match result {
        Ok(order) => {
            match fs::read_to_string(&golden) {
                Ok(expected) if expected == pretty(&order) => {}
                Ok(_) => problems.push(format!("{name}: differs from its .expected.json")),
                Err(_) => problems.push(format!("{name}: parsed, but has no .expected.json")),
            }
            if order.terminal != order.status.is_terminal() {
                problems.push(format!("{name}: terminal disagrees with status"));
            }
            if auto.as_ref() != Ok(&order) {
                problems.push(format!("{name}: Auto detection gives {auto:?}"));
            }
            let json = serde_json::to_string(&order).unwrap();
            for reader in [Provider::Canonical, Provider::Auto] {
                if parse(&json, reader).as_ref() != Ok(&order) {
                    problems.push(format!(
                        "{name}: canonical JSON does not read back ({reader})"
                    ));
                }
            }
        }
        Err(error) => {
            match fs::read_to_string(&golden_error) {
                Ok(expected) if expected.trim_end() == error.to_string() => {}
                Ok(expected) => problems.push(format!(
                    "{name}: error {error:?}, expected {:?}",
                    expected.trim_end()
                )),
                Err(_) => problems.push(format!("{name}: failed with {error:?}, no golden")),
            }
            let same_as_auto = match &error {
                ParseError::Unrecognized { .. } => {
                    matches!(auto, Err(ParseError::Unrecognized { .. }))
                }
                other => auto.as_ref() == Err(other),
            };
            if !same_as_auto {
                problems.push(format!(
                    "{name}: Auto gives {auto:?} instead of an error like {error:?}"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_fixture_matches_its_golden() {
    let update = std::env::var_os("UPDATE_FIXTURES").is_some_and(|v| v == "1");
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in VENDOR_DIRS {
        let provider: Provider = dir.parse().unwrap();
        let paths = bodies(&fixtures_dir().join(dir));
        assert!(paths.len() >= 15, "{dir}: only {} fixtures", paths.len());
        for path in paths {
            problems.extend(check_fixture(&path, provider, update));
            checked += 1;
        }
    }
    assert!(
        problems.is_empty(),
        "{} fixture problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked >= 80, "only {checked} fixtures");
}

#[test]
fn every_golden_has_a_body() {
    for dir in VENDOR_DIRS {
        for entry in fs::read_dir(fixtures_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let stem = name
                .strip_suffix(".expected.json")
                .or_else(|| name.strip_suffix(".expected-error.txt"));
            if let Some(stem) = stem {
                assert!(
                    path.with_file_name(format!("{stem}.json")).exists(),
                    "orphan {dir}/{name}"
                );
            }
        }
    }
}

#[test]
fn large_fixtures_keep_every_code() {
    let count = |file: &str, provider| {
        let text = fs::read_to_string(fixtures_dir().join(file)).unwrap();
        parse(&text, provider).unwrap().vouchers.len()
    };
    assert_eq!(
        count(
            "hsmail/large-600-codes.json",
            Provider::Vendor(Vendor::Hsmail)
        ),
        600
    );
    assert_eq!(
        count(
            "voucher-api/large-500-vouchers.json",
            Provider::Vendor(Vendor::VoucherApi)
        ),
        500
    );
    assert_eq!(
        count(
            "bdvoucher/large-600-codes.json",
            Provider::Vendor(Vendor::Bdvoucher)
        ),
        600
    );
}

fn hsmail(delivery: &str) -> Order {
    let body = serde_json::json!({
        "status": "success",
        "data": {"id": "ABCDEFGHIJKL", "productName": "P", "status": "COMPLETED",
                 "totalCost": 10, "isService": false, "deliveryData": delivery}
    });
    parse(&body.to_string(), Provider::Vendor(Vendor::Hsmail)).unwrap()
}

#[test]
fn hsmail_lines_are_split_trimmed_and_classified() {
    let order = hsmail("user@x.example:pw1\r\n\r\n  CODE-1  \r\nhttps://redeem.example/c\n\nuser | pass\r\nLabel: CODE\r\n");
    let got: Vec<(&str, VoucherKind)> = order
        .vouchers
        .iter()
        .map(|v| (v.code.value().unwrap_or_default(), v.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("user@x.example:pw1", VoucherKind::Credential),
            ("CODE-1", VoucherKind::Code),
            ("https://redeem.example/c", VoucherKind::Code),
            ("user | pass", VoucherKind::Credential),
            ("Label: CODE", VoucherKind::Code),
        ]
    );
    assert!(order.vouchers.iter().all(|v| v.item == Some(0)));
    assert_eq!(order.status, Status::Delivered);
    assert!(order.terminal);
}

#[test]
fn hsmail_service_orders_have_no_codes() {
    let body = r#"{"status":"success","data":{"id":"SERVICE00001","status":"COMPLETED","isService":true,"deliveryData":"x:y"}}"#;
    let order = parse(body, Provider::Vendor(Vendor::Hsmail)).unwrap();
    assert!(order.is_service);
    assert!(order.vouchers.is_empty());
}

#[test]
fn hsmail_manual_items_carry_their_uid() {
    let body = r#"{"status":"success","data":{"id":"MANUAL000001","status":"COMPLETED",
        "items":[{"uid":"u-1","content":" CODE-A "},{"uid":2,"content":"login:pw"}]}}"#;
    let order = parse(body, Provider::Auto).unwrap();
    let got: Vec<_> = order
        .vouchers
        .iter()
        .map(|v| {
            (
                v.code.value().unwrap_or_default(),
                v.reference.as_deref(),
                v.kind,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("CODE-A", Some("u-1"), VoucherKind::Code),
            ("login:pw", Some("2"), VoucherKind::Credential)
        ]
    );
}

#[test]
fn bdvoucher_lists_each_code_once() {
    let body = r#"{"id": 7, "order_number": "10000007", "status": "SUCCEEDED",
        "voucher_codes": ["B", "A", "Z", "A", "Z"],
        "items": [
            {"variant_id": 1, "voucher_codes": ["A", "B", "A"],
             "voucher": {"code": "B", "serial_number": "S-B", "expires_at": "2030-01-01"}},
            {"variant_id": 2, "voucher_codes": ["C", "B"]}
        ]}"#;
    let order = parse(body, Provider::Vendor(Vendor::Bdvoucher)).unwrap();
    let got: Vec<_> = order
        .vouchers
        .iter()
        .map(|v| {
            (
                v.code.value().unwrap_or_default(),
                v.item,
                v.serial.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("A", Some(0), None),
            ("B", Some(0), Some("S-B")),
            ("C", Some(1), None),
            ("Z", None, None)
        ]
    );
    assert_eq!(order.total, None);
    assert_eq!(order.status, Status::Delivered);
}

#[test]
fn bdvoucher_is_read_bare_or_wrapped() {
    let bare = r#"{"id": 9, "order_number": "10000009", "status": "PENDING", "total_amount": 500}"#;
    let wrapped = format!(r#"{{"data": {bare}}}"#);
    for provider in [Provider::Auto, Provider::Vendor(Vendor::Bdvoucher)] {
        let a = parse(bare, provider).unwrap();
        let b = parse(&wrapped, provider).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            a.status,
            Status::Processing,
            "PENDING means paid, fulfilment running"
        );
        assert_eq!(a.number, "10000009");
        assert_eq!(a.total.unwrap().currency.as_deref(), Some("BDT"));
    }
}

#[test]
fn claim_urls_must_be_absolute_http() {
    let cases = [
        ("https://redeem.example/a", true),
        ("http://redeem.example/a", true),
        ("javascript:alert(1)", false),
        ("data:text/html,x", false),
        ("/relative", false),
        ("https://bad host/", false),
        ("https://x.example/\u{0}", false),
    ];
    for (url, kept) in cases {
        let body = serde_json::json!({
            "id": 1, "reference_code": "R", "status": "delivered",
            "vouchers": [{"card_number": "C", "claim_url": url}]
        });
        let order = parse(&body.to_string(), Provider::Vendor(Vendor::VoucherApi)).unwrap();
        let expected = kept.then(|| url.to_owned());
        assert_eq!(order.vouchers[0].claim_url, expected, "{url:?}");
    }
}

#[test]
fn amounts_keep_their_decimal_text() {
    let cases = [
        (r#""25.00""#, Some("25.00")),
        ("1250.5", Some("1250.5")),
        ("1250", Some("1250")),
        ("1250.0", Some("1250")),
        ("0.1", Some("0.1")),
        ("1e2", Some("100")),
        ("-3.75", Some("-3.75")),
        (r#""1,250.00""#, None),
        ("null", None),
        ("true", None),
    ];
    for (amount, expected) in cases {
        let body = format!(
            r#"{{"id": 1, "reference_code": "R", "status": "pending", "amount": {amount}}}"#
        );
        let order = parse(&body, Provider::Vendor(Vendor::VoucherApi)).unwrap();
        assert_eq!(
            order.total.as_ref().map(|m| m.amount.as_str()),
            expected,
            "{amount}"
        );
    }
}

#[test]
fn ids_may_be_numbers_or_text() {
    for id in ["12345", r#""12345""#] {
        let body = format!(r#"{{"id": {id}, "reference_code": "R", "status": "pending"}}"#);
        assert_eq!(
            parse(&body, Provider::Vendor(Vendor::VoucherApi))
                .unwrap()
                .id,
            "12345"
        );
    }
}

#[test]
fn voucher_api_status_in_either_case() {
    for (raw, status) in [
        ("delivered", Status::Delivered),
        ("DELIVERED", Status::Delivered),
        ("Partially_Delivered", Status::PartiallyDelivered),
        ("PROCESSING", Status::Processing),
        ("cancelled", Status::Cancelled),
        ("exploded", Status::Unknown),
    ] {
        let body = format!(r#"{{"id": 1, "reference_code": "R", "status": "{raw}"}}"#);
        let order = parse(&body, Provider::Vendor(Vendor::VoucherApi)).unwrap();
        assert_eq!(order.status, status, "{raw}");
        let label = (status == Status::Unknown).then(|| raw.to_owned());
        assert_eq!(order.status_label, label);
    }
}

#[test]
fn shop_unknown_keys_keep_their_title() {
    let body = r##"{"data": {"id": "O1", "status": {"key": "with_courier", "title": "With courier",
        "decoration": {"background_color": "#fff", "foreground_color": {"light_hex": "nope", "dark_hex": "#000000"}}}}}"##;
    let order = parse(body, Provider::Vendor(Vendor::Shop)).unwrap();
    assert_eq!(order.status, Status::Unknown);
    assert_eq!(order.status_label.as_deref(), Some("With courier"));
    let colors = order.status_colors.unwrap();
    assert_eq!(colors.background.as_deref(), Some("#fff"));
    assert_eq!(colors.foreground.as_deref(), Some("#000000"));
    assert_eq!(colors.border, None);
}

#[test]
fn detection_picks_the_right_vendor() {
    let cases = [
        (
            r#"{"status":"success","data":{"id":"ABCDEFGHIJKL","productName":"P","status":"PENDING"}}"#,
            "hsmail",
        ),
        (
            r#"{"id": 1, "reference_code": "R", "status": "pending"}"#,
            "voucher-api",
        ),
        (
            r#"{"data": {"id": "O1", "status": {"key": "pending", "title": "Pending"}}}"#,
            "shop",
        ),
        (
            r#"{"id": 1, "order_number": "10000001", "status": "INITIATED"}"#,
            "bdvoucher",
        ),
        (
            r#"{"data": {"id": 1, "order_number": "10000001", "status": "INITIATED"}}"#,
            "bdvoucher",
        ),
    ];
    for (body, vendor) in cases {
        assert_eq!(
            parse(body, Provider::Auto).unwrap().vendor.as_str(),
            vendor,
            "{body}"
        );
    }
}

#[test]
fn an_explicit_provider_skips_detection_and_rejects_other_shapes() {
    let shop = r#"{"data": {"id": "O1", "status": {"key": "pending", "title": "Pending"}}}"#;
    assert_eq!(
        parse(shop, Provider::Vendor(Vendor::Hsmail)),
        Err(ParseError::Unrecognized {
            expected: "hsmail order"
        })
    );
    assert_eq!(
        parse(shop, Provider::Vendor(Vendor::Bdvoucher)),
        Err(ParseError::Unrecognized {
            expected: "bdvoucher order"
        })
    );
    assert_eq!(
        parse(shop, Provider::Vendor(Vendor::Shop))
            .unwrap()
            .vendor
            .as_str(),
        "shop"
    );
}

#[test]
fn errors_are_typed_and_quote_only_the_vendor_message() {
    assert_eq!(parse("", Provider::Auto), Err(ParseError::NotJson));
    assert_eq!(
        parse("<html>SECRET-CODE</html>", Provider::Auto),
        Err(ParseError::NotJson)
    );
    assert_eq!(
        parse("null", Provider::Auto),
        Err(ParseError::Unrecognized {
            expected: "order from a supported vendor"
        })
    );
    assert_eq!(
        parse(
            r#"{"error":"not_found","message":"No Matching Result Found!"}"#,
            Provider::Vendor(Vendor::VoucherApi)
        ),
        Err(ParseError::Vendor {
            message: "No Matching Result Found!".into()
        })
    );
    assert_eq!(
        parse(r#"{"error":"internal_error"}"#, Provider::Auto),
        Err(ParseError::Vendor {
            message: "internal_error".into()
        })
    );
    let secret = r#"{"id": {"card_number": "SECRET-CODE-123"}, "vouchers": [{"card_number": "SECRET-CODE-123"}]}"#;
    for provider in Provider::ALL {
        let error = parse(secret, provider).unwrap_err();
        assert!(!error.to_string().contains("SECRET"), "{error}");
        assert!(!format!("{error:?}").contains("SECRET"));
    }
    let long = format!(r#"{{"status":"error","message":"{}"}}"#, "x".repeat(1000));
    match parse(&long, Provider::Vendor(Vendor::Shop)) {
        Err(ParseError::Vendor { message }) => assert!(message.chars().count() <= 201),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let body = "\u{feff}{\"id\": 1, \"reference_code\": \"R\", \"status\": \"pending\"}";
    assert_eq!(
        parse(body, Provider::Vendor(Vendor::VoucherApi))
            .unwrap()
            .number,
        "R"
    );
}

#[test]
fn canonical_orders_read_back_and_are_rechecked() {
    let text = fs::read_to_string(fixtures_dir().join("voucher-api/spec-example.json")).unwrap();
    let order = parse(&text, Provider::Vendor(Vendor::VoucherApi)).unwrap();
    let json = serde_json::to_string(&order).unwrap();
    assert_eq!(parse(&json, Provider::Canonical).unwrap(), order);

    // A canonical body with lies in it: terminal wrong, unsafe URL, bad colour, bad index.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["terminal"] = false.into();
    value["vouchers"][0]["claim_url"] = "javascript:alert(1)".into();
    value["vouchers"][0]["item"] = 99.into();
    value["status_colors"] =
        serde_json::json!({"background": "url(x)", "foreground": null, "border": null});
    let order = parse(&value.to_string(), Provider::Auto).unwrap();
    assert!(order.terminal);
    assert_eq!(order.vouchers[0].claim_url, None);
    assert_eq!(order.vouchers[0].item, None);
    assert_eq!(order.status_colors, None);
}

#[test]
fn provider_names_round_trip() {
    for provider in Provider::ALL {
        assert_eq!(provider.as_str().parse::<Provider>(), Ok(provider));
        assert_eq!(
            provider.as_str().to_uppercase().parse::<Provider>(),
            Ok(provider)
        );
    }
    assert!("nope".parse::<Provider>().is_err());
}

#[test]
fn deep_nesting_is_read_or_refused_never_recursed() {
    let deep = |levels: usize| {
        format!(
            r#"{{"id": 1, "order_number": "1", "status": "SUCCEEDED", "items": {}0{}}}"#,
            "[".repeat(levels),
            "]".repeat(levels)
        )
    };
    // A nested value no field reads is skipped whole: the order is there, without items.
    for levels in [10, 120] {
        let order = parse(&deep(levels), Provider::Vendor(Vendor::Bdvoucher)).unwrap();
        assert!(order.items.is_empty(), "{levels} levels");
    }
    // Past serde_json's recursion limit the body is not JSON to us.
    assert_eq!(
        parse(&deep(100_000), Provider::Vendor(Vendor::Bdvoucher)),
        Err(ParseError::NotJson)
    );
    assert!(parse(&"[".repeat(1_000_000), Provider::Auto).is_err());
}

#[test]
fn records_are_objects_only() {
    // serde's derive would read `["CODE-1"]` by position here and by field name in the
    // browser: both refuse it (`tests/browser_parse.rs` checks the same body).
    let body = r#"{"id": 1, "reference_code": "R", "status": "delivered",
        "vouchers": [["CODE-1"], {"card_number": "CODE-2"}]}"#;
    let order = parse(body, Provider::Vendor(Vendor::VoucherApi)).unwrap();
    let codes: Vec<_> = order
        .vouchers
        .iter()
        .map(|v| v.code.value().unwrap_or_default())
        .collect();
    assert_eq!(codes, ["CODE-2"]);
}
