//! voucher-api: a bare order `{id, reference_code, amount, product_id, denomination,
//! quantity, vouchers: [{card_number, pin_code, …}], status, placed_at}`.

use serde::Deserialize;

use crate::model::{Item, Money, Order, Secret, Vendor, Voucher, VoucherKind};
use crate::providers::checks::http_url;
use crate::providers::json::fields::{Amount, Count, Records, Text};
use crate::providers::status_words::{self, VOUCHER_API};

/// The order; any field of an unexpected type reads as absent.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct Body {
    id: Text,
    reference_code: Text,
    amount: Amount,
    /// The catalog's product: the vendor sends no product name, so a shop names it
    /// (`itemLabels`).
    product_id: Text,
    /// The unit value.
    denomination: Amount,
    quantity: Count,
    vouchers: Records<VoucherBody>,
    status: Text,
    placed_at: Text,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct VoucherBody {
    card_number: Text,
    pin_code: Text,
    claim_url: Text,
    voucher_reference_number: Text,
    expires_at: Text,
}

/// The order in a voucher-api body; `None` without an id or reference code.
pub fn to_order(body: Body) -> Option<Order> {
    let reference_code = body.reference_code.0;
    let id = body.id.0.or_else(|| reference_code.clone())?;
    let number = reference_code.unwrap_or_else(|| id.clone());
    let (status, unknown_status) = status_words::status(body.status.0, VOUCHER_API);
    let mut order = Order::new(Vendor::VoucherApi, id, number, status);
    order.status_label = unknown_status;
    order.created_at = body.placed_at.0;
    // The body names no currency: the widget configuration may supply one.
    order.total = body.amount.0.map(|amount| Money {
        amount,
        currency: None,
    });

    // The vendor sends no product name, only `product_id`; the name stays empty rather
    // than an invented English text the widget's translations could not cover.
    let has_item =
        body.product_id.0.is_some() || body.quantity.0.is_some() || body.denomination.0.is_some();
    let item = has_item.then_some(0);
    if has_item {
        order.items.push(Item {
            id: body.product_id.0,
            name: None,
            quantity: body.quantity.0,
            unit_price: body.denomination.0.map(|amount| Money {
                amount,
                currency: None,
            }),
            fulfilled: None,
            fulfillment_status: None,
        });
    }

    for voucher in body.vouchers.0 {
        // A voucher without a card number has nothing to show.
        let Some(code) = voucher.card_number.0 else {
            continue;
        };
        order.vouchers.push(Voucher {
            pin: voucher.pin_code.0.map(Secret::from),
            claim_url: http_url(voucher.claim_url.0),
            reference: voucher.voucher_reference_number.0,
            expires_at: voucher.expires_at.0,
            item,
            ..Voucher::new(code, VoucherKind::Code)
        });
    }
    Some(order)
}
