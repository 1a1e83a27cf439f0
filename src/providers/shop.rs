//! shop: `{data: {id, total, currency, status: {key, title, decoration}, print_order_number,
//! items: [{price, quantity, product: {name, currency}}], pickup_otp, return_otp, …}}`.

use serde::Deserialize;

use super::loose::{self, StatusWords, TextOrRecord};
use super::safe::hex_color;
use crate::model::{Item, Money, Order, Status, StatusColors, Vendor, Voucher, VoucherKind};

/// `data` of the body; any field of an unexpected type reads as absent.
#[derive(Deserialize)]
pub(super) struct Body {
    #[serde(default, deserialize_with = "loose::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "loose::amount")]
    total: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    currency: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    created_at: Option<String>,
    /// `{key, title, decoration}`, or in some shops just the key.
    #[serde(default, deserialize_with = "loose::text_or_record")]
    status: TextOrRecord<StatusBody>,
    #[serde(default, deserialize_with = "loose::text")]
    print_order_number: Option<String>,
    #[serde(default, deserialize_with = "loose::records")]
    items: Vec<ItemBody>,
    /// One-time codes, present only when available.
    #[serde(default, deserialize_with = "loose::text")]
    pickup_otp: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    return_otp: Option<String>,
}

#[derive(Default, Deserialize)]
struct StatusBody {
    #[serde(default, deserialize_with = "loose::text")]
    key: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    title: Option<String>,
    #[serde(default, deserialize_with = "loose::record")]
    decoration: Option<Decoration>,
}

#[derive(Deserialize)]
struct Decoration {
    #[serde(default, deserialize_with = "loose::text_or_record")]
    background_color: TextOrRecord<ThemedColor>,
    #[serde(default, deserialize_with = "loose::text_or_record")]
    foreground_color: TextOrRecord<ThemedColor>,
    #[serde(default, deserialize_with = "loose::text_or_record")]
    border_color: TextOrRecord<ThemedColor>,
}

/// A colour for each theme.
#[derive(Deserialize)]
struct ThemedColor {
    #[serde(default, deserialize_with = "loose::text")]
    light_hex: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    dark_hex: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    hex: Option<String>,
}

/// An item `{name, price, quantity, product: {name, price, currency}}`.
#[derive(Deserialize)]
struct ItemBody {
    #[serde(default, deserialize_with = "loose::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "loose::amount")]
    price: Option<String>,
    #[serde(default, deserialize_with = "loose::count")]
    quantity: Option<u32>,
    #[serde(default, deserialize_with = "loose::record")]
    product: Option<Product>,
}

#[derive(Default, Deserialize)]
struct Product {
    #[serde(default, deserialize_with = "loose::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "loose::amount")]
    price: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    currency: Option<String>,
}

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

/// The order in a shop body; `None` without an id.
pub(super) fn to_order(body: Body) -> Option<Order> {
    let id = body.id?;
    let number = body.print_order_number.unwrap_or_else(|| id.clone());
    let shop_status = match body.status {
        TextOrRecord::Text(key) => StatusBody {
            key: loose::non_blank(&key),
            ..StatusBody::default()
        },
        TextOrRecord::Record(status) => status,
        TextOrRecord::Neither => StatusBody::default(),
    };
    let (status, unknown_status) = loose::status(shop_status.key, STATUS_WORDS);
    let mut order = Order::new(Vendor::Shop, id, number, status);
    order.status_label = shop_status.title.or(unknown_status);
    order.status_colors = shop_status.decoration.and_then(colors);
    order.created_at = body.created_at;
    let currency = body.currency;
    order.total = body.total.map(|amount| Money {
        amount,
        currency: currency.clone(),
    });
    for item in body.items {
        order.items.push(self::item(item, currency.as_deref()));
    }

    let codes = [
        (body.pickup_otp, VoucherKind::PickupCode),
        (body.return_otp, VoucherKind::ReturnCode),
    ];
    for (code, kind) in codes {
        if let Some(code) = code {
            order.vouchers.push(Voucher::new(code, kind));
        }
    }
    Some(order)
}

/// The decoration's colours that are valid hex; `None` when none is.
fn colors(decoration: Decoration) -> Option<StatusColors> {
    let colors = StatusColors {
        background: hex(decoration.background_color),
        foreground: hex(decoration.foreground_color),
        border: hex(decoration.border_color),
    };
    (colors != StatusColors::default()).then_some(colors)
}

/// The colour if it is a valid `#rgb`/`#rrggbb` value; of light/dark variants the first
/// valid one, preferring the light theme's.
fn hex(color: TextOrRecord<ThemedColor>) -> Option<String> {
    match color {
        TextOrRecord::Text(text) => hex_color(Some(text)),
        TextOrRecord::Record(themed) => [themed.light_hex, themed.dark_hex, themed.hex]
            .into_iter()
            .find_map(hex_color),
        TextOrRecord::Neither => None,
    }
}

fn item(item: ItemBody, order_currency: Option<&str>) -> Item {
    let product = item.product.unwrap_or_default();
    let currency = order_currency.map(str::to_owned).or(product.currency);
    Item {
        name: product.name.or(item.name),
        quantity: item.quantity,
        unit_price: item
            .price
            .or(product.price)
            .map(|amount| Money { amount, currency }),
        fulfilled: None,
        fulfillment_status: None,
    }
}
