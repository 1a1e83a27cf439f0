//! bdvoucher: `{id, order_number, status, status_label, status_message, total_amount,
//! currency, voucher_codes, items: [{variant_id, quantity, unit_price, fulfilled,
//! fulfillment_status, voucher_codes, voucher}], created_at}`, bare or under `data`.

use serde::Deserialize;

use super::loose::{self, StatusWords};
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};

/// The order; any field of an unexpected type reads as absent.
#[derive(Deserialize)]
pub(super) struct Body {
    #[serde(default, deserialize_with = "loose::text")]
    id: Option<String>,
    /// 8 digits, what the customer knows.
    #[serde(default, deserialize_with = "loose::text")]
    order_number: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    status_label: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    status_message: Option<String>,
    #[serde(default, deserialize_with = "loose::amount")]
    total_amount: Option<String>,
    /// Always "BDT" per the spec.
    #[serde(default, deserialize_with = "loose::text")]
    currency: Option<String>,
    /// The union of the items' lists.
    #[serde(default, deserialize_with = "loose::texts")]
    voucher_codes: Vec<String>,
    #[serde(default, deserialize_with = "loose::records")]
    items: Vec<ItemBody>,
    #[serde(default, deserialize_with = "loose::text")]
    created_at: Option<String>,
}

#[derive(Deserialize)]
struct ItemBody {
    // The spec names no item name field; these are read when present.
    #[serde(default, deserialize_with = "loose::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    product_name: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    variant_name: Option<String>,
    #[serde(default, deserialize_with = "loose::count")]
    quantity: Option<u32>,
    #[serde(default, deserialize_with = "loose::amount")]
    unit_price: Option<String>,
    #[serde(default, deserialize_with = "loose::flag")]
    fulfilled: Option<bool>,
    /// `SUCCEEDED`, `DISPATCH_FAILED`, `PARTNER_FAILED`.
    #[serde(default, deserialize_with = "loose::text")]
    fulfillment_status: Option<String>,
    /// One code per unit.
    #[serde(default, deserialize_with = "loose::texts")]
    voucher_codes: Vec<String>,
    /// The primary voucher record.
    #[serde(default, deserialize_with = "loose::record")]
    voucher: Option<VoucherRecord>,
}

#[derive(Default, Deserialize)]
struct VoucherRecord {
    #[serde(default, deserialize_with = "loose::text")]
    code: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    serial_number: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    expires_at: Option<String>,
}

/// PENDING means *paid, fulfilment running* (INITIATED is "awaiting payment").
const STATUS_WORDS: &StatusWords = &[
    ("INITIATED", Status::Initiated),
    ("PENDING", Status::Processing),
    ("CARRIER_AUTHORIZED", Status::Authorized),
    ("SUCCEEDED", Status::Delivered),
    ("NEEDS_ATTENTION", Status::NeedsAttention),
    ("FAILED", Status::Failed),
    ("CANCELLED", Status::Cancelled),
    ("CANCELED", Status::Cancelled),
];

/// The order in a bdvoucher body; `None` without an id or order number.
pub(super) fn to_order(body: Body) -> Option<Order> {
    let order_number = body.order_number;
    let id = body.id.or_else(|| order_number.clone())?;
    let number = order_number.unwrap_or_else(|| id.clone());
    let (status, unknown_status) = loose::status(body.status, STATUS_WORDS);
    let mut order = Order::new(Vendor::Bdvoucher, id, number, status);
    order.status_label = body.status_label.or(unknown_status);
    order.status_message = body.status_message;
    order.created_at = body.created_at;
    let currency = body.currency.unwrap_or_else(|| "BDT".to_owned());
    let money = |amount| Money {
        amount,
        currency: Some(currency.clone()),
    };
    order.total = body.total_amount.map(money);

    let mut codes = Codes::default();
    let mut records = Vec::new();
    for item in body.items {
        let index = Some(order.items.len());
        for code in item.voucher_codes {
            codes.add(code, index);
        }
        let record = item.voucher.unwrap_or_default();
        // The primary record's code belongs to the item even if its list left it out.
        if let Some(code) = record.code.clone() {
            codes.add(code, index);
        }
        records.push(record);
        order.items.push(Item {
            name: item.name.or(item.product_name).or(item.variant_name),
            quantity: item.quantity,
            unit_price: item.unit_price.map(money),
            fulfilled: item.fulfilled,
            fulfillment_status: item.fulfillment_status.map(|s| s.to_ascii_lowercase()),
        });
    }
    // The order-level list is the union of the item lists: only codes not yet seen remain.
    for code in body.voucher_codes {
        codes.add(code, None);
    }

    for (code, item) in codes.list {
        let record = records
            .iter()
            .find(|record| record.code.as_deref() == Some(code.as_str()));
        order.vouchers.push(Voucher {
            serial: record.and_then(|r| r.serial_number.clone()),
            expires_at: record.and_then(|r| r.expires_at.clone()),
            item,
            ..Voucher::new(code, VoucherKind::Code)
        });
    }
    Some(order)
}

/// Codes in order of first appearance, each once, with the item it was first listed under.
#[derive(Default)]
struct Codes {
    list: Vec<(String, Option<usize>)>,
}

impl Codes {
    fn add(&mut self, code: String, item: Option<usize>) {
        if !self.list.iter().any(|(seen, _)| *seen == code) {
            self.list.push((code, item));
        }
    }
}
