//! `POST /api/orders/{id}/codes/{ref}` and `POST /api/orders/{id}/codes`: one voucher's
//! secrets, or every voucher's, when the customer asks for them (see `codes`).
//!
//! The checks of the GET first, in its order and before any vendor call (per-client limit,
//! id, the token from the `X-Order-Token` header only), then the reveal limits per client
//! and per order; then the order from the cache when it is fresh, else from the vendor
//! exactly as a GET gets it. Every code answered writes one audit line. No body is read.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use order_core::secret::RevealedAll;
use serde::{Deserialize, Serialize};

use crate::app::{header_token, AppState, UpstreamLatency};
use crate::codes::audit::{Purpose, Reveal, Scope};
use crate::codes::refs;
use crate::codes::user_agent::UserAgentClass;
use crate::error::ProxyError;
use crate::net::client::{Client, ClientKey};
use crate::orders::cache::{Fetched, Source};
use crate::orders::order_key;
use crate::orders::upstream::Target;

/// `?provider=` (mock mode, as for the GET) and `?purpose=reveal|copy|qr|download`.
#[derive(Deserialize)]
pub struct RevealQuery {
    provider: Option<String>,
    purpose: Option<String>,
}

/// One voucher's code, PIN and (when it carries either) claim URL.
pub async fn reveal_one(
    State(state): State<Arc<AppState>>,
    Client(client): Client,
    Path((id, secret_ref)): Path<(String, String)>,
    Query(query): Query<RevealQuery>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    let (target, reveal) = admit_reveal(&state, client, &id, &query, &headers, Scope::One)?;
    if !refs::is_well_formed(&secret_ref) {
        return Err(ProxyError::CodeNotFound);
    }
    let (fetched, source) = state.orders.current(target, &id).await?;
    let voucher = state
        .refs
        .find(&fetched.order, &secret_ref)
        .ok_or(ProxyError::CodeNotFound)?;
    let revealed = voucher
        .revealed(&secret_ref)
        .ok_or(ProxyError::CodeNotFound)?;
    state.audit.code_revealed(&reveal, voucher, &secret_ref);
    state
        .metrics
        .code_revealed(reveal.vendor, reveal.purpose.as_str(), "one");
    Ok(answer(&revealed, &fetched, source))
}

/// Every voucher's secrets at once (Reveal all, Copy all, the CSV download).
pub async fn reveal_all(
    State(state): State<Arc<AppState>>,
    Client(client): Client,
    Path(id): Path<String>,
    Query(query): Query<RevealQuery>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    let (target, reveal) = admit_reveal(&state, client, &id, &query, &headers, Scope::All)?;
    let (fetched, source) = state.orders.current(target, &id).await?;
    let codes = fetched
        .order
        .vouchers
        .iter()
        .filter_map(|voucher| {
            let secret_ref = voucher.secret_ref.as_deref()?;
            let revealed = voucher.revealed(secret_ref)?;
            state.audit.code_revealed(&reveal, voucher, secret_ref);
            state
                .metrics
                .code_revealed(reveal.vendor, reveal.purpose.as_str(), "all");
            Some(revealed)
        })
        .collect();
    Ok(answer(&RevealedAll { codes }, &fetched, source))
}

/// The GET's checks, then the reveal limits: where the order is, and what the audit lines
/// of this request share.
fn admit_reveal<'s, 'a>(
    state: &'s AppState,
    client: ClientKey,
    id: &'a str,
    query: &RevealQuery,
    headers: &HeaderMap,
    scope: Scope,
) -> Result<(&'s Target, Reveal<'a>), ProxyError> {
    let presented = header_token(headers);
    let target = state.admit(client, id, query.provider.as_deref(), presented)?;
    state
        .orders
        .limits
        .check_reveal(client, &order_key(target, id))?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    let reveal = Reveal {
        vendor: target.vendor,
        order_id: id,
        purpose: Purpose::of(query.purpose.as_deref()),
        scope,
        client: state.audit.client_hash(client),
        user_agent: UserAgentClass::of(user_agent),
    };
    Ok((target, reveal))
}

fn answer(body: &impl Serialize, fetched: &Fetched, source: Source) -> Response {
    let mut response = (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response();
    if source == Source::Upstream {
        response
            .extensions_mut()
            .insert(UpstreamLatency(fetched.upstream_latency));
    }
    response
}
