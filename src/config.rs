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
//! | `codes`         | string, must contain `{id}`            | `proxy`'s path + `/codes` | URL template of the reveal endpoints: `POST <codes>/{ref}` answers one withheld code, `POST <codes>` all of them. |
//! | `headers`       | object of strings                      | `{}`                 | Extra request headers (not sent with `events`: `EventSource` cannot). |
//! | `credentials`   | `same-origin` or `include`             | `same-origin`        | Whether cookies go with the request (and the event stream: `withCredentials`). |
//! | `currency`      | ISO 4217 code                          | none                 | Currency of amounts whose vendor names none. |
//! | `locale`        | BCP 47 tag                             | `navigator.language` | Language of the labels and of dates and amounts. |
//! | `labels`        | object of strings                      | `{}`                 | Overrides for any label key. |
//! | `itemLabels`    | object of strings                      | `{}`                 | The shop's name for a vendor item or variant id (`Item.id`), shown for items the vendor leaves unnamed. |
//! | `itemLabelsOverride` | `true` or `false`                 | `false`              | `true`: the shop's names replace the vendor's names too. |
//! | `timeout`       | seconds, 1–120                         | `15`                 | Timeout of each request. |
//! | `revealTimeout` | seconds, 1–3600                        | `60`                 | Revealed codes are masked again after this time. |
//! | `maxWait`       | `fast` `standard` `slow` or seconds    | `standard`           | How long polling waits for the order to move (5, 10, 30 minutes). |

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::de::{self, Deserializer};
use serde::Deserialize;

use order_core::providers::Provider;
use order_core::schedule::{MaxWaitPreset, Tuning};

/// The header that carries the shop's order token.
pub const TOKEN_HEADER: &str = "X-Order-Token";

/// The validated configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The proxy template with the encoded order id in place of `{id}`.
    pub url: String,
    /// The event stream's URL, the token in its query: never log it.
    pub events: Option<String>,
    /// The reveal endpoints' URL with the encoded order id: `POST` it for every code, or
    /// with `/{ref}` inserted before its query for one.
    pub codes: String,
    pub provider: Provider,
    /// Every request header, the token included.
    pub headers: Vec<(String, String)>,
    pub credentials: Credentials,
    pub currency: Option<String>,
    pub locale: String,
    /// Label overrides, `(key, text)`.
    pub labels: Vec<(String, String)>,
    pub item_labels: ItemLabels,
    pub timeout: Duration,
    pub reveal_timeout: Duration,
    pub poll: Tuning,
}

/// The configuration as the embedder wrote it, before the keys are combined. Absent, `null`
/// and `undefined` values are `None`. Each value type says what it must be when it is
/// refused, and never what it was: the token is a secret, and so may a header be.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawConfig {
    pub proxy: Option<Text>,
    pub order_id: Option<Text>,
    pub provider: Option<ProviderName>,
    pub token: Option<Token>,
    pub events: Option<Text>,
    pub codes: Option<Text>,
    pub headers: Option<Headers>,
    pub credentials: Option<Credentials>,
    pub currency: Option<Currency>,
    pub locale: Option<Locale>,
    pub labels: Option<Strings>,
    pub item_labels: Option<Strings>,
    pub item_labels_override: Option<Flag>,
    pub timeout: Option<Timeout>,
    pub reveal_timeout: Option<RevealTimeout>,
    pub max_wait: Option<MaxWait>,
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

/// A refusal from inside the configuration: `key` is where serde_path_to_error found it.
impl<E: de::Error> From<serde_path_to_error::Error<E>> for ConfigError {
    fn from(error: serde_path_to_error::Error<E>) -> ConfigError {
        // The top-level key: a value type speaks for all of its value ("must be an object
        // of strings" for `headers`, whichever header was wrong).
        let key = error
            .path()
            .iter()
            .next()
            .map_or_else(String::new, ToString::to_string);
        let reason = error.into_inner().to_string();
        // Every value type words its own refusals ("must be …"); the only other refusal is
        // serde's "unknown field `…`, expected one of …", which quotes no value either.
        ConfigError(if reason.starts_with("unknown field") {
            format!("unknown key `{key}`")
        } else {
            format!("`{key}` {reason}")
        })
    }
}

