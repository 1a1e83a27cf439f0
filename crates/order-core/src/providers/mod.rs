//! Vendor bodies become `Order` here and nowhere else.
//!
//! [`parse`] parses the text once ([`json::document`]), takes off a vendor's error
//! envelope ([`envelope`]) or its `data` wrapper, recognises the format ([`detect`]) and
//! reads it with that vendor's wire structs ([`vendors`]), whose fields are the lenient
//! types of [`json::fields`] and whose status words are in [`status_words`]. The same
//! structs are read from serde_json natively and from `JSON.parse` + serde-wasm-bindgen in
//! the browser.

pub mod checks;
mod detect;
mod envelope;
pub mod json;
pub mod status_words;
pub mod vendors;

use std::fmt;
use std::str::FromStr;

use crate::model::{Order, Vendor};
use detect::Keys;
use json::document::Document;

/// Which format to read a body as: one vendor's, the canonical `Order` JSON, or `Auto`
/// (recognised from the body's shape).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Provider {
    #[default]
    Auto,
    Vendor(Vendor),
    /// The canonical `Order` JSON (`order-proxy normalize`, `serve --normalize`).
    Canonical,
}

impl Provider {
    /// Every format, in the order they are listed to people.
    pub const ALL: [Provider; 6] = [
        Provider::Auto,
        Provider::Vendor(Vendor::Hsmail),
        Provider::Vendor(Vendor::VoucherApi),
        Provider::Vendor(Vendor::Shop),
        Provider::Vendor(Vendor::Bdvoucher),
        Provider::Canonical,
    ];

    /// The name in configuration and on the command line (`auto`, `voucher-api`, `order`).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Auto => "auto",
            Provider::Vendor(vendor) => vendor.as_str(),
            Provider::Canonical => "order",
        }
    }

    /// What a body read as this provider should have been, for [`ParseError::Unrecognized`].
    fn unrecognized(self) -> ParseError {
        let expected = match self {
            Provider::Auto => "order from a supported vendor",
            Provider::Vendor(Vendor::Hsmail) => "hsmail order",
            Provider::Vendor(Vendor::VoucherApi) => "voucher-api order",
            Provider::Vendor(Vendor::Shop) => "shop order",
            Provider::Vendor(Vendor::Bdvoucher) => "bdvoucher order",
            Provider::Canonical => "canonical order",
        };
        ParseError::Unrecognized { expected }
    }
}

impl From<Vendor> for Provider {
    fn from(vendor: Vendor) -> Provider {
        Provider::Vendor(vendor)
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
pub fn parse(text: &str, provider: Provider) -> Result<Order, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let document = Document::parse(text).map_err(|_| ParseError::NotJson)?;
    read(&document, provider)
}

fn read(document: &Document, provider: Provider) -> Result<Order, ParseError> {
    let unrecognized = || provider.unrecognized();
    let top: Keys = document.read().ok_or_else(unrecognized)?;
    if let Some(message) = envelope::vendor_error(&top) {
        return Err(ParseError::Vendor { message });
    }
    let success_envelope = top.is_success_envelope();
    // The vendor's body, bare or under `data`.
    let data;
    let (body, keys) = if top.is_object("data") {
        data = document.member("data").ok_or_else(unrecognized)?;
        let keys = data.read().ok_or_else(unrecognized)?;
        (&data, keys)
    } else {
        (document, top)
    };
    let format = match provider {
        Provider::Auto => detect::detect(&keys, success_envelope),
        explicit => detect::looks_like(explicit, &keys, success_envelope).then_some(explicit),
    };
    let order = match format {
        Some(Provider::Vendor(Vendor::Hsmail)) => body.read().and_then(vendors::hsmail::to_order),
        Some(Provider::Vendor(Vendor::VoucherApi)) => {
            body.read().and_then(vendors::voucher_api::to_order)
        }
        Some(Provider::Vendor(Vendor::Shop)) => body.read().and_then(vendors::shop::to_order),
        Some(Provider::Vendor(Vendor::Bdvoucher)) => {
            body.read().and_then(vendors::bdvoucher::to_order)
        }
        Some(Provider::Canonical) => body.read().map(vendors::canonical::to_order),
        Some(Provider::Auto) | None => None,
    };
    order.ok_or_else(unrecognized)
}
