//! Shared helpers: a proxy on a random loopback port, known secrets, tokens, requests,
//! event streams, signed webhooks, a real `redis-server` and a real Prometheus per test.
#![allow(dead_code)]

pub mod binary;
pub mod docs;
pub mod events;
pub mod fixtures;
pub mod net;
pub mod prometheus;
pub mod redis_server;
pub mod vendor;

use std::net::SocketAddr;
use std::time::Duration;

pub use order_core::model::Status;
use order_core::model::Vendor;
use order_proxy::auth::order_token;
use order_proxy::secret::Secret;
use order_proxy::{Config, Server, UpstreamConfig};

pub const API_KEY: &str = "test-api-key-DO-NOT-LEAK-4f1c2a";
pub const API_SECRET: &str = "test-api-secret-DO-NOT-LEAK-9b8e7d";
pub const TOKEN_SECRET: &str = "test-token-secret-DO-NOT-LEAK-6a5b4c";
pub const WEBHOOK_SECRET: &str = "test-webhook-secret-DO-NOT-LEAK-3e2f1a";
pub const CACHE_KEY: &str = "test-cache-key-DO-NOT-LEAK-of-at-least-32-chars";

pub fn config(upstream: UpstreamConfig) -> Config {
    let mut config = Config::new(upstream, Secret::new(API_KEY), Secret::new(TOKEN_SECRET));
    config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    config.api_secret = Some(Secret::new(API_SECRET));
    config.webhook_secret = Some(Secret::new(WEBHOOK_SECRET));
    config
}

/// `config` sharing state through the Redis at `url`.
pub fn with_redis(mut config: Config, url: &str) -> Config {
    config.redis = Some(order_proxy::RedisConfig {
        url: Secret::new(url),
        cache_key: Secret::new(CACHE_KEY),
        ca_certificates: None,
    });
    config
}

/// `POST /hooks/order` with `body` and, if given, the signature header.
pub async fn post_hook(server_url: &str, body: &str, signature: Option<String>) -> u16 {
    let mut request = client()
        .post(format!("{server_url}/hooks/order"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("X-Order-Proxy-Signature", signature);
    }
    request
        .send()
        .await
        .expect("the proxy answers")
        .status()
        .as_u16()
}

/// A webhook for `id`, signed now with the test secret.
pub async fn notify(server_url: &str, id: &str) -> u16 {
    let body = hook_body(id);
    let signature = order_proxy::auth::webhook_signature::sign(
        WEBHOOK_SECRET.as_bytes(),
        order_token::now_unix(),
        body.as_bytes(),
    );
    post_hook(server_url, &body, Some(signature)).await
}

/// A barrier for "nothing more will reach the vendor": a genuine webhook for `barrier_id`,
/// accepted and fetched. Whatever an earlier notification had set off would have reached
/// `vendor` by then, so a count read afterwards is final.
pub async fn after_a_later_webhook(server_url: &str, vendor: &vendor::Counting, barrier_id: &str) {
    assert_eq!(notify(server_url, barrier_id).await, 202);
    assert!(
        eventually(Duration::from_secs(5), || async {
            vendor.hits(barrier_id) >= 1
        })
        .await,
        "the barrier webhook was fetched"
    );
}

pub fn hook_body(id: &str) -> String {
    serde_json::json!({ "order_id": id }).to_string()
}

/// Polls `check` every 50 ms until it holds or `within` passes.
pub async fn eventually<F, Fut>(within: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The status of an order body, whichever the proxy serves: the redacted canonical order
/// (the default) or, with `--codes inline`, the vendor's body.
pub fn status_of(body: &str) -> Status {
    order_core::providers::parse(body, order_core::providers::Provider::Auto)
        .map_or(Status::Unknown, |order| order.status)
}

pub fn mock_config() -> Config {
    config(UpstreamConfig::Mock)
}

pub async fn start(config: Config) -> Server {
    order_proxy::serve(config).await.expect("the proxy starts")
}

/// A token for `id` at its vendor: its scenario's in mock mode, else hsmail (the vendor of
/// `vendor::Counting`). Other vendors' orders: [`token_at`].
pub fn token_for(id: &str) -> String {
    let vendor = order_proxy::mock::scenarios::find(id).map_or(Vendor::Hsmail, |s| s.vendor());
    token_at(vendor, id)
}

/// A token for `id` at `vendor` (the audience of a proxy without `token_audience`).
pub fn token_at(vendor: Vendor, id: &str) -> String {
    token_signed_with(TOKEN_SECRET.as_bytes(), vendor.as_str(), id)
}

/// A token valid for an hour, signed with `secret` for `audience`.
pub fn token_signed_with(secret: &[u8], audience: &str, id: &str) -> String {
    let claims = order_token::Claims {
        audience,
        order_id: id,
    };
    order_token::mint(secret, claims, Duration::from_secs(3600))
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client")
}

/// `GET /api/orders/{path}` with an optional `X-Order-Token`.
pub async fn get_order(server: &Server, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = client().get(format!("{}/api/orders/{path}", server.url()));
    if let Some(token) = token {
        request = request.header("X-Order-Token", token);
    }
    request.send().await.expect("the proxy answers")
}

/// `POST /api/orders/{id}/codes[/{secret_ref}]` (`id` may carry `?…`) with an optional
/// `X-Order-Token`, from `client`.
pub async fn post_reveal(
    client: &reqwest::Client,
    server_url: &str,
    id: &str,
    secret_ref: Option<&str>,
    token: Option<&str>,
) -> reqwest::Response {
    let (id, query) = id
        .split_once('?')
        .map_or((id, ""), |(id, query)| (id, query));
    let path = match secret_ref {
        Some(secret_ref) => format!("{id}/codes/{secret_ref}"),
        None => format!("{id}/codes"),
    };
    let separator = if query.is_empty() { "" } else { "?" };
    let mut request = client.post(format!("{server_url}/api/orders/{path}{separator}{query}"));
    if let Some(token) = token {
        request = request.header("X-Order-Token", token);
    }
    request.send().await.expect("the proxy answers")
}

/// Status, `Retry-After`, body as JSON; also checks `Cache-Control: no-store`.
pub async fn answer(response: reqwest::Response) -> (u16, Option<String>, serde_json::Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "every response carries Cache-Control: no-store"
    );
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.text().await.expect("a body");
    let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body));
    (status, retry_after, json)
}

pub async fn fetch(server: &Server, id: &str) -> (u16, Option<String>, serde_json::Value) {
    answer(get_order(server, id, Some(&token_for(id))).await).await
}

pub fn hits(server: &Server, id: &str) -> u32 {
    server.mock().expect("mock mode").hits(id)
}

/// The most vendor calls one order's schedule makes within `window` of its first call, over
/// many jitter seeds, with every answer unchanged: "one schedule's worth".
pub fn one_schedule(config: order_core::schedule::Tuning, window: Duration) -> u32 {
    use order_core::schedule::{Next, Outcome, Schedule};
    let window = window.as_millis() as u64;
    (0..50)
        .map(|seed| {
            let mut schedule = Schedule::new(config, seed, 0);
            let (mut now, mut calls) = (0, 0);
            while now <= window {
                calls += 1;
                schedule.on_request(now);
                match schedule.on(Outcome::Unchanged, now) {
                    Next::After(delay) => now += (delay.as_millis() as u64).max(1),
                    _ => break,
                }
            }
            calls
        })
        .max()
        .unwrap_or(0)
}
