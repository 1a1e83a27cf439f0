//! The binary as a subprocess: `token`, `normalize` over the shared fixtures, and
//! `serve --mock` whose stderr log must never hold a key, secret, token or code.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::binary::{command, demo_token, serve, Served};
use common::*;
use order_proxy::auth::order_token;

#[test]
fn token_prints_a_valid_v2_token_as_the_last_word() {
    let output = command()
        .args(["token", "--order", "20250001", "--provider", "bdvoucher"])
        .args(["--ttl", "2h"])
        .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let printed = stdout.split_whitespace().last().expect("a token");
    let claims = order_token::Claims {
        audience: "bdvoucher",
        order_id: "20250001",
    };
    let check = |token: &str, claims| {
        order_token::verify(
            TOKEN_SECRET.as_bytes(),
            claims,
            token,
            order_token::Rules::default(),
            order_token::now_unix(),
        )
    };
    assert_eq!(check(printed, claims), Ok(()));
    let at_shop = order_token::Claims {
        audience: "shop",
        ..claims
    };
    assert_eq!(
        check(printed, at_shop),
        Err(order_token::TokenError::Invalid)
    );
    let expires: u64 = printed
        .split('.')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("expiry");
    assert!(expires.abs_diff(order_token::now_unix() + 7200) <= 5);

    let own_audience = command()
        .args(["token", "--order", "20250001", "--audience", "shop.example"])
        .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
        .output()
        .expect("runs");
    assert!(own_audience.status.success());
    let printed = String::from_utf8_lossy(&own_audience.stdout);
    let for_shop_example = order_token::Claims {
        audience: "shop.example",
        ..claims
    };
    assert_eq!(check(printed.trim(), for_shop_example), Ok(()));

    let missing = command()
        .args(["token", "--order", "20250001", "--provider", "hsmail"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("ORDER_PROXY_TOKEN_SECRET"));
    let short = command()
        .args(["token", "--order", "1", "--provider", "voucher-api"])
        .env("ORDER_PROXY_TOKEN_SECRET", "short")
        .output()
        .expect("runs");
    assert_eq!(short.status.code(), Some(1));
    let bad_id = command()
        .args(["token", "--order", "a.b", "--provider", "shop"])
        .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
        .output()
        .expect("runs");
    assert_eq!(bad_id.status.code(), Some(2));
}

/// Exit 2 and nothing on stdout for every token the policy would refuse or that names
/// no audience.
#[test]
fn token_refuses_lifetimes_past_the_maximum_and_a_missing_audience() {
    let token = |args: &[&str]| {
        command()
            .args(["token", "--order", "20250001"])
            .args(args)
            .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
            .output()
            .expect("runs")
    };
    for args in [
        &["--provider", "bdvoucher", "--ttl", "100y"][..],
        &["--provider", "bdvoucher", "--ttl", "31days"],
        &[
            "--provider",
            "bdvoucher",
            "--ttl",
            "2h",
            "--max-token-ttl",
            "1h",
        ],
        &["--ttl", "2h"],
        &["--audience", "https://shop.example"],
        &["--audience", ""],
    ] {
        let output = token(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let refused = token(&["--provider", "bdvoucher", "--ttl", "100y"]);
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("maximum token lifetime"),
        "says why"
    );
    let longer_maximum = token(&[
        "--provider",
        "bdvoucher",
        "--ttl",
        "40d",
        "--max-token-ttl",
        "60d",
    ]);
    assert!(longer_maximum.status.success());
    let at_maximum = token(&["--provider", "bdvoucher", "--ttl", "30d"]);
    assert!(at_maximum.status.success());
}

fn normalize(provider: &str, input: &[u8]) -> (Option<i32>, String, String) {
    normalize_with(&["--provider", provider], &[], input)
}

fn normalize_with(
    args: &[&str],
    env: &[(&str, &str)],
    input: &[u8],
) -> (Option<i32>, String, String) {
    let mut child = command()
        .arg("normalize")
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write");
    let output = child.wait_with_output().expect("exits");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `--with-refs` prints each code with the ref `serve` gives it, `--redacted` what `serve`
/// answers; both need the token secret the refs are made with.
#[test]
fn normalize_prints_refs_or_the_redacted_order_on_request() {
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../order-core/tests/fixtures/voucher-api/spec-example.json"),
    )
    .expect("fixture");
    let secret = [("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)];
    let (code, plain, _) = normalize("voucher-api", &body);
    assert_eq!(code, Some(0));
    assert!(plain.contains("1234567890123456") && !plain.contains("\"ref\""));

    let (code, with_refs, _) = normalize_with(&["--with-refs"], &secret, &body);
    assert_eq!(code, Some(0));
    let with_refs: serde_json::Value = serde_json::from_str(&with_refs).expect("JSON");
    let voucher = &with_refs["vouchers"][0];
    assert_eq!(voucher["code"], "1234567890123456");
    let secret_ref = voucher["ref"].as_str().expect("a ref");

    let (code, redacted, _) = normalize_with(&["--redacted"], &secret, &body);
    assert_eq!(code, Some(0));
    assert!(!redacted.contains("1234567890123456") && !redacted.contains("\"1234\""));
    let redacted: serde_json::Value = serde_json::from_str(&redacted).expect("JSON");
    assert_eq!(redacted["vouchers"][0]["ref"], secret_ref, "the same ref");
    assert_eq!(redacted["vouchers"][0]["code"]["last4"], "3456");

    for flag in ["--with-refs", "--redacted"] {
        let (code, stdout, stderr) = normalize_with(&[flag], &[], &body);
        assert_eq!(code, Some(1), "{flag} without the secret");
        assert!(
            stdout.is_empty() && stderr.contains("ORDER_PROXY_TOKEN_SECRET"),
            "{stderr}"
        );
    }
}

#[test]
fn normalize_exit_codes() {
    let order = br#"{"id": 1001, "reference_code": "ORD-1", "amount": "25.00", "quantity": 1, "vouchers": [], "status": "PENDING"}"#;
    let (code, stdout, _) = normalize("voucher-api", order);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("canonical JSON");
    assert_eq!(json["status"], "pending");
    assert!(stdout.contains("\n  "), "pretty printed");

    let (code, stdout, stderr) = normalize(
        "auto",
        br#"{"error": "not_found", "message": "No Matching Result Found!"}"#,
    );
    assert_eq!((code, stdout.as_str()), (Some(3), ""));
    assert_eq!(stderr.trim().lines().count(), 1);

    for garbage in [&b"<html>oops</html>"[..], b"\xff\xfe", b"[1,2]"] {
        let (code, stdout, stderr) = normalize("auto", garbage);
        assert_eq!((code, stdout.as_str()), (Some(2), ""));
        assert_eq!(stderr.trim().lines().count(), 1);
    }
}

/// Every `tests/fixtures/<provider>/<name>.json`: `<name>.expected.json` → exit 0 and that
/// order; `<name>.expected-error.txt` → that one line on stderr, exit 3 for a vendor error
/// envelope, else 2.
#[test]
fn normalize_over_the_shared_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../order-core/tests/fixtures");
    let mut checked = 0;
    for provider in ["hsmail", "voucher-api", "shop", "bdvoucher"] {
        let Ok(entries) = std::fs::read_dir(root.join(provider)) else {
            continue;
        };
        let mut inputs: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                name.ends_with(".json") && !name.contains(".expected")
            })
            .collect();
        inputs.sort();
        for input in inputs {
            let stem = input
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_owned();
            let body = std::fs::read(&input).expect("fixture");
            for mode in [provider, "auto"] {
                let (code, stdout, stderr) = normalize(mode, &body);
                let expected_order = input.with_file_name(format!("{stem}.expected.json"));
                let expected_error = input.with_file_name(format!("{stem}.expected-error.txt"));
                if let Ok(expected) = std::fs::read_to_string(&expected_order) {
                    assert_eq!(code, Some(0), "{provider}/{stem} ({mode}): {stderr}");
                    let got: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
                    let want: serde_json::Value = serde_json::from_str(&expected).expect("JSON");
                    assert_eq!(got, want, "{provider}/{stem} ({mode})");
                } else if let Ok(expected) = std::fs::read_to_string(&expected_error) {
                    if mode == "auto"
                        && !expected.contains("reported an error")
                        && !expected.contains("not JSON")
                    {
                        // Detection may phrase "not a recognizable X order" differently.
                        assert_eq!(code, Some(2), "{provider}/{stem} ({mode})");
                        continue;
                    }
                    let vendor_error = expected.starts_with("The order service reported an error");
                    assert_eq!(
                        code,
                        Some(if vendor_error { 3 } else { 2 }),
                        "{provider}/{stem} ({mode}): {stderr}"
                    );
                    assert_eq!(stderr.trim(), expected.trim(), "{provider}/{stem} ({mode})");
                    assert!(stdout.is_empty());
                } else {
                    continue;
                }
                checked += 1;
            }
        }
    }
    eprintln!("normalize checked {checked} fixture runs");
}

fn serve_mock() -> Served {
    serve(&["--mock", "--live-ttl", "100ms"])
}

#[tokio::test]
async fn serve_logs_hold_no_secrets_and_shut_down_gracefully() {
    let mut served = serve_mock();
    let http = client();
    let mut secrets: Vec<String> = vec![API_KEY.into(), API_SECRET.into(), TOKEN_SECRET.into()];
    for id in [
        "HSM000000001",
        "1001",
        "20250001",
        "20250500",
        "SHOP-PICKUP-1",
        "1404",
        "1004",
    ] {
        let token = demo_token(&served.url, id).await;
        secrets.push(token.clone());
        for _ in 0..2 {
            let response = http
                .get(format!("{}/api/orders/{id}", served.url))
                .header("X-Order-Token", &token)
                .send()
                .await
                .expect("answer");
            assert_eq!(response.headers()["cache-control"], "no-store");
            let body = response.text().await.expect("body");
            collect_codes(&body, &mut secrets);
            for secret in [API_KEY, API_SECRET, TOKEN_SECRET] {
                assert!(!body.contains(secret), "a response leaks a secret");
            }
        }
        // The codes themselves, as the customer's reveal gets them (and the audit logs it).
        let revealed = http
            .post(format!(
                "{}/api/orders/{id}/codes?purpose=reveal",
                served.url
            ))
            .header("X-Order-Token", &token)
            .send()
            .await
            .expect("answer");
        if revealed.status() == 200 {
            collect_codes(&revealed.text().await.expect("body"), &mut secrets);
        }
    }
    let page_token = demo_token(&served.url, "1001").await;
    secrets.push(page_token.clone());
    let _ = http
        .get(format!("{}/?order=1001&token={page_token}", served.url))
        .send()
        .await;
    let forged = token_signed_with(b"forged-forged-forged-forged", "voucher-api", "1001");
    secrets.push(forged.clone());
    let _ = http
        .get(format!("{}/api/orders/1001", served.url))
        .header("X-Order-Token", &forged)
        .send()
        .await;
    let demo = http
        .get(format!("{}/demo/token/1002", served.url))
        .send()
        .await
        .expect("answer");
    let demo: serde_json::Value = demo.json().await.expect("json");
    secrets.push(demo["token"].as_str().expect("token").to_owned());
    assert!(
        secrets.iter().filter(|s| s.contains("-0001-")).count() >= 3,
        "codes were collected"
    );

    // SIGTERM: graceful shutdown, exit 0.
    let status = Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = served.child.wait().expect("exits");
    assert!(exit.success(), "{exit:?}");
    let log = served.log();
    assert!(
        log.contains("\"path\":\"/api/orders/20250001\""),
        "access log has the path with the order id"
    );
    assert!(log.contains("upstream_latency_ms"));
    assert!(log.contains("code_revealed"), "reveals are audited");
    assert!(log.contains("shutting down"));
    for secret in &secrets {
        // Short PINs and one-time codes could match digits of a timestamp or port, so
        // they are looked for as whole JSON strings; everything else anywhere.
        let leaked = if secret.len() >= 8 {
            log.contains(secret.as_str())
        } else {
            log.contains(&format!("\"{secret}\""))
        };
        assert!(
            !leaked,
            "the log leaks a secret or code ({} chars)",
            secret.len()
        );
    }
}

/// `EventSource` cannot send headers, so the event stream's token is in the query string:
/// neither it nor any other query string, nor a webhook's signature, may reach the log.
#[tokio::test]
async fn query_strings_tokens_and_signatures_never_reach_the_log() {
    let (vendor_addr, vendor) = common::vendor::start().await;
    vendor.deliver();
    let upstream = format!("http://{vendor_addr}");
    let served = serve(&["--upstream", &upstream, "--provider", "hsmail"]);
    let id = "QUERYLOG0001";
    let token = token_for(id);
    let mut stream = common::events::EventStream::open(&served.url, id, &token).await;
    assert_eq!(stream.status, 200);
    let first = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("the current order");
    let other = token_for("QUERYLOG0002");
    let response = client()
        .get(format!(
            "{}/api/orders/QUERYLOG0002?provider=voucher-api&secret-query-marker=1",
            served.url
        ))
        .header("X-Order-Token", &other)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    let body = hook_body(id);
    let signature = order_proxy::auth::webhook_signature::sign(
        WEBHOOK_SECRET.as_bytes(),
        order_token::now_unix(),
        body.as_bytes(),
    );
    assert_eq!(
        post_hook(&served.url, &body, Some(signature.clone())).await,
        202
    );
    drop(stream);

    let log = served.stop();
    assert!(
        log.contains("\"path\":\"/api/orders/QUERYLOG0001/events\""),
        "the stream is in the access log, by path"
    );
    assert!(log.contains("webhook accepted"));
    let mut secrets = vec![
        token.clone(),
        other,
        signature.clone(),
        WEBHOOK_SECRET.to_owned(),
        "token=".to_owned(),
        "secret-query-marker".to_owned(),
        "provider=".to_owned(),
    ];
    if let Some((_, mac)) = signature.split_once("v1=") {
        secrets.push(mac.to_owned());
    }
    assert_eq!(status_of(&first), Status::Delivered);
    secrets.extend(common::vendor::Counting::codes());
    assert!(secrets.len() > 8, "codes were collected");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "the log leaks a query, token or signature ({} chars)",
            secret.len()
        );
    }
}

