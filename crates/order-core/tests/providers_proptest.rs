#![cfg(not(target_arch = "wasm32"))]
//! The parsers survive anything: arbitrary text, arbitrary JSON, and JSON shaped like each
//! vendor's body with random subsets of its fields in random types. Whenever a body parses,
//! the order keeps the border's promises.

use std::collections::BTreeSet;

use order_core::model::{Order, Vendor};
use order_core::providers::{parse, Provider};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const CASES: u32 = 10_000;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A compiled regex strategy. (A `&str` pattern used directly as a strategy is
/// recompiled for every generated value, which made these tests 10x slower.)
fn regex(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern).unwrap().boxed()
}

/// Strings that exercise the rules: codes, credentials, URLs good and bad, colours, blanks.
fn tricky_text() -> impl Strategy<Value = String> {
    prop_oneof![
        regex("[A-Za-z0-9:|@. \\-]{0,16}"),
        regex("[ \r\n\t]{0,4}"),
        Just("https://redeem.example/x".to_owned()),
        Just("javascript:alert(1)".to_owned()),
        Just("data:text/html,<b>".to_owned()),
        Just("/relative".to_owned()),
        Just("user@x.example:pw".to_owned()),
        Just("#fff".to_owned()),
        Just("#12345g".to_owned()),
        Just("25.00".to_owned()),
        Just("1,250.00".to_owned()),
        Just("error".to_owned()),
        Just("success".to_owned()),
        regex(".{0,12}"),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        tricky_text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(regex("[a-z_]{1,10}"), inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Builds vendor-shaped bodies from a seed. Plain code instead of nested proptest
/// combinators: those are ~10x slower to generate in debug builds; a failure still
/// reports its seed, which reproduces the body exactly.
struct Gen(fastrand::Rng);

impl Gen {
    const WORDS: &'static [&'static str] = &[
        "https://redeem.example/x",
        "HTTP://redeem.example/y?z=1",
        "javascript:alert(1)",
        "data:text/html,<b>",
        "/relative",
        "user@x.example:pw",
        "a|b",
        "#fff",
        "#1b5e20",
        "#12345g",
        "25.00",
        "1,250.00",
        "-3",
        "error",
        "success",
        "",
        "   ",
        "line1\r\n\r\nline2\n",
        "<script>x</script>",
    ];
    const ALPHABET: &'static [char] = &[
        'A', 'z', '0', '9', ':', '|', '@', '.', '-', ' ', '\r', '\n', '#', '"', '\\', 'é', '€',
        '\u{0}',
    ];

    fn chance(&mut self, percent: u32) -> bool {
        self.0.u32(0..100) < percent
    }

    fn pick(&mut self, words: &[&str]) -> String {
        words[self.0.usize(0..words.len())].to_owned()
    }

    fn text(&mut self) -> Value {
        if self.chance(50) {
            return Value::from(self.pick(Self::WORDS));
        }
        let length = self.0.usize(0..14);
        let text: String = (0..length)
            .map(|_| Self::ALPHABET[self.0.usize(0..Self::ALPHABET.len())])
            .collect();
        Value::from(text)
    }

    fn status(&mut self, words: &[&str]) -> Value {
        match self.0.u32(0..4) {
            0 => Value::from(self.pick(words).to_lowercase()),
            1 => self.text(),
            _ => Value::from(self.pick(words)),
        }
    }

    fn id(&mut self) -> Value {
        if self.0.bool() {
            Value::from(self.0.u64(0..100_000))
        } else {
            Value::from(format!("ID{}", self.0.u32(0..1_000_000)))
        }
    }

    fn amount(&mut self) -> Value {
        match self.0.u32(0..4) {
            0 => Value::from(self.0.u32(0..100_000)),
            1 => Value::from(self.0.f64() * 100_000.0),
            2 => Value::from(format!(
                "{}.{:02}",
                self.0.u32(0..10_000),
                self.0.u32(0..100)
            )),
            _ => self.text(),
        }
    }

    fn small(&mut self) -> Value {
        Value::from(self.0.u32(0..6))
    }

    fn any_json(&mut self, depth: u32) -> Value {
        let kinds = if depth == 0 { 6 } else { 8 };
        match self.0.u32(0..kinds) {
            0 => Value::Null,
            1 => Value::from(self.0.bool()),
            2 => Value::from(self.0.i64(..)),
            3 => serde_json::Number::from_f64(f64::from_bits(self.0.u64(..)))
                .map_or(Value::Null, Value::Number),
            4 | 5 => self.text(),
            6 => Value::Array(
                (0..self.0.usize(0..4))
                    .map(|_| self.any_json(depth - 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..self.0.usize(0..4))
                    .map(|i| (format!("k{i}"), self.any_json(depth - 1)))
                    .collect(),
            ),
        }
    }

    /// A field's value: usually plausible, sometimes absent, sometimes anything at all.
    fn field(&mut self, plausible: impl FnOnce(&mut Gen) -> Value) -> Option<Value> {
        match self.0.u32(0..10) {
            0 | 1 => None,
            2 => Some(self.any_json(2)),
            _ => Some(plausible(self)),
        }
    }

    fn list(&mut self, max: usize, element: impl Fn(&mut Gen) -> Value) -> Value {
        Value::Array((0..self.0.usize(0..=max)).map(|_| element(self)).collect())
    }

    /// The body bare, under `data`, or in hsmail's `{status: "success", data}`.
    fn wrap(&mut self, body: Value) -> Value {
        match self.0.u32(0..3) {
            0 => body,
            1 => json!({ "data": body }),
            _ => json!({ "status": "success", "data": body }),
        }
    }
}

fn object(fields: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(key, value)| Some((key.to_owned(), value?)))
            .collect::<Map<_, _>>(),
    )
}

