//! The shared golden fixtures (`crates/order-core/tests/fixtures/<vendor>/`), and a stub
//! vendor on loopback that serves one fixture body after another.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use order_core::model::{Order, Vendor};
use order_proxy::orders::vendor::order_route;

/// A vendor body and the canonical order it must become.
pub struct Fixture {
    pub name: String,
    pub body: String,
    pub expected: Order,
}

/// Every fixture of `vendor` that is an order (not an error), by name.
pub fn of(vendor: Vendor) -> Vec<Fixture> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../order-core/tests/fixtures")
        .join(vendor.as_str());
    let mut goldens: Vec<PathBuf> = std::fs::read_dir(&directory)
        .expect("the fixtures")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.to_string_lossy().ends_with(".expected.json"))
        .collect();
    goldens.sort();
    goldens
        .into_iter()
        .map(|golden| {
            let file = golden.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let name = file.trim_end_matches(".expected.json").to_owned();
            let body = std::fs::read_to_string(directory.join(format!("{name}.json")))
                .expect("the fixture's body");
            let expected = serde_json::from_str(&std::fs::read_to_string(&golden).expect("read"))
                .expect("a canonical order");
            Fixture {
                name,
                body,
                expected,
            }
        })
        .collect()
}

/// The values of every code and PIN of `order`.
pub fn secrets(order: &Order) -> Vec<String> {
    order
        .vouchers
        .iter()
        .flat_map(|voucher| std::iter::once(&voucher.code).chain(&voucher.pin))
        .filter_map(|secret| secret.value())
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Where `text` holds one of `secrets`: secrets shorter than 8 characters (PINs, one-time
/// codes) count only as a whole JSON string (`"0042"`, or escaped inside another string),
/// lest digits of a timestamp or a port match; longer ones anywhere. What a mask shows
/// (`"last4":"0000"`) is no leak, even where another voucher's PIN happens to read alike.
pub fn leaked<'a>(text: &str, secrets: &'a [String]) -> Option<&'a str> {
    let patterns: Vec<(String, usize)> = secrets
        .iter()
        .enumerate()
        .flat_map(|(index, secret)| {
            let forms = if secret.chars().count() >= 8 {
                vec![secret.clone()]
            } else {
                vec![format!("\"{secret}\""), format!("\"{secret}\\\"")]
            };
            forms.into_iter().map(move |form| (form, index))
        })
        .collect();
    let finder = aho_corasick::AhoCorasick::new(patterns.iter().map(|(form, _)| form))
        .expect("the patterns");
    let found = finder.find(&without_visible_tails(text))?;
    let (_, index) = &patterns[found.pattern().as_usize()];
    Some(secrets[*index].as_str())
}

fn without_visible_tails(text: &str) -> String {
    const TAIL: &str = "\"last4\":\"";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(TAIL) {
        out.push_str(&rest[..at]);
        let value = &rest[at + TAIL.len()..];
        rest = value.find('"').map_or("", |end| &value[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// A vendor that answers every order request with the body it was last given.
pub struct FixtureVendor {
    pub url: String,
    body: Arc<Mutex<String>>,
}

impl FixtureVendor {
    pub async fn start(vendor: Vendor) -> FixtureVendor {
        let body = Arc::new(Mutex::new(String::new()));
        let router = Router::new()
            .route(order_route(vendor), get(answer))
            .with_state(body.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, router).await });
        FixtureVendor { url, body }
    }

    pub fn serve(&self, body: &str) {
        *self.body.lock().unwrap() = body.to_owned();
    }
}

async fn answer(State(body): State<Arc<Mutex<String>>>) -> String {
    body.lock().unwrap().clone()
}
