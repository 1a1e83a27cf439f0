//! The widget configuration, validated once when the widget is mounted.
//!
//! The embedder passes a plain object (`mount(element, config)` or the `<order-widget>`
//! attributes). Keys are camelCase; unknown keys are refused so a typo is noticed.
//!
//! | key             | type                                   | default              | meaning |
//! |-----------------|----------------------------------------|----------------------|---------|
//! | `proxy`         | string, must contain `{id}`            | required             | URL template of the shop's order proxy, e.g. `/api/orders/{id}`. The id is percent-encoded as one path segment. |
//! | `orderId`       | string                                 | required             | The order to show. |
//! | `provider`      | `auto` `hsmail` `voucher-api` `shop` `bdvoucher` `order` | `auto` | The vendor format the proxy answers with (`order`: the canonical JSON of `order-proxy serve --normalize`). |
//! | `token`         | string                                 | none                 | The signed order token the shop issued; sent as `X-Order-Token`. Never a vendor API key. |
//! | `headers`       | object of strings                      | `{}`                 | Extra request headers. |
//! | `credentials`   | `same-origin` or `include`             | `same-origin`        | Whether cookies go with the request. |
//! | `currency`      | ISO 4217 code                          | none                 | Currency of amounts whose vendor names none. |
//! | `locale`        | BCP 47 tag                             | `navigator.language` | Language of the labels and of dates and amounts. |
//! | `labels`        | object of strings                      | `{}`                 | Overrides for any label key. |
//! | `timeout`       | seconds, 1–120                         | `15`                 | Timeout of each request. |
//! | `revealTimeout` | seconds, 1–3600                        | `60`                 | Revealed codes are masked again after this time. |
//! | `maxWait`       | `fast` `standard` `slow` or seconds    | `standard`           | How long polling waits for the order to move (5, 10, 30 minutes). |
//! | `firstResponse` | `Promise<Response>`                    | none                 | The first request, already started by the page with the same URL, headers and credentials (`embed.js` does this while the wasm loads): the first check reads it instead of fetching, and fetches itself if it rejects. Read by `mount`, not kept here. |

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::node::Node;
use crate::poll::{MaxWaitPreset, PollConfig};
use crate::providers::Provider;

/// The header that carries the shop's order token.
pub const TOKEN_HEADER: &str = "X-Order-Token";

/// The validated configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub proxy: String,
    pub order_id: String,
    /// `proxy` with the encoded order id in place of `{id}`.
    pub url: String,
    pub provider: Provider,
    /// Every request header, the token included.
    pub headers: Vec<(String, String)>,
    pub credentials: Credentials,
    pub currency: Option<String>,
    pub locale: String,
    /// Label overrides, `(key, text)`.
    pub labels: Vec<(String, String)>,
    pub timeout: Duration,
    pub reveal_timeout: Duration,
    pub poll: PollConfig,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Credentials {
    #[default]
    SameOrigin,
    Include,
}

/// The configuration as the embedder wrote it, before validation.
#[derive(Clone, Debug, Default)]
pub struct RawConfig {
    pub proxy: Option<String>,
    pub order_id: Option<String>,
    pub provider: Option<String>,
    pub token: Option<String>,
    /// `(name, value)`, in the object's order.
    pub headers: Vec<(String, String)>,
    pub credentials: Credentials,
    pub currency: Option<String>,
    pub locale: Option<String>,
    /// Label overrides, `(key, text)`.
    pub labels: Vec<(String, String)>,
    pub timeout: Option<u32>,
    pub reveal_timeout: Option<u32>,
    pub max_wait: Option<MaxWait>,
}

/// `maxWait`: a preset name or a number of seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxWait {
    Preset(MaxWaitPreset),
    Seconds(u64),
}

/// Why a configuration was refused. The text names the key, never a value (the token
/// is a secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "order-widget config: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A refusal with a fixed text.
#[inline(never)]
fn invalid(message: &str) -> ConfigError {
    ConfigError(message.to_owned())
}

