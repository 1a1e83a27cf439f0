//! voucher-api: a bare order `{id, reference_code, amount, product_id, denomination,
//! quantity, vouchers: [{card_number, pin_code, …}], status, placed_at}`.

use serde::Deserialize;

use super::loose::{self, StatusWords};
use super::safe::http_url;
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};

/// The order; any field of an unexpected type reads as absent.
#[derive(Deserialize)]
pub(super) struct Body {
    #[serde(default, deserialize_with = "loose::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    reference_code: Option<String>,
    #[serde(default, deserialize_with = "loose::amount")]
    amount: Option<String>,
    /// Only whether there is one matters: the vendor sends no product name.
    #[serde(default, deserialize_with = "loose::raw_text")]
    product_id: Option<String>,
    /// The unit value.
    #[serde(default, deserialize_with = "loose::amount")]
    denomination: Option<String>,
    #[serde(default, deserialize_with = "loose::count")]
    quantity: Option<u32>,
    #[serde(default, deserialize_with = "loose::records")]
    vouchers: Vec<VoucherBody>,
    #[serde(default, deserialize_with = "loose::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    placed_at: Option<String>,
}

#[derive(Deserialize)]
struct VoucherBody {
    #[serde(default, deserialize_with = "loose::text")]
    card_number: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    pin_code: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    claim_url: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    voucher_reference_number: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    expires_at: Option<String>,
}

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

/// The order in a voucher-api body; `None` without an id or reference code.
pub(super) fn to_order(body: Body) -> Option<Order> {
    let reference_code = body.reference_code;
    let id = body.id.or_else(|| reference_code.clone())?;
    let number = reference_code.unwrap_or_else(|| id.clone());
    let (status, unknown_status) = loose::status(body.status, STATUS_WORDS);
    let mut order = Order::new(Vendor::VoucherApi, id, number, status);
    order.status_label = unknown_status;
    order.created_at = body.placed_at;
    // The body names no currency: the widget configuration may supply one.
    order.total = body.amount.map(|amount| Money {
        amount,
        currency: None,
    });

    // The vendor sends no product name, only `product_id`; the name stays empty rather
    // than an invented English text the widget's translations could not cover.
    let has_item =
        body.product_id.is_some() || body.quantity.is_some() || body.denomination.is_some();
    let item = has_item.then_some(0);
    if has_item {
        order.items.push(Item {
            name: None,
            quantity: body.quantity,
            unit_price: body.denomination.map(|amount| Money {
                amount,
                currency: None,
            }),
            fulfilled: None,
            fulfillment_status: None,
        });
    }

    for voucher in body.vouchers {
        // A voucher without a card number has nothing to show.
        let Some(code) = voucher.card_number else {
            continue;
        };
        order.vouchers.push(Voucher {
            pin: voucher.pin_code,
            claim_url: http_url(voucher.claim_url),
            reference: voucher.voucher_reference_number,
            expires_at: voucher.expires_at,
            item,
            ..Voucher::new(code, VoucherKind::Code)
        });
    }
    Some(order)
}
