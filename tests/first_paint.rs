#![cfg(not(target_arch = "wasm32"))]
//! The server-rendered first paint of every golden order (the parser tests' fixtures,
//! `crates/order-core/tests/fixtures/<vendor>/*.expected.json`), redacted as order-proxy
//! serves it, against its snapshot `tests/first_paint/<vendor>/<name>.html`.
//!
//! A missing snapshot is written (and the test fails, so it is reviewed);
//! `UPDATE_SNAPSHOTS=1 cargo test -p order-widget --features ssr --test first_paint`
//! rewrites them all: review every change by hand.

use std::fs;
use std::path::{Path, PathBuf};

use order_core::model::Order;
use order_widget::config::{Locale, RawConfig, Text};
use order_widget::server::render_fragment_at;

const VENDOR_DIRS: [&str; 4] = ["hsmail", "voucher-api", "shop", "bdvoucher"];
/// 2026-01-15T12:00:00Z: the snapshots' "now".
const NOW_UNIX_MS: f64 = 1_768_478_400_000.0;
const STYLESHEET: &str = "/www/pkg/order-widget.css";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every golden order, sorted: `(vendor/name, path)`.
fn golden_orders() -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for vendor in VENDOR_DIRS {
        let dir = root().join("crates/order-core/tests/fixtures").join(vendor);
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            if let Some(stem) = name.strip_suffix(".expected.json") {
                found.push((format!("{vendor}/{stem}"), path));
            }
        }
    }
    found.sort();
    found
}

fn config(order_id: &str) -> RawConfig {
    RawConfig {
        proxy: Some(Text("/api/orders/{id}".into())),
        order_id: Some(Text(order_id.into())),
        locale: Some(Locale("en-US".into())),
        ..RawConfig::default()
    }
}

/// The order as order-proxy serves it: every voucher's code and PIN withheld.
fn redacted(order: &Order) -> Order {
    let mut redacted = order.clone();
    for (index, voucher) in redacted.vouchers.iter_mut().enumerate() {
        *voucher = voucher.redacted(format!("ref-{index}"));
    }
    redacted
}

/// Every code and PIN of `order` that should not be in the HTML: at least 4 characters
/// (shorter ones are found anywhere), and not within a tail the masks show (a fixture's PIN
/// may equal its code's last digits).
fn secrets(order: &Order) -> Vec<String> {
    let tails: Vec<String> = order
        .vouchers
        .iter()
        .filter_map(|voucher| voucher.code.visible_tail(voucher.kind))
        .collect();
    order
        .vouchers
        .iter()
        .flat_map(|voucher| {
            let pin = voucher.pin.as_ref().and_then(|pin| pin.value());
            voucher
                .code
                .value()
                .into_iter()
                .chain(pin)
                .map(str::to_owned)
        })
        .filter(|secret| secret.chars().count() >= 4)
        .filter(|secret| !tails.iter().any(|tail| tail.contains(secret.as_str())))
        .collect()
}

#[tokio::test]
async fn every_golden_order_renders_as_its_snapshot_without_a_secret() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let orders = golden_orders();
    assert!(
        orders.len() >= 40,
        "only {} golden orders found",
        orders.len()
    );
    let mut failures = Vec::new();
    for (name, path) in orders {
        let order: Order = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let html = render_fragment_at(redacted(&order), config(&order.id), STYLESHEET, NOW_UNIX_MS)
            .await
            .unwrap();
        for secret in secrets(&order) {
            assert!(!html.contains(&secret), "{name}: a secret is in the HTML");
        }
        let opening = r#"<template shadowrootmode="open"><link rel="stylesheet" href="/www/pkg/order-widget.css"><div class="ow-first-paint"><section part="widget""#;
        assert!(html.starts_with(opening), "{name}");
        assert!(html.ends_with("</section></div></template>"), "{name}");
        assert!(
            !html.contains("<button type"),
            "{name}: a button is not disabled"
        );

        let snapshot = root()
            .join("tests/first_paint")
            .join(format!("{name}.html"));
        let kept = fs::read_to_string(&snapshot).ok();
        if update || kept.is_none() {
            fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
            fs::write(&snapshot, format!("{html}\n")).unwrap();
            if kept.is_none() && !update {
                failures.push(format!("{name}: no snapshot; written, review it"));
            }
        } else if kept.as_deref() != Some(format!("{html}\n").as_str()) {
            failures.push(format!("{name}: differs from {}", snapshot.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_invalid_configuration_is_refused_by_its_key() {
    let order: Order = serde_json::from_str(
        &fs::read_to_string(
            root().join("crates/order-core/tests/fixtures/voucher-api/spec-example.expected.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut config = config(&order.id);
    config.proxy = None;
    let refused = render_fragment_at(order, config, STYLESHEET, NOW_UNIX_MS)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("`proxy`"), "{refused}");
}

#[tokio::test]
async fn the_stylesheet_address_is_escaped() {
    let order: Order = serde_json::from_str(
        &fs::read_to_string(
            root().join("crates/order-core/tests/fixtures/voucher-api/spec-example.expected.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let html = render_fragment_at(
        order.clone(),
        config(&order.id),
        r#"/a.css"><script>x</script>"#,
        NOW_UNIX_MS,
    )
    .await
    .unwrap();
    assert!(
        html.contains(r#"href="/a.css&quot;&gt;&lt;script&gt;x&lt;/script&gt;""#),
        "{html}"
    );
}
