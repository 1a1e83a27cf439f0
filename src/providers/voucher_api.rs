//! voucher-api: a bare order `{id, reference_code, amount, product_id, denomination,
//! quantity, vouchers: [{card_number, pin_code, …}], status, placed_at}`.

use super::loose::{list, status_key, Amount, Count, Text};
use super::safe::http_url;
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};
use crate::node::{Node, Record};

#[derive(Debug, Default)]
pub(super) struct Body {
    id: Text,
    reference_code: Text,
    amount: Amount,
    product_id: Text,
    denomination: Amount,
    quantity: Count,
    vouchers: Vec<VoucherBody>,
    status: Text,
    placed_at: Text,
}

impl Body {
    const FIELDS: &'static [&'static str] = &[
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

    /// Any value of the wrong type reads as absent.
    pub fn read<N: Node>(node: N) -> Self {
        let Some(body) = Record::lenient(node, Self::FIELDS) else {
            return Body::default();
        };
        Body {
            id: Text::read(body.get("id")),
            reference_code: Text::read(body.get("reference_code")),
            amount: Amount::read(body.get("amount")),
            product_id: Text::read(body.get("product_id")),
            denomination: Amount::read(body.get("denomination")),
            quantity: Count::read(body.get("quantity")),
            vouchers: list(body.get("vouchers"), VoucherBody::read),
            status: Text::read(body.get("status")),
            placed_at: Text::read(body.get("placed_at")),
        }
    }
}

#[derive(Debug, Default)]
struct VoucherBody {
    card_number: Text,
    pin_code: Text,
    claim_url: Text,
    voucher_reference_number: Text,
    expires_at: Text,
}

impl VoucherBody {
    const FIELDS: &'static [&'static str] = &[
        "card_number",
        "pin_code",
        "claim_url",
        "voucher_reference_number",
        "expires_at",
    ];

    fn read<N: Node>(node: N) -> Option<Self> {
        let voucher = Record::lenient(node, Self::FIELDS)?;
        Some(VoucherBody {
            card_number: Text::read(voucher.get("card_number")),
            pin_code: Text::read(voucher.get("pin_code")),
            claim_url: Text::read(voucher.get("claim_url")),
            voucher_reference_number: Text::read(voucher.get("voucher_reference_number")),
            expires_at: Text::read(voucher.get("expires_at")),
        })
    }
}

/// The status table is upper case, the example body lower case: both are read.
fn status(raw: &str) -> Status {
    match status_key(raw).as_str() {
        "PENDING" => Status::Pending,
        "PROCESSING" => Status::Processing,
        "DELIVERED" => Status::Delivered,
        "PARTIALLY_DELIVERED" => Status::PartiallyDelivered,
        "FAILED" => Status::Failed,
        "CANCELLED" | "CANCELED" => Status::Cancelled,
        "REFUNDED" => Status::Refunded,
        _ => Status::Unknown,
    }
}

pub(super) fn to_order(body: Body) -> Option<Order> {
    let reference_code = body.reference_code.trimmed();
    let id = body.id.trimmed().or_else(|| reference_code.clone())?;
    let number = reference_code.unwrap_or_else(|| id.clone());
    let raw_status = body.status.trimmed();
    let status = raw_status.as_deref().map_or(Status::Unknown, status);
    let mut order = Order::new(Vendor::VoucherApi, id, number, status);
    order.status_label = super::label_if_unknown(status, raw_status.as_deref());
    order.created_at = body.placed_at.trimmed();
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

    order.vouchers = body
        .vouchers
        .into_iter()
        .filter_map(|voucher| {
            Some(Voucher {
                code: voucher.card_number.trimmed()?,
                pin: voucher.pin_code.trimmed(),
                claim_url: http_url(voucher.claim_url.0),
                reference: voucher.voucher_reference_number.trimmed(),
                serial: None,
                expires_at: voucher.expires_at.trimmed(),
                item,
                kind: VoucherKind::Code,
            })
        })
        .collect();
    Some(order)
}