/// Codes, PINs, one-time codes and claim URLs found anywhere in a vendor body or a reveal
/// endpoint's answer.
fn collect_codes(body: &str, into: &mut Vec<String>) {
    fn walk(value: &serde_json::Value, into: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    let secret_key = matches!(
                        key.as_str(),
                        "deliveryData"
                            | "content"
                            | "card_number"
                            | "pin_code"
                            | "pin"
                            | "claim_url"
                            | "pickup_otp"
                            | "return_otp"
                            | "code"
                    ) || key == "voucher_codes";
                    match value {
                        serde_json::Value::String(text) if secret_key => into.extend(
                            text.lines()
                                .map(str::trim)
                                .filter(|line| !line.is_empty())
                                .map(str::to_owned),
                        ),
                        _ => walk(value, into),
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    if let serde_json::Value::String(text) = item {
                        into.push(text.clone());
                    } else {
                        walk(item, into);
                    }
                }
            }
            _ => {}
        }
    }
    if let Ok(value) = serde_json::from_str(body) {
        walk(&value, into);
    }
}

/// A real-mode proxy in front of a vendor that rejects our key and echoes detail: the
/// operator gets a log line, the customer a generic 502, and neither sees the detail.
#[tokio::test]
async fn rejected_credentials_are_logged_for_the_operator_without_detail() {
    use axum::http::StatusCode;
    let vendor = axum::Router::new().route(
        order_proxy::orders::vendor::order_route(order_core::model::Vendor::Hsmail),
        axum::routing::get(|| async {
            (
                StatusCode::UNAUTHORIZED,
                format!(r#"{{"status":"error","message":"bad key {API_KEY} vendor-detail-xyz"}}"#),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let upstream = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, vendor).await });

    let served = serve(&["--upstream", &upstream, "--provider", "hsmail"]);
    let token = token_for("AUTHFAIL0001");
    let response = client()
        .get(format!("{}/api/orders/AUTHFAIL0001", served.url))
        .header("X-Order-Token", &token)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 502);
    let body = response.text().await.expect("body");
    assert!(
        body.contains("upstream_auth")
            && !body.contains("vendor-detail")
            && !body.contains(API_KEY)
    );

    let log = served.stop();
    assert!(
        log.contains("rejected our credentials"),
        "the operator is told"
    );
    for secret in [
        API_KEY,
        API_SECRET,
        TOKEN_SECRET,
        token.as_str(),
        "vendor-detail-xyz",
    ] {
        assert!(
            !log.contains(secret),
            "the log leaks {} chars",
            secret.len()
        );
    }
}

#[test]
fn real_mode_refuses_to_start_without_secrets() {
    let output = command()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            "http://127.0.0.1:9",
            "--provider",
            "voucher-api",
        ])
        .env("ORDER_PROXY_API_KEY", API_KEY)
        .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ORDER_PROXY_API_SECRET"));
    assert!(!stderr.contains(API_KEY) && !stderr.contains(TOKEN_SECRET));
}

#[test]
fn a_previous_token_secret_must_be_long_enough_too() {
    let output = command()
        .args(["serve", "--listen", "127.0.0.1:0", "--provider", "hsmail"])
        .args(["--upstream", "http://127.0.0.1:9"])
        .env("ORDER_PROXY_API_KEY", API_KEY)
        .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
        .env("ORDER_PROXY_TOKEN_SECRET_PREVIOUS", "short-LEAK")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("ORDER_PROXY_TOKEN_SECRET_PREVIOUS must be at least 16 bytes"),
        "{stderr}"
    );
    assert!(!stderr.contains("short-LEAK"));
}

#[test]
fn redis_needs_a_long_enough_cache_key() {
    let serve_with = |cache_key: Option<&str>| {
        let mut command = command();
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--mock"])
            .args(["--redis", "redis://127.0.0.1:9"]);
        if let Some(key) = cache_key {
            command.env("ORDER_PROXY_CACHE_KEY", key);
        }
        let output = command.output().expect("runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = serve_with(None);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("ORDER_PROXY_CACHE_KEY is not set"),
        "{stderr}"
    );
    let (code, stderr) = serve_with(Some("short-key-DO-NOT-LEAK"));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("at least 32 characters"), "{stderr}");
    assert!(!stderr.contains("short-key-DO-NOT-LEAK"));
}

/// `serve --mock --mock-webhooks off`: like most real vendors, the mock vendors send no
/// webhook; the proxy's own schedule still shows each change on the stream within the
/// polling target.
#[tokio::test]
async fn without_mock_webhooks_the_schedule_still_shows_every_change() {
    const DELIVERED_AFTER: Duration = Duration::from_millis(2_500); // 10 s at 4×
    let mut served = serve(&["--mock", "--mock-webhooks", "off", "--mock-speed", "4"]);
    let id = "HSM000000010";
    let token: serde_json::Value = client()
        .get(format!("{}/demo/token/{id}", served.url))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    let token = token["token"].as_str().expect("a token");
    let opened = std::time::Instant::now();
    let mut stream = common::events::EventStream::open(&served.url, id, token).await;
    let mut seen = Vec::new();
    while let Some(order) = stream.next_order(Duration::from_secs(10)).await {
        seen.push(order);
    }
    let delay = opened.elapsed().saturating_sub(DELIVERED_AFTER);
    assert_eq!(status_of(&seen[0]), Status::Pending, "{}", seen[0]);
    assert!(seen
        .last()
        .is_some_and(|last| status_of(last) == Status::Delivered));
    println!(
        "without webhooks: {} events, delivery shown at most {delay:?} after the vendor's change",
        seen.len()
    );
    assert!(delay <= Duration::from_secs(3), "{delay:?}");

    let _ = Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status();
    let _ = served.child.wait();
    let log = served.log();
    assert!(log.contains("upstream answered"), "the log was read");
    assert!(!log.contains("webhook accepted"), "no mock vendor sent one");
}

#[test]
fn serve_refuses_to_start_without_a_mode() {
    let output = command()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("ORDER_PROXY_API_KEY", API_KEY)
        .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "a usage error");
    assert!(output.stdout.is_empty(), "never listened");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--upstream") && stderr.contains("--mock"),
        "names both modes: {stderr}"
    );
    assert!(!stderr.contains(API_KEY) && !stderr.contains(TOKEN_SECRET));
}

