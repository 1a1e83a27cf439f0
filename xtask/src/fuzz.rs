//! `cargo xtask fuzz --cases N`: generated bodies through the native parser, counting
//! panics. The bodies are mutations of the fixtures (bytes changed, or a value replaced by
//! random JSON) and random JSON of bounded depth, read as a random provider. Deterministic:
//! the same seed gives the same cases. `cargo xtask fuzz` runs optimized (it rebuilds itself
//! with `--release`); `cargo xtask test` runs a short round in the test build it already has.

use std::panic;
use std::path::PathBuf;
use std::time::Instant;

use fastrand::Rng;
use order_core::providers::{parse, Provider};
use serde_json::{Map, Value};

use crate::cmd::{command, root, run, Result};

pub const DEFAULT_CASES: u64 = 1_000_000;
const SEED: u64 = 0x0de7_2025;
/// Random JSON nests at most this deep (a few cases nest around serde_json's limit).
const MAX_DEPTH: u32 = 6;

/// `cargo xtask fuzz`: runs `cases` cases optimized; fails if any panicked.
pub fn run_cases(cases: u64) -> Result {
    if cfg!(debug_assertions) {
        // Unoptimized, parsing is about ten times slower: run the release build instead.
        return run(command("cargo").args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "xtask",
            "--",
            "fuzz",
            "--cases",
            &cases.to_string(),
        ]));
    }
    fuzz(cases)
}