impl RawConfig {
    /// Reads the embedder's configuration object.
    pub fn from_js(config: &wasm_bindgen::JsValue) -> Result<RawConfig, ConfigError> {
        if !config.is_object() || js_sys::Array::is_array(config) {
            return Err(invalid("the configuration must be an object"));
        }
        let deserializer = serde_wasm_bindgen::Deserializer::from(config.clone());
        Ok(serde_path_to_error::deserialize(deserializer)?)
    }

    /// Validates everything once. `default_locale` is used when `locale` is absent
    /// (the browser passes `navigator.language`).
    pub fn validate(self, default_locale: &str) -> Result<Config, ConfigError> {
        let order_id = required(&self.order_id, "`orderId` is required")?;
        let proxy = required(&self.proxy, "`proxy` is required")?;
        let url = proxy_url(proxy, order_id)?;
        let events = self.events_url(order_id)?;
        let codes = self.codes_url(proxy, order_id)?;
        let locale = match self.locale {
            Some(Locale(locale)) => locale,
            None => {
                Locale::try_from(Text(default_locale.to_owned()))
                    .map_err(invalid)?
                    .0
            }
        };
        let mut headers = self.headers.unwrap_or_default().0;
        if let Some(Token(token)) = self.token.filter(|Token(token)| !token.is_empty()) {
            headers.push((TOKEN_HEADER.to_owned(), token));
        }
        Ok(Config {
            url,
            events,
            codes,
            provider: self.provider.unwrap_or_default().0,
            headers,
            credentials: self.credentials.unwrap_or_default(),
            currency: self.currency.map(|Currency(code)| code),
            locale,
            labels: self.labels.unwrap_or_default().0,
            item_labels: ItemLabels {
                names: self.item_labels.unwrap_or_default().0,
                override_vendor: self.item_labels_override.unwrap_or_default().0,
            },
            timeout: self.timeout.unwrap_or_default().0,
            reveal_timeout: self.reveal_timeout.unwrap_or_default().0,
            poll: Tuning {
                max_wait: self.max_wait.unwrap_or_default().0,
                ..Tuning::default()
            },
        })
    }

    /// The reveal endpoints' URL: `codes`, or else `proxy`'s path with `/codes` appended
    /// (before any query).
    fn codes_url(&self, proxy: &str, order_id: &str) -> Result<String, ConfigError> {
        let template = match self.codes.as_ref().map(|Text(t)| t.trim()) {
            Some(template) if !template.is_empty() => template.to_owned(),
            _ => {
                let (path, query) = proxy.split_at(proxy.find(['?', '#']).unwrap_or(proxy.len()));
                format!("{}/codes{query}", path.trim_end_matches('/'))
            }
        };
        fill_template(
            &template,
            order_id,
            "`codes` must contain `{id}`, e.g. /api/orders/{id}/codes",
        )
    }

    /// The event stream's URL, or `None` (polling only). `EventSource` cannot send headers,
    /// so the token goes in the `token` query parameter.
    fn events_url(&self, order_id: &str) -> Result<Option<String>, ConfigError> {
        let Some(template) = self
            .events
            .as_ref()
            .map(|Text(t)| t)
            .filter(|t| !t.trim().is_empty())
        else {
            return Ok(None);
        };
        let mut url = fill_template(
            template,
            order_id,
            "`events` must contain `{id}`, e.g. /api/orders/{id}/events",
        )?;
        if let Some(Token(token)) = self.token.as_ref().filter(|Token(token)| !token.is_empty()) {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("token=");
            url.push_str(&percent_encode(token));
        }
        Ok(Some(url))
    }
}

// ---------------------------------------------------------------- value types
//
// Each reads a plain JSON type (`Text`, `Number`, `Strings`) whose refusal names the type,
// then checks the value (`TryFrom`), whose refusal says what it must be.

/// A string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Text(pub String);

/// A whole number (or whole-number text, as attributes are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Number(pub u64);