/// A staging instance started in mock mode with the production environment must not hand
/// out tokens that production accepts.
#[tokio::test]
async fn a_mock_instance_never_uses_the_environments_secrets() {
    let mock = serve(&["--mock"]);
    let (vendor_addr, _vendor) = common::vendor::start().await;
    let upstream = format!("http://{vendor_addr}");
    let real = serve(&["--upstream", &upstream, "--provider", "hsmail"]);
    let id = "HSM000000001";
    let from_mock = demo_token(&mock.url, id).await;
    let order = |token: String| {
        let url = format!("{}/api/orders/{id}", real.url);
        async move {
            let response = client()
                .get(url)
                .header("X-Order-Token", token)
                .send()
                .await
                .expect("answer");
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.expect("json");
            (status, body["error"].as_str().map(str::to_owned))
        }
    };
    assert_eq!(
        order(from_mock.clone()).await,
        (403, Some("token_invalid".to_owned())),
        "the mock's token is worthless to the real instance"
    );
    assert_eq!(order(token_for(id)).await.0, 200, "the real secret works");
    let mock_answer = client()
        .get(format!("{}/api/orders/{id}", mock.url))
        .header("X-Order-Token", token_for(id))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        mock_answer.status().as_u16(),
        403,
        "the mock does not take the environment's token secret"
    );
    let hook = hook_body(id);
    let signed = order_proxy::auth::webhook_signature::sign(
        WEBHOOK_SECRET.as_bytes(),
        order_token::now_unix(),
        hook.as_bytes(),
    );
    assert_eq!(
        post_hook(&mock.url, &hook, Some(signed)).await,
        401,
        "nor its webhook secret"
    );
    for path in ["/demo/token/HSM000000001", "/demo/scenarios"] {
        let response = client()
            .get(format!("{}{path}", real.url))
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status().as_u16(), 404, "{path} is mock only");
    }

    let real_log = real.stop();
    let mock_log = mock.stop();
    assert!(
        mock_log.contains("random API key, API secret, token secret and webhook secret")
            && mock_log.contains("ORDER_PROXY_TOKEN_SECRET"),
        "the log says the environment's secrets were not used"
    );
    for secret in [
        API_KEY,
        API_SECRET,
        TOKEN_SECRET,
        WEBHOOK_SECRET,
        &from_mock,
    ] {
        assert!(
            !mock_log.contains(secret) && !real_log.contains(secret),
            "a log leaks {} chars",
            secret.len()
        );
    }
}

