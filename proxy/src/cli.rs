//! Command-line flags and environment, turned into a validated [`Config`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use order_widget::model::Vendor;
use order_widget::providers::Provider;

use crate::config::{default_assets, Config, Limits, UpstreamConfig};
use crate::secret::Secret;

pub const ENV_API_KEY: &str = "ORDER_PROXY_API_KEY";
pub const ENV_API_SECRET: &str = "ORDER_PROXY_API_SECRET";
pub const ENV_TOKEN_SECRET: &str = "ORDER_PROXY_TOKEN_SECRET";
const MIN_TOKEN_SECRET_BYTES: usize = 16;

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
    Serve(ServeArgs),
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
            ProviderArg::Hsmail => Provider::Hsmail,
            ProviderArg::VoucherApi => Provider::VoucherApi,
            ProviderArg::Shop => Provider::Shop,
            ProviderArg::Bdvoucher => Provider::Bdvoucher,
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
    /// Directory with index.html and www/ (default: the repository root).
    #[arg(long)]
    pub assets: Option<PathBuf>,
    /// How long a terminal order (delivered, failed, cancelled, refunded) is cached.
    #[arg(long, default_value = "10m", value_parser = humantime::parse_duration)]
    pub terminal_ttl: Duration,
    /// How long a live (non-terminal) order is cached.
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
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
    if secret.expose().len() < MIN_TOKEN_SECRET_BYTES {
        return Err(format!(
            "{ENV_TOKEN_SECRET} must be at least {MIN_TOKEN_SECRET_BYTES} bytes (32 random characters recommended)"
        ));
    }
    Ok(secret)
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
        let mut config = Config::new(upstream, api_key, token_secret);
        config.listen = self.listen;
        config.api_secret = api_secret;
        config.allow_origin = self.allow_origin;
        config.normalize = self.normalize;
        config.assets = self.assets.unwrap_or_else(default_assets);
        config.terminal_ttl = self.terminal_ttl;
        config.live_ttl = self.live_ttl;
        config.upstream_timeout = self.upstream_timeout;
        config.limits = Limits {
            per_order_per_hour: self.limit_per_order_per_hour,
            per_10_seconds: self.limit_per_10s,
            per_minute: self.limit_per_minute,
            per_ip_per_minute: self.limit_per_ip_per_minute,
        };
        Ok(config)
    }
}