/// A refusal whose text names a key (or header): `before`, `key`, `after`.
#[inline(never)]
fn keyed(before: &str, key: &str, after: &str) -> ConfigError {
    ConfigError([before, key, after].concat())
}

/// Every key the configuration object may have.
const KEYS: [&str; 13] = [
    "proxy",
    "orderId",
    "provider",
    "token",
    "headers",
    "credentials",
    "currency",
    "locale",
    "labels",
    "timeout",
    "revealTimeout",
    "maxWait",
    "firstResponse",
];

impl RawConfig {
    /// Reads the embedder's configuration object. Unknown keys and values of the wrong
    /// type are refused; the error names the key, never the value. An absent, `null` or
    /// `undefined` value is the default.
    pub fn from_js(config: &wasm_bindgen::JsValue) -> Result<RawConfig, ConfigError> {
        Self::read(config.clone())
    }

    pub(crate) fn read<N: Node>(config: N) -> Result<RawConfig, ConfigError> {
        let keys = config
            .keys()
            .ok_or_else(|| invalid("the configuration must be an object"))?;
        if let Some(key) = keys.iter().find(|key| !KEYS.contains(&key.as_str())) {
            return Err(keyed("unknown key `", key, "`"));
        }
        let mut fields = Fields {
            object: config,
            error: None,
        };
        let raw = RawConfig {
            credentials: fields.credentials(),
            proxy: fields.text("proxy"),
            order_id: fields.text("orderId"),
            provider: fields.text("provider"),
            token: fields.text("token"),
            headers: fields.strings("headers"),
            currency: fields.text("currency"),
            locale: fields.text("locale"),
            labels: fields.strings("labels"),
            timeout: fields.seconds("timeout"),
            reveal_timeout: fields.seconds("revealTimeout"),
            max_wait: fields.max_wait(),
        };
        match fields.error {
            None => Ok(raw),
            Some(error) => Err(error),
        }
    }

    /// Validates everything once. `default_locale` is used when `locale` is absent
    /// (the browser passes `navigator.language`).
    #[inline(never)]
    pub fn validate(self, default_locale: &str) -> Result<Config, ConfigError> {
        // Every check reads `self` and runs before anything is moved out of it.
        let url = self.url()?;
        let provider = self.provider()?;
        self.check_headers()?;
        let currency = self.currency()?;
        let locale = match self.locale.as_deref() {
            None | Some("") => default_locale,
            Some(locale) => locale,
        };
        check_locale(locale)?;
        let locale = locale.to_owned();
        let timeout = seconds(
            self.timeout,
            15,
            120,
            "`timeout` must be between 1 and 120 seconds",
        )?;
        let reveal_timeout = seconds(
            self.reveal_timeout,
            60,
            3600,
            "`revealTimeout` must be between 1 and 3600 seconds",
        )?;
        let max_wait = match self.max_wait {
            None => MaxWaitPreset::Standard.max_wait(),
            Some(MaxWait::Preset(preset)) => preset.max_wait(),
            Some(MaxWait::Seconds(s)) if (10..=24 * 3600).contains(&s) => Duration::from_secs(s),
            Some(MaxWait::Seconds(_)) => {
                return Err(invalid("`maxWait` must be between 10 seconds and 24 hours"))
            }
        };

        let mut headers = self.headers;
        if let Some(token) = self.token.filter(|t| !t.is_empty()) {
            headers.push((TOKEN_HEADER.to_owned(), token));
        }
        Ok(Config {
            proxy: self.proxy.unwrap_or_default(),
            order_id: self.order_id.unwrap_or_default(),
            url,
            provider,
            headers,
            credentials: self.credentials,
            currency,
            locale,
            labels: self.labels,
            timeout,
            reveal_timeout,
            poll: PollConfig {
                max_wait,
                ..PollConfig::default()
            },
        })
    }

    /// `proxy` and `orderId` are required; together they make the request URL.
    fn url(&self) -> Result<String, ConfigError> {
        let proxy = required(&self.proxy, "`proxy` is required")?;
        let order_id = required(&self.order_id, "`orderId` is required")?;
        proxy_url(proxy, order_id)
    }