fn hsmail_body(seed: u64) -> Value {
    let g = &mut Gen(fastrand::Rng::with_seed(seed));
    let body = object(vec![
        ("id", g.field(Gen::id)),
        ("productName", g.field(Gen::text)),
        (
            "status",
            g.field(|g| g.status(&["PENDING", "PROCESSING", "COMPLETED", "REFUNDED"])),
        ),
        ("statusMessage", g.field(Gen::text)),
        ("totalCost", g.field(Gen::amount)),
        ("isService", g.field(|g| Value::from(g.chance(20)))),
        (
            "deliveryData",
            g.field(|g| {
                let lines: Vec<String> = (0..g.0.usize(0..6))
                    .map(|_| g.text().as_str().unwrap_or_default().to_owned())
                    .collect();
                Value::from(lines.join(if g.0.bool() { "\r\n" } else { "\n" }))
            }),
        ),
        (
            "items",
            g.field(|g| {
                g.list(4, |g| {
                    object(vec![
                        ("uid", g.field(Gen::id)),
                        ("content", g.field(Gen::text)),
                    ])
                })
            }),
        ),
        ("createdAt", g.field(Gen::text)),
    ]);
    g.wrap(body)
}

fn voucher_api_body(seed: u64) -> Value {
    let g = &mut Gen(fastrand::Rng::with_seed(seed));
    let statuses = [
        "PENDING",
        "PROCESSING",
        "DELIVERED",
        "PARTIALLY_DELIVERED",
        "FAILED",
        "CANCELLED",
    ];
    let body = object(vec![
        ("id", g.field(Gen::id)),
        ("reference_code", g.field(Gen::text)),
        ("amount", g.field(Gen::amount)),
        ("product_id", g.field(Gen::id)),
        ("denomination", g.field(Gen::amount)),
        ("quantity", g.field(Gen::small)),
        (
            "vouchers",
            g.field(|g| {
                g.list(5, |g| {
                    object(vec![
                        ("card_number", g.field(Gen::text)),
                        ("pin_code", g.field(Gen::text)),
                        ("claim_url", g.field(Gen::text)),
                        ("voucher_reference_number", g.field(Gen::text)),
                        ("expires_at", g.field(Gen::text)),
                    ])
                })
            }),
        ),
        ("status", g.field(|g| g.status(&statuses))),
        ("placed_at", g.field(Gen::text)),
    ]);
    g.wrap(body)
}

