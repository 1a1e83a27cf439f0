//! Command-line flags and environment, turned into a validated [`Config`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use order_widget::model::Vendor;
use order_widget::providers::Provider;

use crate::client::TrustedProxies;
use crate::config::{
    default_assets, Config, ConnectionLimits, Limits, RedisConfig, StreamLimits, UpstreamConfig,
};
use crate::secret::Secret;

pub const ENV_API_KEY: &str = "ORDER_PROXY_API_KEY";
pub const ENV_API_SECRET: &str = "ORDER_PROXY_API_SECRET";
pub const ENV_TOKEN_SECRET: &str = "ORDER_PROXY_TOKEN_SECRET";
pub const ENV_WEBHOOK_SECRET: &str = "ORDER_PROXY_WEBHOOK_SECRET";
pub const ENV_REDIS_URL: &str = "ORDER_PROXY_REDIS_URL";
pub const ENV_CACHE_KEY: &str = "ORDER_PROXY_CACHE_KEY";
const MIN_TOKEN_SECRET_BYTES: usize = 16;
const MIN_CACHE_KEY_CHARS: usize = 32;

#[derive(Parser, Debug)]
#[command(
    name = "order-proxy",
    version,
    about = "Order proxy for order-widget: vendor keys, order tokens, rate limits, cache, demo"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve `GET /api/orders/{id}` (and the demo with --mock).
    Serve(Box<ServeArgs>),
    /// Print an order token for `--order` (uses ORDER_PROXY_TOKEN_SECRET).
    Token(TokenArgs),
    /// Read one vendor body on stdin, print the canonical order JSON.
    Normalize(NormalizeArgs),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum VendorArg {
    Hsmail,
    VoucherApi,
    Shop,
    Bdvoucher,
}

