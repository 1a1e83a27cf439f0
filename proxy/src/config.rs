//! Everything `serve` needs, already validated. Built by `cli.rs` from flags and env,
//! or directly by tests.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use order_widget::model::Vendor;

use crate::secret::Secret;
use crate::token;

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

/// Caps on open event streams; past one, `GET /api/orders/{id}/events` answers 429.
#[derive(Debug, Clone, Copy)]
pub struct StreamLimits {
    pub max_total: usize,
    pub per_ip: usize,
    pub per_order: usize,
    /// A comment line this often keeps proxies and the browser from timing a stream out.
    pub heartbeat: Duration,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            max_total: 5_000,
            per_ip: 20,
            per_order: 50,
            heartbeat: Duration::from_secs(15),
        }
    }
}

/// How connections are held: past `max_connections` a new one gets a 503 and is closed.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    /// A request head must be complete this long after the connection opened or went idle
    /// (hyper's header-read timer, which also closes idle keep-alive connections).
    pub header_timeout: Duration,
    /// Shutdown waits this long for open requests before dropping them.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 10_000,
            header_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// State shared by several instances through Redis.
#[derive(Debug, Clone)]
pub struct RedisConfig {
    /// `redis://[:password@]host:port[/db]`: may hold a password, so never logged.
    pub url: Secret,
    /// `ORDER_PROXY_CACHE_KEY`: what the encryption key of values in Redis and the
    /// hashing key of per-order key names derive from.
    pub cache_key: Secret,
    /// PEM certificates of a private CA that signed a `rediss://` server's certificate;
    /// without it the public web roots (`webpki-roots`) are trusted.
    pub ca_certificates: Option<Vec<u8>>,
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
    /// The key before the last rotation, still accepted (never used to mint).
    pub token_secret_previous: Option<Secret>,
    /// The audience order tokens are bound to; `None`: the vendor's name.
    pub token_audience: Option<String>,
    pub token_rules: token::Rules,
    pub allow_origin: Option<String>,
    pub normalize: bool,
    /// How many times faster than scripted the mock vendors play their orders' lifecycles.
    pub mock_speed: u32,
    /// Holds `index.html` and `www/`.
    pub assets: PathBuf,
    pub terminal_ttl: Duration,
    pub live_ttl: Duration,
    pub upstream_timeout: Duration,
    pub limits: Limits,
    /// `ORDER_PROXY_WEBHOOK_SECRET`; without it `POST /hooks/order` is not served.
    pub webhook_secret: Option<Secret>,
    pub redis: Option<RedisConfig>,
    pub streams: StreamLimits,
    pub connections: ConnectionLimits,
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
            token_secret_previous: None,
            token_audience: None,
            token_rules: token::Rules::default(),
            allow_origin: None,
            normalize: false,
            mock_speed: 1,
            assets: default_assets(),
            terminal_ttl: Duration::from_secs(600),
            live_ttl: Duration::from_secs(1),
            upstream_timeout: Duration::from_secs(10),
            limits: Limits::default(),
            webhook_secret: None,
            redis: None,
            streams: StreamLimits::default(),
            connections: ConnectionLimits::default(),
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
