//! The HTTP client to the vendor: adds its credentials, enforces the timeout, and maps
//! every answer to a body we can serve (see `codes`) or a [`ProxyError`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use order_core::model::Vendor;
use order_core::providers::{self, ParseError};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, RETRY_AFTER};
use reqwest::StatusCode;

use crate::codes::Presenter;
use crate::error::ProxyError;
use crate::metrics::Metrics;
use crate::orders::cache::{now_ms, Fetched};
use crate::orders::vendor;
use crate::secret::Secret;

/// Larger answers are refused: a 500-code order is ~60 KB.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// The longest `Retry-After` obeyed; a vendor asking for more is asked again after an hour.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

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
    presenter: Presenter,
    metrics: Arc<Metrics>,
}

impl Upstream {
    pub fn new(
        timeout: Duration,
        api_key: Secret,
        api_secret: Option<Secret>,
        presenter: Presenter,
        metrics: Arc<Metrics>,
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
            presenter,
            metrics,
        })
    }

    /// GETs the order and turns the answer into what we serve; counted and timed.
    pub async fn fetch(&self, target: &Target, id: &str) -> Result<Fetched, ProxyError> {
        let started = Instant::now();
        let result = self.ask(target, id).await;
        self.metrics
            .vendor_call(target.vendor, &result, started.elapsed());
        result
    }

    async fn ask(&self, target: &Target, id: &str) -> Result<Fetched, ProxyError> {
        let url = format!(
            "{}{}",
            target.base_url.trim_end_matches('/'),
            vendor::order_path(target.vendor, id)
        );
        let started = Instant::now();
        let asked_at_ms = now_ms();
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
        let retry_after = retry_after(response.headers());
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
                let presented = self
                    .presenter
                    .present(order, body)
                    .map_err(|_| ProxyError::UpstreamInvalid)?;
                Ok(Fetched {
                    body: presented.body.into(),
                    terminal: presented.order.terminal,
                    status: presented.order.status,
                    order: Arc::new(presented.order),
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

/// A `429`, or a `503` with `Retry-After`, is the vendor asking us to wait: `VendorWait`
/// with its wait (1 s when a 429 says nothing), which blocks the order (see `block`).
fn check_status(
    vendor: Vendor,
    status: StatusCode,
    retry_after: Option<Duration>,
) -> Result<(), ProxyError> {
    let wait = |retry_after: Duration| ProxyError::VendorWait {
        wait: retry_after.clamp(Duration::from_secs(1), MAX_RETRY_AFTER),
    };
    match (status, retry_after) {
        (StatusCode::OK, _) => Ok(()),
        (StatusCode::NOT_FOUND, _) => Err(ProxyError::NotFound),
        (StatusCode::TOO_MANY_REQUESTS, _) => {
            Err(wait(retry_after.unwrap_or(Duration::from_secs(1))))
        }
        (StatusCode::SERVICE_UNAVAILABLE, Some(retry_after)) => Err(wait(retry_after)),
        (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, _) => {
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

/// `Retry-After` as delay-seconds or an HTTP date, read as the widget reads it.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?;
    order_core::schedule::parse_retry_after(text, now_ms())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn waits(status: u16, retry_after: Option<&str>) -> Result<(), ProxyError> {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        }
        let status = StatusCode::from_u16(status).unwrap();
        check_status(Vendor::Hsmail, status, super::retry_after(&headers))
    }

    fn wait(seconds: u64) -> Result<(), ProxyError> {
        Err(ProxyError::VendorWait {
            wait: Duration::from_secs(seconds),
        })
    }

    #[test]
    fn the_vendors_wait_in_seconds_or_as_an_http_date() {
        assert_eq!(waits(429, Some("3")), wait(3));
        assert_eq!(waits(429, None), wait(1));
        assert_eq!(waits(429, Some("soon")), wait(1));
        assert_eq!(waits(429, Some("999999")), wait(3600));
        let soon = std::time::SystemTime::now() + Duration::from_millis(9_500);
        let date = httpdate::fmt_http_date(soon);
        let Err(ProxyError::VendorWait { wait: until_then }) = waits(429, Some(&date)) else {
            panic!("a wait");
        };
        assert!(
            until_then > Duration::from_millis(8_400) && until_then <= Duration::from_millis(9_500),
            "{until_then:?}: until the date, not rounded"
        );
        assert_eq!(
            waits(429, Some("Sun, 06 Nov 1994 08:49:37 GMT")),
            wait(1),
            "a date in the past: at least a second"
        );
        assert_eq!(waits(503, Some("7")), wait(7));
        assert_eq!(waits(503, None), Err(ProxyError::UpstreamUnavailable));
        assert_eq!(waits(200, Some("7")), Ok(()));
    }
}
