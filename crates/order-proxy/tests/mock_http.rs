//! The proxy in mock mode over real HTTP on loopback: tokens, ids, limits, caching,
//! CORS, headers and the demo endpoints.

mod common;

use std::time::Duration;

use common::*;
use order_proxy::auth::order_token;
use order_proxy::codes::Codes;
use order_proxy::Limits;

#[tokio::test]
async fn token_rules_and_refused_requests_never_reach_the_vendor() {
    let server = start(mock_config()).await;
    let id = "HSM000000001";

    let (status, _, body) = answer(get_order(&server, id, None).await).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("token_missing"))
    );

    let forged = token_signed_with(b"not-the-shops-secret-at-all", "hsmail", id);
    let (status, _, body) = answer(get_order(&server, id, Some(&forged)).await).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("token_invalid"))
    );

    let other_order = token_for("HSM000000010");
    let (status, _, body) = answer(get_order(&server, id, Some(&other_order)).await).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("token_invalid"))
    );

    let expired = order_token::mint_until(
        TOKEN_SECRET.as_bytes(),
        order_token::Claims {
            audience: "hsmail",
            order_id: id,
        },
        order_token::now_unix() - 1,
    );
    let (status, _, body) = answer(get_order(&server, id, Some(&expired)).await).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("token_expired"))
    );
    assert!(body["message"].as_str().unwrap_or("").contains("expired"));

    for garbage in ["", "v1", "v1.abc.def", "v2.1.x", "Bearer x"] {
        let (status, _, _) = answer(get_order(&server, id, Some(garbage)).await).await;
        assert_eq!(status, 403, "token {garbage:?}");
    }
    assert_eq!(
        hits(&server, id),
        0,
        "no refused request reached the vendor"
    );

    let (status, _, _) = fetch(&server, id).await;
    assert_eq!(status, 200);
    assert_eq!(hits(&server, id), 1);
}

#[tokio::test]
async fn ids_are_validated_per_vendor_before_the_vendor_is_called() {
    let server = start(mock_config()).await;
    let cases = [
        ("hsmail", "SHORT"),
        ("hsmail", "HSM00000000!"),
        ("hsmail", "HSM0000000011"),
        ("voucher-api", "0"),
        ("voucher-api", "12a"),
        ("voucher-api", "-3"),
        ("bdvoucher", "0042"),
        ("bdvoucher", "1234567A"),
        ("shop", "a.b"),
        ("shop", &"x".repeat(65)),
    ];
    for (provider, id) in cases {
        let path = format!("{id}?provider={provider}");
        let (status, _, body) = answer(get_order(&server, &path, Some(&token_for(id))).await).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_order_id")),
            "{provider} {id}"
        );
        assert_eq!(hits(&server, id), 0);
    }
    // Valid ids that the mock does not know: checked, then the vendor says 404.
    for (provider, id) in [
        ("hsmail", "ABCDEFGHIJ12"),
        ("voucher-api", "77"),
        ("bdvoucher", "00000077"),
        ("shop", "ord_77-x"),
    ] {
        let path = format!("{id}?provider={provider}");
        let vendor = order_proxy::orders::vendor::from_name(provider).expect("a vendor");
        let (status, _, body) =
            answer(get_order(&server, &path, Some(&token_at(vendor, id))).await).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (404, Some("not_found")),
            "{provider} {id}"
        );
        assert_eq!(hits(&server, id), 1);
    }
}

#[tokio::test]
async fn terminal_orders_are_cached() {
    let server = start(mock_config()).await;
    for _ in 0..5 {
        let (status, _, body) = fetch(&server, "20250001").await;
        assert_eq!((status, body["status"].as_str()), (200, Some("delivered")));
    }
    assert_eq!(hits(&server, "20250001"), 1);
}

