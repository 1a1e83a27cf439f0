//! shop: `{data: {id, total, currency, status: {key, title, decoration}, print_order_number,
//! items: [{price, quantity, product: {name, currency}}], pickup_otp, return_otp, …}}`.

use serde::Deserialize;

use crate::model::{Item, Money, Order, StatusColors, Vendor, Voucher, VoucherKind};
use crate::providers::checks::hex_color;
use crate::providers::json::fields::{
    non_blank, Amount, Count, Record, Records, Text, TextOrRecord,
};
use crate::providers::status_words::{self, SHOP};

/// `data` of the body; any field of an unexpected type reads as absent.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct Body {
    id: Text,
    total: Amount,
    currency: Text,
    created_at: Text,
    /// `{key, title, decoration}`, or in some shops just the key.
    status: TextOrRecord<StatusBody>,
    print_order_number: Text,
    items: Records<ItemBody>,
    /// One-time codes, present only when available.
    pickup_otp: Text,
    return_otp: Text,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct StatusBody {
    key: Text,
    title: Text,
    decoration: Record<Decoration>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Decoration {
    background_color: TextOrRecord<ThemedColor>,
    foreground_color: TextOrRecord<ThemedColor>,
    border_color: TextOrRecord<ThemedColor>,
}

/// A colour for each theme.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ThemedColor {
    light_hex: Text,
    dark_hex: Text,
    hex: Text,
}

/// An item `{name, price, quantity, product: {name, price, currency}}`.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ItemBody {
    id: Text,
    name: Text,
    price: Amount,
    quantity: Count,
    product: Record<Product>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Product {
    id: Text,
    name: Text,
    price: Amount,
    currency: Text,
}

/// The order in a shop body; `None` without an id.
pub fn to_order(body: Body) -> Option<Order> {
    let id = body.id.0?;
    let number = body.print_order_number.0.unwrap_or_else(|| id.clone());
    let shop_status = match body.status {
        TextOrRecord::Text(key) => StatusBody {
            key: Text(non_blank(&key)),
            ..StatusBody::default()
        },
        TextOrRecord::Record(status) => status,
        TextOrRecord::Neither => StatusBody::default(),
    };
    let (status, unknown_status) = status_words::status(shop_status.key.0, SHOP);
    let mut order = Order::new(Vendor::Shop, id, number, status);
    order.status_label = shop_status.title.0.or(unknown_status);
    order.status_colors = shop_status.decoration.0.and_then(colors);
    order.created_at = body.created_at.0;
    let currency = body.currency.0;
    order.total = body.total.0.map(|amount| Money {
        amount,
        currency: currency.clone(),
    });
    for item in body.items.0 {
        order.items.push(self::item(item, currency.as_deref()));
    }

    let codes = [
        (body.pickup_otp.0, VoucherKind::PickupCode),
        (body.return_otp.0, VoucherKind::ReturnCode),
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
        TextOrRecord::Record(themed) => [themed.light_hex.0, themed.dark_hex.0, themed.hex.0]
            .into_iter()
            .find_map(hex_color),
        TextOrRecord::Neither => None,
    }
}

fn item(item: ItemBody, order_currency: Option<&str>) -> Item {
    let product = item.product.0.unwrap_or_default();
    let currency = order_currency.map(str::to_owned).or(product.currency.0);
    Item {
        id: product.id.0.or(item.id.0),
        name: product.name.0.or(item.name.0),
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
