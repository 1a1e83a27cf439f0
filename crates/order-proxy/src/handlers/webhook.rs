//! `POST /hooks/order`: a vendor (or the shop's backend) says an order changed.
//!
//! Body `{"order_id": "<id>"}`, signed per [`crate::auth::webhook_signature`]. Before any of it is read, the
//! sender's address must be within its own rate limit (429); then the body must arrive
//! whole in time (408) and small (413). A missing, wrong, stale or replayed signature is
//! refused with 401 before anything else happens. An accepted one answers 202 at once;
//! then the vendor is asked for the order once (within the same budgets as any call, and
//! once its `Retry-After` has passed if it asked us to wait), and its answer is cached and
//! announced to every subscriber and to the order's schedule, which counts it as its poll,
//! on whichever instance it runs.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{post, MethodRouter};
use axum::Json;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::order_token;
use crate::auth::webhook_signature;
use crate::error::ProxyError;
use crate::metrics::endpoint::count_webhooks;
use crate::net::client::Client;
use crate::net::deadlines::{self, BodyLimit};
use crate::orders::ids;

/// A notification is one small JSON object.
pub const MAX_BODY_BYTES: usize = 4 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Notice {
    order_id: String,
}

/// `POST /hooks/order`: the sender's limit, then the whole body within `body_timeout`,
/// then [`receive`].
pub fn route(state: Arc<AppState>, body_timeout: Duration) -> MethodRouter<Arc<AppState>> {
    let body = BodyLimit {
        max_bytes: MAX_BODY_BYTES,
        timeout: body_timeout,
    };
    let metrics = state.metrics.clone();
    post(receive)
        .layer(middleware::from_fn_with_state(body, deadlines::whole_body))
        .layer(middleware::from_fn_with_state(state, limit_sender))
        .layer(middleware::from_fn_with_state(metrics, count_webhooks))
}

/// Counts every notification against its sender's address, genuine or not, so that
/// nobody can make the proxy read and check bodies faster than the limit.
async fn limit_sender(
    State(state): State<Arc<AppState>>,
    Client(sender): Client,
    request: Request,
    next: Next,
) -> Result<Response, ProxyError> {
    state.orders.limits.check_hook_sender(sender)?;
    Ok(next.run(request).await)
}

pub async fn receive(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ProxyError> {
    let secret = state.webhook_secret.as_ref().ok_or(ProxyError::NotFound)?;
    let signature = headers
        .get(webhook_signature::SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok())
        .ok_or(ProxyError::SignatureInvalid)?;
    let verified = webhook_signature::verify(
        secret.expose().as_bytes(),
        signature,
        &body,
        order_token::now_unix(),
    )
    .map_err(|_| ProxyError::SignatureInvalid)?;
    let notice: Notice = serde_json::from_slice(&body).map_err(|_| ProxyError::InvalidBody)?;
    let id = notice.order_id;
    let target = state.target_for(&id, None)?.clone();
    if !ids::is_valid(target.vendor, &id) {
        return Err(ProxyError::InvalidOrderId);
    }
    if !state
        .replays
        .first_sighting(&verified.replay_key, state.orders.shared.as_deref())
        .await
    {
        return Err(ProxyError::SignatureInvalid);
    }
    tracing::info!(vendor = target.vendor.as_str(), order_id = %id, "webhook accepted");
    // The order changed before this notification arrived: only an answer asked for from
    // now on is sure to show it.
    let since = crate::orders::cache::now_ms();
    tokio::spawn(async move {
        if let Err(error) = state.orders.refresh(&target, &id, since).await {
            tracing::warn!(
                vendor = target.vendor.as_str(),
                order_id = %id,
                error = error.kind(),
                "the order named by a webhook could not be fetched"
            );
        }
    });
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "status": "accepted" })),
    ))
}
