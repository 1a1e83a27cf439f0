//! Vendor bodies become `Order` here and nowhere else.
//!
//! Each vendor file holds only that vendor's shape and its conversion to `Order`;
//! they are written once against [`node::Node`], so the same code reads a
//! `serde_json::Value` natively and a `JsValue` from `JSON.parse` in the browser.

// A wasm build without `widget` has no JSON reader, so the readers are unused there.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "widget")), allow(dead_code))]

mod bdvoucher;
mod canonical;
mod depth;
mod detect;
mod envelope;
mod hsmail;
mod loose;
mod safe;
mod shop;
mod voucher_api;

use std::fmt;
use std::str::FromStr;

use crate::model::Order;
use crate::node::Node;
use detect::Keys;

/// Which format to read a body as. `Auto` recognises the vendor from the body's shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Provider {
    #[default]
    Auto,
    Hsmail,
    VoucherApi,
    Shop,
    Bdvoucher,
    /// The canonical `Order` JSON (`order-proxy normalize`, `serve --normalize`).
    Canonical,
}

impl Provider {
    pub const ALL: [Provider; 6] = [
        Provider::Auto,
        Provider::Hsmail,
        Provider::VoucherApi,
        Provider::Shop,
        Provider::Bdvoucher,
        Provider::Canonical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Auto => "auto",
            Provider::Hsmail => "hsmail",
            Provider::VoucherApi => "voucher-api",
            Provider::Shop => "shop",
            Provider::Bdvoucher => "bdvoucher",
            Provider::Canonical => "order",
        }
    }

    /// What a body read as this provider should have been, for [`ParseError::Unrecognized`].
    fn unrecognized(self) -> ParseError {
        ParseError::Unrecognized {
            expected: self.expected(),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Provider::Auto => "order from a supported vendor",
            Provider::Hsmail => "hsmail order",
            Provider::VoucherApi => "voucher-api order",
            Provider::Shop => "shop order",
            Provider::Bdvoucher => "bdvoucher order",
            Provider::Canonical => "canonical order",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Provider {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let name = name.trim();
        Provider::ALL
            .into_iter()
            .find(|provider| provider.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                "unknown provider (expected auto, hsmail, voucher-api, shop, bdvoucher or order)"
                    .to_owned()
            })
    }
}

/// Why a body is not an order. The text is short and safe to show a customer: it never
/// quotes the body, except the vendor's own error message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The vendor's own error envelope (`{status:"error",message}` / `{error,message}`);
    /// the message is on one line and cut to about 200 characters.
    Vendor { message: String },
    /// Not JSON at all (e.g. an HTML error page).
    NotJson,
    /// JSON, but not an order of the expected vendor (or of any vendor for `Auto`).
    Unrecognized { expected: &'static str },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Vendor { message } if message.is_empty() => {
                f.write_str("The order service reported an error.")
            }
            ParseError::Vendor { message } => {
                write!(f, "The order service reported an error: {message}")
            }
            ParseError::NotJson => f.write_str("The response is not JSON."),
            ParseError::Unrecognized { expected } => {
                write!(f, "The response is not a recognizable {expected}.")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Reads one vendor body (`text`) as `provider`.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse(text: &str, provider: Provider) -> Result<Order, ParseError> {
    let text = without_bom(text);
    if !depth::within_limit(text) {
        return Err(provider.unrecognized());
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| ParseError::NotJson)?;
    parse_document(&value, provider)
}

/// Reads one vendor body (`text`) as `provider`, with the browser's own `JSON.parse`.
#[cfg(all(target_arch = "wasm32", feature = "widget"))]
pub fn parse(text: &str, provider: Provider) -> Result<Order, ParseError> {
    let text = without_bom(text);
    if !depth::within_limit(text) {
        return Err(provider.unrecognized());
    }
    let value = js_sys::JSON::parse(text).map_err(|_| ParseError::NotJson)?;
    if !is_plain_object(&value) {
        return Err(provider.unrecognized());
    }
    parse_document(value, provider)
}

/// This build (wasm without the `widget` feature) has no JSON reader: nothing parses.
#[cfg(all(target_arch = "wasm32", not(feature = "widget")))]
pub fn parse(_text: &str, _provider: Provider) -> Result<Order, ParseError> {
    Err(ParseError::NotJson)
}

/// Reads a body the browser already decoded (`JSON.parse`, `Response.json()`).
/// Prefer [`parse`] on the response text: this one re-serializes the value once to
/// check its nesting depth.
#[cfg(feature = "widget")]
pub fn parse_value(value: &wasm_bindgen::JsValue, provider: Provider) -> Result<Order, ParseError> {
    if !is_plain_object(value) {
        return Err(provider.unrecognized());
    }
    let shallow = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .is_some_and(|text| depth::within_limit(&text));
    if !shallow {
        return Err(provider.unrecognized());
    }
    parse_document(value.clone(), provider)
}

/// Bodies are objects, never arrays.
#[cfg(feature = "widget")]
fn is_plain_object(value: &wasm_bindgen::JsValue) -> bool {
    value.is_object() && !js_sys::Array::is_array(value)
}

fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn parse_document<N: Node>(document: N, provider: Provider) -> Result<Order, ParseError> {
    let unrecognized = provider.unrecognized();
    let Some(top) = Keys::of(document) else {
        return Err(unrecognized);
    };
    if let Some(message) = envelope::vendor_error(&top) {
        return Err(ParseError::Vendor { message });
    }
    let success_envelope = top.is_success_envelope();
    // The vendor's body, bare or under `data`.
    let body = if top.is_object("data") {
        top.node().get("data").and_then(Keys::of)
    } else {
        Some(top)
    };
    let Some(body) = body else {
        return Err(unrecognized);
    };
    let format = match provider {
        Provider::Auto => detect::detect(&body, success_envelope),
        explicit => detect::looks_like(explicit, &body, success_envelope).then_some(explicit),
    };
    let body = body.node().clone();
    let order = match format {
        Some(Provider::Hsmail) => hsmail::to_order(body),
        Some(Provider::VoucherApi) => voucher_api::to_order(body),
        Some(Provider::Shop) => shop::to_order(body),
        Some(Provider::Bdvoucher) => bdvoucher::to_order(body),
        Some(Provider::Canonical) => canonical::read(body).and_then(canonical::to_order),
        Some(Provider::Auto) | None => None,
    };
    order.ok_or(unrecognized)
}
