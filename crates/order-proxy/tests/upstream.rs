//! The proxy against a fake vendor on loopback: credentials sent per vendor, error
//! mapping, timeouts, id validation in front of a real upstream, single-flight.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use common::*;
use order_core::model::Vendor;
use order_proxy::mock::scenarios::{self, Phase};
use order_proxy::orders::vendor::order_route;
use order_proxy::{mock, Server, UpstreamConfig};

/// A vendor whose answer is chosen by the order id; it remembers hits and headers.
#[derive(Default)]
struct FakeVendor {
    hits: Mutex<HashMap<String, u32>>,
    last_headers: Mutex<Option<HeaderMap>>,
}

const VENDOR_DETAIL: &str = "Invalid API key test-api-key-DO-NOT-LEAK-4f1c2a for account 42";

async fn fake_answer(
    vendor: Vendor,
    State(fake): State<Arc<FakeVendor>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    *fake.hits.lock().unwrap().entry(id.clone()).or_default() += 1;
    *fake.last_headers.lock().unwrap() = Some(headers);
    let delivered =
        |scenario_id: &str| axum::Json(delivered_as(vendor, scenario_id, &id)).into_response();
    match id.as_str() {
        "AUTHFAIL0001" => (
            StatusCode::UNAUTHORIZED,
            format!(r#"{{"status":"error","message":"{VENDOR_DETAIL}"}}"#),
        )
            .into_response(),
        "FORBIDDEN001" => (StatusCode::FORBIDDEN, VENDOR_DETAIL).into_response(),
        "SERVERERR001" => (
            StatusCode::INTERNAL_SERVER_ERROR,
            r#"{"status":"error","message":"boom"}"#,
        )
            .into_response(),
        "BADGATEWAY01" => (StatusCode::BAD_GATEWAY, "<html>bad gateway</html>").into_response(),
        "NOTJSON00001" => (StatusCode::OK, "<html>maintenance</html>").into_response(),
        "NOTANORDER01" => axum::Json(serde_json::json!({"hello": "world"})).into_response(),
        "ERRENVELOPE1" => {
            axum::Json(serde_json::json!({"status": "error", "message": VENDOR_DETAIL}))
                .into_response()
        }
        "NOTFOUND0001" => (
            StatusCode::NOT_FOUND,
            r#"{"status":"error","message":"Order not found"}"#,
        )
            .into_response(),
        "RATELIMITED1" => {
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "7")], "{}").into_response()
        }
        // A vendor mixing orders up: another order's body (and codes).
        "OTHERORDER01" | "OTHERORDER02" | "77" | "87654321" => {
            axum::Json(delivered_as(vendor, default_scenario(vendor), "1")).into_response()
        }
        "SLOWSLOWSLOW" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            delivered("HSM000000001")
        }
        "SLOWDELIVERY" => {
            tokio::time::sleep(Duration::from_millis(300)).await;
            delivered("HSM000000001")
        }
        _ => delivered(default_scenario(vendor)),
    }
}

fn default_scenario(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Hsmail => "HSM000000001",
        Vendor::VoucherApi => "1001",
        Vendor::Shop => "SHOP-PICKUP-1",
        Vendor::Bdvoucher => "20250001",
    }
}

/// The delivered body of a mock scenario, as the vendor's answer for order `id`.
fn delivered_as(vendor: Vendor, scenario_id: &str, id: &str) -> serde_json::Value {
    let scenario = scenarios::find(scenario_id).expect("scenario");
    let id = serde_json::Value::String(id.to_owned());
    match vendor {
        Vendor::Hsmail => {
            let mut body = mock::hsmail::order(scenario, Phase::Delivered);
            body["data"]["id"] = id;
            body
        }
        Vendor::VoucherApi => {
            let mut body = mock::voucher_api::order(scenario, Phase::Delivered);
            body["id"] = id;
            body
        }
        Vendor::Shop => {
            let mut body = mock::shop::order(scenario, Phase::Delivered);
            body["data"]["id"] = id;
            body
        }
        Vendor::Bdvoucher => {
            let mut body = mock::bdvoucher::order(scenario, Phase::Delivered);
            body["data"]["order_number"] = id;
            body
        }
    }
}

async fn start_fake() -> (SocketAddr, Arc<FakeVendor>) {
    let fake = Arc::new(FakeVendor::default());
    // hsmail and shop at the root, voucher-api and bdvoucher under their names (their
    // routes are the same).
    let prefix = |vendor: Vendor| match vendor {
        Vendor::Hsmail | Vendor::Shop => String::new(),
        Vendor::VoucherApi | Vendor::Bdvoucher => format!("/{}", vendor.as_str()),
    };
    let router = Vendor::ALL
        .iter()
        .fold(Router::new(), |router, &vendor| {
            let route = format!("{}{}", prefix(vendor), order_route(vendor));
            router.route(&route, get(move |s, p, h| fake_answer(vendor, s, p, h)))
        })
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (addr, fake)
}

