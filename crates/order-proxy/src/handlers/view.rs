//! `GET /api/orders/{id}/view?token=…&locale=…`: the order's server-rendered first paint,
//! for a shop's server to put inside its page's `<order-widget>` element (docs/embedding.md).
//! The same checks as the order's GET (the token in `?token=` or `X-Order-Token`), and always
//! the redacted order, whatever `--codes` says: no code or PIN is ever in the HTML.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use order_core::model::Order;
use order_widget::config::{Locale, RawConfig, Text};
use order_widget::server::render_fragment;

use crate::app::{AppState, UpstreamLatency, ORDER_TOKEN_HEADER};
use crate::codes::redacted;
use crate::error::ProxyError;
use crate::net::client::Client;
use crate::orders::cache::Source;
use crate::widget_files::{stylesheet_url, Manifest};

/// The order API the widget in the page asks (what `proxy` is in the page).
const PROXY: &str = "/api/orders/{id}";

#[derive(Deserialize)]
pub struct ViewQuery {
    token: Option<String>,
    locale: Option<String>,
    provider: Option<String>,
}

pub async fn view(
    State(state): State<Arc<AppState>>,
    Client(client): Client,
    Path(id): Path<String>,
    Query(query): Query<ViewQuery>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    let presented = match query.token.as_deref() {
        Some(token) => Some(Ok(token)),
        None => headers
            .get(ORDER_TOKEN_HEADER)
            .map(|value| value.to_str().map_err(|_| ProxyError::TokenInvalid)),
    };
    let locale = query
        .locale
        .map(|tag| Locale::try_from(Text(tag)).map_err(|_| ProxyError::InvalidLocale))
        .transpose()?;
    let target = state.admit(client, &id, query.provider.as_deref(), presented)?;
    let (fetched, source) = state.orders.current(target, &id).await?;
    let config = RawConfig {
        locale,
        ..page_config(&id)
    };
    let stylesheet = stylesheet_url(Manifest::read(&state.assets).await.as_ref());
    let html = first_paint(&fetched.order, config, &stylesheet).await?;

    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        html,
    )
        .into_response();
    if source == Source::Upstream {
        response
            .extensions_mut()
            .insert(UpstreamLatency(fetched.upstream_latency));
    }
    Ok(response)
}

/// The configuration of the widget in a page that asks this proxy for order `id`.
pub fn page_config(id: &str) -> RawConfig {
    RawConfig {
        proxy: Some(Text(PROXY.to_owned())),
        order_id: Some(Text(id.to_owned())),
        ..RawConfig::default()
    }
}

/// The fragment of `order` (as kept, secrets included) rendered from its redacted copy.
pub async fn first_paint(
    order: &Order,
    config: RawConfig,
    stylesheet: &str,
) -> Result<String, ProxyError> {
    // The rest of the configuration is ours and the locale was checked: only the id could
    // be refused.
    render_fragment(redacted(order), config, stylesheet)
        .await
        .map_err(|_| ProxyError::InvalidOrderId)
}
