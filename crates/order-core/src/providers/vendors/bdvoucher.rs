//! bdvoucher: `{id, order_number, status, status_label, status_message, total_amount,
//! currency, voucher_codes, items: [{variant_id, quantity, unit_price, fulfilled,
//! fulfillment_status, voucher_codes, voucher}], created_at}`, bare or under `data`.

use serde::Deserialize;

use crate::model::{Item, Money, Order, Vendor, Voucher, VoucherKind};
use crate::providers::json::fields::{Amount, Codes, Count, Flag, Record, Records, Text};
use crate::providers::status_words::{self, BDVOUCHER};

/// The order; any field of an unexpected type reads as absent.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct Body {
    id: Text,
    /// 8 digits, what the customer knows.
    order_number: Text,
    status: Text,
    status_label: Text,
    status_message: Text,
    total_amount: Amount,
    /// Always "BDT" per the spec.
    currency: Text,
    /// The union of the items' lists.
    voucher_codes: Codes,
    items: Records<ItemBody>,
    created_at: Text,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ItemBody {
    /// The purchased product variant.
    variant_id: Text,
    // The spec names no item name field; these are read when present.
    name: Text,
    product_name: Text,
    variant_name: Text,
    quantity: Count,
    unit_price: Amount,
    fulfilled: Flag,
    /// `SUCCEEDED`, `DISPATCH_FAILED`, `PARTNER_FAILED`.
    fulfillment_status: Text,
    /// One code per unit.
    voucher_codes: Codes,
    /// The primary voucher record.
    voucher: Record<VoucherRecord>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct VoucherRecord {
    code: Text,
    serial_number: Text,
    expires_at: Text,
}

/// The order in a bdvoucher body; `None` without an id or order number.
pub fn to_order(body: Body) -> Option<Order> {
    let order_number = body.order_number.0;
    let id = body.id.0.or_else(|| order_number.clone())?;
    let number = order_number.unwrap_or_else(|| id.clone());
    let (status, unknown_status) = status_words::status(body.status.0, BDVOUCHER);
    let mut order = Order::new(Vendor::Bdvoucher, id, number, status);
    order.status_label = body.status_label.0.or(unknown_status);
    order.status_message = body.status_message.0;
    order.created_at = body.created_at.0;
    let currency = body.currency.0.unwrap_or_else(|| "BDT".to_owned());
    let money = |amount| Money {
        amount,
        currency: Some(currency.clone()),
    };
    order.total = body.total_amount.0.map(money);

    let mut codes = FirstSeen::default();
    let mut records = Vec::new();
    for item in body.items.0 {
        let index = Some(order.items.len());
        for code in item.voucher_codes.0 {
            codes.add(code, index);
        }
        let record = item.voucher.0.unwrap_or_default();
        // The primary record's code belongs to the item even if its list left it out.
        if let Some(code) = record.code.0.clone() {
            codes.add(code, index);
        }
        records.push(record);
        order.items.push(Item {
            id: item.variant_id.0,
            name: item.name.0.or(item.product_name.0).or(item.variant_name.0),
            quantity: item.quantity.0,
            unit_price: item.unit_price.0.map(money),
            fulfilled: item.fulfilled.0,
            fulfillment_status: item.fulfillment_status.0.map(|s| s.to_ascii_lowercase()),
        });
    }
    // The order-level list is the union of the item lists: only codes not yet seen remain.
    for code in body.voucher_codes.0 {
        codes.add(code, None);
    }

    for (code, item) in codes.list {
        let record = records
            .iter()
            .find(|record| record.code.0.as_deref() == Some(code.as_str()));
        order.vouchers.push(Voucher {
            serial: record.and_then(|r| r.serial_number.0.clone()),
            expires_at: record.and_then(|r| r.expires_at.0.clone()),
            item,
            ..Voucher::new(code, VoucherKind::Code)
        });
    }
    Some(order)
}

/// Codes in order of first appearance, each once, with the item it was first listed under.
#[derive(Default)]
struct FirstSeen {
    list: Vec<(String, Option<usize>)>,
}

impl FirstSeen {
    fn add(&mut self, code: String, item: Option<usize>) {
        if !self.list.iter().any(|(seen, _)| *seen == code) {
            self.list.push((code, item));
        }
    }
}