    fn provider(&self) -> Result<Provider, ConfigError> {
        match self.provider.as_deref() {
            None | Some("") => Ok(Provider::Auto),
            Some(name) => Provider::from_str(name).map_err(|_| {
                invalid("`provider` must be auto, hsmail, voucher-api, shop, bdvoucher or order")
            }),
        }
    }

    /// The configured headers and the token must each make a valid header line; the token
    /// goes only in `token`.
    fn check_headers(&self) -> Result<(), ConfigError> {
        for (name, value) in &self.headers {
            check_header(name, value)?;
            if name.eq_ignore_ascii_case(TOKEN_HEADER) {
                return Err(invalid("use `token` instead of an X-Order-Token header"));
            }
        }
        match self.token.as_deref() {
            Some(token) if !token.is_empty() => check_header(TOKEN_HEADER, token),
            _ => Ok(()),
        }
    }

    fn currency(&self) -> Result<Option<String>, ConfigError> {
        match self.currency.as_deref() {
            None | Some("") => Ok(None),
            Some(code) if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Ok(Some(code.to_ascii_uppercase()))
            }
            Some(_) => Err(invalid("`currency` must be a three-letter ISO 4217 code")),
        }
    }
}

/// The embedder's object, read one key at a time, in a fixed order. The first refusal is
/// kept and names the key; no key is read after it.
struct Fields<N> {
    object: N,
    error: Option<ConfigError>,
}

impl<N: Node> Fields<N> {
    /// The value under `key`; absent, `null` and `undefined` are `None`, and so is every
    /// key after a refusal.
    #[inline(never)]
    fn get(&self, key: &str) -> Option<N> {
        if self.error.is_some() {
            return None;
        }
        self.object.get(key).filter(|value| !value.is_null())
    }

    /// Keeps `error` (the first one) and answers the default.
    #[inline(never)]
    fn refuse<T: Default>(&mut self, error: ConfigError) -> T {
        self.error.get_or_insert(error);
        T::default()
    }

    #[inline(never)]
    fn text(&mut self, key: &str) -> Option<String> {
        let value = self.get(key)?;
        match value.as_text() {
            Some(text) => Some(text),
            None => self.refuse(keyed("`", key, "` must be a string")),
        }
    }

    #[inline(never)]
    fn seconds(&mut self, key: &str) -> Option<u32> {
        let value = self.get(key)?;
        match value.as_unsigned().and_then(|n| u32::try_from(n).ok()) {
            Some(seconds) => Some(seconds),
            None => self.refuse(keyed("`", key, "` must be a whole number of seconds")),
        }
    }

    /// An object whose every value is a string, as `(key, value)` pairs in the object's order.
    #[inline(never)]
    fn strings(&mut self, key: &str) -> Vec<(String, String)> {
        let Some(object) = self.get(key) else {
            return Vec::new();
        };
        let pairs = object.keys().and_then(|names| {
            names
                .into_iter()
                .map(|name| {
                    let value = object.get(&name).and_then(|value| value.as_text())?;
                    Some((name, value))
                })
                .collect()
        });
        match pairs {
            Some(pairs) => pairs,
            None => self.refuse(keyed("`", key, "` must be an object of strings")),
        }
    }

    fn credentials(&mut self) -> Credentials {
        match self.text("credentials").as_deref() {
            None | Some("same-origin") => Credentials::SameOrigin,
            Some("include") => Credentials::Include,
            Some(_) => self.refuse(invalid("`credentials` must be same-origin or include")),
        }
    }

