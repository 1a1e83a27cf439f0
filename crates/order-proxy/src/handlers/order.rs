//! `GET /api/orders/{id}`: the order as it is now, after the checks every order route
//! makes, from a cache when one is fresh enough; its codes withheld unless `--codes inline`
//! (see `codes`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::app::{header_token, AppState, OrderQuery, UpstreamLatency};
use crate::error::ProxyError;
use crate::net::client::Client;
use crate::orders::cache::{Fetched, Source};

pub async fn get_order(
    State(state): State<Arc<AppState>>,
    Client(client): Client,
    Path(id): Path<String>,
    Query(query): Query<OrderQuery>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    let presented = header_token(&headers);
    let target = state.admit(client, &id, query.provider.as_deref(), presented)?;
    let (fetched, source) = state.orders.current(target, &id).await?;

    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        Bytes::from_owner(KeptBody(fetched.clone())),
    )
        .into_response();
    if source == Source::Upstream {
        response
            .extensions_mut()
            .insert(UpstreamLatency(fetched.upstream_latency));
    }
    Ok(response)
}

/// The kept answer's body, sent from where it is kept rather than copied into a new
/// `String` for every request (the cached order is the proxy's most frequent answer).
struct KeptBody(Arc<Fetched>);

impl AsRef<[u8]> for KeptBody {
    fn as_ref(&self) -> &[u8] {
        self.0.body.as_bytes()
    }
}
