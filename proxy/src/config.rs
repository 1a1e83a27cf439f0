//! Everything `serve` needs, already validated. Built by `cli.rs` from flags and env,
//! or directly by tests.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use order_widget::model::Vendor;

use crate::secret::Secret;

#[derive(Debug, Clone)]
pub enum UpstreamConfig {
    /// In-process mock vendors for all four formats (the demo).
    Mock,
    /// One real vendor at `base_url` (its spec's path is appended).
    Vendor { vendor: Vendor, base_url: String },
}

/// Rate limits. The three vendor limits count only upstream calls (cache hits spare the
/// vendor's budget); the per-IP limit counts every `/api/orders` request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_order_per_hour: u32,
    pub per_10_seconds: u32,
    pub per_minute: u32,
    pub per_ip_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_order_per_hour: 60,
            per_10_seconds: 20,
            per_minute: 200,
            per_ip_per_minute: 120,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub upstream: UpstreamConfig,
    /// hsmail key, voucher-api `X-API-Key`, shop/bdvoucher bearer token.
    pub api_key: Secret,
    /// voucher-api `X-API-Secret`.
    pub api_secret: Option<Secret>,
    /// The order-token HMAC key.
    pub token_secret: Secret,
    pub allow_origin: Option<String>,
    pub normalize: bool,
    /// Holds `index.html` and `www/`.
    pub assets: PathBuf,
    pub terminal_ttl: Duration,
    pub live_ttl: Duration,
    pub upstream_timeout: Duration,
    pub limits: Limits,
}

impl Config {
    /// Defaults for everything but the upstream and the secrets.
    pub fn new(upstream: UpstreamConfig, api_key: Secret, token_secret: Secret) -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            upstream,
            api_key,
            api_secret: None,
            token_secret,
            allow_origin: None,
            normalize: false,
            assets: default_assets(),
            terminal_ttl: Duration::from_secs(600),
            live_ttl: Duration::from_secs(5),
            upstream_timeout: Duration::from_secs(10),
            limits: Limits::default(),
        }
    }

    pub fn is_mock(&self) -> bool {
        matches!(self.upstream, UpstreamConfig::Mock)
    }
}

/// The repository root (where `index.html` and `www/` live), fixed at compile time.
pub fn default_assets() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), PathBuf::from)
}
