//! bdvoucher: `{id, order_number, status, status_label, status_message, total_amount,
//! currency, voucher_codes, items: [{variant_id, quantity, unit_price, fulfilled,
//! fulfillment_status, voucher_codes, voucher}], created_at}`, bare or under `data`.

use super::loose::{list, status_key, Amount, Count, Flag, Text};
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};
use crate::node::{lowercase, Node, Record};

#[derive(Debug, Default)]
pub(super) struct Body {
    id: Text,
    order_number: Text,
    status: Text,
    status_label: Text,
    status_message: Text,
    total_amount: Amount,
    currency: Text,
    voucher_codes: Vec<Text>,
    items: Vec<BdItem>,
    created_at: Text,
}

impl Body {
    const FIELDS: &'static [&'static str] = &[
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

    /// Any value of the wrong type reads as absent.
    pub fn read<N: Node>(node: N) -> Self {
        let Some(body) = Record::lenient(node, Self::FIELDS) else {
            return Body::default();
        };
        Body {
            id: Text::read(body.get("id")),
            order_number: Text::read(body.get("order_number")),
            status: Text::read(body.get("status")),
            status_label: Text::read(body.get("status_label")),
            status_message: Text::read(body.get("status_message")),
            total_amount: Amount::read(body.get("total_amount")),
            currency: Text::read(body.get("currency")),
            voucher_codes: texts(body.get("voucher_codes")),
            items: list(body.get("items"), BdItem::read),
            created_at: Text::read(body.get("created_at")),
        }
    }
}

/// A list of codes; elements that are not text or numbers read as absent.
fn texts<N: Node>(node: Option<N>) -> Vec<Text> {
    list(node, |element| Some(Text::read(Some(element))))
}

#[derive(Debug, Default)]
struct BdItem {
    // The spec names no item name field; these are read when present.
    name: Text,
    product_name: Text,
    variant_name: Text,
    quantity: Count,
    unit_price: Amount,
    fulfilled: Flag,
    fulfillment_status: Text,
    voucher_codes: Vec<Text>,
    voucher: Option<VoucherRecord>,
}

impl BdItem {
    const FIELDS: &'static [&'static str] = &[
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

    fn read<N: Node>(node: N) -> Option<Self> {
        let item = Record::lenient(node, Self::FIELDS)?;
        Some(BdItem {
            name: Text::read(item.get("name")),
            product_name: Text::read(item.get("product_name")),
            variant_name: Text::read(item.get("variant_name")),
            quantity: Count::read(item.get("quantity")),
            unit_price: Amount::read(item.get("unit_price")),
            fulfilled: Flag::read(item.get("fulfilled")),
            fulfillment_status: Text::read(item.get("fulfillment_status")),
            voucher_codes: texts(item.get("voucher_codes")),
            voucher: item.get("voucher").and_then(VoucherRecord::read),
        })
    }
}

/// The item's primary voucher record.
#[derive(Debug, Default)]
struct VoucherRecord {
    code: Text,
    serial_number: Text,
    expires_at: Text,
}

impl VoucherRecord {
    fn read<N: Node>(node: N) -> Option<Self> {
        let record = Record::lenient(node, &["code", "serial_number", "expires_at"])?;
        Some(VoucherRecord {
            code: Text::read(record.get("code")),
            serial_number: Text::read(record.get("serial_number")),
            expires_at: Text::read(record.get("expires_at")),
        })
    }
}

/// PENDING means *paid, fulfilment running* (INITIATED is "awaiting payment").
fn status(raw: &str) -> Status {
    match status_key(raw).as_str() {
        "INITIATED" => Status::Initiated,
        "PENDING" => Status::Processing,
        "CARRIER_AUTHORIZED" => Status::Authorized,
        "SUCCEEDED" => Status::Delivered,
        "NEEDS_ATTENTION" => Status::NeedsAttention,
        "FAILED" => Status::Failed,
        "CANCELLED" | "CANCELED" => Status::Cancelled,
        _ => Status::Unknown,
    }
}

pub(super) fn to_order(body: Body) -> Option<Order> {
    let order_number = body.order_number.trimmed();
    let id = body.id.trimmed().or_else(|| order_number.clone())?;
    let number = order_number.unwrap_or_else(|| id.clone());
    let raw_status = body.status.trimmed();
    let status = raw_status.as_deref().map_or(Status::Unknown, status);
    let mut order = Order::new(Vendor::Bdvoucher, id, number, status);
    order.status_label = body
        .status_label
        .trimmed()
        .or_else(|| super::label_if_unknown(status, raw_status.as_deref()));
    order.status_message = body.status_message.trimmed();
    order.created_at = body.created_at.trimmed();
    let currency = body.currency.trimmed().unwrap_or_else(|| "BDT".to_owned());
    order.total = body.total_amount.0.map(|amount| Money {
        amount,
        currency: Some(currency.clone()),
    });

    let mut codes = Codes::default();
    let mut records = Vec::new();
    for (index, item) in body.items.into_iter().enumerate() {
        let record = item.voucher.unwrap_or_default();
        let record_code = record.code.clone().trimmed();
        for code in item.voucher_codes.into_iter().filter_map(Text::trimmed) {
            codes.add(code, Some(index));
        }
        // The primary record's code belongs to the item even if its list left it out.
        if let Some(code) = record_code.clone() {
            codes.add(code, Some(index));
        }
        records.push((record_code, record));
        order.items.push(Item {
            name: [item.name, item.product_name, item.variant_name]
                .into_iter()
                .find_map(Text::trimmed),
            quantity: item.quantity.0,
            unit_price: item.unit_price.0.map(|amount| Money {
                amount,
                currency: Some(currency.clone()),
            }),
            fulfilled: item.fulfilled.0,
            fulfillment_status: item.fulfillment_status.trimmed().map(|s| lowercase(&s)),
        });
    }
    // The order-level list is the union of the item lists: only codes not yet seen remain.
    for code in body.voucher_codes.into_iter().filter_map(Text::trimmed) {
        codes.add(code, None);
    }

    order.vouchers = codes
        .list
        .into_iter()
        .map(|(code, item)| {
            let record = records
                .iter()
                .find(|(record_code, _)| record_code.as_deref() == Some(code.as_str()))
                .map(|(_, record)| record);
            Voucher {
                serial: record.and_then(|r| r.serial_number.clone().trimmed()),
                expires_at: record.and_then(|r| r.expires_at.clone().trimmed()),
                code,
                pin: None,
                claim_url: None,
                reference: None,
                item,
                kind: VoucherKind::Code,
            }
        })
        .collect();
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