/// The proxy in front of the fake, configured as `vendor` (voucher-api and bdvoucher
/// share a path, so each gets a prefix in its base URL).
async fn proxy_for(
    vendor: Vendor,
    tweak: impl FnOnce(&mut order_proxy::Config),
) -> (Server, Arc<FakeVendor>) {
    let (addr, fake) = start_fake().await;
    let prefix = match vendor {
        Vendor::VoucherApi => "/voucher-api",
        Vendor::Bdvoucher => "/bdvoucher",
        _ => "",
    };
    let mut config = config(UpstreamConfig::Vendor {
        vendor,
        base_url: format!("http://{addr}{prefix}"),
    });
    tweak(&mut config);
    (start(config).await, fake)
}

/// `GET` the order with a token for it at `vendor`.
async fn fetch_at(
    server: &Server,
    vendor: Vendor,
    id: &str,
) -> (u16, Option<String>, serde_json::Value) {
    answer(get_order(server, id, Some(&token_at(vendor, id))).await).await
}

fn fake_hits(fake: &FakeVendor, id: &str) -> u32 {
    fake.hits.lock().unwrap().get(id).copied().unwrap_or(0)
}

fn header(fake: &FakeVendor, name: &str) -> Option<String> {
    fake.last_headers
        .lock()
        .unwrap()
        .as_ref()?
        .get(name)?
        .to_str()
        .ok()
        .map(str::to_owned)
}

#[tokio::test]
async fn each_vendor_gets_its_credentials_and_the_body_passes_through() {
    let cases = [
        (
            Vendor::Hsmail,
            "U35MFE9656S7",
            "authorization",
            API_KEY.to_owned(),
        ),
        (Vendor::VoucherApi, "12345", "x-api-key", API_KEY.to_owned()),
        (
            Vendor::Shop,
            "ORDER_123",
            "authorization",
            format!("Bearer {API_KEY}"),
        ),
        (
            Vendor::Bdvoucher,
            "12345678",
            "authorization",
            format!("Bearer {API_KEY}"),
        ),
    ];
    for (vendor, id, name, expected) in cases {
        let (server, fake) = proxy_for(vendor, |_| {}).await;
        let (status, _, body) = fetch_at(&server, vendor, id).await;
        assert_eq!(status, 200, "{vendor:?}");
        assert!(body.is_object());
        assert_eq!(
            header(&fake, name).as_deref(),
            Some(expected.as_str()),
            "{vendor:?}"
        );
        if vendor == Vendor::VoucherApi {
            assert_eq!(header(&fake, "x-api-secret").as_deref(), Some(API_SECRET));
        }
        assert!(!body.to_string().contains(API_KEY));
    }
}

#[tokio::test]
async fn ids_are_validated_before_the_upstream() {
    let cases = [
        (Vendor::Hsmail, "U35MFE9656S"),
        (Vendor::VoucherApi, "0"),
        (Vendor::Bdvoucher, "0123"),
        (Vendor::Shop, "a%2Fb"),
    ];
    for (vendor, id) in cases {
        let (server, fake) = proxy_for(vendor, |_| {}).await;
        let (status, _, body) = fetch_at(&server, vendor, id).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_order_id")),
            "{vendor:?} {id}"
        );
        assert!(fake.hits.lock().unwrap().is_empty());
    }
}

#[tokio::test]
async fn upstream_errors_are_mapped_without_vendor_detail() {
    let (server, fake) = proxy_for(Vendor::Hsmail, |config| {
        config.upstream_timeout = Duration::from_millis(300)
    })
    .await;
    let cases = [
        ("AUTHFAIL0001", 502, "upstream_auth", None),
        ("FORBIDDEN001", 502, "upstream_auth", None),
        ("SERVERERR001", 502, "upstream_unavailable", None),
        ("BADGATEWAY01", 502, "upstream_unavailable", None),
        ("NOTJSON00001", 502, "upstream_invalid", None),
        ("NOTANORDER01", 502, "upstream_invalid", None),
        ("ERRENVELOPE1", 502, "upstream_error", None),
        ("NOTFOUND0001", 404, "not_found", None),
        ("RATELIMITED1", 429, "rate_limited", Some("7")),
        ("SLOWSLOWSLOW", 504, "upstream_timeout", None),
    ];
    for (id, expected_status, kind, retry_after) in cases {
        let response = get_order(&server, id, Some(&token_for(id))).await;
        let (status, got_retry_after, body) = answer(response).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (expected_status, Some(kind)),
            "{id}"
        );
        assert_eq!(got_retry_after.as_deref(), retry_after, "{id}");
        let text = body.to_string();
        assert!(
            !text.contains(API_KEY) && !text.contains("account 42") && !text.contains("boom"),
            "{id}: {text}"
        );
        assert_eq!(fake_hits(&fake, id), 1, "{id}");
    }
    // Errors are not cached: the next request asks the vendor again.
    let _ = fetch(&server, "SERVERERR001").await;
    assert_eq!(fake_hits(&fake, "SERVERERR001"), 2);
}

