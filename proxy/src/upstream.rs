//! The HTTP client to the vendor: adds its credentials, enforces the timeout, and maps
//! every answer to a body we can serve or a [`ProxyError`].

use std::time::{Duration, Instant};

use order_widget::model::Vendor;
use order_widget::providers::{self, ParseError};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, RETRY_AFTER};
use reqwest::StatusCode;

use crate::cache::Fetched;
use crate::error::ProxyError;
use crate::secret::Secret;
use crate::vendor;

/// Larger answers are refused: a 500-code order is ~60 KB.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Where one vendor is reached.
#[derive(Debug, Clone)]
pub struct Target {
    pub vendor: Vendor,
    pub base_url: String,
}

pub struct Upstream {
    client: reqwest::Client,
    api_key: Secret,
    api_secret: Option<Secret>,
    normalize: bool,
}

impl Upstream {
    pub fn new(
        timeout: Duration,
        api_key: Secret,
        api_secret: Option<Secret>,
        normalize: bool,
    ) -> reqwest::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("order-proxy/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Upstream {
            client,
            api_key,
            api_secret,
            normalize,
        })
    }

    /// GETs the order and turns the answer into what we serve.
    pub async fn fetch(&self, target: &Target, id: &str) -> Result<Fetched, ProxyError> {
        let url = format!(
            "{}{}",
            target.base_url.trim_end_matches('/'),
            vendor::order_path(target.vendor, id)
        );
        let started = Instant::now();
        let asked_at_ms = crate::cache::now_ms();
        let result = self
            .client
            .get(&url)
            .headers(self.auth_headers(target.vendor))
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await;
        let response = result.map_err(|error| {
            let kind = if error.is_timeout() {
                "timeout"
            } else {
                "unreachable"
            };
            tracing::warn!(
                vendor = target.vendor.as_str(),
                order_id = id,
                kind,
                "upstream request failed"
            );
            if error.is_timeout() {
                ProxyError::UpstreamTimeout
            } else {
                ProxyError::UpstreamUnavailable
            }
        })?;
        let status = response.status();
        let retry_after = retry_after_secs(response.headers());
        let body = read_capped(response).await;
        let latency = started.elapsed();
        tracing::info!(
            vendor = target.vendor.as_str(),
            order_id = id,
            upstream_status = status.as_u16(),
            upstream_latency_ms = latency.as_millis() as u64,
            "upstream answered"
        );
        check_status(target.vendor, status, retry_after)?;
        self.prepare(target.vendor, id, body?, latency, asked_at_ms)
    }

    fn auth_headers(&self, vendor: Vendor) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let mut insert = |name, value: String| {
            if let Ok(mut value) = HeaderValue::from_str(&value) {
                value.set_sensitive(true);
                headers.insert(name, value);
            }
        };
        let key = self.api_key.expose();
        match vendor {
            Vendor::Hsmail => insert(AUTHORIZATION, key.to_owned()),
            Vendor::VoucherApi => {
                insert(
                    reqwest::header::HeaderName::from_static("x-api-key"),
                    key.to_owned(),
                );
                let secret = self.api_secret.as_ref().map_or("", Secret::expose);
                insert(
                    reqwest::header::HeaderName::from_static("x-api-secret"),
                    secret.to_owned(),
                );
            }
            Vendor::Shop | Vendor::Bdvoucher => insert(AUTHORIZATION, format!("Bearer {key}")),
        }
        headers
    }

    /// A 200 answer must be the vendor's order `id`; its status decides the cache time.
    fn prepare(
        &self,
        vendor: Vendor,
        id: &str,
        body: String,
        latency: Duration,
        asked_at_ms: u64,
    ) -> Result<Fetched, ProxyError> {
        match providers::parse(&body, vendor::provider(vendor)) {
            Ok(order) if !vendor::answers_for(vendor, &order, id) => {
                tracing::warn!(
                    vendor = vendor.as_str(),
                    order_id = id,
                    "upstream answered 200 with another order than the one asked for"
                );
                Err(ProxyError::UpstreamInvalid)
            }
            Ok(order) => {
                let body = if self.normalize {
                    serde_json::to_string(&order).map_err(|_| ProxyError::UpstreamInvalid)?
                } else {
                    body
                };
                Ok(Fetched {
                    body: body.into(),
                    terminal: order.terminal,
                    upstream_latency: latency,
                    asked_at_ms,
                })
            }
            Err(ParseError::Vendor { .. }) => {
                tracing::warn!(
                    vendor = vendor.as_str(),
                    "upstream answered 200 with its error envelope"
                );
                Err(ProxyError::UpstreamError)
            }
            Err(_) => {
                tracing::warn!(
                    vendor = vendor.as_str(),
                    "upstream answered 200 with something that is not an order"
                );
                Err(ProxyError::UpstreamInvalid)
            }
        }
    }
}

fn check_status(
    vendor: Vendor,
    status: StatusCode,
    retry_after: Option<u64>,
) -> Result<(), ProxyError> {
    match status {
        StatusCode::OK => Ok(()),
        StatusCode::NOT_FOUND => Err(ProxyError::NotFound),
        StatusCode::TOO_MANY_REQUESTS => Err(ProxyError::RateLimited {
            retry_after_secs: retry_after.unwrap_or(1).clamp(1, 3600),
        }),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            tracing::error!(
                vendor = vendor.as_str(),
                upstream_status = status.as_u16(),
                "the vendor rejected our credentials: check ORDER_PROXY_API_KEY (and ORDER_PROXY_API_SECRET for voucher-api)"
            );
            Err(ProxyError::UpstreamAuth)
        }
        _ => Err(ProxyError::UpstreamUnavailable),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and treated as absent).
fn retry_after_secs(headers: &HeaderMap) -> Option<u64> {
    headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()
}

async fn read_capped(mut response: reqwest::Response) -> Result<String, ProxyError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(ProxyError::UpstreamInvalid);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) if error.is_timeout() => return Err(ProxyError::UpstreamTimeout),
            Err(_) => return Err(ProxyError::UpstreamUnavailable),
        }
    }
    String::from_utf8(body).map_err(|_| ProxyError::UpstreamInvalid)
}