#[tokio::test]
async fn live_orders_are_cached_briefly() {
    let mut config = mock_config();
    config.live_ttl = Duration::from_millis(400);
    let server = start(config).await;
    let id = "1002"; // pending for ~2 minutes
    assert_eq!(fetch(&server, id).await.0, 200);
    assert_eq!(fetch(&server, id).await.0, 200);
    assert_eq!(hits(&server, id), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(fetch(&server, id).await.0, 200);
    assert_eq!(hits(&server, id), 2);
}

#[tokio::test]
async fn concurrent_requests_share_one_upstream_call() {
    let server = start(mock_config()).await;
    let id = "20250500"; // the 500-code order: the largest body
    let statuses = concurrent_statuses(&server, id, 12).await;
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    assert_eq!(hits(&server, id), 1);
}

#[tokio::test]
async fn per_order_limit_counts_upstream_calls_and_sets_retry_after() {
    let mut config = mock_config();
    config.live_ttl = Duration::ZERO; // every request would reach the vendor
    config.limits = Limits {
        per_order_per_hour: 2,
        ..Limits::default()
    };
    let server = start(config).await;
    let id = "HSM000000010"; // pending for ~10 s
    assert_eq!(fetch(&server, id).await.0, 200);
    assert_eq!(fetch(&server, id).await.0, 200);
    let (status, retry_after, body) = fetch(&server, id).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    let seconds: u64 = retry_after
        .expect("Retry-After")
        .parse()
        .expect("whole seconds");
    assert!((1..=1800).contains(&seconds), "{seconds}");
    assert_eq!(
        hits(&server, id),
        2,
        "the refused request never reached the vendor"
    );
    // Another order has its own budget.
    assert_eq!(fetch(&server, "HSM000000001").await.0, 200);
}

#[tokio::test]
async fn overall_burst_limit() {
    let mut config = mock_config();
    config.limits = Limits {
        per_10_seconds: 2,
        ..Limits::default()
    };
    let server = start(config).await;
    assert_eq!(fetch(&server, "1001").await.0, 200);
    assert_eq!(fetch(&server, "20250001").await.0, 200);
    let (status, retry_after, _) = fetch(&server, "SHOP-CANCEL-1").await;
    assert_eq!(status, 429);
    assert!(retry_after.is_some_and(|value| value.parse::<u64>().is_ok_and(|s| s >= 1)));
    assert_eq!(hits(&server, "SHOP-CANCEL-1"), 0);
    // Cached answers do not spend the vendor's budget.
    assert_eq!(fetch(&server, "1001").await.0, 200);
}

#[tokio::test]
async fn per_client_limit_counts_every_request() {
    let mut config = mock_config();
    config.limits = Limits {
        per_ip_per_minute: 3,
        ..Limits::default()
    };
    let server = start(config).await;
    for _ in 0..3 {
        assert_eq!(fetch(&server, "1001").await.0, 200);
    }
    let (status, retry_after, _) = fetch(&server, "1001").await;
    assert_eq!(status, 429);
    assert!(retry_after.is_some());
    let (status, _, _) = answer(get_order(&server, "1001", None).await).await;
    assert_eq!(status, 429, "the client limit comes before the token check");
    assert_eq!(hits(&server, "1001"), 1);
}

#[tokio::test]
async fn vendor_rate_limit_is_passed_on_with_retry_after_and_obeyed() {
    let server = start(mock_config()).await;
    let id = "1004"; // 429 with Retry-After: 1 twice, then delivered
    for _ in 0..2 {
        let (status, retry_after, body) = fetch(&server, id).await;
        assert_eq!(
            (status, retry_after.as_deref(), body["error"].as_str()),
            (429, Some("1"), Some("rate_limited"))
        );
    }
    assert_eq!(
        hits(&server, id),
        1,
        "no call before the vendor's Retry-After"
    );
    // A client that obeys the Retry-After it was given.
    for expected in [429, 200] {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (status, _, body) = fetch(&server, id).await;
        assert_eq!(status, expected, "{body}");
    }
    assert_eq!(hits(&server, id), 3);
}

#[tokio::test]
async fn flaky_vendor_maps_to_502_then_recovers() {
    let server = start(mock_config()).await;
    let (status, _, body) = fetch(&server, "SHOP-FLAKY-1").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (502, Some("upstream_unavailable"))
    );
    let (status, _, body) = fetch(&server, "SHOP-FLAKY-1").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("pending")));
}

