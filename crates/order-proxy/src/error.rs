//! Every error the proxy answers with: `{"error": "<kind>", "message": "..."}`.
//!
//! Messages are fixed text written here: never a vendor's detail, an id's secret or a key.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// When a client refused a stream may try again.
pub const STREAMS_RETRY_AFTER_SECS: u64 = 10;

/// On every error response, for the middleware that counts refusals by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorKind(pub &'static str);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyError {
    InvalidOrderId,
    /// `?locale=` is not a language tag.
    InvalidLocale,
    TokenMissing,
    TokenInvalid,
    TokenExpired,
    /// Ours or the vendor's rate limit; whole seconds, at least 1.
    RateLimited {
        retry_after_secs: u64,
    },
    /// The vendor asked us to wait this long (a 429, or a 503 with `Retry-After`). The order
    /// is blocked for exactly that long (see `block`); answered like `RateLimited`.
    VendorWait {
        wait: Duration,
    },
    /// A cap on open event streams (in total, per client IP or per order) is reached.
    TooManyStreams,
    /// A webhook without a genuine, fresh, first-seen signature.
    SignatureInvalid,
    /// A webhook body that is not `{"order_id": "<id>"}`.
    InvalidBody,
    /// A request body larger than its route allows.
    BodyTooLarge,
    /// A request body that did not arrive whole within `--body-timeout`.
    BodyTimeout,
    /// No response within `--request-timeout`.
    RequestTimeout,
    NotFound,
    /// The order has no code under the ref asked for.
    CodeNotFound,
    UpstreamTimeout,
    /// Unreachable, 5xx, or an unexpected status.
    UpstreamUnavailable,
    /// The vendor rejected our credentials: the operator must fix the configuration.
    UpstreamAuth,
    /// The vendor answered 200 with something that is not one of its orders.
    UpstreamInvalid,
    /// The vendor answered with its own error envelope.
    UpstreamError,
}

impl ProxyError {
    pub fn status(&self) -> StatusCode {
        match self {
            ProxyError::InvalidOrderId | ProxyError::InvalidLocale => StatusCode::BAD_REQUEST,
            ProxyError::TokenMissing | ProxyError::TokenExpired => StatusCode::UNAUTHORIZED,
            ProxyError::TokenInvalid => StatusCode::FORBIDDEN,
            ProxyError::RateLimited { .. }
            | ProxyError::VendorWait { .. }
            | ProxyError::TooManyStreams => StatusCode::TOO_MANY_REQUESTS,
            ProxyError::SignatureInvalid => StatusCode::UNAUTHORIZED,
            ProxyError::InvalidBody => StatusCode::BAD_REQUEST,
            ProxyError::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ProxyError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ProxyError::RequestTimeout => StatusCode::SERVICE_UNAVAILABLE,
            ProxyError::NotFound | ProxyError::CodeNotFound => StatusCode::NOT_FOUND,
            ProxyError::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            ProxyError::UpstreamUnavailable
            | ProxyError::UpstreamAuth
            | ProxyError::UpstreamInvalid
            | ProxyError::UpstreamError => StatusCode::BAD_GATEWAY,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            ProxyError::InvalidOrderId => "invalid_order_id",
            ProxyError::InvalidLocale => "invalid_locale",
            ProxyError::TokenMissing => "token_missing",
            ProxyError::TokenInvalid => "token_invalid",
            ProxyError::TokenExpired => "token_expired",
            ProxyError::RateLimited { .. } | ProxyError::VendorWait { .. } => "rate_limited",
            ProxyError::TooManyStreams => "too_many_streams",
            ProxyError::SignatureInvalid => "signature_invalid",
            ProxyError::InvalidBody => "invalid_body",
            ProxyError::BodyTooLarge => "body_too_large",
            ProxyError::BodyTimeout => "body_timeout",
            ProxyError::RequestTimeout => "request_timeout",
            ProxyError::NotFound => "not_found",
            ProxyError::CodeNotFound => "code_not_found",
            ProxyError::UpstreamTimeout => "upstream_timeout",
            ProxyError::UpstreamUnavailable => "upstream_unavailable",
            ProxyError::UpstreamAuth => "upstream_auth",
            ProxyError::UpstreamInvalid => "upstream_invalid",
            ProxyError::UpstreamError => "upstream_error",
        }
    }

    pub fn message(&self) -> String {
        match self {
            ProxyError::InvalidOrderId => "This is not a valid order id for this shop.".into(),
            ProxyError::InvalidLocale => {
                "The locale must be a language tag such as en or bn-BD.".into()
            }
            ProxyError::TokenMissing => "An order token is required (X-Order-Token header).".into(),
            ProxyError::TokenInvalid => "This order token is not valid for this order.".into(),
            ProxyError::TokenExpired => {
                "This order token has expired; reload the order page to get a new one.".into()
            }
            ProxyError::RateLimited { retry_after_secs } => {
                format!("Too many requests; retry in {retry_after_secs} s.")
            }
            ProxyError::VendorWait { wait } => format!(
                "Too many requests; retry in {} s.",
                whole_seconds_at_least_one(*wait)
            ),
            ProxyError::TooManyStreams => format!(
                "Too many open event streams; retry in {STREAMS_RETRY_AFTER_SECS} s or poll the order instead."
            ),
            ProxyError::SignatureInvalid => {
                "Missing, wrong, stale or replayed X-Order-Proxy-Signature.".into()
            }
            ProxyError::InvalidBody => "The body must be {\"order_id\": \"<id>\"}.".into(),
            ProxyError::BodyTooLarge => "The request body is too large.".into(),
            ProxyError::BodyTimeout => "The request body did not arrive in time.".into(),
            ProxyError::RequestTimeout => "The request could not be answered in time.".into(),
            ProxyError::NotFound => "Order not found.".into(),
            ProxyError::CodeNotFound => "This order has no such code.".into(),
            ProxyError::UpstreamTimeout => "The order service did not answer in time.".into(),
            ProxyError::UpstreamUnavailable => "The order service is unavailable.".into(),
            ProxyError::UpstreamAuth => {
                "The order service is unavailable (shop configuration); the shop has been notified."
                    .into()
            }
            ProxyError::UpstreamInvalid => "The order service sent an unreadable answer.".into(),
            ProxyError::UpstreamError => "The order service reported an error.".into(),
        }
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.kind(), "message": self.message() });
        let mut response = (self.status(), Json(body)).into_response();
        response.extensions_mut().insert(ErrorKind(self.kind()));
        let retry_after = match self {
            ProxyError::RateLimited { retry_after_secs } => Some(retry_after_secs.max(1)),
            ProxyError::VendorWait { wait } => Some(whole_seconds_at_least_one(wait)),
            ProxyError::TooManyStreams => Some(STREAMS_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A wait as a `Retry-After` value: whole seconds, rounded up, at least 1.
pub fn whole_seconds_at_least_one(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_up() {
        assert_eq!(whole_seconds_at_least_one(Duration::ZERO), 1);
        assert_eq!(whole_seconds_at_least_one(Duration::from_millis(1500)), 2);
        assert_eq!(whole_seconds_at_least_one(Duration::from_secs(3)), 3);
    }
}
