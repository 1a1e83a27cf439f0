//! `GET /api/orders/{id}`, `GET /healthz`, and the shared checks every order route makes.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use order_core::model::Vendor;
use serde::Deserialize;

use crate::cache::Source;
use crate::client::{Client, ClientKey};
use crate::error::ProxyError;
use crate::hooks::Replays;
use crate::mock::scenarios;
use crate::orders::Orders;
use crate::schedule::Schedules;
use crate::secret::Secret;
use crate::upstream::Target;
use crate::{events, hooks, ids, token, vendor};

pub const ORDER_TOKEN_HEADER: &str = "x-order-token";

/// Where orders are fetched: one real vendor, or (mock mode) the mock of each vendor.
pub enum Targets {
    Single(Target),
    /// Mock base URLs per vendor; an id's vendor comes from `?provider=` or the scenario table.
    Mock(Vec<Target>),
}

pub struct AppState {
    pub targets: Targets,
    pub orders: Arc<Orders>,
    pub schedules: Arc<Schedules>,
    pub token_secret: Secret,
    /// Still accepted after a rotation (`ORDER_PROXY_TOKEN_SECRET_PREVIOUS`).
    pub token_secret_previous: Option<Secret>,
    /// The audience tokens are bound to; `None`: the vendor's name.
    pub token_audience: Option<String>,
    pub token_rules: token::Rules,
    pub webhook_secret: Option<Secret>,
    pub replays: Replays,
}

/// Attached to responses that waited on the vendor, for the access log.
#[derive(Clone, Copy, Debug)]
pub struct UpstreamLatency(pub std::time::Duration);

/// `body_timeout`: how long a webhook's sender has to send its body.
pub fn router(state: Arc<AppState>, body_timeout: Duration) -> Router {
    let mut router = Router::new()
        .route("/api/orders/{id}", get(get_order))
        .route("/api/orders/{id}/events", get(events::stream))
        .route("/healthz", get(healthz));
    if state.webhook_secret.is_some() {
        router = router.route("/hooks/order", hooks::route(state.clone(), body_timeout));
    }
    router.with_state(state)
}

/// `{"status":"ok"}`; with `--redis` also whether Redis answers (`degraded` when not).
async fn healthz(State(state): State<Arc<AppState>>) -> Json<serde_json::Value> {
    Json(match &state.orders.shared {
        None => serde_json::json!({ "status": "ok" }),
        Some(shared) if shared.is_up() => serde_json::json!({ "status": "ok", "redis": "up" }),
        Some(_) => serde_json::json!({ "status": "degraded", "redis": "down" }),
    })
}

#[derive(Deserialize)]
pub struct OrderQuery {
    pub provider: Option<String>,
}

async fn get_order(
    State(state): State<Arc<AppState>>,
    Client(client): Client,
    Path(id): Path<String>,
    Query(query): Query<OrderQuery>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    let presented = headers
        .get(ORDER_TOKEN_HEADER)
        .map(|value| value.to_str().map_err(|_| ProxyError::TokenInvalid));
    let target = state.admit(client, &id, query.provider.as_deref(), presented)?;
    let (fetched, source) = state.orders.current(target, &id).await?;

    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        fetched.body.to_string(),
    )
        .into_response();
    if source == Source::Upstream {
        response
            .extensions_mut()
            .insert(UpstreamLatency(fetched.upstream_latency));
    }
    Ok(response)
}

impl AppState {
    /// The checks before any vendor call, in order: per-client limit, the id's vendor
    /// (mock mode), the id's shape, the order token.
    pub fn admit(
        &self,
        client: ClientKey,
        id: &str,
        provider: Option<&str>,
        token: Option<Result<&str, ProxyError>>,
    ) -> Result<&Target, ProxyError> {
        self.orders.limits.check_client(client)?;
        let target = self.target_for(id, provider)?;
        if !ids::is_valid(target.vendor, id) {
            return Err(ProxyError::InvalidOrderId);
        }
        let presented = token.ok_or(ProxyError::TokenMissing)??;
        let claims = token::Claims {
            audience: self.audience_for(target),
            order_id: id,
        };
        let now = token::now_unix();
        let verify = |secret: &Secret| {
            let secret = secret.expose().as_bytes();
            token::verify(secret, claims, presented.trim(), self.token_rules, now)
        };
        match (verify(&self.token_secret), &self.token_secret_previous) {
            (Err(token::TokenError::Invalid), Some(previous)) => verify(previous),
            (checked, _) => checked,
        }
        .map_err(|error| match error {
            token::TokenError::Invalid => ProxyError::TokenInvalid,
            token::TokenError::Expired => ProxyError::TokenExpired,
        })?;
        Ok(target)
    }

    /// Whom this proxy's tokens for `target`'s orders are for: the configured audience,
    /// else the vendor's name (so a token for one vendor never opens another's order).
    pub fn audience_for<'a>(&'a self, target: &Target) -> &'a str {
        self.token_audience
            .as_deref()
            .unwrap_or(target.vendor.as_str())
    }

    pub fn target_for(&self, id: &str, provider: Option<&str>) -> Result<&Target, ProxyError> {
        match &self.targets {
            Targets::Single(target) => Ok(target),
            Targets::Mock(targets) => {
                let wanted: Vendor = match provider {
                    Some(name) => vendor::from_name(name).ok_or(ProxyError::NotFound)?,
                    None => scenarios::find(id).ok_or(ProxyError::NotFound)?.vendor(),
                };
                targets
                    .iter()
                    .find(|target| target.vendor == wanted)
                    .ok_or(ProxyError::NotFound)
            }
        }
    }
}