impl From<VendorArg> for Vendor {
    fn from(arg: VendorArg) -> Vendor {
        match arg {
            VendorArg::Hsmail => Vendor::Hsmail,
            VendorArg::VoucherApi => Vendor::VoucherApi,
            VendorArg::Shop => Vendor::Shop,
            VendorArg::Bdvoucher => Vendor::Bdvoucher,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProviderArg {
    Auto,
    Hsmail,
    VoucherApi,
    Shop,
    Bdvoucher,
    /// The canonical order JSON itself.
    Order,
}

impl From<ProviderArg> for Provider {
    fn from(arg: ProviderArg) -> Provider {
        match arg {
            ProviderArg::Auto => Provider::Auto,
            ProviderArg::Hsmail => Provider::Vendor(Vendor::Hsmail),
            ProviderArg::VoucherApi => Provider::Vendor(Vendor::VoucherApi),
            ProviderArg::Shop => Provider::Vendor(Vendor::Shop),
            ProviderArg::Bdvoucher => Provider::Vendor(Vendor::Bdvoucher),
            ProviderArg::Order => Provider::Canonical,
        }
    }
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The vendor's base URL; its order path is appended. Without it, --mock is implied.
    #[arg(long, conflicts_with = "mock", requires = "provider")]
    pub upstream: Option<String>,
    #[arg(long, value_enum)]
    pub provider: Option<VendorArg>,
    /// Allow this origin (e.g. https://shop.example) to call the API from a browser.
    #[arg(long)]
    pub allow_origin: Option<String>,
    /// Serve the canonical order JSON instead of the vendor's body.
    #[arg(long)]
    pub normalize: bool,
    /// Built-in mock vendors and the demo endpoints (the default without --upstream).
    #[arg(long)]
    pub mock: bool,
    /// The mock vendors play every order's lifecycle this many times faster.
    #[arg(long, default_value_t = 1, conflicts_with = "upstream",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub mock_speed: u32,
    /// Whether the mock vendors send a webhook at each phase change (`off`: like most real
    /// vendors, none; the proxy's own schedule then notices every change).
    #[arg(long, value_enum, default_value = "on", conflicts_with = "upstream")]
    pub mock_webhooks: Switch,
    /// Directory with index.html and www/ (default: the repository root).
    #[arg(long)]
    pub assets: Option<PathBuf>,
    /// How long a terminal order (delivered, failed, cancelled, refunded) is cached.
    #[arg(long, default_value = "10m", value_parser = humantime::parse_duration)]
    pub terminal_ttl: Duration,
    /// How long a live (non-terminal) order is cached, counted from when the vendor was
    /// asked. Shorter than the widget's fastest poll (1.8 s), so a polling widget always
    /// gets a fresh answer while bursts (tabs, streams, instances) share one vendor call.
    #[arg(long, default_value = "1s", value_parser = humantime::parse_duration)]
    pub live_ttl: Duration,
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    pub upstream_timeout: Duration,
    /// Upstream calls per order per hour.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit_per_order_per_hour: u32,
    /// Upstream calls per 10 seconds, all orders together.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit_per_10s: u32,
    /// Upstream calls per minute, all orders together.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit_per_minute: u32,
    /// Requests per client IP per minute (cached answers count too).
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit_per_ip_per_minute: u32,
    /// Webhooks per sender IP per minute, counted before their signature is checked.
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit_hooks_per_ip_per_minute: u32,
    /// A reverse proxy or load balancer (CIDR, or one address) whose X-Forwarded-For
    /// names the client; repeat for several. Without it the header is ignored.
    #[arg(long = "trusted-proxy", value_name = "CIDR", value_parser = parse_trusted_proxy)]
    pub trusted_proxies: Vec<IpNet>,
    /// Share limits, cache and updates with other instances through Redis
    /// (redis://host:port; also ORDER_PROXY_REDIS_URL). Needs ORDER_PROXY_CACHE_KEY.
    #[arg(long)]
    pub redis: Option<String>,
    /// Open connections; past this a new one gets 503 and is closed.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Open connections from one client IP (an IPv6 /64); trusted proxies are exempt.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_ip: u32,
    /// A request head must be complete this long after a connection opens or goes idle;
    /// an idle keep-alive connection is closed after it too.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    pub header_timeout: Duration,
    /// The request line and headers together, in bytes (at least 8192); past it, 431.
    #[arg(long, default_value_t = 32 * 1024, value_parser = clap::value_parser!(u32).range(8192..))]
    pub max_header_bytes: u32,
    /// A request body (webhooks) must arrive whole this long after its head.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    pub body_timeout: Duration,
    /// The response must start this long after the request's head (503 past it).
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub request_timeout: Duration,
    /// A response write that makes no progress this long ends the connection.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub write_timeout: Duration,
    /// Open event streams on this instance.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_streams: u32,
    /// Open event streams per client IP.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_streams_per_ip: u32,
    /// Open event streams per order.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_streams_per_order: u32,
    /// An event stream ends after this long (and at its token's expiry, if sooner).
    #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
    pub max_stream_lifetime: Duration,
}

/// `10.0.0.0/8`, `2001:db8::/32`, or one address (`10.0.0.7`, `::1`).
fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map(|range| range.trunc())
        .map_err(|_| format!("{text:?} is neither a CIDR range nor an IP address"))
}

#[derive(Args, Debug)]
pub struct TokenArgs {
    #[arg(long)]
    pub order: String,
    #[arg(long, default_value = "2h", value_parser = humantime::parse_duration)]
    pub ttl: Duration,
}

#[derive(Args, Debug)]
pub struct NormalizeArgs {
    #[arg(long, value_enum, default_value = "auto")]
    pub provider: ProviderArg,
}

/// Reads a secret from the environment; empty counts as unset.
pub fn env_secret(name: &str) -> Option<Secret> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.is_empty())
        .map(Secret::new)
}

pub fn token_secret_from_env() -> Result<Secret, String> {
    let secret =
        env_secret(ENV_TOKEN_SECRET).ok_or_else(|| format!("{ENV_TOKEN_SECRET} is not set"))?;
    check_token_secret(secret)
}

fn check_token_secret(secret: Secret) -> Result<Secret, String> {
    check_hmac_key(ENV_TOKEN_SECRET, secret)
}

