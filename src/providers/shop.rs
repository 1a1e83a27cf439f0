//! shop: `{data: {id, total, currency, status: {key, title, decoration}, print_order_number,
//! items: [{price, quantity, product: {name, currency}}], pickup_otp, return_otp, …}}`.

use super::loose::{self, Fields, StatusWords};
use super::safe::hex_color;
use crate::model::{Item, Money, Order, Status, StatusColors, Vendor, Voucher, VoucherKind};
use crate::node::Node;

const FIELDS: &[&str] = &[
    "id",
    "total",
    "currency",
    "created_at",
    "status",
    "print_order_number",
    "items",
    "pickup_otp",
    "return_otp",
];

/// Only `pending` and `cancelled` are documented; the rest are the keys such shops use.
/// `ready`/`ready_for_pickup` and on-the-way keys are `processing`, not `delivered`: the
/// customer still has to collect the order (with the pickup code), so polling goes on.
const STATUS_WORDS: &StatusWords = &[
    ("PENDING", Status::Pending),
    ("NEW", Status::Pending),
    ("PLACED", Status::Pending),
    ("PROCESSING", Status::Processing),
    ("PREPARING", Status::Processing),
    ("ACCEPTED", Status::Processing),
    ("CONFIRMED", Status::Processing),
    ("IN_PROGRESS", Status::Processing),
    ("READY", Status::Processing),
    ("READY_FOR_PICKUP", Status::Processing),
    ("SHIPPED", Status::Processing),
    ("OUT_FOR_DELIVERY", Status::Processing),
    ("ON_THE_WAY", Status::Processing),
    ("COMPLETED", Status::Delivered),
    ("COMPLETE", Status::Delivered),
    ("DELIVERED", Status::Delivered),
    ("DONE", Status::Delivered),
    ("FULFILLED", Status::Delivered),
    ("PICKED_UP", Status::Delivered),
    ("REJECTED", Status::Failed),
    ("FAILED", Status::Failed),
    ("DECLINED", Status::Failed),
    ("CANCELLED", Status::Cancelled),
    ("CANCELED", Status::Cancelled),
    ("REFUNDED", Status::Refunded),
    ("RETURNED", Status::Refunded),
];

/// The order in a shop body; any field of the wrong type reads as absent.
pub(super) fn to_order<N: Node>(node: N) -> Option<Order> {
    let body = Fields::of(node, FIELDS)?;
    let id = body.text("id")?;
    let number = body
        .text("print_order_number")
        .unwrap_or_else(|| id.clone());
    let shop_status = body
        .get("status")
        .and_then(ShopStatus::read)
        .unwrap_or_default();
    let (status, unknown_status) = loose::status(shop_status.key, STATUS_WORDS);
    let mut order = Order::new(Vendor::Shop, id, number, status);
    order.status_label = shop_status.title.or(unknown_status);
    order.status_colors = shop_status.colors;
    order.created_at = body.text("created_at");
    let currency = body.text("currency");
    order.total = body.amount("total").map(|amount| Money {
        amount,
        currency: currency.clone(),
    });
    for node in body.elements("items") {
        if let Some(item) = item(node, currency.as_deref()) {
            order.items.push(item);
        }
    }

    let codes = [
        ("pickup_otp", VoucherKind::PickupCode),
        ("return_otp", VoucherKind::ReturnCode),
    ];
    for (name, kind) in codes {
        if let Some(code) = body.text(name) {
            order.vouchers.push(Voucher::new(code, kind));
        }
    }
    Some(order)
}

/// The status: `{key, title, decoration}`, or just its key.
#[derive(Default)]
struct ShopStatus {
    key: Option<String>,
    title: Option<String>,
    colors: Option<StatusColors>,
}

impl ShopStatus {
    fn read<N: Node>(node: N) -> Option<Self> {
        if let Some(key) = node.as_text() {
            return Some(ShopStatus {
                key: loose::non_blank(&key),
                ..ShopStatus::default()
            });
        }
        let status = Fields::of(node, &["key", "title", "decoration"])?;
        Some(ShopStatus {
            key: status.text("key"),
            title: status.text("title"),
            colors: status.get("decoration").and_then(colors),
        })
    }
}

/// The decoration's colours that are valid hex; `None` when none is.
fn colors<N: Node>(node: N) -> Option<StatusColors> {
    let decoration = Fields::of(
        node,
        &["background_color", "foreground_color", "border_color"],
    )?;
    let color = |name| decoration.get(name).and_then(hex);
    let colors = StatusColors {
        background: color("background_color"),
        foreground: color("foreground_color"),
        border: color("border_color"),
    };
    (colors != StatusColors::default()).then_some(colors)
}

/// A colour is a string, or an object with light/dark variants: the first valid
/// `#rgb`/`#rrggbb` value, preferring the light theme's.
fn hex<N: Node>(node: N) -> Option<String> {
    if let Some(text) = node.as_text() {
        return hex_color(Some(text));
    }
    let themed = Fields::of(node, &["light_hex", "dark_hex", "hex"])?;
    ["light_hex", "dark_hex", "hex"]
        .into_iter()
        .find_map(|name| hex_color(themed.text(name)))
}

/// An item `{name, price, quantity, product: {name, price, currency}}`.
fn item<N: Node>(node: N, order_currency: Option<&str>) -> Option<Item> {
    let item = Fields::of(node, &["name", "price", "quantity", "product"])?;
    let product = item
        .get("product")
        .and_then(|node| Fields::of(node, &["name", "price", "currency"]));
    let product_text = |name| product.as_ref().and_then(|product| product.text(name));
    let currency = order_currency
        .map(str::to_owned)
        .or_else(|| product_text("currency"));
    Some(Item {
        name: product_text("name").or_else(|| item.text("name")),
        quantity: item.count("quantity"),
        unit_price: item
            .amount("price")
            .or_else(|| product.as_ref().and_then(|product| product.amount("price")))
            .map(|amount| Money { amount, currency }),
        fulfilled: None,
        fulfillment_status: None,
    })
}
