//! The demo: the storefront page and widget assets, and (mock mode only) the scenario
//! list and the token endpoint a shop's backend would replace.

use std::path::Path;
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ProxyError;
use crate::mock::scenarios::{Scenario, SCENARIOS};
use crate::secret::Secret;
use crate::{ids, token};

/// Demo tokens live as long as the default the docs suggest for shops.
const DEMO_TOKEN_TTL: Duration = Duration::from_secs(2 * 3600);

/// The headers every response carries; the CSP is what the demo page must live with.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
frame-ancestors 'none'; object-src 'none'";

/// `/` → `<assets>/index.html`, `/www/*` → `<assets>/www/*` (404 while they do not exist).
pub fn static_routes(assets: &Path) -> Router {
    Router::new()
        .route_service("/", ServeFile::new(assets.join("index.html")))
        .nest_service("/www", ServeDir::new(assets.join("www")))
}

pub fn mock_routes(token_secret: Secret) -> Router {
    Router::new()
        .route("/demo/scenarios", get(scenarios))
        .route("/demo/token/{id}", get(demo_token))
        .with_state(token_secret)
}

async fn scenarios() -> Json<&'static [Scenario]> {
    Json(SCENARIOS)
}

async fn demo_token(
    State(secret): State<Secret>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<serde_json::Value>, ProxyError> {
    if !ids::is_shop_id(&id) {
        return Err(ProxyError::InvalidOrderId);
    }
    let token = token::mint(secret.expose().as_bytes(), &id, DEMO_TOKEN_TTL);
    Ok(Json(serde_json::json!({ "token": token })))
}
