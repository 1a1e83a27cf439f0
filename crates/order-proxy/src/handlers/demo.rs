//! The demo: the storefront page and widget assets, and (mock mode only) the scenario
//! list, the token endpoint a shop's backend would replace, and the order page with its
//! server-rendered first paint ([`first_paint`]).

mod first_paint;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sha2::{Digest, Sha256};

use crate::app::{AppState, OrderQuery};
use crate::auth::order_token;
use crate::error::ProxyError;
use crate::handlers::static_files::{self, REVALIDATE};
use crate::mock::scenarios::{Scenario, SCENARIOS};
use crate::net::client::Client;
use crate::orders::ids;
use crate::widget_files::Manifest;

/// Demo tokens live as long as the default the docs suggest for shops.
const DEMO_TOKEN_TTL: Duration = Duration::from_secs(2 * 3600);

/// The headers every response carries; the CSP is what the demo page must live with.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
frame-ancestors 'none'; object-src 'none'";

/// Where `index.html` asks for the widget's preload hints.
const PRELOAD_MARKER: &str = "<!-- order-widget:preload -->";
/// Where `index.html` takes the widget's element with its first paint.
const FIRST_PAINT_MARKER: &str = "<!-- order-widget:first-paint -->";
/// The order's section, hidden until `demo.js` shows an order (shown with a first paint).
const THANK_YOU_HIDDEN: &str = r#"id="thank-you" hidden"#;
/// What the demo page is made from: the files, and in mock mode the orders.
#[derive(Clone)]
struct DemoPage {
    assets: PathBuf,
    mock: Option<Arc<AppState>>,
}

/// `/` → `<assets>/index.html` with the widget's preload hints (and in mock mode, for
/// `?order=`, the order's first paint), `/www/*` → `<assets>/www/*` (404 while they do not
/// exist).
pub fn static_routes(assets: &Path, mock: Option<Arc<AppState>>) -> Router {
    let page = DemoPage {
        assets: assets.to_owned(),
        mock,
    };
    Router::new()
        .route("/", get(demo_page).with_state(page))
        .nest("/www", static_files::files(&assets.join("www")))
}

/// The storefront page with the preload hints of the current build (none before the
/// first `cargo xtask dist`), revalidated by its `ETag`; with an order's first paint (and
/// its token) never stored.
async fn demo_page(
    State(DemoPage { assets, mock }): State<DemoPage>,
    Client(client): Client,
    Query(query): Query<first_paint::DemoQuery>,
    request_headers: HeaderMap,
) -> Response {
    let Ok(page) = tokio::fs::read_to_string(assets.join("index.html")).await else {
        return ProxyError::NotFound.into_response();
    };
    let hints = Manifest::read(&assets)
        .await
        .map(|manifest| manifest.preload_hints())
        .unwrap_or_default();
    let page = page.replacen(PRELOAD_MARKER, &hints, 1);
    let element = match &mock {
        Some(state) if page.contains(FIRST_PAINT_MARKER) => {
            first_paint::widget_element(state, client, query).await
        }
        _ => None,
    };
    if let Some(element) = element {
        let page = page.replacen(FIRST_PAINT_MARKER, &element, 1).replacen(
            THANK_YOU_HIDDEN,
            r#"id="thank-you""#,
            1,
        );
        return (
            [
                (header::CACHE_CONTROL, "no-store"),
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            ],
            page,
        )
            .into_response();
    }

    let digest = Sha256::digest(page.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{hex}\"");
    let headers = [
        (header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE)),
        (
            header::ETAG,
            HeaderValue::from_str(&etag).expect("hex is a valid header value"),
        ),
    ];
    if matches_etag(&request_headers, &etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (
        headers,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// Whether `If-None-Match` names `etag` (weakly, as RFC 9110 asks for a GET).
fn matches_etag(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

/// Mock mode only: `serve` merges these only without `--upstream`.
pub fn mock_routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/demo/scenarios", get(scenarios))
        .route("/demo/token/{id}", get(demo_token))
        .with_state(state)
}

async fn scenarios() -> Json<&'static [Scenario]> {
    Json(SCENARIOS)
}

/// A token for the order at its mock vendor (its scenario's, or `?provider=`'s), as the
/// API will check it.
async fn demo_token(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
    Query(query): Query<OrderQuery>,
) -> Result<Json<serde_json::Value>, ProxyError> {
    if !ids::is_shop_id(&id) {
        return Err(ProxyError::InvalidOrderId);
    }
    let token = mint_token(&state, &id, query.provider.as_deref())?;
    Ok(Json(serde_json::json!({ "token": token })))
}

/// A token for order `id` at its mock vendor (its scenario's, or `provider`'s).
fn mint_token(state: &AppState, id: &str, provider: Option<&str>) -> Result<String, ProxyError> {
    let target = state.target_for(id, provider)?;
    let claims = order_token::Claims {
        audience: state.audience_for(target),
        order_id: id,
    };
    Ok(order_token::mint(
        state.token_secret.expose().as_bytes(),
        claims,
        DEMO_TOKEN_TTL,
    ))
}