#[tokio::test]
async fn concurrent_requests_wait_for_one_slow_upstream_call() {
    let (server, fake) = proxy_for(Vendor::Hsmail, |config| {
        config.terminal_ttl = Duration::ZERO;
        config.live_ttl = Duration::ZERO;
    })
    .await;
    let id = "SLOWDELIVERY";
    let url = format!("{}/api/orders/{id}", server.url());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (url, token) = (url.clone(), token_for(id));
        tasks.spawn(async move {
            client()
                .get(url)
                .header("X-Order-Token", token)
                .send()
                .await
                .map(|r| r.status().as_u16())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        assert_eq!(joined.expect("task").expect("answer"), 200);
    }
    assert_eq!(
        fake_hits(&fake, id),
        1,
        "eight concurrent requests, one upstream call"
    );
    // With nothing cached, a later request is a new call: the sharing above was single-flight.
    assert_eq!(fetch(&server, id).await.0, 200);
    assert_eq!(fake_hits(&fake, id), 2);
}

/// A 200 for another order (a vendor mixing orders up) would show one customer another's
/// codes: refused as `502 upstream_invalid`, never cached.
#[tokio::test]
async fn an_answer_for_another_order_is_refused_and_never_cached() {
    let cases = [
        (Vendor::Hsmail, "OTHERORDER01"),
        (Vendor::VoucherApi, "77"),
        (Vendor::Shop, "OTHERORDER02"),
        (Vendor::Bdvoucher, "87654321"),
    ];
    for (vendor, id) in cases {
        let (server, fake) = proxy_for(vendor, |_| {}).await;
        for attempt in 1..=2 {
            let (status, _, body) = fetch_at(&server, vendor, id).await;
            assert_eq!(
                (status, body["error"].as_str()),
                (502, Some("upstream_invalid")),
                "{vendor:?}"
            );
            assert!(
                !body.to_string().contains("-0001-"),
                "{vendor:?}: no code of the other order"
            );
            assert_eq!(fake_hits(&fake, id), attempt, "{vendor:?}: not cached");
        }
        let stream =
            common::events::EventStream::open(&server.url(), id, &token_at(vendor, id)).await;
        assert_eq!(stream.status, 502, "{vendor:?}: no stream opens on it");
        // The same vendor's answers for the right order still pass.
        let (status, _, _) = fetch_at(&server, vendor, default_id(vendor)).await;
        assert_eq!(status, 200, "{vendor:?}");
    }
}

fn default_id(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Hsmail => "U35MFE9656S7",
        Vendor::VoucherApi => "12345",
        Vendor::Shop => "ORDER_123",
        Vendor::Bdvoucher => "12345678",
    }
}

/// ... and never pushed: the first event after a mixed-up answer is the next right one.
#[tokio::test]
async fn an_answer_for_another_order_is_never_pushed_to_a_stream() {
    let (addr, vendor) = vendor::start().await;
    let server = start(vendor::config_for(addr)).await;
    let id = "MIXEDUP00001";
    let mut stream = common::events::EventStream::open(&server.url(), id, &token_for(id)).await;
    let first = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("the current order");
    assert!(
        first.contains(id) && status_of(&first) == Status::Pending,
        "{first}"
    );

    vendor.deliver();
    vendor.mix_up_with(Some("SOMEONEELSE1"));
    assert_eq!(notify(&server.url(), id).await, 202);
    assert!(
        eventually(Duration::from_secs(5), || async { vendor.hits(id) == 2 }).await,
        "the webhook's fetch got the other order"
    );
    vendor.mix_up_with(None);
    let body = hook_body(id);
    let another_signature = order_proxy::auth::webhook_signature::sign(
        WEBHOOK_SECRET.as_bytes(),
        order_proxy::auth::order_token::now_unix() - 1,
        body.as_bytes(),
    );
    assert_eq!(
        post_hook(&server.url(), &body, Some(another_signature)).await,
        202
    );
    let next = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("the right answer is pushed");
    assert!(
        next.contains(id)
            && !next.contains("SOMEONEELSE1")
            && status_of(&next) == Status::Delivered,
        "the first push is the right order's: {next}"
    );
}
