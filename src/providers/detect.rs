//! Which vendor wrote a body, judged from its keys: the top level, or inside `data`.

use super::Provider;
use crate::node::Node;

/// The rough type of one value: enough to tell formats apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    Null,
    Bool(bool),
    Number,
    Text,
    Array,
    Object,
}

impl Shape {
    fn of<N: Node>(node: &N) -> Shape {
        if let Some(flag) = node.as_bool() {
            Shape::Bool(flag)
        } else if node.is_number() {
            Shape::Number
        } else if node.is_text() {
            Shape::Text
        } else if node.is_object() {
            Shape::Object
        } else if node.elements().is_some() {
            Shape::Array
        } else {
            Shape::Null
        }
    }
}

/// The keys of one JSON object, each read as the rough type of its value.
pub(super) struct Keys<N>(N);

impl<N: Node> Keys<N> {
    /// The keys of `node`, when it is an object.
    pub fn of(node: N) -> Option<Self> {
        node.is_object().then_some(Keys(node))
    }

    /// The object itself.
    pub fn node(&self) -> &N {
        &self.0
    }

    /// True for hsmail's `{status: "success", data: {…}}`.
    pub fn is_success_envelope(&self) -> bool {
        self.is_object("data")
            && self
                .text("status")
                .is_some_and(|status| status.trim().eq_ignore_ascii_case("success"))
    }

    pub fn get(&self, key: &str) -> Option<Shape> {
        self.0.get(key).map(|node| Shape::of(&node))
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some_and(|shape| shape != Shape::Null)
    }

    fn has_any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|key| self.has(key))
    }

    /// The text under `key`; `None` when absent or of another type.
    pub fn text(&self, key: &str) -> Option<String> {
        self.0.get(key)?.as_text()
    }

    pub fn is_object(&self, key: &str) -> bool {
        self.get(key) == Some(Shape::Object)
    }

    /// True when `key` holds a usable identifier (non-blank text or a number).
    fn has_identifier(&self, key: &str) -> bool {
        match self.get(key) {
            Some(Shape::Number) => true,
            Some(Shape::Text) => self.text(key).is_some_and(|text| !text.trim().is_empty()),
            _ => false,
        }
    }
}

/// The order vendor whose shape `body` has, in a fixed order of precedence.
/// `success_envelope`: the body came as `{status: "success", data: {…}}`, hsmail's envelope.
pub(super) fn detect<N: Node>(body: &Keys<N>, success_envelope: bool) -> Option<Provider> {
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
pub(super) fn looks_like<N: Node>(
    provider: Provider,
    body: &Keys<N>,
    success_envelope: bool,
) -> bool {
    match provider {
        Provider::Auto => detect(body, success_envelope).is_some(),
        Provider::Canonical => {
            body.text("vendor").is_some()
                && body
                    .get("terminal")
                    .is_some_and(|shape| matches!(shape, Shape::Bool(_)))
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
