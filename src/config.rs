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
//! | `token`         | string                                 | none                 | The signed order token the shop issued; sent as `X-Order-Token` (and as the `token` query parameter of `events`). Never a vendor API key. |
//! | `events`        | string, must contain `{id}`            | none (polling only)  | URL template of the order's event stream, e.g. `/api/orders/{id}/events`. While it is healthy (an order or a heartbeat at least every two heartbeat intervals) the widget does not poll; when it is not, polling takes over at once. |
//! | `headers`       | object of strings                      | `{}`                 | Extra request headers (not sent with `events`: `EventSource` cannot). |
//! | `credentials`   | `same-origin` or `include`             | `same-origin`        | Whether cookies go with the request (and the event stream: `withCredentials`). |
//! | `currency`      | ISO 4217 code                          | none                 | Currency of amounts whose vendor names none. |
//! | `locale`        | BCP 47 tag                             | `navigator.language` | Language of the labels and of dates and amounts. |
//! | `labels`        | object of strings                      | `{}`                 | Overrides for any label key. |
//! | `timeout`       | seconds, 1–120                         | `15`                 | Timeout of each request. |
//! | `revealTimeout` | seconds, 1–3600                        | `60`                 | Revealed codes are masked again after this time. |
//! | `maxWait`       | `fast` `standard` `slow` or seconds    | `standard`           | How long polling waits for the order to move (5, 10, 30 minutes). |

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use js_sys::Array;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::object::Object;
use crate::poll::{MaxWaitPreset, PollConfig};
use crate::providers::Provider;

/// The header that carries the shop's order token.
pub const TOKEN_HEADER: &str = "X-Order-Token";

/// The validated configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The proxy template with the encoded order id in place of `{id}`.
    pub url: String,
    /// The event stream's URL, the token in its query: never log it.
    pub events: Option<String>,
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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    #[default]
    SameOrigin,
    Include,
}

/// The configuration as the embedder wrote it, before validation. Absent, `null` and
/// `undefined` values are `None`.
///
/// A new key is a field here, a line in [`KEYS`] and its check in [`RawConfig::validate`].
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawConfig {
    pub proxy: Option<String>,
    pub order_id: Option<String>,
    pub provider: Option<String>,
    pub token: Option<String>,
    pub events: Option<String>,
    pub headers: Option<Strings>,
    pub credentials: Option<Credentials>,
    pub currency: Option<String>,
    pub locale: Option<String>,
    pub labels: Option<Strings>,
    pub timeout: Option<u32>,
    pub reveal_timeout: Option<u32>,
    pub max_wait: Option<MaxWait>,
}

/// Every key and what its value must be. A refusal names the key and this, never the
/// value (the token is a secret, and so may a header be).
const KEYS: [(&str, &str); 13] = [
    ("proxy", "a string"),
    ("orderId", "a string"),
    ("provider", "a string"),
    ("token", "a string"),
    ("events", "a string"),
    ("headers", "an object of strings"),
    ("credentials", "same-origin or include"),
    ("currency", "a string"),
    ("locale", "a string"),
    ("labels", "an object of strings"),
    ("timeout", "a whole number of seconds"),
    ("revealTimeout", "a whole number of seconds"),
    ("maxWait", "fast, standard, slow or a number of seconds"),
];

/// An object whose every value is a string, as `(key, value)` pairs in the object's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Strings(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Strings;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an object of strings")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Strings, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Strings(pairs))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

/// `maxWait`: a preset name or a number of seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub enum MaxWait {
    Preset(MaxWaitPreset),
    Seconds(u64),
}

impl<'de> Deserialize<'de> for MaxWait {
    /// A preset name, or a whole number of seconds as a number or as text.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl de::Visitor<'_> for Visitor {
            type Value = MaxWait;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("fast, standard, slow or a number of seconds")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<MaxWait, E> {
                if let Ok(preset) = MaxWaitPreset::from_str(text) {
                    return Ok(MaxWait::Preset(preset));
                }
                match text.trim().parse() {
                    Ok(seconds) => Ok(MaxWait::Seconds(seconds)),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Other("text"), &self)),
                }
            }

            fn visit_u64<E>(self, seconds: u64) -> Result<MaxWait, E> {
                Ok(MaxWait::Seconds(seconds))
            }

            fn visit_i64<E: de::Error>(self, seconds: i64) -> Result<MaxWait, E> {
                match u64::try_from(seconds) {
                    Ok(seconds) => Ok(MaxWait::Seconds(seconds)),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Other("number"), &self)),
                }
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

/// Why a configuration was refused. The text names the key, never a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "order-widget config: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

fn invalid(message: &str) -> ConfigError {
    ConfigError(message.to_owned())
}