/// An object whose every value is a string, as `(key, value)` pairs in the object's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Strings(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)
            .map(Text)
            .map_err(|_| de::Error::custom("must be a string"))
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Number(u64),
            Text(String),
        }
        let refused = || de::Error::custom("must be a whole number");
        match Written::deserialize(deserializer).map_err(|_| refused())? {
            Written::Number(n) => Ok(Number(n)),
            Written::Text(text) => text.trim().parse().map(Number).map_err(|_| refused()),
        }
    }
}

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

        deserializer
            .deserialize_map(Visitor)
            .map_err(|_| de::Error::custom("must be an object of strings"))
    }
}

/// `true` or `false` (or that text, as attributes are).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Flag(bool),
            Text(String),
        }
        match Written::deserialize(deserializer) {
            Ok(Written::Flag(flag)) => Ok(Flag(flag)),
            Ok(Written::Text(text)) if text.trim() == "true" => Ok(Flag(true)),
            Ok(Written::Text(text)) if text.trim() == "false" => Ok(Flag(false)),
            _ => Err(de::Error::custom("must be true or false")),
        }
    }
}

/// The shop's own names for the vendor's items (`itemLabels`, `itemLabelsOverride`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemLabels {
    /// `(vendor item or variant id, the shop's name)`.
    pub names: Vec<(String, String)>,
    /// The shop's names replace the vendor's own names too, not only missing ones.
    pub override_vendor: bool,
}

/// `provider`: one of [`Provider::ALL`]'s names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Text")]
pub struct ProviderName(pub Provider);

#[cfg(test)]
impl serde::Serialize for ProviderName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

impl TryFrom<Text> for ProviderName {
    type Error = &'static str;

    fn try_from(Text(name): Text) -> Result<Self, Self::Error> {
        match name.trim() {
            "" => Ok(ProviderName::default()),
            name => Provider::from_str(name)
                .map(ProviderName)
                .map_err(|_| "must be auto, hsmail, voucher-api, shop, bdvoucher or order"),
        }
    }
}

/// `token`: sent as a header, so it must fit on a header line. Empty means none.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(try_from = "Text")]
pub struct Token(pub String);

impl TryFrom<Text> for Token {
    type Error = &'static str;

    fn try_from(Text(token): Text) -> Result<Self, Self::Error> {
        if breaks_header_line(&token) {
            return Err("must not contain a line break");
        }
        Ok(Token(token))
    }
}

/// `headers`: valid header lines, and not the token's (that is `token`'s job).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(try_from = "Strings")]
pub struct Headers(pub Vec<(String, String)>);

impl TryFrom<Strings> for Headers {
    type Error = String;

    fn try_from(Strings(headers): Strings) -> Result<Self, Self::Error> {
        let token_char = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        for (name, value) in &headers {
            if name.is_empty() || !name.bytes().all(token_char) {
                return Err("must have valid HTTP header names".to_owned());
            }
            if name.eq_ignore_ascii_case(TOKEN_HEADER) {
                return Err("must not hold X-Order-Token: use `token`".to_owned());
            }
            if breaks_header_line(value) {
                return Err(format!("must not break the line of header `{name}`"));
            }
        }
        Ok(Headers(headers))
    }
}

/// `credentials`: whether cookies go with the requests (and the event stream). The names
/// are `fetch`'s own (`same-origin`, `include`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(try_from = "Text")]
#[strum(serialize_all = "kebab-case")]
pub enum Credentials {
    #[default]
    SameOrigin,
    Include,
}

impl TryFrom<Text> for Credentials {
    type Error = &'static str;

    fn try_from(Text(value): Text) -> Result<Self, Self::Error> {
        value.parse().map_err(|_| "must be same-origin or include")
    }
}

/// `currency`: an ISO 4217 code, kept upper case.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(try_from = "Text")]
pub struct Currency(pub String);

impl TryFrom<Text> for Currency {
    type Error = &'static str;

    fn try_from(Text(code): Text) -> Result<Self, Self::Error> {
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Currency(code.to_ascii_uppercase()))
        } else {
            Err("must be a three-letter ISO 4217 code")
        }
    }
}

/// `locale`: a BCP 47 tag (it goes into a `lang` attribute and `Intl`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(try_from = "Text")]
pub struct Locale(pub String);

