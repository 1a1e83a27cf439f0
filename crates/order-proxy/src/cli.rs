//! Command-line flags and environment, turned into a validated [`Config`].

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use order_core::model::Vendor;
use order_core::providers::Provider;

use crate::auth::order_token;
use crate::codes::Codes;
use crate::net::client::TrustedProxies;
use crate::secret::Secret;
use crate::settings::{
    default_assets, Config, ConnectionLimits, Limits, RedisConfig, StreamLimits, UpstreamConfig,
};

pub const ENV_API_KEY: &str = "ORDER_PROXY_API_KEY";
pub const ENV_API_SECRET: &str = "ORDER_PROXY_API_SECRET";
pub const ENV_TOKEN_SECRET: &str = "ORDER_PROXY_TOKEN_SECRET";
pub const ENV_TOKEN_SECRET_PREVIOUS: &str = "ORDER_PROXY_TOKEN_SECRET_PREVIOUS";
pub const ENV_WEBHOOK_SECRET: &str = "ORDER_PROXY_WEBHOOK_SECRET";
pub const ENV_REDIS_URL: &str = "ORDER_PROXY_REDIS_URL";
pub const ENV_CACHE_KEY: &str = "ORDER_PROXY_CACHE_KEY";
pub const ENV_REDIS_CA_FILE: &str = "ORDER_PROXY_REDIS_CA_FILE";
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
    /// Print an order token for `--order` at `--provider` (uses ORDER_PROXY_TOKEN_SECRET).
    Token(TokenArgs),
    /// Read one vendor body on stdin, print the canonical order JSON (codes included,
    /// unless --redacted).
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

/// `--codes`: what order bodies carry of the codes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum CodesArg {
    /// Withheld (length and last 4), revealed on request with an audit line.
    Redacted,
    /// Every code in every body and event, as before (less safe).
    Inline,
}

