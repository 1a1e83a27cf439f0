//! The README's recipes, run as written (python3, node, sh with openssl) and held byte for
//! byte to order-proxy's own implementation: the order-token minters against
//! `order_token::mint_until`, the webhook signers against `webhook_signature::sign` and, through their
//! `notify`, against a running proxy; the audit trail's `jq` query on a real log; and the
//! first-paint include (Python) against a running proxy.
//!
//! A recipe is the fenced code block after an HTML comment `<!-- recipe:<name> -->` in the
//! README or any Markdown file under docs/, so it can move there without touching this test.

mod common;

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::docs::{recipe, repository};
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

/// The audit trail's query, run as written (sh and jq) on the log of a proxy that showed an
/// order's codes: the first twice alone and once with all of them, the second once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_query_counts_each_codes_reveals() {
    let (addr, vendor) = common::vendor::start().await;
    vendor.deliver();
    let upstream = format!("http://{addr}");
    let served = common::binary::serve(&["--upstream", &upstream, "--provider", "hsmail"]);
    let (id, other) = ("AUDITQUERY01", "AUDITQUERY02");
    let http = client();
    let order: serde_json::Value = http
        .get(format!("{}/api/orders/{id}", served.url))
        .header("X-Order-Token", token_for(id))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    let refs: Vec<String> = order["vouchers"]
        .as_array()
        .expect("vouchers")
        .iter()
        .filter_map(|voucher| voucher["ref"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(refs.len(), 2);
    let first = format!("{id}?purpose=reveal");
    let again = format!("{id}?purpose=copy");
    let all = format!("{id}?purpose=download");
    let reveals = [
        (first.as_str(), Some(refs[0].as_str()), id),
        (again.as_str(), Some(refs[0].as_str()), id),
        (all.as_str(), None, id),
        (other, None, other),
    ];
    for (path, secret_ref, order_id) in reveals {
        let token = token_for(order_id);
        let response = post_reveal(&http, &served.url, path, secret_ref, Some(&token)).await;
        assert_eq!(response.status(), 200, "{path}");
    }
    let log = served.stop();
    let log_file =
        std::env::temp_dir().join(format!("order-proxy-audit-{}.log", std::process::id()));
    std::fs::write(&log_file, log).expect("the log written");
    let program = recipe("audit-jq") + "\ncode_reveals \"$1\" \"$2\"\n";
    let printed = tokio::task::spawn_blocking({
        let log_file = log_file.to_string_lossy().into_owned();
        move || run("sh", "sh", &program, &[&log_file, id])
    })
    .await
    .expect("ran");
    let _ = std::fs::remove_file(&log_file);
    let answer: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
    let shown = |secret_ref: &str| {
        answer
            .as_array()
            .expect("one entry per code")
            .iter()
            .find(|entry| entry["ref"] == secret_ref)
            .cloned()
            .unwrap_or_else(|| panic!("{secret_ref} in {answer}"))
    };
    let first = shown(&refs[0]);
    assert_eq!(first["shown"], 3);
    assert_eq!(first["kind"], "code");
    assert_eq!(
        first["purposes"],
        serde_json::json!(["copy", "download", "reveal"])
    );
    assert_eq!(first["clients"], 1);
    assert!(first["first"].as_str() < first["last"].as_str(), "{first}");
    let second = shown(&refs[1]);
    assert_eq!(second["shown"], 1);
    assert_eq!(second["purposes"], serde_json::json!(["download"]));
    assert_eq!(
        answer.as_array().map(Vec::len),
        Some(2),
        "the other order is not counted"
    );
}

/// The redacted order in the docs is the spec's example as order-proxy redacts it, under the
/// documented token secret.
#[test]
fn the_documented_redacted_order_is_order_proxys() {
    let body = std::fs::read_to_string(
        repository().join("crates/order-core/tests/fixtures/voucher-api/spec-example.json"),
    )
    .expect("the spec's example");
    let order = order_core::providers::parse(
        &body,
        order_core::providers::Provider::Vendor(order_core::model::Vendor::VoucherApi),
    )
    .expect("an order");
    let key = order_proxy::codes::refs::RefKey::derive(TOKEN_CASES[0].0);
    let secret_ref = key.refs(&order).remove(0);
    let docs = std::fs::read_to_string(repository().join("docs/order-proxy.md")).expect("docs");
    assert!(
        docs.contains(&format!(r#""ref": "{secret_ref}""#)),
        "{secret_ref}"
    );
    assert!(docs.contains(r#""code": { "length": 16, "last4": "3456" }"#));
}

/// The embedding page's Python include, run as written against a mock proxy: the element
/// with the order's first paint, its attributes escaped; and without it when the token is
/// refused (the client-only element).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_first_paint_include_puts_the_view_in_the_element() {
    let server = start(mock_config()).await;
    let program = recipe("first-paint-python")
        + "\nimport sys\nprint(order_widget(sys.argv[1], sys.argv[2], sys.argv[3]))\n";
    let include = |token: String| {
        let (program, url) = (program.clone(), server.url());
        tokio::task::spawn_blocking(move || run("python3", "py", &program, &[&url, "1001", &token]))
    };
    let token = token_for("1001");
    let element = include(token.clone()).await.expect("ran");
    let opening = format!(
        r#"<order-widget proxy="/api/orders/{{id}}" order-id="1001" token="{token}" locale="en"><template shadowrootmode="open">"#
    );
    assert!(element.starts_with(&opening), "{element}");
    assert!(element.contains(r#"data-status="delivered""#), "{element}");
    assert!(element.ends_with("</template></order-widget>"), "{element}");

    let refused = include(token_for("1003")).await.expect("ran");
    assert!(refused.ends_with("\"en\"></order-widget>"), "{refused}");
    assert!(!refused.contains("<template"), "{refused}");
    server.shutdown().await.expect("the proxy stops");
}