fn shop_body(seed: u64) -> Value {
    let g = &mut Gen(fastrand::Rng::with_seed(seed));
    let color = |g: &mut Gen| {
        if g.0.bool() {
            g.text()
        } else {
            object(vec![
                ("light_hex", g.field(Gen::text)),
                ("dark_hex", g.field(Gen::text)),
            ])
        }
    };
    let status = |g: &mut Gen| {
        object(vec![
            (
                "key",
                g.field(|g| g.status(&["pending", "cancelled", "completed", "rejected", "ready"])),
            ),
            ("title", g.field(Gen::text)),
            (
                "decoration",
                g.field(|g| {
                    object(vec![
                        ("background_color", g.field(color)),
                        ("foreground_color", g.field(color)),
                        ("border_color", g.field(color)),
                    ])
                }),
            ),
        ])
    };
    let item = |g: &mut Gen| {
        object(vec![
            ("price", g.field(Gen::amount)),
            ("quantity", g.field(Gen::small)),
            (
                "product",
                g.field(|g| {
                    object(vec![
                        ("name", g.field(Gen::text)),
                        ("price", g.field(Gen::amount)),
                        ("currency", g.field(Gen::text)),
                    ])
                }),
            ),
        ])
    };
    let body = object(vec![
        ("id", g.field(Gen::id)),
        ("total", g.field(Gen::amount)),
        ("currency", g.field(Gen::text)),
        ("status", g.field(status)),
        ("print_order_number", g.field(Gen::text)),
        ("items", g.field(|g| g.list(4, item))),
        ("pickup_otp", g.field(Gen::text)),
        ("return_otp", g.field(Gen::text)),
    ]);
    g.wrap(body)
}

fn bdvoucher_body(seed: u64) -> Value {
    let g = &mut Gen(fastrand::Rng::with_seed(seed));
    // A small pool, so codes repeat across items and the order-level list.
    let code = |g: &mut Gen| {
        if g.chance(70) {
            Value::from(g.pick(&["C1", "C2", " C3 ", "C4", "c1", ""]))
        } else {
            g.text()
        }
    };
    let item = |g: &mut Gen| {
        object(vec![
            ("variant_id", g.field(Gen::id)),
            ("quantity", g.field(Gen::small)),
            ("unit_price", g.field(Gen::amount)),
            ("fulfilled", g.field(|g| Value::from(g.0.bool()))),
            (
                "fulfillment_status",
                g.field(|g| g.status(&["SUCCEEDED", "DISPATCH_FAILED", "PARTNER_FAILED"])),
            ),
            ("voucher_codes", g.field(|g| g.list(5, code))),
            (
                "voucher",
                g.field(|g| {
                    object(vec![
                        ("code", g.field(code)),
                        ("serial_number", g.field(Gen::text)),
                        ("expires_at", g.field(Gen::text)),
                    ])
                }),
            ),
        ])
    };
    let statuses = [
        "INITIATED",
        "PENDING",
        "CARRIER_AUTHORIZED",
        "SUCCEEDED",
        "NEEDS_ATTENTION",
        "FAILED",
        "CANCELLED",
    ];
    let body = object(vec![
        ("id", g.field(Gen::id)),
        ("order_number", g.field(Gen::id)),
        ("status", g.field(|g| g.status(&statuses))),
        ("status_label", g.field(Gen::text)),
        ("status_message", g.field(Gen::text)),
        ("total_amount", g.field(Gen::amount)),
        ("currency", g.field(Gen::text)),
        ("voucher_codes", g.field(|g| g.list(6, code))),
        ("items", g.field(|g| g.list(4, item))),
    ]);
    g.wrap(body)
}

