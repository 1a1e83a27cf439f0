//! `order-proxy normalize`: one vendor body in, the canonical order JSON out.

use order_core::providers::{self, ParseError, Provider};

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

pub fn normalize(input: &[u8], provider: Provider) -> Outcome {
    let Ok(text) = std::str::from_utf8(input) else {
        return Outcome::Unparseable("The input is not UTF-8 text.".into());
    };
    match providers::parse(text, provider) {
        Ok(order) => match serde_json::to_string_pretty(&order) {
            Ok(json) => Outcome::Order(json),
            Err(error) => Outcome::Unparseable(format!("cannot serialize the order: {error}")),
        },
        Err(error @ ParseError::Vendor { .. }) => {
            Outcome::VendorError(one_line(&error.to_string()))
        }
        Err(error) => Outcome::Unparseable(one_line(&error.to_string())),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