#[tokio::test]
async fn not_found_order() {
    let server = start(mock_config()).await;
    let (status, _, body) = fetch(&server, "1404").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    // An id no scenario knows, without ?provider=: the proxy cannot pick a vendor.
    let (status, _, _) = fetch(&server, "999999").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn normalize_serves_the_canonical_order_with_codes_inline() {
    let mut config = mock_config();
    config.codes = Codes::Inline;
    config.normalize = true;
    let server = start(config).await;
    let (status, _, order) = fetch(&server, "20250001").await;
    assert_eq!(status, 200);
    assert_eq!(order["vendor"], "bdvoucher");
    assert_eq!(order["status"], "delivered");
    assert_eq!(order["terminal"], true);
    assert_eq!(order["total"]["amount"], "1250.5");
    assert_eq!(order["vouchers"].as_array().map(Vec::len), Some(3));
    assert_eq!(order["vouchers"][0]["code"], "BDV-20250001-0001-1234");
    assert_eq!(order["vouchers"][0].get("ref"), None, "the body of before");
    let (_, _, order) = fetch(&server, "SHOP-CANCEL-1").await;
    assert_eq!(
        (order["status"].as_str(), order["terminal"].as_bool()),
        (Some("cancelled"), Some(true))
    );
}

#[tokio::test]
async fn codes_inline_serves_the_vendors_body() {
    let mut config = mock_config();
    config.codes = Codes::Inline;
    let server = start(config).await;
    let (status, _, body) = fetch(&server, "20250001").await;
    assert_eq!(
        (status, body["data"]["status"].as_str()),
        (200, Some("SUCCEEDED"))
    );
    assert_eq!(body["data"]["voucher_codes"][0], "BDV-20250001-0001-1234");
}

/// The default: the canonical order, each voucher's secrets withheld behind its `ref`.
#[tokio::test]
async fn the_order_is_served_redacted_by_default() {
    let server = start(mock_config()).await;
    let (status, _, order) = fetch(&server, "1001").await;
    assert_eq!((status, order["status"].as_str()), (200, Some("delivered")));
    let voucher = &order["vouchers"][0];
    assert_eq!(
        voucher["code"],
        serde_json::json!({"length": 17, "last4": "1234"})
    );
    assert_eq!(voucher["pin"], serde_json::json!({"length": 4}));
    assert_eq!(
        voucher["claim_url"],
        serde_json::Value::Null,
        "it carried the code"
    );
    assert_eq!(voucher["reference"], "REF-1001-1");
    let secret_ref = voucher["ref"].as_str().expect("a ref");
    assert_eq!(secret_ref.len(), 22);
    let again = fetch(&server, "1001").await.2;
    assert_eq!(again["vouchers"][0]["ref"], secret_ref, "stable");
}

#[tokio::test]
async fn cors_preflight_with_allow_origin() {
    let mut config = mock_config();
    config.allow_origin = Some("https://shop.example".into());
    let server = start(config).await;
    let preflight = |origin: &'static str| {
        client()
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/orders/1001", server.url()),
            )
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "x-order-token")
            .send()
    };
    let allowed = preflight("https://shop.example").await.expect("answer");
    assert!(allowed.status().is_success());
    let headers = allowed.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://shop.example"
    );
    assert!(headers["access-control-allow-headers"]
        .to_str()
        .unwrap_or("")
        .contains("x-order-token"));
    assert_eq!(headers["cache-control"], "no-store");
    let reveal = client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/orders/1001/codes", server.url()),
        )
        .header("Origin", "https://shop.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "x-order-token")
        .send()
        .await
        .expect("answer");
    let methods = reveal.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        methods.contains("POST") && methods.contains("GET"),
        "{methods}"
    );
    let refused = preflight("https://evil.example").await.expect("answer");
    // tower-http's exact origin is always named; the browser refuses any other origin.
    assert_ne!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://evil.example")
    );

    let response = client()
        .get(format!("{}/api/orders/1001", server.url()))
        .header("Origin", "https://shop.example")
        .header("X-Order-Token", token_for("1001"))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    assert_eq!(answer(response).await.0, 200);
}