impl From<CodesArg> for Codes {
    fn from(arg: CodesArg) -> Codes {
        match arg {
            CodesArg::Redacted => Codes::Redacted,
            CodesArg::Inline => Codes::Inline,
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
#[command(group(ArgGroup::new("mode").required(true).args(["upstream", "mock"])))]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Serve `GET /metrics` (Prometheus text format) on this address only, e.g. a private
    /// interface or 127.0.0.1:9464. Without it there is no /metrics.
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// The vendor's base URL (https://, or http:// on loopback); its order path is appended.
    /// Either this or --mock is required.
    #[arg(long, conflicts_with = "mock", requires = "provider")]
    pub upstream: Option<String>,
    /// Allow an http:// --upstream on a host other than loopback: the vendor key then
    /// crosses the network in clear text.
    #[arg(long, requires = "upstream")]
    pub allow_http_upstream: bool,
    #[arg(long, value_enum)]
    pub provider: Option<VendorArg>,
    /// Allow this origin (e.g. https://shop.example) to call the API from a browser.
    #[arg(long)]
    pub allow_origin: Option<String>,
    /// What order bodies and events carry of the codes: `redacted` (withheld; the customer's
    /// reveal asks for them, one audited request each) or `inline` (every code in every
    /// body, as the vendor sent it: less safe).
    #[arg(long, value_enum, default_value = "redacted")]
    pub codes: CodesArg,
    /// With `--codes inline`: serve the canonical order JSON instead of the vendor's body.
    #[arg(long)]
    pub normalize: bool,
    /// Built-in mock vendors and the demo endpoints, with random secrets for this run
    /// (the environment's are never used). Either this or --upstream is required.
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
    /// Reveal requests (POST /api/orders/{id}/codes[/{ref}]) per order per minute.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit_reveals_per_order_per_minute: u32,
    /// Reveal requests per client IP per minute, all orders together.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit_reveals_per_ip_per_minute: u32,
    /// A reverse proxy or load balancer (CIDR, or one address) whose X-Forwarded-For
    /// names the client; repeat for several. Without it the header is ignored.
    #[arg(long = "trusted-proxy", value_name = "CIDR", value_parser = parse_trusted_proxy)]
    pub trusted_proxies: Vec<IpNet>,
    /// Share limits, cache and updates with other instances through Redis
    /// (redis://host:port or rediss:// for TLS; also ORDER_PROXY_REDIS_URL).
    /// Needs ORDER_PROXY_CACHE_KEY.
    #[arg(long)]
    pub redis: Option<String>,
    /// PEM file of the CA that signed a rediss:// server's certificate (also
    /// ORDER_PROXY_REDIS_CA_FILE); without it the public web roots are trusted.
    #[arg(long)]
    pub redis_ca: Option<PathBuf>,
    /// What order tokens are bound to besides the order (default: the vendor's name,
    /// e.g. hsmail); [A-Za-z0-9._-]{1,64}.
    #[arg(long, value_parser = parse_audience)]
    pub token_audience: Option<String>,
    /// A token expiring further ahead than this is refused, however genuine.
    #[arg(long, default_value = "30d", value_parser = humantime::parse_duration)]
    pub max_token_ttl: Duration,
    /// Refuse v1 order tokens (accepted until their expiry otherwise).
    #[arg(long)]
    pub refuse_v1_tokens: bool,
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
#[command(group(ArgGroup::new("for").required(true).args(["provider", "audience"])))]
pub struct TokenArgs {
    #[arg(long)]
    pub order: String,
    /// The vendor of the order (the audience of a proxy without --token-audience).
    #[arg(long, value_enum)]
    pub provider: Option<VendorArg>,
    /// The proxy's --token-audience, when it has one.
    #[arg(long, value_parser = parse_audience)]
    pub audience: Option<String>,
    #[arg(long, default_value = "2h", value_parser = humantime::parse_duration)]
    pub ttl: Duration,
    /// Refuse a --ttl longer than this (the proxy's --max-token-ttl).
    #[arg(long, default_value = "30d", value_parser = humantime::parse_duration)]
    pub max_token_ttl: Duration,
}

impl TokenArgs {
    /// The audience to sign for, and the TTL once checked against the maximum.
    pub fn audience_and_ttl(&self) -> Result<(String, Duration), String> {
        if self.ttl > self.max_token_ttl {
            return Err(format!(
                "--ttl {} is longer than the maximum token lifetime ({}; see --max-token-ttl)",
                humantime::format_duration(self.ttl),
                humantime::format_duration(self.max_token_ttl)
            ));
        }
        let audience = match (&self.audience, self.provider) {
            (Some(audience), _) => audience.clone(),
            (None, Some(provider)) => Vendor::from(provider).as_str().to_owned(),
            (None, None) => return Err("--provider or --audience is required".into()),
        };
        Ok((audience, self.ttl))
    }
}

fn parse_audience(text: &str) -> Result<String, String> {
    if order_token::is_audience(text) {
        Ok(text.to_owned())
    } else {
        Err("must match [A-Za-z0-9._-]{1,64}".into())
    }
}

/// The vendor key travels in every upstream request: over plain http only to this
/// machine, unless the operator says otherwise.
fn check_upstream_url(base_url: &str, allow_http: bool) -> Result<(), String> {
    let parsed = reqwest::Url::parse(base_url).map_err(|error| format!("--upstream: {error}"))?;
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => return Err("--upstream must be an http(s) URL".into()),
    };
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback || allow_http => Ok(()),
        "http" => Err(
            "--upstream is http:// on a host other than loopback: the vendor key would cross \
             the network in clear text. Use https://, or add --allow-http-upstream"
                .into(),
        ),
        _ => Err("--upstream must be an http(s) URL".into()),
    }
}

#[derive(Args, Debug)]
pub struct NormalizeArgs {
    #[arg(long, value_enum, default_value = "auto")]
    pub provider: ProviderArg,
    /// Add each voucher's `ref`, as `serve` makes it with ORDER_PROXY_TOKEN_SECRET: which
    /// code an audit line's ref stands for.
    #[arg(long, conflicts_with = "redacted")]
    pub with_refs: bool,
    /// Print what `serve` answers by default: codes withheld, refs set (uses
    /// ORDER_PROXY_TOKEN_SECRET).
    #[arg(long)]
    pub redacted: bool,
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

/// `--redis` (or its env) with the cache key it requires and the CA file it may name.
fn redis_config(
    flag: Option<String>,
    ca_flag: Option<PathBuf>,
) -> Result<Option<RedisConfig>, String> {
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
        return Err("--redis must be a redis:// or rediss:// URL".into());
    }
    let ca_file = ca_flag.or_else(|| {
        std::env::var_os(ENV_REDIS_CA_FILE)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    });
    let ca_certificates = match ca_file {
        Some(path) => Some(std::fs::read(&path).map_err(|error| {
            format!("cannot read the Redis CA file {}: {error}", path.display())
        })?),
        None => None,
    };
    if ca_certificates.is_some() && !url.expose().starts_with("rediss://") {
        return Err("a Redis CA file needs a rediss:// URL".into());
    }
    Ok(Some(RedisConfig {
        url,
        cache_key,
        ca_certificates,
    }))
}

impl ServeArgs {
    /// The configuration, with secrets from the environment; in mock mode every secret is
    /// random for the run (said in `notes`, never their values), whatever the environment
    /// holds, so a mock instance can never mint tokens a real one accepts.
    pub fn into_config(self, notes: &mut Vec<String>) -> Result<Config, String> {
        let upstream = match (self.upstream, self.provider, self.mock) {
            (Some(base_url), Some(provider), false) => {
                check_upstream_url(&base_url, self.allow_http_upstream)?;
                UpstreamConfig::Vendor {
                    vendor: provider.into(),
                    base_url,
                }
            }
            (None, _, true) => UpstreamConfig::Mock,
            // clap's group and `requires` already refuse these.
            (Some(_), None, _) => return Err("--upstream needs --provider".into()),
            _ => return Err("serve needs --upstream <url> --provider <vendor>, or --mock".into()),
        };
        let mock = matches!(upstream, UpstreamConfig::Mock);
        let random = || -> Result<Secret, String> {
            Secret::random().map_err(|error| format!("cannot generate a random secret: {error}"))
        };
        let (api_key, api_secret, token_secret) = if mock {
            let ignored: Vec<&str> = [
                ENV_API_KEY,
                ENV_API_SECRET,
                ENV_TOKEN_SECRET,
                ENV_TOKEN_SECRET_PREVIOUS,
                ENV_WEBHOOK_SECRET,
            ]
            .into_iter()
            .filter(|name| env_secret(name).is_some())
            .collect();
            notes.push(format!(
                "--mock: random API key, API secret, token secret and webhook secret for this run{}",
                if ignored.is_empty() {
                    String::new()
                } else {
                    format!(" ({} in the environment ignored)", ignored.join(", "))
                }
            ));
            (random()?, Some(random()?), random()?)
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
        let webhook_secret = if mock {
            Some(random()?)
        } else {
            env_secret(ENV_WEBHOOK_SECRET)
                .map(|secret| check_hmac_key(ENV_WEBHOOK_SECRET, secret))
                .transpose()?
        };
        if webhook_secret.is_none() {
            notes.push(format!(
                "{ENV_WEBHOOK_SECRET} is not set: POST /hooks/order is off (push needs it)"
            ));
        }
        let token_secret_previous = if mock {
            None
        } else {
            env_secret(ENV_TOKEN_SECRET_PREVIOUS)
                .map(|secret| check_hmac_key(ENV_TOKEN_SECRET_PREVIOUS, secret))
                .transpose()?
        };
        let mut config = Config::new(upstream, api_key, token_secret);
        config.token_secret_previous = token_secret_previous;
        config.webhook_secret = webhook_secret;
        config.redis = redis_config(self.redis, self.redis_ca)?;
        config.token_audience = self.token_audience;
        config.token_rules = order_token::Rules {
            max_ttl: self.max_token_ttl,
            accept_v1: !self.refuse_v1_tokens,
        };
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
        config.metrics_listen = self.metrics_listen;
        config.api_secret = api_secret;
        config.allow_origin = self.allow_origin;
        config.codes = self.codes.into();
        config.normalize = self.normalize;
        if self.normalize && config.codes == Codes::Redacted {
            notes.push(
                "--normalize changes nothing without --codes inline: the redacted order is \
                 always the canonical one"
                    .into(),
            );
        }
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
            reveals_per_order_per_minute: self.limit_reveals_per_order_per_minute,
            reveals_per_ip_per_minute: self.limit_reveals_per_ip_per_minute,
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
            "--codes",
            "inline",
            "--limit-reveals-per-order-per-minute",
            "5",
            "--limit-reveals-per-ip-per-minute",
            "6",
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
        assert_eq!(config.codes, Codes::Inline);
        assert_eq!(config.limits.reveals_per_order_per_minute, 5);
        assert_eq!(config.limits.reveals_per_ip_per_minute, 6);
        assert!(
            Cli::try_parse_from(["order-proxy", "serve", "--max-header-bytes", "4096"]).is_err(),
            "below hyper's smallest buffer"
        );
    }
}
