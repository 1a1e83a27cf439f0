//! `GET /api/orders/{id}` and `GET /healthz`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use order_widget::model::Vendor;
use serde::Deserialize;

use crate::cache::{OrderCache, Source};
use crate::error::ProxyError;
use crate::limits::RateLimits;
use crate::mock::scenarios;
use crate::upstream::{Target, Upstream};
use crate::{ids, token, vendor};

pub const ORDER_TOKEN_HEADER: &str = "x-order-token";

/// Where orders are fetched: one real vendor, or (mock mode) the mock of each vendor.
pub enum Targets {
    Single(Target),
    /// Mock base URLs per vendor; an id's vendor comes from `?provider=` or the scenario table.
    Mock(Vec<Target>),
}

pub struct AppState {
    pub targets: Targets,
    pub upstream: Upstream,
    pub cache: OrderCache,
    pub limits: RateLimits,
    pub token_secret: crate::secret::Secret,
}

/// Attached to responses that waited on the vendor, for the access log.
#[derive(Clone, Copy, Debug)]
pub struct UpstreamLatency(pub std::time::Duration);

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/orders/{id}", get(get_order))
        .route("/healthz", get(healthz))
        .with_state(state)
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

#[derive(Deserialize)]
struct OrderQuery {
    provider: Option<String>,
}

async fn get_order(
    State(state): State<Arc<AppState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(query): Query<OrderQuery>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    state.limits.check_client(client.ip())?;
    let target = state.target_for(&id, query.provider.as_deref())?;
    if !ids::is_valid(target.vendor, &id) {
        return Err(ProxyError::InvalidOrderId);
    }
    check_token(&state, &id, &headers)?;

    let key = format!("{}:{id}", target.vendor.as_str());
    let fetch = async {
        state.limits.check_upstream(&key)?;
        state.upstream.fetch(target, &id).await
    };
    let (fetched, source) = state.cache.get_or_fetch(key.clone(), fetch).await?;

    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        fetched.body.clone(),
    )
        .into_response();
    if source == Source::Upstream {
        response
            .extensions_mut()
            .insert(UpstreamLatency(fetched.upstream_latency));
    }
    Ok(response)
}

fn check_token(state: &AppState, id: &str, headers: &HeaderMap) -> Result<(), ProxyError> {
    let presented = headers
        .get(ORDER_TOKEN_HEADER)
        .ok_or(ProxyError::TokenMissing)?
        .to_str()
        .map_err(|_| ProxyError::TokenInvalid)?;
    token::verify(
        state.token_secret.expose().as_bytes(),
        id,
        presented.trim(),
        token::now_unix(),
    )
    .map_err(|error| match error {
        token::TokenError::Invalid => ProxyError::TokenInvalid,
        token::TokenError::Expired => ProxyError::TokenExpired,
    })
}

impl AppState {
    fn target_for(&self, id: &str, provider: Option<&str>) -> Result<&Target, ProxyError> {
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
