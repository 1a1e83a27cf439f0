//! `order-proxy normalize`: one vendor body in, the canonical order JSON out.
//!
//! The operator's tool on their own input: it prints every code, unless asked for the
//! redacted order `serve` answers with.

use order_core::model::Order;
use order_core::providers::{self, ParseError, Provider};

use crate::codes::redacted;
use crate::codes::refs::RefKey;

pub enum Outcome {
    /// Pretty canonical `Order` JSON.
    Order(String),
    /// The vendor's error envelope (exit 3).
    VendorError(String),
    /// Not JSON, or not a recognisable order (exit 2).
    Unparseable(String),
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Order(_) => 0,
            Outcome::Unparseable(_) => 2,
            Outcome::VendorError(_) => 3,
        }
    }
}

/// What the printed order carries of the codes.
pub enum Show {
    /// Every code, no refs.
    Codes,
    /// Every code and its ref (made with this key).
    CodesWithRefs(RefKey),
    /// As `serve` answers by default: codes withheld, refs made with this key.
    Redacted(RefKey),
}

pub fn normalize(input: &[u8], provider: Provider, show: &Show) -> Outcome {
    let Ok(text) = std::str::from_utf8(input) else {
        return Outcome::Unparseable("The input is not UTF-8 text.".into());
    };
    match providers::parse(text, provider) {
        Ok(order) => match serde_json::to_string_pretty(&shown(order, show)) {
            Ok(json) => Outcome::Order(json),
            Err(error) => Outcome::Unparseable(format!("cannot serialize the order: {error}")),
        },
        Err(error @ ParseError::Vendor { .. }) => {
            Outcome::VendorError(one_line(&error.to_string()))
        }
        Err(error) => Outcome::Unparseable(one_line(&error.to_string())),
    }
}

fn shown(mut order: Order, show: &Show) -> Order {
    match show {
        Show::Codes => order,
        Show::CodesWithRefs(key) => {
            key.assign(&mut order);
            order
        }
        Show::Redacted(key) => {
            key.assign(&mut order);
            redacted(&order)
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
