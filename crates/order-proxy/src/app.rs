//! What every handler shares: the application state, and the checks every order route
//! makes before any vendor call ([`AppState::admit`]). Handlers import this; it imports no
//! handler.

use std::path::PathBuf;
use std::sync::Arc;

use order_core::model::Vendor;
use serde::Deserialize;

use crate::auth::order_token;
use crate::auth::replays::Replays;
use crate::codes::audit::Audit;
use crate::codes::refs::RefKeys;
use crate::error::ProxyError;
use crate::metrics::Metrics;
use crate::mock::scenarios;
use crate::net::client::ClientKey;
use crate::orders::schedule::Schedules;
use crate::orders::upstream::Target;
use crate::orders::Orders;
use crate::orders::{ids, vendor};
use crate::secret::Secret;

pub const ORDER_TOKEN_HEADER: &str = "x-order-token";

/// The order token in a request's `X-Order-Token` header, if it has one (a value that is
/// not text is an invalid token).
pub fn header_token(headers: &axum::http::HeaderMap) -> Option<Result<&str, ProxyError>> {
    headers
        .get(ORDER_TOKEN_HEADER)
        .map(|value| value.to_str().map_err(|_| ProxyError::TokenInvalid))
}

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
    pub token_rules: order_token::Rules,
    pub webhook_secret: Option<Secret>,
    pub replays: Replays,
    /// How the reveal endpoints find a voucher by its ref.
    pub refs: RefKeys,
    /// The reveal endpoints' audit lines.
    pub audit: Audit,
    pub metrics: Arc<Metrics>,
    /// The demo's and the widget's files (`--assets`): the server-rendered view links the
    /// widget's stylesheet by its built name.
    pub assets: PathBuf,
}

/// `?provider=`: in mock mode, which mock vendor an id is asked of.
#[derive(Deserialize)]
pub struct OrderQuery {
    pub provider: Option<String>,
}

/// Attached to responses that waited on the vendor, for the access log.
#[derive(Clone, Copy, Debug)]
pub struct UpstreamLatency(pub std::time::Duration);

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
        let claims = order_token::Claims {
            audience: self.audience_for(target),
            order_id: id,
        };
        let now = order_token::now_unix();
        let verify = |secret: &Secret| {
            let secret = secret.expose().as_bytes();
            order_token::verify(secret, claims, presented.trim(), self.token_rules, now)
        };
        match (verify(&self.token_secret), &self.token_secret_previous) {
            (Err(order_token::TokenError::Invalid), Some(previous)) => verify(previous),
            (checked, _) => checked,
        }
        .map_err(|error| match error {
            order_token::TokenError::Invalid => ProxyError::TokenInvalid,
            order_token::TokenError::Expired => ProxyError::TokenExpired,
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