fn check_hmac_key(name: &str, secret: Secret) -> Result<Secret, String> {
    if secret.expose().len() < MIN_TOKEN_SECRET_BYTES {
        return Err(format!(
            "{name} must be at least {MIN_TOKEN_SECRET_BYTES} bytes (32 random characters recommended)"
        ));
    }
    Ok(secret)
}

/// `--redis` (or its env) with the cache key it requires.
fn redis_config(flag: Option<String>) -> Result<Option<RedisConfig>, String> {
    let Some(url) = flag.map(Secret::new).or_else(|| env_secret(ENV_REDIS_URL)) else {
        return Ok(None);
    };
    let cache_key = env_secret(ENV_CACHE_KEY)
        .ok_or_else(|| format!("{ENV_CACHE_KEY} is not set (required with --redis)"))?;
    if cache_key.expose().chars().count() < MIN_CACHE_KEY_CHARS {
        return Err(format!(
            "{ENV_CACHE_KEY} must be at least {MIN_CACHE_KEY_CHARS} characters"
        ));
    }
    if !url.expose().starts_with("redis://") && !url.expose().starts_with("rediss://") {
        return Err("--redis must be a redis:// URL".into());
    }
    Ok(Some(RedisConfig { url, cache_key }))
}

impl ServeArgs {
    /// The configuration, with secrets from the environment. In mock mode missing secrets
    /// are generated at random (said in `notes`, never their values).
    pub fn into_config(self, notes: &mut Vec<String>) -> Result<Config, String> {
        let upstream = match (self.upstream, self.provider) {
            (Some(base_url), Some(provider)) => {
                let parsed = reqwest::Url::parse(&base_url)
                    .map_err(|error| format!("--upstream: {error}"))?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                    return Err("--upstream must be an http(s) URL".into());
                }
                UpstreamConfig::Vendor {
                    vendor: provider.into(),
                    base_url,
                }
            }
            (Some(_), None) => return Err("--upstream needs --provider".into()),
            (None, _) => UpstreamConfig::Mock,
        };
        let mock = matches!(upstream, UpstreamConfig::Mock);
        let mut generated = |name: &str| -> Result<Secret, String> {
            notes.push(format!(
                "{name} is not set: generated a random one for this run"
            ));
            Secret::random().map_err(|error| format!("cannot generate a random secret: {error}"))
        };
        let (api_key, api_secret, token_secret) = if mock {
            (
                env_secret(ENV_API_KEY).map_or_else(|| generated(ENV_API_KEY), Ok)?,
                Some(env_secret(ENV_API_SECRET).map_or_else(|| generated(ENV_API_SECRET), Ok)?),
                match env_secret(ENV_TOKEN_SECRET) {
                    Some(secret) => check_token_secret(secret)?,
                    None => generated(ENV_TOKEN_SECRET)?,
                },
            )
        } else {
            let api_key =
                env_secret(ENV_API_KEY).ok_or_else(|| format!("{ENV_API_KEY} is not set"))?;
            let api_secret = env_secret(ENV_API_SECRET);
            if matches!(
                upstream,
                UpstreamConfig::Vendor {
                    vendor: Vendor::VoucherApi,
                    ..
                }
            ) && api_secret.is_none()
            {
                return Err(format!(
                    "{ENV_API_SECRET} is not set (voucher-api needs X-API-Secret)"
                ));
            }
            (api_key, api_secret, token_secret_from_env()?)
        };
        let webhook_secret = match env_secret(ENV_WEBHOOK_SECRET) {
            Some(secret) => Some(check_hmac_key(ENV_WEBHOOK_SECRET, secret)?),
            None if mock => Some(generated(ENV_WEBHOOK_SECRET)?),
            None => None,
        };
        if webhook_secret.is_none() {
            notes.push(format!(
                "{ENV_WEBHOOK_SECRET} is not set: POST /hooks/order is off (push needs it)"
            ));
        }
        let mut config = Config::new(upstream, api_key, token_secret);
        config.webhook_secret = webhook_secret;
        config.redis = redis_config(self.redis)?;
        config.connections = ConnectionLimits {
            max_connections: self.max_connections as usize,
            max_connections_per_ip: self.max_connections_per_ip as usize,
            header_timeout: self.header_timeout,
            max_header_bytes: self.max_header_bytes as usize,
            body_timeout: self.body_timeout,
            request_timeout: self.request_timeout,
            write_timeout: self.write_timeout,
            ..ConnectionLimits::default()
        };
        config.trusted_proxies = TrustedProxies::new(self.trusted_proxies);
        config.streams = StreamLimits {
            max_total: self.max_streams as usize,
            per_ip: self.max_streams_per_ip as usize,
            per_order: self.max_streams_per_order as usize,
            max_lifetime: self.max_stream_lifetime,
            ..StreamLimits::default()
        };
        config.listen = self.listen;
        config.api_secret = api_secret;
        config.allow_origin = self.allow_origin;
        config.normalize = self.normalize;
        config.mock_speed = self.mock_speed;
        config.mock_webhooks = self.mock_webhooks == Switch::On;
        config.assets = self.assets.unwrap_or_else(default_assets);
        config.terminal_ttl = self.terminal_ttl;
        config.live_ttl = self.live_ttl;
        config.upstream_timeout = self.upstream_timeout;
        config.limits = Limits {
            per_order_per_hour: self.limit_per_order_per_hour,
            per_10_seconds: self.limit_per_10s,
            per_minute: self.limit_per_minute,
            per_ip_per_minute: self.limit_per_ip_per_minute,
            hooks_per_ip_per_minute: self.limit_hooks_per_ip_per_minute,
        };
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_ranges_or_single_addresses() {
        let parsed = |text| parse_trusted_proxy(text).map(|range| range.to_string());
        assert_eq!(parsed("10.0.0.0/8").as_deref(), Ok("10.0.0.0/8"));
        assert_eq!(parsed("10.1.2.3/8").as_deref(), Ok("10.0.0.0/8"));
        assert_eq!(parsed("10.0.0.7").as_deref(), Ok("10.0.0.7/32"));
        assert_eq!(parsed("2001:db8::/32").as_deref(), Ok("2001:db8::/32"));
        assert_eq!(parsed("::1").as_deref(), Ok("::1/128"));
        for wrong in ["", "10.0.0.0/33", "proxy.example", "10.0.0.0/8,10.1.0.0/16"] {
            assert!(parsed(wrong).is_err(), "{wrong:?}");
        }
    }

