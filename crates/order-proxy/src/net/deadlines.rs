//! Deadlines that hyper does not keep: a request body must arrive whole in time (not
//! merely keep trickling), and every response head must be ready in time.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::error::ProxyError;

/// How much body a route reads, and how long its client may take to send it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit {
    pub max_bytes: usize,
    pub timeout: Duration,
}

/// Middleware for a route that reads a body: reads all of it first, at most `max_bytes`
/// (413) and within `timeout` from the end of the head (408), so a client sending a byte
/// now and then cannot hold its connection. The handler then gets the body in memory.
pub async fn whole_body(
    State(limit): State<BodyLimit>,
    request: Request,
    next: Next,
) -> Result<Response, ProxyError> {
    let (parts, body) = request.into_parts();
    let collected =
        tokio::time::timeout(limit.timeout, Limited::new(body, limit.max_bytes).collect())
            .await
            .map_err(|_| ProxyError::BodyTimeout)?
            .map_err(|error| {
                if error.is::<LengthLimitError>() {
                    ProxyError::BodyTooLarge
                } else {
                    ProxyError::InvalidBody
                }
            })?;
    let request = Request::from_parts(parts, Body::from(collected.to_bytes()));
    Ok(next.run(request).await)
}

/// Middleware for every route: the response head within `timeout` of the request's head
/// (reading a body, the vendor, Redis, any wait), else `503 request_timeout`. What follows
/// the head (a file, an event stream) is timed by the write timeout and the stream's own
/// lifetime instead.
pub async fn respond_within(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    tokio::time::timeout(timeout, next.run(request))
        .await
        .unwrap_or_else(|_| ProxyError::RequestTimeout.into_response())
}
