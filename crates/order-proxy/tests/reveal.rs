//! The reveal endpoints over HTTP on loopback, in front of a counting vendor: the checks
//! before any vendor call, the answers, and the reveal limits per order and per client.

mod common;

use common::net::{client_from, FIRST_CLIENT, SECOND_CLIENT};
use common::vendor::{self, Counting};
use common::*;
use order_proxy::auth::order_token;
use order_proxy::Limits;

const ID: &str = "REVEALED0001";
const OTHER: &str = "REVEALED0002";

/// The order's refs, as its redacted body names them.
async fn refs_of(server: &order_proxy::Server, id: &str) -> Vec<String> {
    let (status, _, order) = fetch(server, id).await;
    assert_eq!(status, 200, "{order}");
    order["vouchers"]
        .as_array()
        .expect("vouchers")
        .iter()
        .map(|voucher| voucher["ref"].as_str().expect("a ref").to_owned())
        .collect()
}

async fn reveal_as(
    client: &reqwest::Client,
    server: &order_proxy::Server,
    id: &str,
    secret_ref: Option<&str>,
) -> (u16, Option<String>, serde_json::Value) {
    let token = token_for(id.split('?').next().unwrap_or(id));
    answer(post_reveal(client, &server.url(), id, secret_ref, Some(&token)).await).await
}

async fn reveal(
    server: &order_proxy::Server,
    id: &str,
    secret_ref: Option<&str>,
) -> (u16, Option<String>, serde_json::Value) {
    reveal_as(&client(), server, id, secret_ref).await
}

#[tokio::test]
async fn a_missing_foreign_or_expired_token_is_refused_before_any_vendor_call() {
    let (addr, vendor) = vendor::start().await;
    vendor.deliver();
    let server = start(vendor::config_for(addr)).await;
    let url = server.url();
    let http = client();
    let a_ref = "AAAAAAAAAAAAAAAAAAAAAA";
    let expired = order_token::mint_until(
        TOKEN_SECRET.as_bytes(),
        order_token::Claims {
            audience: "hsmail",
            order_id: ID,
        },
        order_token::now_unix() - 1,
    );
    let cases = [
        (None, 401, "token_missing"),
        (Some(token_for(OTHER)), 403, "token_invalid"),
        (Some(expired), 401, "token_expired"),
    ];
    for (token, status, error) in cases {
        for secret_ref in [Some(a_ref), None] {
            let response = post_reveal(&http, &url, ID, secret_ref, token.as_deref()).await;
            let (got, _, body) = answer(response).await;
            assert_eq!(
                (got, body["error"].as_str()),
                (status, Some(error)),
                "{secret_ref:?}"
            );
        }
    }
    // A malformed ref is no ref of ours: 404 without asking the vendor either.
    let (status, _, body) = reveal(&server, ID, Some("not-a-ref")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("code_not_found"))
    );
    assert_eq!(vendor.total_hits(), 0, "nothing reached the vendor");
}

#[tokio::test]
async fn a_reveal_answers_the_vouchers_code_from_the_cache_and_unknown_refs_are_404() {
    let (addr, vendor) = vendor::start().await;
    vendor.deliver();
    let server = start(vendor::config_for(addr)).await;
    let refs = refs_of(&server, ID).await;
    let codes = Counting::codes();
    assert_eq!(refs.len(), codes.len());
    for (secret_ref, code) in refs.iter().zip(&codes) {
        let (status, _, revealed) =
            reveal(&server, &format!("{ID}?purpose=copy"), Some(secret_ref)).await;
        assert_eq!(status, 200, "{revealed}");
        assert_eq!(
            revealed,
            serde_json::json!({"ref": secret_ref, "code": code, "pin": null, "claim_url": null})
        );
    }
    assert_eq!(
        vendor.hits(ID),
        1,
        "the delivered order came from the cache"
    );

    let unknown = "A".repeat(22);
    let (status, _, body) = reveal(&server, ID, Some(&unknown)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("code_not_found"))
    );
    // Another order's ref is unknown in this one.
    let others = refs_of(&server, OTHER).await;
    let (status, _, _) = reveal(&server, ID, Some(&others[0])).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn reveal_all_answers_every_voucher_and_asks_the_vendor_when_nothing_is_cached() {
    let (addr, vendor) = vendor::start().await;
    vendor.deliver();
    let server = start(vendor::config_for(addr)).await;
    let (status, _, all) = reveal(&server, &format!("{ID}?purpose=download"), None).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(vendor.hits(ID), 1, "fetched within the usual rules");
    let codes: Vec<&str> = all["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(|revealed| revealed["code"].as_str())
        .collect();
    assert_eq!(codes, Counting::codes());
    let refs = refs_of(&server, ID).await;
    let answered: Vec<&str> = all["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(|revealed| revealed["ref"].as_str())
        .collect();
    assert_eq!(
        answered, refs,
        "each code under the ref the order names it by"
    );
    assert_eq!(vendor.hits(ID), 1);
}

#[tokio::test]
async fn the_per_order_reveal_limit_answers_429_with_retry_after() {
    let (addr, vendor) = vendor::start().await;
    vendor.deliver();
    let mut config = vendor::config_for(addr);
    config.limits = Limits {
        reveals_per_order_per_minute: 3,
        ..Limits::default()
    };
    let server = start(config).await;
    let refs = refs_of(&server, ID).await;
    for _ in 0..3 {
        assert_eq!(reveal(&server, ID, Some(&refs[0])).await.0, 200);
    }
    for secret_ref in [Some(refs[0].as_str()), None] {
        let (status, retry_after, body) = reveal(&server, ID, secret_ref).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (429, Some("rate_limited"))
        );
        let seconds: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
        assert!((1..=20).contains(&seconds), "{seconds}");
    }
    // The order's own limit: another order of the same client is still answered.
    assert_eq!(reveal(&server, OTHER, None).await.0, 200);
}

#[tokio::test]
async fn the_per_client_reveal_limit_answers_429_with_retry_after() {
    let (addr, vendor) = vendor::start().await;
    vendor.deliver();
    let mut config = vendor::config_for(addr);
    config.limits = Limits {
        reveals_per_ip_per_minute: 3,
        ..Limits::default()
    };
    let server = start(config).await;
    let first = client_from(FIRST_CLIENT);
    for id in [ID, OTHER, ID] {
        assert_eq!(reveal_as(&first, &server, id, None).await.0, 200);
    }
    let (status, retry_after, body) = reveal_as(&first, &server, OTHER, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    let seconds: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=20).contains(&seconds), "{seconds}");
    // Another client's reveals of the same orders are its own.
    let second = client_from(SECOND_CLIENT);
    assert_eq!(reveal_as(&second, &server, OTHER, None).await.0, 200);
    // The order itself is still served: only reveals are limited.
    assert_eq!(fetch(&server, ID).await.0, 200);
}

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

