//! The README's recipes, run as written (python3, node, sh with openssl) and held byte for
//! byte to order-proxy's own implementation: the order-token minters against
//! `order_token::mint_until`, the webhook signers against `webhook_signature::sign` and, through their
//! `notify`, against a running proxy.
//!
//! A recipe is the fenced code block after an HTML comment `<!-- recipe:<name> -->` in the
//! README or any Markdown file under docs/, so it can move there without touching this test.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use order_proxy::auth::order_token;
use order_proxy::auth::webhook_signature;

/// (secret, audience, order id, expiry): the README's example first.
const TOKEN_CASES: &[(&str, &str, &str, u64)] = &[
    (
        "0123456789abcdef0123456789abcdef",
        "hsmail",
        "A1B2C3D4E5F6",
        1_795_431_080,
    ),
    (
        "test-token-secret-of-32-characters",
        "voucher-api",
        "1001",
        1_700_000_000,
    ),
    (
        "s3cr3t with spaces/+= and:colons!",
        "shop.example",
        "ORDER_123-x",
        4_102_444_800,
    ),
    (
        "another-secret-0123456789abcdef",
        "bdvoucher",
        "00012345",
        9,
    ),
];

const WEBHOOK_SECRET_EXAMPLE: &str = "whsec-0123456789abcdef0123456789";

/// (timestamp, body)
const WEBHOOK_CASES: &[(u64, &str)] = &[
    (1_000, r#"{"order_id":"1002"}"#),
    (1_795_431_080, r#"{"order_id":"HSM000000010"}"#),
];

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the repository root")
        .to_owned()
}

/// The code block after `<!-- recipe:<name> -->`, wherever it is documented (exactly once).
fn recipe(name: &str) -> String {
    let root = repository();
    let mut files = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        files.extend(
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "md")),
        );
    }
    let marker = format!("<!-- recipe:{name} -->");
    let mut found: Vec<String> = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (at, _) in text.match_indices(&marker) {
            let after = &text[at + marker.len()..];
            let fence = after.find("```").expect("a code block after the marker");
            let code = &after[fence..];
            let body_start = code.find('\n').expect("a fence line") + 1;
            let body_end = code[body_start..].find("\n```").expect("a closing fence") + body_start;
            found.push(code[body_start..=body_end].to_owned());
        }
    }
    assert_eq!(found.len(), 1, "recipe {name} is documented exactly once");
    found.remove(0)
}

/// Runs `program` (the recipe and a line that uses it) with `interpreter`, `args` after
/// the script; its stdout, trimmed.
fn run(interpreter: &str, extension: &str, program: &str, args: &[&str]) -> String {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "order-proxy-recipes-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let script = dir.join(format!("recipe.{extension}"));
    std::fs::write(&script, program).expect("written");
    let output = Command::new(interpreter)
        .arg(&script)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{interpreter} runs: {error}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "{interpreter}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("text")
        .trim()
        .to_owned()
}

fn expected_token(secret: &str, audience: &str, order_id: &str, expires_at: u64) -> String {
    let claims = order_token::Claims { audience, order_id };
    order_token::mint_until(secret.as_bytes(), claims, expires_at)
}

fn check_token_recipe(interpreter: &str, extension: &str, program: &str) {
    for &(secret, audience, order_id, expires_at) in TOKEN_CASES {
        let expiry = expires_at.to_string();
        let printed = run(
            interpreter,
            extension,
            program,
            &[secret, audience, order_id, &expiry],
        );
        assert_eq!(
            printed,
            expected_token(secret, audience, order_id, expires_at),
            "{interpreter} for {audience} {order_id}"
        );
    }
}

#[test]
fn the_python_token_recipe_gives_order_proxys_token() {
    let program = recipe("token-python")
        + "\nimport sys\nprint(order_token(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))\n";
    check_token_recipe("python3", "py", &program);
}

#[test]
fn the_node_token_recipe_gives_order_proxys_token() {
    let program = recipe("token-node")
        + "\nconst [secret, audience, id, expires] = process.argv.slice(2);\n\
           console.log(orderToken(secret, audience, id, Number(expires)));\n";
    check_token_recipe("node", "js", &program);
}

#[test]
fn the_shell_token_recipe_gives_order_proxys_token() {
    let program = recipe("token-sh") + "\norder_token \"$1\" \"$2\" \"$3\" \"$4\"\n";
    check_token_recipe("sh", "sh", &program);
}

#[test]
fn the_documented_token_example_is_order_proxys() {
    let (secret, audience, order_id, expires_at) = TOKEN_CASES[0];
    let page = repository().join("docs/order-proxy.md");
    let docs = std::fs::read_to_string(page).expect("docs/order-proxy.md");
    assert!(docs.contains(&expected_token(secret, audience, order_id, expires_at)));
}

fn check_webhook_signer(interpreter: &str, extension: &str, program: &str) {
    for &(timestamp, body) in WEBHOOK_CASES {
        let t = timestamp.to_string();
        let printed = run(
            interpreter,
            extension,
            program,
            &[WEBHOOK_SECRET_EXAMPLE, &t, body],
        );
        assert_eq!(
            printed,
            webhook_signature::sign(
                WEBHOOK_SECRET_EXAMPLE.as_bytes(),
                timestamp,
                body.as_bytes()
            ),
            "{interpreter} for {body}"
        );
    }
}

/// `notify(url, secret, id)` as written, against a proxy in front of a vendor on loopback:
/// the status it returns, and whether the proxy then asked the vendor.
async fn notify_through(interpreter: &str, extension: &str, program: String, id: &str) {
    let (addr, vendor) = common::vendor::start().await;
    let server = start(common::vendor::config_for(addr)).await;
    let url = server.url();
    let args = [url.as_str(), WEBHOOK_SECRET, id];
    let printed = tokio::task::spawn_blocking({
        let (interpreter, extension) = (interpreter.to_owned(), extension.to_owned());
        let args = args.map(str::to_owned);
        move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run(&interpreter, &extension, &program, &args)
        }
    })
    .await
    .expect("ran");
    assert_eq!(printed, "202", "{interpreter}");
    assert!(
        eventually(std::time::Duration::from_secs(5), || async {
            vendor.hits(id) == 1
        })
        .await,
        "{interpreter}: the accepted notification fetched the order"
    );
}

#[test]
fn the_python_webhook_signer_signs_as_order_proxy() {
    let program = recipe("webhook-python")
        + "\nimport sys\nprint(signature_header(sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()))\n";
    check_webhook_signer("python3", "py", &program);
}

#[test]
fn the_node_webhook_signer_signs_as_order_proxy() {
    let program = recipe("webhook-node")
        + "\nconst [secret, t, body] = process.argv.slice(2);\n\
           console.log(signatureHeader(secret, Number(t), body));\n";
    check_webhook_signer("node", "js", &program);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_notify_is_accepted_by_the_proxy() {
    let program = recipe("webhook-python")
        + "\nimport sys\nprint(notify(sys.argv[1], sys.argv[2], sys.argv[3]))\n";
    notify_through("python3", "py", program, "RECIPEPYTHON").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_notify_is_accepted_by_the_proxy() {
    let program = recipe("webhook-node")
        + "\nconst [url, secret, id] = process.argv.slice(2);\n\
           notify(url, secret, id).then((status) => console.log(status));\n";
    notify_through("node", "js", program, "RECIPENODEJS").await;
}
