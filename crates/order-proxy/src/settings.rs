//! Everything `serve` needs, already validated. Built by `cli.rs` from flags and env,
//! or directly by tests.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use order_core::model::Vendor;

use crate::auth::order_token;
use crate::codes::Codes;
use crate::net::client::TrustedProxies;
use crate::secret::Secret;

#[derive(Debug, Clone)]
pub enum UpstreamConfig {
    /// In-process mock vendors for all four formats (the demo).
    Mock,
    /// One real vendor at `base_url` (its spec's path is appended).
    Vendor { vendor: Vendor, base_url: String },
}

/// Rate limits. The three vendor limits count only upstream calls (cache hits spare the
/// vendor's budget); the per-IP limit counts every `/api/orders` request, the hooks limit
/// every `POST /hooks/order` (before its signature is checked), the reveal limits every
/// request to the reveal endpoints with a valid token.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_order_per_hour: u32,
    pub per_10_seconds: u32,
    pub per_minute: u32,
    pub per_ip_per_minute: u32,
    pub hooks_per_ip_per_minute: u32,
    /// Reveal requests (one code or all) per order per minute.
    pub reveals_per_order_per_minute: u32,
    /// Reveal requests per client per minute, all orders together.
    pub reveals_per_ip_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_order_per_hour: 60,
            per_10_seconds: 20,
            per_minute: 200,
            per_ip_per_minute: 120,
            hooks_per_ip_per_minute: 600,
            reveals_per_order_per_minute: 30,
            reveals_per_ip_per_minute: 60,
        }
    }
}

/// Caps on open event streams; past one, `GET /api/orders/{id}/events` answers 429.
#[derive(Debug, Clone, Copy)]
pub struct StreamLimits {
    pub max_total: usize,
    pub per_ip: usize,
    pub per_order: usize,
    /// A `heartbeat` event this often keeps proxies and the browser from timing a stream
    /// out, and tells the client that the stream is alive.
    pub heartbeat: Duration,
    /// A stream ends after this long (and at its token's expiry, if sooner).
    pub max_lifetime: Duration,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            max_total: 5_000,
            per_ip: 20,
            per_order: 50,
            heartbeat: Duration::from_secs(15),
            max_lifetime: Duration::from_secs(3600),
        }
    }
}

/// The vendor schedule order-proxy keeps for each live order while event streams are open
/// for it (see `schedule`).
#[derive(Debug, Clone, Copy)]
pub struct ScheduleConfig {
    /// An order that has not moved for this long: its schedule stops and its streams end,
    /// so that clients fall back to their own polling. Twice the widget's longest `maxWait`.
    pub max_wait: Duration,
    /// With `--redis`, one instance holds an order's schedule at a time: its lease lasts
    /// this long unless renewed, so another instance takes over within it if the holder dies.
    pub lease: Duration,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            max_wait: Duration::from_secs(3600),
            lease: Duration::from_secs(5),
        }
    }
}

/// How connections are held: past `max_connections` in all, or `max_connections_per_ip`
/// from one client address, a new one gets a 503 and is closed.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    /// Trusted proxies are exempt: they carry many clients.
    pub max_connections_per_ip: usize,
    /// A request head must be complete this long after the connection opened or went idle
    /// (hyper's header-read timer, which also closes idle keep-alive connections).
    pub header_timeout: Duration,
    /// The request line and headers together; past it, 431 and the connection is closed.
    pub max_header_bytes: usize,
    /// A request body must have arrived whole this long after the handler asked for it.
    pub body_timeout: Duration,
    /// The response head must be ready this long after the request head arrived.
    pub request_timeout: Duration,
    /// A write to the client that makes no progress for this long ends the connection.
    pub write_timeout: Duration,
    /// Shutdown waits this long for open requests before dropping them.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 10_000,
            max_connections_per_ip: 100,
            header_timeout: Duration::from_secs(10),
            max_header_bytes: 32 * 1024,
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
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
    /// Where `GET /metrics` is served (`--metrics-listen`); never on `listen`. `None`: nowhere.
    pub metrics_listen: Option<SocketAddr>,
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
    pub token_rules: order_token::Rules,
    pub allow_origin: Option<String>,
    /// What order bodies carry of the codes: withheld (the default) or inline.
    pub codes: Codes,
    /// With `codes: Inline`, the canonical order instead of the vendor's body.
    pub normalize: bool,
    /// How many times faster than scripted the mock vendors play their orders' lifecycles.
    pub mock_speed: u32,
    /// Whether the mock vendors notify `POST /hooks/order` at each phase change.
    pub mock_webhooks: bool,
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
    pub schedule: ScheduleConfig,
    pub connections: ConnectionLimits,
    /// Whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: TrustedProxies,
}

impl Config {
    /// Defaults for everything but the upstream and the secrets.
    pub fn new(upstream: UpstreamConfig, api_key: Secret, token_secret: Secret) -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            metrics_listen: None,
            upstream,
            api_key,
            api_secret: None,
            token_secret,
            token_secret_previous: None,
            token_audience: None,
            token_rules: order_token::Rules::default(),
            allow_origin: None,
            codes: Codes::Redacted,
            normalize: false,
            mock_speed: 1,
            mock_webhooks: true,
            assets: default_assets(),
            terminal_ttl: Duration::from_secs(600),
            live_ttl: Duration::from_secs(1),
            upstream_timeout: Duration::from_secs(10),
            limits: Limits::default(),
            webhook_secret: None,
            redis: None,
            streams: StreamLimits::default(),
            schedule: ScheduleConfig::default(),
            connections: ConnectionLimits::default(),
            trusted_proxies: TrustedProxies::default(),
        }
    }

    pub fn is_mock(&self) -> bool {
        matches!(self.upstream, UpstreamConfig::Mock)
    }
}

/// The repository root (where `index.html` and `www/` live), fixed at compile time:
/// two levels above `crates/order-proxy`.
pub fn default_assets() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .map_or(manifest.clone(), PathBuf::from)
}