/// Runs `cases` cases in this build, optimized or not; fails if any panicked.
pub fn fuzz(cases: u64) -> Result {
    let corpus = fixtures()?;
    let mut rng = Rng::with_seed(SEED);
    // A panic is counted, not printed once per case; the first one is kept to report.
    let first_panic = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let previous_hook = panic::take_hook();
    {
        let first_panic = first_panic.clone();
        panic::set_hook(Box::new(move |info| {
            if let Ok(mut first) = first_panic.lock() {
                first.get_or_insert_with(|| info.to_string());
            }
        }));
    }
    let started = Instant::now();
    let mut panics = 0u64;
    let mut first_case = None;
    for case in 0..cases {
        let body = generate(&mut rng, &corpus);
        let provider = Provider::ALL[rng.usize(..Provider::ALL.len())];
        if panic::catch_unwind(|| parse(&body, provider)).is_err() {
            panics += 1;
            first_case.get_or_insert((case, provider, body));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    panic::set_hook(previous_hook);
    println!(
        "fuzz: {cases} cases in {seconds:.1} s ({:.0} cases/s), {panics} panics (seed {SEED:#x})",
        cases as f64 / seconds
    );
    match first_case {
        None => Ok(()),
        Some((case, provider, body)) => {
            let message = first_panic.lock().ok().and_then(|first| first.clone());
            let preview: String = body.chars().take(500).collect();
            Err(format!(
                "{panics} panics; the first, case {case} as {provider}: {}\nbody: {preview}",
                message.unwrap_or_default()
            ))
        }
    }
}

/// Every vendor body under `crates/order-core/tests/fixtures/` (JSON or not).
fn fixtures() -> Result<Vec<String>> {
    let dir = root().join("crates/order-core/tests/fixtures");
    let mut bodies = Vec::new();
    for vendor in ["hsmail", "voucher-api", "shop", "bdvoucher"] {
        let entries = std::fs::read_dir(dir.join(vendor))
            .map_err(|e| format!("cannot list the {vendor} fixtures: {e}"))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let name = path.to_string_lossy();
            if name.ends_with(".json") && !name.ends_with(".expected.json") {
                let body = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {name}: {e}"))?;
                bodies.push(body);
            }
        }
    }
    Ok(bodies)
}

/// One body: a fixture with its bytes changed, a fixture with one value replaced, random
/// JSON, or JSON nested around serde_json's recursion limit (128 levels).
fn generate(rng: &mut Rng, corpus: &[String]) -> String {
    let fixture = &corpus[rng.usize(..corpus.len())];
    match rng.u32(..100) {
        0..=39 => mutate_bytes(rng, fixture, corpus),
        40..=74 => match serde_json::from_str::<Value>(fixture) {
            Ok(mut value) => {
                replace_a_value(rng, &mut value, 0);
                value.to_string()
            }
            Err(_) => mutate_bytes(rng, fixture, corpus),
        },
        75..=97 => random_document(rng).to_string(),
        _ => deeply_nested(rng),
    }
}

/// A few byte-level edits: flip, insert, delete, duplicate, or splice from another fixture.
fn mutate_bytes(rng: &mut Rng, fixture: &str, corpus: &[String]) -> String {
    let mut bytes = fixture.as_bytes().to_vec();
    for _ in 0..rng.usize(1..=4) {
        let at = rng.usize(..=bytes.len());
        match rng.u32(..5) {
            0 if at < bytes.len() => bytes[at] = rng.u8(..),
            1 => bytes.insert(
                at,
                *b"{}[]\",:0-e.\\ nu".get(rng.usize(..15)).unwrap_or(&b'x'),
            ),
            2 => {
                let end = (at + rng.usize(..16)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let end = (at + rng.usize(..64)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            _ => {
                let other = corpus[rng.usize(..corpus.len())].as_bytes();
                let from = rng.usize(..=other.len());
                let end = (from + rng.usize(..128)).min(other.len());
                bytes.splice(at..at, other[from..end].iter().copied());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Replaces one value somewhere in `value` (found by a random walk) with random JSON.
fn replace_a_value(rng: &mut Rng, value: &mut Value, depth: u32) {
    let stop_here = rng.u32(..4) == 0;
    let child = match value {
        _ if stop_here => None,
        Value::Array(elements) if !elements.is_empty() => {
            let index = rng.usize(..elements.len());
            elements.get_mut(index)
        }
        Value::Object(map) if !map.is_empty() => {
            let index = rng.usize(..map.len());
            map.values_mut().nth(index)
        }
        _ => None,
    };
    match child {
        Some(child) => replace_a_value(rng, child, depth + 1),
        None => *value = random_value(rng, depth.min(MAX_DEPTH)),
    }
}

/// A random document: usually an object with vendor-like keys, sometimes anything.
fn random_document(rng: &mut Rng) -> Value {
    if rng.u32(..10) == 0 {
        random_value(rng, 0)
    } else {
        random_object(rng, 0)
    }
}

const KEYS: &[&str] = &[
    "id",
    "status",
    "data",
    "message",
    "error",
    "success",
    "vendor",
    "terminal",
    "number",
    "productName",
    "totalCost",
    "isService",
    "deliveryData",
    "items",
    "uid",
    "content",
    "reference_code",
    "amount",
    "product_id",
    "denomination",
    "quantity",
    "vouchers",
    "card_number",
    "pin_code",
    "claim_url",
    "expires_at",
    "print_order_number",
    "total",
    "currency",
    "key",
    "title",
    "decoration",
    "background_color",
    "light_hex",
    "product",
    "price",
    "pickup_otp",
    "order_number",
    "total_amount",
    "voucher_codes",
    "voucher",
    "code",
    "fulfilled",
    "fulfillment_status",
    "item",
    "kind",
    "name",
];

const WORDS: &[&str] = &[
    "",
    " ",
    "success",
    "error",
    "COMPLETED",
    "delivered",
    "SUCCEEDED",
    "pending",
    "shop",
    "hsmail",
    "code",
    "credential",
    "25.00",
    "1,250",
    "-3",
    "+7",
    "1e5",
    "true",
    "0",
    "#fff",
    "#12345g",
    "https://redeem.example/x",
    "javascript:alert(1)",
    "a:b",
    "x|y",
    "line1\r\nline2",
    "\u{0}",
    "é€৳",
    "<script>",
    "9999-12-31",
    "2025-01-01T00:00:00Z",
];

fn random_value(rng: &mut Rng, depth: u32) -> Value {
    let containers = if depth < MAX_DEPTH { 8 } else { 6 };
    match rng.u32(..containers) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => match rng.u32(..4) {
            0 => Value::from(rng.i64(..)),
            1 => Value::from(rng.u64(..)),
            2 => Value::from(rng.i64(-3..1000)),
            _ => serde_json::Number::from_f64(random_float(rng)).map_or(Value::Null, Value::Number),
        },
        3..=5 => Value::from(random_text(rng)),
        6 => Value::Array(
            (0..rng.usize(..5))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => random_object(rng, depth + 1),
    }
}

fn random_object(rng: &mut Rng, depth: u32) -> Value {
    let mut map = Map::new();
    for _ in 0..rng.usize(..8) {
        let key = KEYS[rng.usize(..KEYS.len())].to_owned();
        map.insert(key, random_value(rng, depth));
    }
    Value::Object(map)
}

fn random_float(rng: &mut Rng) -> f64 {
    match rng.u32(..4) {
        0 => rng.f64() * 1e3,
        1 => f64::from_bits(rng.u64(..)),
        2 => [0.1 + 0.2, -0.0, 1e21, 1e-7, 1250.5, f64::MAX][rng.usize(..6)],
        _ => -rng.f64(),
    }
}

fn random_text(rng: &mut Rng) -> String {
    if rng.bool() {
        return WORDS[rng.usize(..WORDS.len())].to_owned();
    }
    (0..rng.usize(..12))
        .map(|_| match rng.u32(..4) {
            0 => rng.char(..),
            _ => rng.alphanumeric(),
        })
        .collect()
}

/// An order whose `items` nest around the parser's depth limit of 64.
fn deeply_nested(rng: &mut Rng) -> String {
    let levels = rng.usize(120..140);
    format!(
        r#"{{"id": 1, "order_number": "1", "status": "SUCCEEDED", "items": {}0{}}}"#,
        "[".repeat(levels),
        "]".repeat(levels)
    )
}
