//! Which vendor wrote a body, judged from its keys: the top level, or inside `data`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Provider;

/// The rough type of one value: enough to tell formats apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    Null,
    Bool(bool),
    Number,
    Text(String),
    Array,
    Object,
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Shape, E> {
        Ok(Shape::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Shape, E> {
        Ok(Shape::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Shape, E> {
        Ok(Shape::Text(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Shape::Object)
    }
}

/// The keys of one JSON object with the rough type of each value.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub(super) struct Keys(BTreeMap<String, Shape>);

impl Keys {
    /// True for hsmail's `{status: "success", data: {…}}`.
    pub fn is_success_envelope(&self) -> bool {
        self.is_object("data")
            && self
                .text("status")
                .is_some_and(|status| status.trim().eq_ignore_ascii_case("success"))
    }
}

/// The keys of the object under `data`.
#[derive(serde::Deserialize)]
pub(super) struct DataKeys {
    pub data: Keys,
}

impl Keys {
    pub fn get(&self, key: &str) -> Option<&Shape> {
        self.0.get(key)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some_and(|shape| *shape != Shape::Null)
    }

    fn has_any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|key| self.has(key))
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Shape::Text(text)) => Some(text),
            _ => None,
        }
    }

    pub fn is_object(&self, key: &str) -> bool {
        self.get(key) == Some(&Shape::Object)
    }

    /// True when `key` holds a usable identifier (non-blank text or a number).
    fn has_identifier(&self, key: &str) -> bool {
        match self.get(key) {
            Some(Shape::Number) => true,
            Some(Shape::Text(text)) => !text.trim().is_empty(),
            _ => false,
        }
    }
}

/// The order vendor whose shape `body` has, in a fixed order of precedence.
/// `success_envelope`: the body came as `{status: "success", data: {…}}`, hsmail's envelope.
pub(super) fn detect(body: &Keys, success_envelope: bool) -> Option<Provider> {
    [
        Provider::Canonical,
        Provider::Hsmail,
        Provider::Shop,
        Provider::Bdvoucher,
        Provider::VoucherApi,
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
                && matches!(body.get("terminal"), Some(Shape::Bool(_)))
                && body.has_identifier("id")
                && body.has_identifier("number")
        }
        Provider::Hsmail => {
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
        Provider::Shop => {
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
        Provider::Bdvoucher => {
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
        Provider::VoucherApi => {
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