/// The `code_revealed` lines of a JSON log.
fn audit_lines(log: &str) -> Vec<serde_json::Value> {
    log.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "code_revealed")
        .collect()
}

#[tokio::test]
async fn each_code_revealed_writes_one_audit_line_without_the_code() {
    let (addr, vendor) = vendor::start().await;
    vendor.deliver();
    let served = common::binary::serve(&[
        "--upstream",
        &format!("http://{addr}"),
        "--provider",
        "hsmail",
    ]);
    let url = served.url.clone();
    let token = token_for(ID);
    let order: serde_json::Value = client()
        .get(format!("{url}/api/orders/{ID}"))
        .header("X-Order-Token", &token)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    let refs: Vec<&str> = order["vouchers"]
        .as_array()
        .expect("vouchers")
        .iter()
        .filter_map(|voucher| voucher["ref"].as_str())
        .collect();
    let post = |path: String, user_agent: &'static str| {
        client()
            .post(format!("{url}/api/orders/{ID}/codes{path}"))
            .header("X-Order-Token", &token)
            .header("User-Agent", user_agent)
            .send()
    };
    let one = post(format!("/{}?purpose=qr", refs[0]), IPHONE)
        .await
        .expect("answer");
    assert_eq!(one.status(), 200);
    let all = post("?purpose=download".into(), WINDOWS)
        .await
        .expect("answer");
    assert_eq!(all.status(), 200);
    let unknown = post(format!("/{}", "A".repeat(22)), WINDOWS)
        .await
        .expect("answer");
    assert_eq!(unknown.status(), 404, "no code shown, no line");

    let log = served.stop();
    let lines = audit_lines(&log);
    assert_eq!(lines.len(), 1 + refs.len(), "one line per code shown");
    let client_hash = lines[0]["fields"]["client"]
        .as_str()
        .expect("a client hash");
    assert!(client_hash.len() == 16 && client_hash.bytes().all(|b| b.is_ascii_hexdigit()));
    let expected = |secret_ref: &str, purpose, scope, user_agent| {
        serde_json::json!({
            "message": "code_revealed",
            "order_id": ID,
            "vendor": "hsmail",
            "ref": secret_ref,
            "kind": "code",
            "purpose": purpose,
            "scope": scope,
            "client": client_hash,
            "user_agent": user_agent,
        })
    };
    assert_eq!(lines[0]["fields"], expected(refs[0], "qr", "one", "mobile"));
    for (line, secret_ref) in lines[1..].iter().zip(&refs) {
        assert_eq!(
            line["fields"],
            expected(secret_ref, "download", "all", "desktop")
        );
    }
    for line in &lines {
        assert_eq!(line["target"], "order_proxy::audit");
        assert!(line["timestamp"].is_string(), "the time of the reveal");
        assert!(!line.to_string().contains("127.0.0.1"), "never the address");
    }
    for code in Counting::codes() {
        assert!(!log.contains(&code), "the log holds a code");
    }
}

/// The reveal endpoints read no body: a request announcing a megabyte it never sends is
/// answered at once, and its connection closed rather than kept for the body.
#[tokio::test]
async fn a_reveal_is_answered_without_waiting_for_a_body() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (addr, vendor) = vendor::start().await;
    vendor.deliver();
    let server = start(vendor::config_for(addr)).await;
    let mut stream = common::net::connect_from(FIRST_CLIENT, server.addr).await;
    let head = format!(
        "POST /api/orders/{ID}/codes HTTP/1.1\r\nHost: proxy\r\nX-Order-Token: {}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: 1048576\r\n\r\n",
        token_for(ID)
    );
    stream.write_all(head.as_bytes()).await.expect("the head");
    let sent = std::time::Instant::now();
    let mut received = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut received),
    )
    .await;
    let received = String::from_utf8_lossy(&received);
    assert!(
        closed.is_ok(),
        "the connection was held for the body: {received}"
    );
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
    assert!(received.contains(&Counting::codes()[0]));
    println!("answered and closed {:?} after the head", sent.elapsed());
}
