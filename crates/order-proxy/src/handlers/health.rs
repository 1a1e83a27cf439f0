//! `GET /healthz`: the instance answers; with `--redis`, whether Redis does too.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;

use crate::app::AppState;

/// `{"status":"ok"}`; with `--redis` also whether Redis answers (`degraded` when not: the
/// instance still serves, on its own).
pub async fn healthz(State(state): State<Arc<AppState>>) -> Json<serde_json::Value> {
    Json(match &state.orders.shared {
        None => serde_json::json!({ "status": "ok" }),
        Some(shared) if shared.is_up() => serde_json::json!({ "status": "ok", "redis": "up" }),
        Some(_) => serde_json::json!({ "status": "degraded", "redis": "down" }),
    })
}