    #[test]
    fn network_flags_reach_the_config() {
        let cli = Cli::try_parse_from([
            "order-proxy",
            "serve",
            "--mock",
            "--trusted-proxy",
            "10.0.0.0/8",
            "--trusted-proxy",
            "192.0.2.7",
            "--max-connections-per-ip",
            "7",
            "--max-header-bytes",
            "16384",
            "--body-timeout",
            "3s",
            "--request-timeout",
            "20s",
            "--write-timeout",
            "15s",
            "--max-stream-lifetime",
            "30m",
            "--limit-hooks-per-ip-per-minute",
            "9",
        ])
        .expect("valid flags");
        let Command::Serve(args) = cli.command else {
            panic!("serve")
        };
        let config = args.into_config(&mut Vec::new()).expect("a config");
        let client = "192.0.2.7".parse().expect("an address");
        assert!(config.trusted_proxies.contains(client));
        assert!(config
            .trusted_proxies
            .contains("10.200.0.1".parse().expect("an address")));
        assert_eq!(config.connections.max_connections_per_ip, 7);
        assert_eq!(config.connections.max_header_bytes, 16_384);
        assert_eq!(config.connections.body_timeout, Duration::from_secs(3));
        assert_eq!(config.connections.request_timeout, Duration::from_secs(20));
        assert_eq!(config.connections.write_timeout, Duration::from_secs(15));
        assert_eq!(config.streams.max_lifetime, Duration::from_secs(1800));
        assert_eq!(config.limits.hooks_per_ip_per_minute, 9);
        assert!(
            Cli::try_parse_from(["order-proxy", "serve", "--max-header-bytes", "4096"]).is_err(),
            "below hyper's smallest buffer"
        );
    }
}
