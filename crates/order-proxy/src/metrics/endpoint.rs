//! `GET /metrics`, and the middleware that counts requests and webhooks as they are
//! answered. `server.rs` puts the endpoint on `--metrics-listen`, never on the public
//! listener.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

use crate::error::ErrorKind;
use crate::metrics::Metrics;

pub const PATH: &str = "/metrics";

pub async fn metrics(State(metrics): State<Arc<Metrics>>) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
        metrics.render(),
    )
        .into_response()
}

/// Every request by its route's template (never its path, which holds the order id) and
/// the status it was answered with.
pub async fn count_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    metrics.request(
        route.as_ref().map(MatchedPath::as_str),
        response.status().as_u16(),
    );
    response
}

/// Around `POST /hooks/order`, outside its sender limit: accepted, or refused with the
/// error it was answered with.
pub async fn count_webhooks(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if response.status() == StatusCode::ACCEPTED {
        metrics.webhook_accepted();
    } else {
        let reason = response
            .extensions()
            .get::<ErrorKind>()
            .map_or("other", |ErrorKind(kind)| kind);
        metrics.webhook_refused(reason);
    }
    response
}