fn is_hex_color(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|d| matches!(d.len(), 3 | 6) && d.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The promises every parsed order keeps, whatever the body was.
fn check_order(order: &Order) -> Result<(), TestCaseError> {
    prop_assert_eq!(order.terminal, order.status.is_terminal());
    for voucher in &order.vouchers {
        if let Some(url) = &voucher.claim_url {
            let lower = url.to_ascii_lowercase();
            prop_assert!(lower.starts_with("https://") || lower.starts_with("http://"));
            prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()));
        }
        prop_assert!(voucher.item.is_none_or(|index| index < order.items.len()));
        prop_assert!(voucher
            .code
            .value()
            .is_some_and(|code| !code.trim().is_empty()));
    }
    if let Some(colors) = &order.status_colors {
        for color in [&colors.background, &colors.foreground, &colors.border]
            .into_iter()
            .flatten()
        {
            prop_assert!(is_hex_color(color));
        }
    }
    // The canonical JSON always reads back to the same order.
    let json = serde_json::to_string(order).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let read_back = parse(&json, Provider::Canonical);
    prop_assert_eq!(read_back.as_ref(), Ok(order));
    Ok(())
}

fn check_body(body: &Value, provider: Provider) -> Result<(), TestCaseError> {
    let text = body.to_string();
    for reader in [provider, Provider::Auto] {
        if let Ok(order) = parse(&text, reader) {
            check_order(&order)?;
            if order.vendor.as_str() == "bdvoucher" {
                let unique: BTreeSet<&str> = order
                    .vouchers
                    .iter()
                    .filter_map(|v| v.code.value())
                    .collect();
                prop_assert_eq!(unique.len(), order.vouchers.len());
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in regex(".{0,64}"), provider in proptest::sample::select(&Provider::ALL[..])) {
        let _ = parse(&text, provider);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..64), provider in proptest::sample::select(&Provider::ALL[..])) {
        let _ = parse(&String::from_utf8_lossy(&bytes), provider);
    }

    #[test]
    fn arbitrary_json_never_panics(value in any_json(), provider in proptest::sample::select(&Provider::ALL[..])) {
        if let Ok(order) = parse(&value.to_string(), provider) {
            check_order(&order)?;
        }
    }

    #[test]
    fn hsmail_shaped_bodies(seed in any::<u64>()) {
        check_body(&hsmail_body(seed), Provider::Vendor(Vendor::Hsmail))?;
    }

    #[test]
    fn voucher_api_shaped_bodies(seed in any::<u64>()) {
        check_body(&voucher_api_body(seed), Provider::Vendor(Vendor::VoucherApi))?;
    }

    #[test]
    fn shop_shaped_bodies(seed in any::<u64>()) {
        check_body(&shop_body(seed), Provider::Vendor(Vendor::Shop))?;
    }

    #[test]
    fn bdvoucher_shaped_bodies(seed in any::<u64>()) {
        check_body(&bdvoucher_body(seed), Provider::Vendor(Vendor::Bdvoucher))?;
    }
}

/// Builds one vendor-shaped body from a seed.
type Generator = fn(u64) -> Value;

/// Sanity check of the generators: a good share of the shaped bodies really parse,
/// so the properties above are not vacuous.
#[test]
fn shaped_bodies_often_parse() {
    let generators: [(Generator, Provider); 4] = [
        (hsmail_body, Provider::Vendor(Vendor::Hsmail)),
        (voucher_api_body, Provider::Vendor(Vendor::VoucherApi)),
        (shop_body, Provider::Vendor(Vendor::Shop)),
        (bdvoucher_body, Provider::Vendor(Vendor::Bdvoucher)),
    ];
    for (generate, provider) in generators {
        let parsed = (0..1000)
            .filter(|&seed| parse(&generate(seed).to_string(), provider).is_ok())
            .count();
        assert!(
            parsed >= 300,
            "{provider}: only {parsed} of 1000 shaped bodies parsed"
        );
    }
}