#[tokio::test]
async fn healthz_demo_endpoints_and_headers() {
    let assets = temp_assets();
    let mut config = mock_config();
    config.assets = assets.clone();
    let server = start(config).await;
    let get = |path: &str| client().get(format!("{}{path}", server.url())).send();

    let (status, _, body) = answer(get("/healthz").await.expect("answer")).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));

    let (status, _, scenarios) = answer(get("/demo/scenarios").await.expect("answer")).await;
    assert_eq!(status, 200);
    let scenarios = scenarios.as_array().cloned().unwrap_or_default();
    for vendor in ["hsmail", "voucher-api", "shop", "bdvoucher"] {
        let count = scenarios.iter().filter(|s| s["provider"] == vendor).count();
        assert!(count >= 3, "{vendor} has {count} scenarios");
    }
    assert!(scenarios
        .iter()
        .all(|s| s["id"].is_string() && s["title"].is_string() && s["description"].is_string()));

    let (status, _, body) = answer(get("/demo/token/SHOP-PICKUP-1").await.expect("answer")).await;
    assert_eq!(status, 200);
    let demo_token = body["token"].as_str().expect("a token").to_owned();
    let for_shop = order_token::Claims {
        audience: "shop",
        order_id: "SHOP-PICKUP-1",
    };
    let rules = order_token::Rules::default();
    let now = order_token::now_unix();
    assert!(demo_token.starts_with("v2."), "the demo mints v2");
    assert_eq!(
        order_token::verify(TOKEN_SECRET.as_bytes(), for_shop, &demo_token, rules, now),
        Ok(())
    );
    let for_hsmail = order_token::Claims {
        audience: "hsmail",
        ..for_shop
    };
    assert_eq!(
        order_token::verify(TOKEN_SECRET.as_bytes(), for_hsmail, &demo_token, rules, now),
        Err(order_token::TokenError::Invalid),
        "bound to the order's mock vendor"
    );
    let (status, _, body) = answer(
        get("/demo/token/77?provider=bdvoucher")
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!(status, 200, "?provider= names the mock vendor");
    let for_bdvoucher = order_token::Claims {
        audience: "bdvoucher",
        order_id: "77",
    };
    assert_eq!(
        order_token::verify(
            TOKEN_SECRET.as_bytes(),
            for_bdvoucher,
            body["token"].as_str().unwrap_or_default(),
            rules,
            now
        ),
        Ok(())
    );
    assert_eq!(
        answer(get("/demo/token/bad.id").await.expect("answer"))
            .await
            .0,
        400
    );

    let page = get("/?order=1001&token=x").await.expect("answer");
    assert_eq!(page.status().as_u16(), 200);
    let headers = page.headers().clone();
    assert_eq!(
        headers["content-security-policy"],
        order_proxy::handlers::demo::CONTENT_SECURITY_POLICY
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    // Revalidated (static_files.rs has the caching tests); orders stay no-store.
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(page.text().await.unwrap_or_default().contains("demo page"));

    let wasm = get("/www/pkg/widget_bg.wasm").await.expect("answer");
    assert_eq!(wasm.status().as_u16(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    let (status, _, _) = answer(get("/www/missing.js").await.expect("answer")).await;
    assert_eq!(status, 404);
    let (status, _, body) = answer(get("/no/such/route").await.expect("answer")).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let _ = std::fs::remove_dir_all(assets);
}

#[tokio::test]
async fn demo_endpoints_exist_only_in_mock_mode() {
    let server = start(config(order_proxy::UpstreamConfig::Vendor {
        vendor: order_core::model::Vendor::Hsmail,
        base_url: "http://127.0.0.1:9".into(),
    }))
    .await;
    for path in ["/demo/scenarios", "/demo/token/HSM000000001"] {
        let response = client()
            .get(format!("{}{path}", server.url()))
            .send()
            .await
            .expect("answer");
        assert_eq!(answer(response).await.0, 404, "{path}");
    }
}

fn temp_assets() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "order-proxy-assets-{}-{}",
        std::process::id(),
        order_token::now_unix()
    ));
    std::fs::create_dir_all(dir.join("www/pkg")).expect("temp dir");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>demo page</title>",
    )
    .expect("index");
    std::fs::write(dir.join("www/pkg/widget_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
    dir
}

/// Fires `count` requests for `id` at once, each from its own task.
async fn concurrent_statuses(server: &order_proxy::Server, id: &str, count: usize) -> Vec<u16> {
    let url = format!("{}/api/orders/{id}", server.url());
    let token = token_for(id);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let (url, token) = (url.clone(), token.clone());
        tasks.spawn(async move {
            client()
                .get(url)
                .header("X-Order-Token", token)
                .send()
                .await
                .map(|response| response.status().as_u16())
        });
    }
    let mut statuses = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        statuses.push(joined.expect("task").expect("answer"));
    }
    statuses
}
