//! voucher-api: a bare order `{id, reference_code, amount, product_id, denomination,
//! quantity, vouchers: [{card_number, pin_code, …}], status, placed_at}`.

use super::loose::{self, Fields, StatusWords};
use super::safe::http_url;
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};
use crate::node::Node;

const FIELDS: &[&str] = &[
    "id",
    "reference_code",
    "amount",
    "product_id",
    "denomination",
    "quantity",
    "vouchers",
    "status",
    "placed_at",
];

const VOUCHER_FIELDS: &[&str] = &[
    "card_number",
    "pin_code",
    "claim_url",
    "voucher_reference_number",
    "expires_at",
];

/// The status table is upper case, the example body lower case: both are read.
const STATUS_WORDS: &StatusWords = &[
    ("PENDING", Status::Pending),
    ("PROCESSING", Status::Processing),
    ("DELIVERED", Status::Delivered),
    ("PARTIALLY_DELIVERED", Status::PartiallyDelivered),
    ("FAILED", Status::Failed),
    ("CANCELLED", Status::Cancelled),
    ("CANCELED", Status::Cancelled),
    ("REFUNDED", Status::Refunded),
];

/// The order in a voucher-api body; any field of the wrong type reads as absent.
pub(super) fn to_order<N: Node>(node: N) -> Option<Order> {
    let body = Fields::of(node, FIELDS)?;
    let reference_code = body.text("reference_code");
    let id = body.text("id").or_else(|| reference_code.clone())?;
    let number = reference_code.unwrap_or_else(|| id.clone());
    let (status, unknown_status) = loose::status(body.text("status"), STATUS_WORDS);
    let mut order = Order::new(Vendor::VoucherApi, id, number, status);
    order.status_label = unknown_status;
    order.created_at = body.text("placed_at");
    // The body names no currency: the widget configuration may supply one.
    order.total = body.amount("amount").map(|amount| Money {
        amount,
        currency: None,
    });

    // The vendor sends no product name, only `product_id`; the name stays empty rather
    // than an invented English text the widget's translations could not cover.
    let quantity = body.count("quantity");
    let denomination = body.amount("denomination");
    let has_item = body.has_scalar("product_id") || quantity.is_some() || denomination.is_some();
    let item = has_item.then_some(0);
    if has_item {
        order.items.push(Item {
            name: None,
            quantity,
            unit_price: denomination.map(|amount| Money {
                amount,
                currency: None,
            }),
            fulfilled: None,
            fulfillment_status: None,
        });
    }

    for node in body.elements("vouchers") {
        if let Some(voucher) = voucher(node, item) {
            order.vouchers.push(voucher);
        }
    }
    Some(order)
}

/// One delivered voucher; `None` without a card number.
fn voucher<N: Node>(node: N, item: Option<usize>) -> Option<Voucher> {
    let voucher = Fields::of(node, VOUCHER_FIELDS)?;
    Some(Voucher {
        code: voucher.text("card_number")?,
        pin: voucher.text("pin_code"),
        claim_url: http_url(voucher.text("claim_url")),
        reference: voucher.text("voucher_reference_number"),
        serial: None,
        expires_at: voucher.text("expires_at"),
        item,
        kind: VoucherKind::Code,
    })
}
