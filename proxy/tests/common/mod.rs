//! Shared helpers: a proxy on a random loopback port, known secrets, tokens, requests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use order_proxy::secret::Secret;
use order_proxy::{token, Config, Server, UpstreamConfig};

pub const API_KEY: &str = "test-api-key-DO-NOT-LEAK-4f1c2a";
pub const API_SECRET: &str = "test-api-secret-DO-NOT-LEAK-9b8e7d";
pub const TOKEN_SECRET: &str = "test-token-secret-DO-NOT-LEAK-6a5b4c";

pub fn config(upstream: UpstreamConfig) -> Config {
    let mut config = Config::new(upstream, Secret::new(API_KEY), Secret::new(TOKEN_SECRET));
    config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    config.api_secret = Some(Secret::new(API_SECRET));
    config
}

pub fn mock_config() -> Config {
    config(UpstreamConfig::Mock)
}

pub async fn start(config: Config) -> Server {
    order_proxy::serve(config).await.expect("the proxy starts")
}

pub fn token_for(id: &str) -> String {
    token::mint(TOKEN_SECRET.as_bytes(), id, Duration::from_secs(3600))
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
