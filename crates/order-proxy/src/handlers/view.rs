//! `GET /api/orders/{id}/view?token=…&locale=…`: the order's server-rendered first paint,
//! for a shop's server to put inside its page's `<order-widget>` element (docs/embedding.md).
//! The same checks as the order's GET (the token in `?token=` or `X-Order-Token`), and always
//! the redacted order, whatever `--codes` says: no code or PIN is ever in the HTML.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::{header_token, AppState, UpstreamLatency};
use crate::error::ProxyError;
use crate::first_paint;
use crate::net::client::Client;
use crate::orders::cache::Source;

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
        None => header_token(&headers),
    };
    let locale = first_paint::locale(query.locale)?;
    let target = state.admit(client, &id, query.provider.as_deref(), presented)?;
    let (fetched, source) = state.orders.current(target, &id).await?;
    let config = first_paint::page_config(&id, locale);
    let html = first_paint::render(&fetched.order, config, &state.assets).await?;

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
