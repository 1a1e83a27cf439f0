//! The canonical `Order` JSON (what `order-proxy normalize` prints), read back.
//! It passes the same border checks as vendor bodies: a proxy is outside data too.
//!
//! The reading is as strict as the model's serde derive: every non-optional field must be
//! present with its type, optional fields may be absent or null, unknown keys are ignored.

use super::safe::{hex_color, http_url};
use crate::model::{Item, Money, Order, Status, StatusColors, Vendor, Voucher, VoucherKind};
use crate::node::{Node, Record};

/// The order in `node`, `None` when it does not have the canonical shape.
pub(super) fn read<N: Node>(node: N) -> Option<Order> {
    const FIELDS: &[&str] = &[
        "vendor",
        "id",
        "number",
        "status",
        "terminal",
        "status_label",
        "status_message",
        "status_colors",
        "total",
        "created_at",
        "is_service",
        "items",
        "vouchers",
    ];
    let record = Record::strict(node, FIELDS)?;
    let mut order = Order::new(
        required(&record, "vendor", vendor)?,
        required(&record, "id", text)?,
        required(&record, "number", text)?,
        required(&record, "status", status)?,
    );
    // Once `order` holds the strings read so far, a refusal below drops them all at once.
    order.terminal = required(&record, "terminal", |node| node.as_bool())?;
    order.status_label = optional(&record, "status_label", text)?;
    order.status_message = optional(&record, "status_message", text)?;
    order.status_colors = optional(&record, "status_colors", status_colors)?;
    order.total = optional(&record, "total", money)?;
    order.created_at = optional(&record, "created_at", text)?;
    order.is_service = required(&record, "is_service", |node| node.as_bool())?;
    order.items = required(&record, "items", |node| all(node, item))?;
    order.vouchers = required(&record, "vouchers", |node| all(node, voucher))?;
    Some(order)
}

pub(super) fn to_order(mut order: Order) -> Option<Order> {
    order.terminal = order.status.is_terminal();
    order.status_colors = order.status_colors.and_then(|colors| {
        let colors = StatusColors {
            background: hex_color(colors.background),
            foreground: hex_color(colors.foreground),
            border: hex_color(colors.border),
        };
        (colors != StatusColors::default()).then_some(colors)
    });
    for voucher in &mut order.vouchers {
        voucher.claim_url = http_url(voucher.claim_url.take());
    }
    // A code pointing past the item list would be an out-of-range index in the UI.
    let items = order.items.len();
    for voucher in &mut order.vouchers {
        voucher.item = voucher.item.filter(|&index| index < items);
    }
    Some(order)
}

/// A field that must be present and readable by `read`.
fn required<N: Node, T>(
    record: &Record<N>,
    name: &str,
    read: impl FnOnce(N) -> Option<T>,
) -> Option<T> {
    record.get(name).and_then(read)
}

/// A field that may be absent or null (`Some(None)`); any other value must be readable
/// by `read`, else the whole record is refused (`None`).
fn optional<N: Node, T>(
    record: &Record<N>,
    name: &str,
    read: impl FnOnce(N) -> Option<T>,
) -> Option<Option<T>> {
    match record.get(name) {
        Some(node) if !node.is_null() => read(node).map(Some),
        _ => Some(None),
    }
}

/// Every element of an array, or `None` when it is not one or any element is unreadable.
fn all<N: Node, T>(node: N, mut read: impl FnMut(N) -> Option<T>) -> Option<Vec<T>> {
    let mut all = Vec::new();
    for element in node.elements()? {
        all.push(read(element)?);
    }
    Some(all)
}

fn text<N: Node>(node: N) -> Option<String> {
    node.as_text()
}

fn vendor<N: Node>(node: N) -> Option<Vendor> {
    let name = node.as_text()?;
    [
        Vendor::Hsmail,
        Vendor::VoucherApi,
        Vendor::Shop,
        Vendor::Bdvoucher,
    ]
    .into_iter()
    .find(|vendor| vendor.as_str() == name)
}

/// Any other status name reads as `Unknown`, as the model's `#[serde(other)]` does.
fn status<N: Node>(node: N) -> Option<Status> {
    let name = node.as_text()?;
    Some(
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
            .unwrap_or(Status::Unknown),
    )
}

fn kind<N: Node>(node: N) -> Option<VoucherKind> {
    match node.as_text()?.as_str() {
        "code" => Some(VoucherKind::Code),
        "credential" => Some(VoucherKind::Credential),
        "pickup_code" => Some(VoucherKind::PickupCode),
        "return_code" => Some(VoucherKind::ReturnCode),
        _ => None,
    }
}

fn status_colors<N: Node>(node: N) -> Option<StatusColors> {
    let colors = Record::strict(node, &["background", "foreground", "border"])?;
    Some(StatusColors {
        background: optional(&colors, "background", text)?,
        foreground: optional(&colors, "foreground", text)?,
        border: optional(&colors, "border", text)?,
    })
}

fn money<N: Node>(node: N) -> Option<Money> {
    let money = Record::strict(node, &["amount", "currency"])?;
    Some(Money {
        amount: required(&money, "amount", text)?,
        currency: optional(&money, "currency", text)?,
    })
}

fn item<N: Node>(node: N) -> Option<Item> {
    const FIELDS: &[&str] = &[
        "name",
        "quantity",
        "unit_price",
        "fulfilled",
        "fulfillment_status",
    ];
    let item = Record::strict(node, FIELDS)?;
    Some(Item {
        name: optional(&item, "name", text)?,
        quantity: optional(&item, "quantity", |node| {
            node.as_unsigned().and_then(|n| u32::try_from(n).ok())
        })?,
        unit_price: optional(&item, "unit_price", money)?,
        fulfilled: optional(&item, "fulfilled", |node| node.as_bool())?,
        fulfillment_status: optional(&item, "fulfillment_status", text)?,
    })
}

fn voucher<N: Node>(node: N) -> Option<Voucher> {
    const FIELDS: &[&str] = &[
        "code",
        "pin",
        "claim_url",
        "reference",
        "serial",
        "expires_at",
        "item",
        "kind",
    ];
    let record = Record::strict(node, FIELDS)?;
    let mut voucher = Voucher::new(
        required(&record, "code", text)?,
        required(&record, "kind", kind)?,
    );
    voucher.pin = optional(&record, "pin", text)?;
    voucher.claim_url = optional(&record, "claim_url", text)?;
    voucher.reference = optional(&record, "reference", text)?;
    voucher.serial = optional(&record, "serial", text)?;
    voucher.expires_at = optional(&record, "expires_at", text)?;
    voucher.item = optional(&record, "item", |node| {
        node.as_unsigned().and_then(|n| usize::try_from(n).ok())
    })?;
    Some(voucher)
}