impl RawConfig {
    /// Reads the embedder's configuration object. Unknown keys and values of the wrong
    /// type are refused; the error names the key, never the value.
    pub fn from_js(config: &JsValue) -> Result<RawConfig, ConfigError> {
        let parse = |value: &JsValue| serde_wasm_bindgen::from_value(value.clone()).ok();
        Self::read(config, parse, js_keys_alone)
    }

    /// Reads `config` whole with `parse`. When it is refused, each key is read alone
    /// (`keys_alone` gives each key with an object of just that key) to name the one at
    /// fault: serde's own message is not used, it may quote the value. (serde_path_to_error
    /// names the key in one pass, but cost 2.6 KB of the 3.0× size budget, gzipped, as
    /// `cargo xtask size` measured; a refused config is rare and small.)
    fn read<V>(
        config: &V,
        parse: impl Fn(&V) -> Option<Object<RawConfig>>,
        keys_alone: impl FnOnce(&V) -> Option<Vec<(String, V)>>,
    ) -> Result<RawConfig, ConfigError> {
        if let Some(Object(raw)) = parse(config) {
            return Ok(raw);
        }
        let not_an_object = || invalid("the configuration must be an object");
        let keys = keys_alone(config).ok_or_else(not_an_object)?;
        let (key, _) = keys
            .into_iter()
            .find(|(_, alone)| parse(alone).is_none())
            .ok_or_else(not_an_object)?;
        Err(match KEYS.iter().find(|(name, _)| *name == key) {
            Some((name, expected)) => ConfigError(format!("`{name}` must be {expected}")),
            None => ConfigError(format!("unknown key `{key}`")),
        })
    }