    /// `maxWait`: a preset name, or a whole number of seconds (as a number or as text).
    fn max_wait(&mut self) -> Option<MaxWait> {
        let value = self.get("maxWait")?;
        let seconds = match value.as_text() {
            Some(text) => match MaxWaitPreset::from_str(&text) {
                Ok(preset) => return Some(MaxWait::Preset(preset)),
                Err(_) => text.trim().parse().ok(),
            },
            None => value.as_unsigned(),
        };
        match seconds {
            Some(seconds) => Some(MaxWait::Seconds(seconds)),
            None => self.refuse(invalid(
                "`maxWait` must be fast, standard, slow or a number of seconds",
            )),
        }
    }
}

/// `value` unless it is absent or blank.
fn required<'a>(value: &'a Option<String>, missing: &str) -> Result<&'a str, ConfigError> {
    match value.as_deref() {
        Some(text) if !text.trim().is_empty() => Ok(text),
        _ => Err(invalid(missing)),
    }
}

fn check_locale(locale: &str) -> Result<(), ConfigError> {
    if locale.len() > 35
        || !locale
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(invalid(
            "`locale` must be a BCP 47 language tag such as en-US",
        ));
    }
    Ok(())
}

/// `value` (or `default`) seconds, refused with `out_of_range` unless within 1..=`max`.
fn seconds(
    value: Option<u32>,
    default: u32,
    max: u32,
    out_of_range: &str,
) -> Result<Duration, ConfigError> {
    match value.unwrap_or(default) {
        s if (1..=max).contains(&s) => Ok(Duration::from_secs(u64::from(s))),
        _ => Err(invalid(out_of_range)),
    }
}

/// Header names are HTTP tokens; values may not break the header line.
fn check_header(name: &str, value: &str) -> Result<(), ConfigError> {
    let token_char = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token_char) {
        return Err(invalid(
            "a header name in `headers` is not a valid HTTP header name",
        ));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(keyed(
            "the value of header `",
            name,
            "` contains a line break",
        ));
    }
    Ok(())
}

/// The request URL: `template` with every `{id}` replaced by the id encoded as exactly
/// one path segment, so no id can add segments, climb with `..`, or start a query or
/// fragment.
pub fn proxy_url(template: &str, id: &str) -> Result<String, ConfigError> {
    if !template.contains("{id}") {
        return Err(invalid(
            "`proxy` must contain `{id}`, e.g. /api/orders/{id}",
        ));
    }
    let segment = encode_path_segment(id)
        .ok_or_else(|| invalid("`orderId` must not be empty, `.` or `..`"))?;
    Ok(template.replace("{id}", &segment))
}

