//! shop: `{data: {id, total, currency, status: {key, title, decoration}, print_order_number,
//! items: [{price, quantity, product: {name, currency}}], pickup_otp, return_otp, …}}`.

use serde::Deserialize;

use super::loose::{status_key, Amount, Count, List, Loose, Text};
use super::safe::hex_color;
use crate::model::{Item, Money, Order, Status, StatusColors, Vendor, Voucher, VoucherKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Body {
    id: Text,
    total: Amount,
    currency: Text,
    created_at: Text,
    status: Loose<StatusField>,
    print_order_number: Text,
    items: List<ShopItem>,
    pickup_otp: Text,
    return_otp: Text,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum StatusField {
    Object(Box<StatusObject>),
    Key(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusObject {
    key: Text,
    title: Text,
    decoration: Loose<Decoration>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Decoration {
    background_color: Loose<Color>,
    foreground_color: Loose<Color>,
    border_color: Loose<Color>,
}

/// A colour is a string, or an object with light/dark variants.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Color {
    Plain(String),
    Themed(ThemedColor),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ThemedColor {
    light_hex: Text,
    dark_hex: Text,
    hex: Text,
}

impl Color {
    /// The first valid `#rgb`/`#rrggbb` value, preferring the light theme's.
    fn hex(self) -> Option<String> {
        match self {
            Color::Plain(text) => hex_color(Some(text)),
            Color::Themed(themed) => [themed.light_hex, themed.dark_hex, themed.hex]
                .into_iter()
                .find_map(|text| hex_color(text.0)),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShopItem {
    name: Text,
    price: Amount,
    quantity: Count,
    product: Loose<Product>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Product {
    name: Text,
    price: Amount,
    currency: Text,
}

/// Only `pending` and `cancelled` are documented; the rest are the keys such shops use.
/// `ready`/`ready_for_pickup` and on-the-way keys are `processing`, not `delivered`: the
/// customer still has to collect the order (with the pickup code), so polling goes on.
fn status(key: &str) -> Status {
    match status_key(key).as_str() {
        "PENDING" | "NEW" | "PLACED" => Status::Pending,
        "PROCESSING" | "PREPARING" | "ACCEPTED" | "CONFIRMED" | "IN_PROGRESS" | "READY"
        | "READY_FOR_PICKUP" | "SHIPPED" | "OUT_FOR_DELIVERY" | "ON_THE_WAY" => Status::Processing,
        "COMPLETED" | "COMPLETE" | "DELIVERED" | "DONE" | "FULFILLED" | "PICKED_UP" => {
            Status::Delivered
        }
        "REJECTED" | "FAILED" | "DECLINED" => Status::Failed,
        "CANCELLED" | "CANCELED" => Status::Cancelled,
        "REFUNDED" | "RETURNED" => Status::Refunded,
        _ => Status::Unknown,
    }
}

pub(super) fn to_order(body: Body) -> Option<Order> {
    let id = body.id.trimmed()?;
    let number = body
        .print_order_number
        .trimmed()
        .unwrap_or_else(|| id.clone());
    let (key, title, decoration) = match body.status.0 {
        Some(StatusField::Object(object)) => (
            object.key.trimmed(),
            object.title.trimmed(),
            object.decoration.0,
        ),
        Some(StatusField::Key(key)) => (Text(Some(key)).trimmed(), None, None),
        None => (None, None, None),
    };
    let status = key.as_deref().map_or(Status::Unknown, status);
    let mut order = Order::new(Vendor::Shop, id, number, status);
    order.status_label = title.or_else(|| super::label_if_unknown(status, key.as_deref()));
    order.status_colors = decoration.and_then(colors);
    order.created_at = body.created_at.trimmed();
    let currency = body.currency.trimmed();
    order.total = body.total.0.map(|amount| Money {
        amount,
        currency: currency.clone(),
    });
    order.items = body
        .items
        .0
        .into_iter()
        .map(|item| shop_item(item, currency.as_deref()))
        .collect();

    let codes = [
        (body.pickup_otp, VoucherKind::PickupCode),
        (body.return_otp, VoucherKind::ReturnCode),
    ];
    for (code, kind) in codes {
        if let Some(code) = code.trimmed() {
            order.vouchers.push(Voucher {
                code,
                pin: None,
                claim_url: None,
                reference: None,
                serial: None,
                expires_at: None,
                item: None,
                kind,
            });
        }
    }
    Some(order)
}

fn shop_item(item: ShopItem, order_currency: Option<&str>) -> Item {
    let product = item.product.0.unwrap_or_default();
    let currency = order_currency
        .map(str::to_owned)
        .or_else(|| product.currency.trimmed());
    Item {
        name: product.name.trimmed().or_else(|| item.name.trimmed()),
        quantity: item.quantity.0,
        unit_price: item
            .price
            .0
            .or(product.price.0)
            .map(|amount| Money { amount, currency }),
        fulfilled: None,
        fulfillment_status: None,
    }
}

/// The decoration's colours that are valid hex; `None` when none is.
fn colors(decoration: Decoration) -> Option<StatusColors> {
    let colors = StatusColors {
        background: decoration.background_color.0.and_then(Color::hex),
        foreground: decoration.foreground_color.0.and_then(Color::hex),
        border: decoration.border_color.0.and_then(Color::hex),
    };
    (colors != StatusColors::default()).then_some(colors)
}
