//! How a check of the order can fail, as the widget, the poller and the host page see it.
//! Messages here never carry vendor data beyond the vendor's own error message.

use std::time::Duration;

use serde::Serialize;
use strum::{IntoStaticStr, VariantArray};

/// The kind of a failed check. The serialized names are the `type` of the
/// `order-widget:error` event.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    IntoStaticStr,
    VariantArray
)]
#[serde(into = "&'static str")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorKind {
    /// No connection, DNS failure, CORS refusal, offline.
    Network,
    /// No answer within the request timeout.
    Timeout,
    /// 401/403: the token is missing, wrong or expired.
    NotAllowed,
    /// 404: no such order (yet).
    NotFound,
    /// 429 (or 503 with `Retry-After`).
    RateLimit,
    /// 5xx.
    Server,
    /// A body that is not an order: HTML error page, wrong JSON, vendor error envelope.
    BadResponse,
}

crate::names::names!(ErrorKind);

impl ErrorKind {
    /// The kind an HTTP status code means, for non-2xx answers.
    pub fn from_http_status(status: u16) -> ErrorKind {
        match status {
            401 | 403 => ErrorKind::NotAllowed,
            404 | 410 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimit,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::BadResponse,
        }
    }
}

/// A failed check: its kind, the server's `Retry-After` if it sent one, and a
/// message safe to show (never containing a code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchError {
    pub kind: ErrorKind,
    pub retry_after: Option<Duration>,
    pub message: String,
}

impl FetchError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        FetchError {
            kind,
            retry_after: None,
            message: message.into(),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serialized_ones() {
        for &kind in ErrorKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(ErrorKind::NotAllowed.as_str(), "not_allowed");
    }
}