impl TryFrom<Text> for Locale {
    type Error = &'static str;

    fn try_from(Text(tag): Text) -> Result<Self, Self::Error> {
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if tag.is_empty() || tag.len() > 35 || !tag.bytes().all(allowed) {
            return Err("must be a BCP 47 language tag such as en-US");
        }
        Ok(Locale(tag))
    }
}

/// A whole number of seconds within 1..=`MAX`, `DEFAULT` when absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(try_from = "Number")]
pub struct Seconds<const MAX: u64, const DEFAULT: u64>(pub Duration);

/// `timeout`: of each request.
pub type Timeout = Seconds<120, 15>;
/// `revealTimeout`: how long a revealed code stays shown.
pub type RevealTimeout = Seconds<3600, 60>;

impl<const MAX: u64, const DEFAULT: u64> Default for Seconds<MAX, DEFAULT> {
    fn default() -> Self {
        Seconds(Duration::from_secs(DEFAULT))
    }
}

impl<const MAX: u64, const DEFAULT: u64> TryFrom<Number> for Seconds<MAX, DEFAULT> {
    type Error = String;

    fn try_from(Number(seconds): Number) -> Result<Self, Self::Error> {
        if (1..=MAX).contains(&seconds) {
            Ok(Seconds(Duration::from_secs(seconds)))
        } else {
            Err(format!("must be between 1 and {MAX} seconds"))
        }
    }
}

/// `maxWait`: a preset name or a number of seconds, 10 s – 24 h (`standard` by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(try_from = "PresetOrNumber")]
pub struct MaxWait(pub Duration);

impl Default for MaxWait {
    fn default() -> Self {
        MaxWait(MaxWaitPreset::Standard.max_wait())
    }
}

/// What `maxWait` may be written as.
enum PresetOrNumber {
    Number(u64),
    Text(String),
}

impl<'de> Deserialize<'de> for PresetOrNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Number(u64),
            Text(String),
        }
        match Written::deserialize(deserializer) {
            Ok(Written::Number(seconds)) => Ok(PresetOrNumber::Number(seconds)),
            Ok(Written::Text(text)) => Ok(PresetOrNumber::Text(text)),
            Err(_) => Err(de::Error::custom(
                "must be fast, standard, slow or a number of seconds",
            )),
        }
    }
}

impl TryFrom<PresetOrNumber> for MaxWait {
    type Error = &'static str;

    fn try_from(written: PresetOrNumber) -> Result<Self, Self::Error> {
        let seconds = match written {
            PresetOrNumber::Number(seconds) => Some(seconds),
            PresetOrNumber::Text(text) => match MaxWaitPreset::from_str(&text) {
                Ok(preset) => return Ok(MaxWait(preset.max_wait())),
                Err(_) => text.trim().parse().ok(),
            },
        };
        match seconds {
            Some(seconds) if (10..=24 * 3600).contains(&seconds) => {
                Ok(MaxWait(Duration::from_secs(seconds)))
            }
            _ => Err("must be fast, standard, slow or between 10 seconds and 24 hours"),
        }
    }
}

/// True when `value` would end a header line early.
fn breaks_header_line(value: &str) -> bool {
    value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0)
}