/// The vendor key goes with every upstream request: plain http only to this machine or
/// when the operator says so.
#[test]
fn plain_http_upstream_only_on_loopback_or_when_allowed() {
    let refused = command()
        .args(["serve", "--listen", "127.0.0.1:0", "--provider", "hsmail"])
        .args(["--upstream", "http://vendor.example:8080"])
        .env("ORDER_PROXY_API_KEY", API_KEY)
        .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("clear text") && stderr.contains("--allow-http-upstream"),
        "{stderr}"
    );
    assert!(!stderr.contains(API_KEY));

    for args in [
        &[
            "--upstream",
            "http://vendor.example:8080",
            "--allow-http-upstream",
        ][..],
        &["--upstream", "http://127.0.0.2:9"],
        &["--upstream", "http://[::1]:9"],
        &["--upstream", "http://localhost:9"],
        &["--upstream", "https://vendor.example"],
    ] {
        let served = serve(&[args, &["--provider", "hsmail"][..]].concat());
        let log = served.stop();
        assert!(log.contains("listening"), "{args:?} starts");
    }
}

#[test]
fn a_redis_ca_file_must_be_readable_hold_a_certificate_and_go_with_rediss() {
    let dir = std::env::temp_dir().join(format!("order-proxy-cli-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let not_pem = dir.join("not-a-certificate.pem");
    std::fs::write(&not_pem, "not a certificate").expect("written");
    let serve_with = |url: &str, ca: &Path, via_env: bool| {
        let mut command = command();
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--mock", "--redis", url])
            .env("ORDER_PROXY_CACHE_KEY", CACHE_KEY);
        if via_env {
            command.env("ORDER_PROXY_REDIS_CA_FILE", ca);
        } else {
            command.arg("--redis-ca").arg(ca);
        }
        let output = command.output().expect("runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let missing = dir.join("missing.pem");
    for via_env in [false, true] {
        let (code, stderr) = serve_with("rediss://127.0.0.1:9", &missing, via_env);
        assert_eq!(code, Some(1));
        assert!(stderr.contains("cannot read the Redis CA file"), "{stderr}");
    }
    let (code, stderr) = serve_with("redis://127.0.0.1:9", &not_pem, false);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("needs a rediss:// URL"), "{stderr}");
    let (code, stderr) = serve_with("rediss://127.0.0.1:9", &not_pem, false);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("no PEM certificate"), "{stderr}");
    assert!(!stderr.contains(CACHE_KEY));
    let _ = std::fs::remove_dir_all(dir);
}
