//! Which vendor wrote a body, judged from the keys of the top level, or of `data`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess};

use super::json::fields::Loose;
use super::Provider;
use crate::model::Vendor;

/// The keys of one JSON object, each with its value read loosely (only the kind of a list
/// or object, not its content).
#[derive(Debug, Default)]
pub(super) struct Keys(Vec<(String, Loose)>);

impl<'de> Deserialize<'de> for Keys {
    /// Only an object has keys: anything else is refused.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeysVisitor)
    }
}

struct KeysVisitor;

impl<'de> de::Visitor<'de> for KeysVisitor {
    type Value = Keys;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
        let mut keys = Vec::new();
        while let Some(entry) = map.next_entry::<String, Loose>()? {
            keys.push(entry);
        }
        Ok(Keys(keys))
    }
}

impl Keys {
    pub fn get(&self, key: &str) -> &Loose {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map_or(&Loose::Absent, |(_, value)| value)
    }

    /// The string under `key`; `None` when absent or of another type.
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Loose::Text(text) => Some(text),
            _ => None,
        }
    }

    /// True when `key` holds `word`, trimmed, in any ASCII case.
    pub fn says(&self, key: &str, word: &str) -> bool {
        self.text(key)
            .is_some_and(|text| text.trim().eq_ignore_ascii_case(word))
    }

    pub fn is_object(&self, key: &str) -> bool {
        *self.get(key) == Loose::Object
    }

    fn has(&self, key: &str) -> bool {
        *self.get(key) != Loose::Absent
    }

    fn has_any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|key| self.has(key))
    }

    /// True when `key` holds a usable identifier (non-blank text or a number).
    fn has_identifier(&self, key: &str) -> bool {
        match self.get(key) {
            Loose::Number(_) => true,
            Loose::Text(text) => !text.trim().is_empty(),
            _ => false,
        }
    }

    /// True for hsmail's `{status: "success", data: {…}}`.
    pub fn is_success_envelope(&self) -> bool {
        self.is_object("data") && self.says("status", "success")
    }
}

/// The order vendor whose shape `body` has, in a fixed order of precedence.
/// `success_envelope`: the body came as `{status: "success", data: {…}}`, hsmail's envelope.
pub(super) fn detect(body: &Keys, success_envelope: bool) -> Option<Provider> {
    [
        Provider::Canonical,
        Provider::Vendor(Vendor::Hsmail),
        Provider::Vendor(Vendor::Shop),
        Provider::Vendor(Vendor::Bdvoucher),
        Provider::Vendor(Vendor::VoucherApi),
    ]
    .into_iter()
    .find(|&provider| looks_like(provider, body, success_envelope))
}

/// True when `body` has an identifier and at least one key only `provider` uses
/// (for hsmail, its envelope is enough: a bare `{id, status, items}` is still hsmail).
pub(super) fn looks_like(provider: Provider, body: &Keys, success_envelope: bool) -> bool {
    match provider {
        Provider::Auto => detect(body, success_envelope).is_some(),
        Provider::Canonical => {
            body.text("vendor").is_some()
                && matches!(body.get("terminal"), Loose::Bool(_))
                && body.has_identifier("id")
                && body.has_identifier("number")
        }
        Provider::Vendor(Vendor::Hsmail) => {
            body.has_identifier("id")
                && (success_envelope
                    || body.has_any(&[
                        "productName",
                        "totalCost",
                        "isService",
                        "deliveryData",
                        "statusMessage",
                        "createdAt",
                    ]))
        }
        Provider::Vendor(Vendor::Shop) => {
            body.has_identifier("id")
                && (body.is_object("status")
                    || body.has_any(&[
                        "print_order_number",
                        "pickup_otp",
                        "return_otp",
                        "is_pickup",
                        "can_mark_as_ready",
                        "delivery_method",
                        "payment_method",
                    ]))
        }
        Provider::Vendor(Vendor::Bdvoucher) => {
            (body.has_identifier("id") || body.has_identifier("order_number"))
                && body.has_any(&[
                    "order_number",
                    "total_amount",
                    "status_label",
                    "status_message",
                    "voucher_codes",
                    "dispatched_email",
                ])
        }
        Provider::Vendor(Vendor::VoucherApi) => {
            (body.has_identifier("id") || body.has_identifier("reference_code"))
                && body.has_any(&[
                    "reference_code",
                    "denomination",
                    "product_id",
                    "placed_at",
                    "transaction_id",
                ])
        }
    }
}