/// `value` unless it is absent or blank.
fn required<'a>(value: &'a Option<Text>, missing: &str) -> Result<&'a str, ConfigError> {
    match value {
        Some(Text(text)) if !text.trim().is_empty() => Ok(text),
        _ => Err(invalid(missing)),
    }
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
        if !json.is_object() {
            return Err(invalid("the configuration must be an object"));
        }
        let raw: RawConfig = serde_path_to_error::deserialize(&json)?;
        raw.validate("en-US")
    }

    fn refused(json: serde_json::Value) -> String {
        config(json).expect_err("refused").to_string()
    }

    #[test]
    fn every_key_says_what_it_must_be_and_never_what_it_was() {
        let keys = match serde_json::to_value(RawConfig::default()) {
            Ok(serde_json::Value::Object(keys)) => keys,
            other => panic!("{other:?}"),
        };
        assert_eq!(keys.len(), 16);
        for key in keys.keys() {
            let wrong = serde_json::json!({ key.as_str(): [["SECRET"]] });
            let message = refused(wrong);
            assert!(
                message.starts_with(&format!("order-widget config: `{key}` must be ")),
                "{message}"
            );
            assert!(!message.contains("SECRET"), "{message}");
        }
    }

    #[test]
    fn refusals_name_the_key_and_never_the_value() {
        let refusal = |extra: serde_json::Value| {
            let mut json = serde_json::json!({"proxy": "/{id}", "orderId": "1"});
            json.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            refused(json)
        };
        let unknown = refusal(serde_json::json!({"proxyUrl": "SECRET"}));
        assert!(
            unknown.starts_with("order-widget config: unknown key `proxyUrl`"),
            "{unknown}"
        );
        assert_eq!(
            refused(serde_json::json!(["SECRET"])),
            "order-widget config: the configuration must be an object"
        );
        assert_eq!(
            refusal(serde_json::json!({"token": 12345})),
            "order-widget config: `token` must be a string"
        );
        assert_eq!(
            refusal(serde_json::json!({"headers": {"X-A": 7}})),
            "order-widget config: `headers` must be an object of strings"
        );
        assert_eq!(
            refusal(serde_json::json!({"credentials": "SECRET"})),
            "order-widget config: `credentials` must be same-origin or include"
        );
        assert_eq!(
            refusal(serde_json::json!({"timeout": "SECRET"})),
            "order-widget config: `timeout` must be a whole number"
        );
        assert_eq!(
            refusal(serde_json::json!({"timeout": 121})),
            "order-widget config: `timeout` must be between 1 and 120 seconds"
        );
        assert_eq!(
            refusal(serde_json::json!({"headers": {"X-A": "SECRET\r\nX: y"}})),
            "order-widget config: `headers` must not break the line of header `X-A`"
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
    fn the_codes_url_defaults_to_the_proxy_path_and_codes() {
        let codes = |json: serde_json::Value| config(json).map(|config| config.codes);
        assert_eq!(
            codes(serde_json::json!({"proxy": "/api/orders/{id}", "orderId": "a/b"})),
            Ok("/api/orders/a%2Fb/codes".to_owned())
        );
        assert_eq!(
            codes(serde_json::json!({"proxy": "https://shop.example/o/{id}/?v=2", "orderId": "7"})),
            Ok("https://shop.example/o/7/codes?v=2".to_owned())
        );
        assert_eq!(
            codes(serde_json::json!({
                "proxy": "/api/orders/{id}", "orderId": "7", "codes": "/reveal/{id}?shop=1"
            })),
            Ok("/reveal/7?shop=1".to_owned())
        );
        assert_eq!(
            refused(serde_json::json!({"proxy": "/{id}", "orderId": "7", "codes": "/reveal"})),
            "order-widget config: `codes` must contain `{id}`, e.g. /api/orders/{id}/codes"
        );
    }

    #[test]
    fn item_labels_are_names_by_id_and_override_only_when_asked() {
        let labels = |json: serde_json::Value| config(json).map(|config| config.item_labels);
        let base = serde_json::json!({"proxy": "/{id}", "orderId": "7"});
        assert_eq!(labels(base), Ok(ItemLabels::default()));
        assert_eq!(
            labels(serde_json::json!({
                "proxy": "/{id}", "orderId": "7",
                "itemLabels": {"22402": "Netflix 500 BDT"}, "itemLabelsOverride": "true"
            })),
            Ok(ItemLabels {
                names: vec![("22402".to_owned(), "Netflix 500 BDT".to_owned())],
                override_vendor: true,
            })
        );
        assert_eq!(
            refused(serde_json::json!({
                "proxy": "/{id}", "orderId": "7", "itemLabels": {"22402": ["SECRET"]}
            })),
            "order-widget config: `itemLabels` must be an object of strings"
        );
        assert_eq!(
            refused(serde_json::json!({
                "proxy": "/{id}", "orderId": "7", "itemLabelsOverride": "SECRET"
            })),
            "order-widget config: `itemLabelsOverride` must be true or false"
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
        assert_eq!(
            config.provider,
            Provider::Vendor(order_core::model::Vendor::VoucherApi)
        );
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
