//! Every route and its handler, one file each. The router of the order API is here;
//! `server.rs` adds the demo's and the widget's files and the layers around everything.

pub mod codes;
pub mod demo;
pub mod event_stream;
pub mod health;
pub mod order;
pub mod static_files;
pub mod view;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;

use crate::app::AppState;

/// The order API: the order, its event stream, its server-rendered view, its codes on request, the health check and
/// (with a webhook secret) the webhook. `body_timeout`: how long a webhook's sender has to send its body.
pub fn router(state: Arc<AppState>, body_timeout: Duration) -> Router {
    let mut router = Router::new()
        .route("/api/orders/{id}", get(order::get_order))
        .route("/api/orders/{id}/events", get(event_stream::stream))
        .route("/api/orders/{id}/view", get(view::view))
        .route("/api/orders/{id}/codes", post(codes::reveal_all))
        .route("/api/orders/{id}/codes/{ref}", post(codes::reveal_one))
        .route("/healthz", get(health::healthz));
    if state.webhook_secret.is_some() {
        router = router.route("/hooks/order", webhook::route(state.clone(), body_timeout));
    }
    router.with_state(state)
}
