//! bdvoucher: `{id, order_number, status, status_label, status_message, total_amount,
//! currency, voucher_codes, items: [{variant_id, quantity, unit_price, fulfilled,
//! fulfillment_status, voucher_codes, voucher}], created_at}`, bare or under `data`.

use super::loose::{self, Fields, StatusWords};
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};
use crate::node::{lowercase, Node};

const FIELDS: &[&str] = &[
    "id",
    "order_number",
    "status",
    "status_label",
    "status_message",
    "total_amount",
    "currency",
    "voucher_codes",
    "items",
    "created_at",
];

const ITEM_FIELDS: &[&str] = &[
    // The spec names no item name field; these are read when present.
    "name",
    "product_name",
    "variant_name",
    "quantity",
    "unit_price",
    "fulfilled",
    "fulfillment_status",
    "voucher_codes",
    "voucher",
];

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

/// The order in a bdvoucher body; any field of the wrong type reads as absent.
pub(super) fn to_order<N: Node>(node: N) -> Option<Order> {
    let body = Fields::of(node, FIELDS)?;
    let order_number = body.text("order_number");
    let id = body.text("id").or_else(|| order_number.clone())?;
    let number = order_number.unwrap_or_else(|| id.clone());
    let (status, unknown_status) = loose::status(body.text("status"), STATUS_WORDS);
    let mut order = Order::new(Vendor::Bdvoucher, id, number, status);
    order.status_label = body.text("status_label").or(unknown_status);
    order.status_message = body.text("status_message");
    order.created_at = body.text("created_at");
    let currency = body.text("currency").unwrap_or_else(|| "BDT".to_owned());
    let money = |amount| Money {
        amount,
        currency: Some(currency.clone()),
    };
    order.total = body.amount("total_amount").map(money);

    let mut codes = Codes::default();
    let mut records = Vec::new();
    for node in body.elements("items") {
        let Some(item) = Fields::of(node, ITEM_FIELDS) else {
            continue;
        };
        let index = Some(order.items.len());
        let record = item
            .get("voucher")
            .and_then(VoucherRecord::read)
            .unwrap_or_default();
        codes.add_all(item.get("voucher_codes"), index);
        // The primary record's code belongs to the item even if its list left it out.
        if let Some(code) = record.code.clone() {
            codes.add(code, index);
        }
        records.push(record);
        order.items.push(Item {
            name: ["name", "product_name", "variant_name"]
                .into_iter()
                .find_map(|name| item.text(name)),
            quantity: item.count("quantity"),
            unit_price: item.amount("unit_price").map(money),
            fulfilled: item.flag("fulfilled"),
            fulfillment_status: item.text("fulfillment_status").map(|s| lowercase(&s)),
        });
    }
    // The order-level list is the union of the item lists: only codes not yet seen remain.
    codes.add_all(body.get("voucher_codes"), None);

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

/// The item's primary voucher record `{code, serial_number, expires_at}`.
#[derive(Default)]
struct VoucherRecord {
    code: Option<String>,
    serial_number: Option<String>,
    expires_at: Option<String>,
}

impl VoucherRecord {
    fn read<N: Node>(node: N) -> Option<Self> {
        let record = Fields::of(node, &["code", "serial_number", "expires_at"])?;
        Some(VoucherRecord {
            code: record.text("code"),
            serial_number: record.text("serial_number"),
            expires_at: record.text("expires_at"),
        })
    }
}

/// Codes in order of first appearance, each once, with the item it was first listed under.
#[derive(Default)]
struct Codes {
    list: Vec<(String, Option<usize>)>,
}

impl Codes {
    /// Every code in the list `node`, for `item`; elements that are not text or numbers,
    /// or are blank, are skipped.
    fn add_all<N: Node>(&mut self, node: Option<N>, item: Option<usize>) {
        for element in loose::elements(node) {
            if let Some(code) = loose::text(element) {
                self.add(code, item);
            }
        }
    }

    fn add(&mut self, code: String, item: Option<usize>) {
        if !self.list.iter().any(|(seen, _)| *seen == code) {
            self.list.push((code, item));
        }
    }
}