/// Percent-encodes every byte except RFC 3986 unreserved characters. `.` and `..` are
/// refused: URL parsers resolve them (even encoded as `%2E`) as path steps.
pub fn encode_path_segment(id: &str) -> Option<String> {
    if id.is_empty() || id == "." || id == ".." {
        return None;
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    Some(out)
}

// The tests write configs as JSON with serde_json, which exists only natively.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn config(json: serde_json::Value) -> Result<Config, ConfigError> {
        RawConfig::read(&json)?.validate("en-US")
    }

    #[test]
    fn ids_stay_one_path_segment() {
        let url = |id| proxy_url("/api/orders/{id}", id).unwrap();
        assert_eq!(url("A1B2C3"), "/api/orders/A1B2C3");
        assert_eq!(url("../x"), "/api/orders/..%2Fx");
        assert_eq!(url("a/b"), "/api/orders/a%2Fb");
        assert_eq!(url("?#%"), "/api/orders/%3F%23%25");
        assert_eq!(url("a\\b c"), "/api/orders/a%5Cb%20c");
        assert_eq!(url("৳১২"), "/api/orders/%E0%A7%B3%E0%A7%A7%E0%A7%A8");
        for id in ["", ".", ".."] {
            assert!(proxy_url("/api/orders/{id}", id).is_err());
        }
    }

    #[test]
    fn no_id_can_change_the_path() {
        let bytes: Vec<char> = (0u8..128).map(char::from).chain(['é', '/', '.']).collect();
        for a in &bytes {
            for b in &bytes {
                let id: String = [*a, *b, '.', '/'].iter().collect();
                let segment = encode_path_segment(&id).unwrap();
                assert!(segment
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"-._~%".contains(&c)));
                assert!(!segment.contains('/'));
            }
        }
    }

    #[test]
    fn a_template_without_id_is_refused() {
        assert!(proxy_url("/api/orders/", "1").is_err());
    }

    #[test]
    fn defaults() {
        let config =
            config(serde_json::json!({"proxy": "/api/orders/{id}", "orderId": "42"})).unwrap();
        assert_eq!(config.url, "/api/orders/42");
        assert_eq!(config.provider, Provider::Auto);
        assert_eq!(config.credentials, Credentials::SameOrigin);
        assert_eq!(config.locale, "en-US");
        assert_eq!(config.timeout, Duration::from_secs(15));
        assert_eq!(config.reveal_timeout, Duration::from_secs(60));
        assert_eq!(config.poll.max_wait, Duration::from_secs(600));
        assert!(config.headers.is_empty());
    }

    #[test]
    fn every_option() {
        let config = config(serde_json::json!({
            "proxy": "https://shop.example/api/orders/{id}?v=1",
            "orderId": "a/b",
            "provider": "voucher-api",
            "token": "signed.token",
            "headers": {"X-Shop": "7"},
            "credentials": "include",
            "currency": "bdt",
            "locale": "bn-BD",
            "labels": {"copy": "Kopieren"},
            "timeout": 5,
            "revealTimeout": 30,
            "maxWait": "slow"
        }))
        .unwrap();
        assert_eq!(config.url, "https://shop.example/api/orders/a%2Fb?v=1");
        assert_eq!(config.provider, Provider::VoucherApi);
        assert_eq!(
            config.headers,
            [
                ("X-Shop".to_owned(), "7".to_owned()),
                (TOKEN_HEADER.to_owned(), "signed.token".to_owned())
            ]
        );
        assert_eq!(config.credentials, Credentials::Include);
        assert_eq!(config.currency.as_deref(), Some("BDT"));
        assert_eq!(config.locale, "bn-BD");
        assert_eq!(config.labels, [("copy".to_owned(), "Kopieren".to_owned())]);
        assert_eq!(config.timeout, Duration::from_secs(5));
        assert_eq!(config.reveal_timeout, Duration::from_secs(30));
        assert_eq!(config.poll.max_wait, Duration::from_secs(1800));
    }

    #[test]
    fn max_wait_accepts_presets_and_seconds() {
        let wait = |value: serde_json::Value| {
            config(serde_json::json!({"proxy": "/{id}", "orderId": "1", "maxWait": value}))
                .map(|c| c.poll.max_wait.as_secs())
        };
        assert_eq!(wait(serde_json::json!("fast")), Ok(300));
        assert_eq!(wait(serde_json::json!("standard")), Ok(600));
        assert_eq!(wait(serde_json::json!(90)), Ok(90));
        assert_eq!(wait(serde_json::json!("120")), Ok(120));
        assert!(wait(serde_json::json!("forever")).is_err());
        assert!(wait(serde_json::json!(-1)).is_err());
        assert!(wait(serde_json::json!(1.5)).is_err());
        assert!(wait(serde_json::json!(0)).is_err());
    }

    #[test]
    fn bad_configs_are_refused_without_echoing_secrets() {
        let cases = [
            serde_json::json!({"orderId": "1"}),
            serde_json::json!({"proxy": "/api/{id}"}),
            serde_json::json!({"proxy": "/api/orders", "orderId": "1"}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": ".."}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "provider": "acme"}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "credentials": "omit"}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "currency": "taka"}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "timeout": 0}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "locale": "en\"><x"}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "proxyUrl": "/x"}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "headers": {"Bad Name": "v"}}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "headers": {"X-Order-Token": "s"}}),
            serde_json::json!({"proxy": "/api/{id}", "orderId": "1", "token": "SECRET\r\nX: y"}),
        ];
        for case in cases {
            let error = config(case.clone()).expect_err(&case.to_string());
            assert!(!error.to_string().contains("SECRET"), "{error}");
        }
    }
}