    /// Validates everything once. `default_locale` is used when `locale` is absent
    /// (the browser passes `navigator.language`).
    pub fn validate(self, default_locale: &str) -> Result<Config, ConfigError> {
        // Every check reads `self` and runs before anything is moved out of it.
        let url = self.url()?;
        let events = self.events_url()?;
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

        let mut headers = self.headers.unwrap_or_default().0;
        if let Some(token) = self.token.filter(|t| !t.is_empty()) {
            headers.push((TOKEN_HEADER.to_owned(), token));
        }
        Ok(Config {
            url,
            events,
            provider,
            headers,
            credentials: self.credentials.unwrap_or_default(),
            currency,
            locale,
            labels: self.labels.unwrap_or_default().0,
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

    /// The event stream's URL, or `None` (polling only). `EventSource` cannot send headers,
    /// so the token goes in the `token` query parameter.
    fn events_url(&self) -> Result<Option<String>, ConfigError> {
        let Some(template) = self.events.as_deref().filter(|t| !t.trim().is_empty()) else {
            return Ok(None);
        };
        let order_id = required(&self.order_id, "`orderId` is required")?;
        let mut url = fill_template(
            template,
            order_id,
            "`events` must contain `{id}`, e.g. /api/orders/{id}/events",
        )?;
        if let Some(token) = self.token.as_deref().filter(|t| !t.is_empty()) {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("token=");
            url.push_str(&percent_encode(token));
        }
        Ok(Some(url))
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
        let headers = self.headers.as_ref().map_or(&[][..], |headers| &headers.0);
        for (name, value) in headers {
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

/// Each own key of a JS object, with an object of that key alone; `None` for anything
/// but an object.
fn js_keys_alone(config: &JsValue) -> Option<Vec<(String, JsValue)>> {
    if !config.is_object() || Array::is_array(config) {
        return None;
    }
    let entries = js_sys::Object::entries(config.unchecked_ref());
    let key_alone = |entry: JsValue| {
        let entry = Array::from(&entry);
        let alone = js_sys::Object::new();
        js_sys::Reflect::set(&alone, &entry.get(0), &entry.get(1)).ok()?;
        Some((entry.get(0).as_string()?, alone.into()))
    };
    entries.iter().map(key_alone).collect()
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
        return Err(ConfigError(format!(
            "the value of header `{name}` contains a line break"
        )));
    }
    Ok(())
}

/// The request URL: `template` with every `{id}` replaced by the id encoded as exactly
/// one path segment, so no id can add segments, climb with `..`, or start a query or
/// fragment.
pub fn proxy_url(template: &str, id: &str) -> Result<String, ConfigError> {
    fill_template(
        template,
        id,
        "`proxy` must contain `{id}`, e.g. /api/orders/{id}",
    )
}

/// `template` with every `{id}` replaced by the encoded id; `no_id` when it has none.
fn fill_template(template: &str, id: &str, no_id: &str) -> Result<String, ConfigError> {
    if !template.contains("{id}") {
        return Err(invalid(no_id));
    }
    let segment = encode_path_segment(id)
        .ok_or_else(|| invalid("`orderId` must not be empty, `.` or `..`"))?;
    Ok(template.replace("{id}", &segment))
}

/// The id as one path segment, percent-encoded. `.` and `..` are refused: URL parsers
/// resolve them (even encoded as `%2E`) as path steps.
pub fn encode_path_segment(id: &str) -> Option<String> {
    if id.is_empty() || id == "." || id == ".." {
        return None;
    }
    Some(percent_encode(id))
}

/// Percent-encodes every byte except RFC 3986 unreserved characters.
fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    out
}

// The tests write configs as JSON with serde_json, which exists only natively.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Reads JSON the way `from_js` reads a JS object.
    fn config(json: serde_json::Value) -> Result<Config, ConfigError> {
        let parse = |value: &serde_json::Value| Object::deserialize(value).ok();
        let keys_alone = |value: &serde_json::Value| {
            let object = value.as_object()?;
            let alone = |(key, value): (&String, &serde_json::Value)| {
                (key.clone(), serde_json::json!({ key.as_str(): value }))
            };
            Some(object.iter().map(alone).collect())
        };
        RawConfig::read(&json, parse, keys_alone)?.validate("en-US")
    }

    fn refused(json: serde_json::Value) -> String {
        config(json).expect_err("refused").to_string()
    }

    #[test]
    fn every_key_says_what_it_must_be() {
        let keys = match serde_json::to_value(RawConfig::default()) {
            Ok(serde_json::Value::Object(keys)) => keys,
            other => panic!("{other:?}"),
        };
        assert_eq!(keys.len(), KEYS.len());
        for key in keys.keys() {
            let (_, expected) = KEYS.iter().find(|(name, _)| name == key).unwrap();
            let wrong = serde_json::json!({ key.as_str(): [["SECRET"]] });
            assert_eq!(
                refused(wrong),
                format!("order-widget config: `{key}` must be {expected}")
            );
        }
    }

    #[test]
    fn refusals_name_the_key_and_never_the_value() {
        assert_eq!(
            refused(serde_json::json!({"proxy": "/{id}", "orderId": "1", "proxyUrl": "SECRET"})),
            "order-widget config: unknown key `proxyUrl`"
        );
        assert_eq!(
            refused(serde_json::json!(["SECRET"])),
            "order-widget config: the configuration must be an object"
        );
        assert_eq!(
            refused(serde_json::json!({"proxy": "/{id}", "orderId": "1", "token": 12345})),
            "order-widget config: `token` must be a string"
        );
        assert_eq!(
            refused(serde_json::json!({"proxy": "/{id}", "orderId": "1", "headers": {"X-A": 7}})),
            "order-widget config: `headers` must be an object of strings"
        );
        assert_eq!(
            refused(serde_json::json!({"proxy": "/{id}", "orderId": "1", "credentials": "SECRET"})),
            "order-widget config: `credentials` must be same-origin or include"
        );
    }

    #[test]
    fn null_is_the_default() {
        let config = config(serde_json::json!({
            "proxy": "/{id}", "orderId": "1", "token": null, "headers": null,
            "credentials": null, "timeout": null, "maxWait": null
        }))
        .unwrap();
        assert_eq!(config.timeout, Duration::from_secs(15));
        assert!(config.headers.is_empty());
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
        assert_eq!(config.events, None, "polling only");
    }

    #[test]
    fn the_event_stream_carries_the_token_in_its_query() {
        let events = |json: serde_json::Value| config(json).map(|config| config.events);
        assert_eq!(
            events(serde_json::json!({
                "proxy": "/api/orders/{id}", "orderId": "a/b", "token": "v1.9.x+y/z=",
                "events": "/api/orders/{id}/events"
            })),
            Ok(Some(
                "/api/orders/a%2Fb/events?token=v1.9.x%2By%2Fz%3D".to_owned()
            ))
        );
        assert_eq!(
            events(serde_json::json!({
                "proxy": "/{id}", "orderId": "7", "token": "t",
                "events": "https://shop.example/stream/{id}?v=2"
            })),
            Ok(Some("https://shop.example/stream/7?v=2&token=t".to_owned()))
        );
        assert_eq!(
            events(serde_json::json!({"proxy": "/{id}", "orderId": "7", "events": "/e/{id}"})),
            Ok(Some("/e/7".to_owned())),
            "no token, no parameter"
        );
        assert_eq!(
            events(serde_json::json!({"proxy": "/{id}", "orderId": "7", "events": ""})),
            Ok(None)
        );
        assert_eq!(
            refused(serde_json::json!({
                "proxy": "/{id}", "orderId": "7", "token": "SECRET", "events": "/events"
            })),
            "order-widget config: `events` must contain `{id}`, e.g. /api/orders/{id}/events"
        );
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
