//! shop: `{data: {id, total, currency, status: {key, title, decoration}, print_order_number,
//! items: [{price, quantity, product: {name, currency}}], pickup_otp, return_otp, …}}`.

use super::loose::{list, status_key, Amount, Count, Text};
use super::safe::hex_color;
use crate::model::{Item, Money, Order, Status, StatusColors, Vendor, Voucher, VoucherKind};
use crate::node::{Node, Record};

#[derive(Debug, Default)]
pub(super) struct Body {
    id: Text,
    total: Amount,
    currency: Text,
    created_at: Text,
    status: Option<StatusField>,
    print_order_number: Text,
    items: Vec<ShopItem>,
    pickup_otp: Text,
    return_otp: Text,
}

impl Body {
    const FIELDS: &'static [&'static str] = &[
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

    /// Any value of the wrong type reads as absent.
    pub fn read<N: Node>(node: N) -> Self {
        let Some(body) = Record::lenient(node, Self::FIELDS) else {
            return Body::default();
        };
        Body {
            id: Text::read(body.get("id")),
            total: Amount::read(body.get("total")),
            currency: Text::read(body.get("currency")),
            created_at: Text::read(body.get("created_at")),
            status: body.get("status").and_then(StatusField::read),
            print_order_number: Text::read(body.get("print_order_number")),
            items: list(body.get("items"), ShopItem::read),
            pickup_otp: Text::read(body.get("pickup_otp")),
            return_otp: Text::read(body.get("return_otp")),
        }
    }
}

/// The status is an object, or just its key.
#[derive(Debug)]
enum StatusField {
    Object(Box<StatusObject>),
    Key(String),
}

impl StatusField {
    fn read<N: Node>(node: N) -> Option<Self> {
        match node.as_text() {
            Some(key) => Some(StatusField::Key(key)),
            None => StatusObject::read(node).map(|object| StatusField::Object(Box::new(object))),
        }
    }
}

#[derive(Debug, Default)]
struct StatusObject {
    key: Text,
    title: Text,
    decoration: Option<Decoration>,
}

impl StatusObject {
    fn read<N: Node>(node: N) -> Option<Self> {
        let status = Record::lenient(node, &["key", "title", "decoration"])?;
        Some(StatusObject {
            key: Text::read(status.get("key")),
            title: Text::read(status.get("title")),
            decoration: status.get("decoration").and_then(Decoration::read),
        })
    }
}

#[derive(Debug, Default)]
struct Decoration {
    background_color: Option<Color>,
    foreground_color: Option<Color>,
    border_color: Option<Color>,
}

impl Decoration {
    const FIELDS: &'static [&'static str] =
        &["background_color", "foreground_color", "border_color"];

    fn read<N: Node>(node: N) -> Option<Self> {
        let decoration = Record::lenient(node, Self::FIELDS)?;
        let color = |name| decoration.get(name).and_then(Color::read);
        Some(Decoration {
            background_color: color("background_color"),
            foreground_color: color("foreground_color"),
            border_color: color("border_color"),
        })
    }
}

/// A colour is a string, or an object with light/dark variants.
#[derive(Debug)]
enum Color {
    Plain(String),
    Themed(ThemedColor),
}

#[derive(Debug, Default)]
struct ThemedColor {
    light_hex: Text,
    dark_hex: Text,
    hex: Text,
}

impl Color {
    fn read<N: Node>(node: N) -> Option<Self> {
        if let Some(text) = node.as_text() {
            return Some(Color::Plain(text));
        }
        let themed = Record::lenient(node, &["light_hex", "dark_hex", "hex"])?;
        Some(Color::Themed(ThemedColor {
            light_hex: Text::read(themed.get("light_hex")),
            dark_hex: Text::read(themed.get("dark_hex")),
            hex: Text::read(themed.get("hex")),
        }))
    }

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

#[derive(Debug, Default)]
struct ShopItem {
    name: Text,
    price: Amount,
    quantity: Count,
    product: Option<Product>,
}

impl ShopItem {
    fn read<N: Node>(node: N) -> Option<Self> {
        let item = Record::lenient(node, &["name", "price", "quantity", "product"])?;
        Some(ShopItem {
            name: Text::read(item.get("name")),
            price: Amount::read(item.get("price")),
            quantity: Count::read(item.get("quantity")),
            product: item.get("product").and_then(Product::read),
        })
    }
}

#[derive(Debug, Default)]
struct Product {
    name: Text,
    price: Amount,
    currency: Text,
}

impl Product {
    fn read<N: Node>(node: N) -> Option<Self> {
        let product = Record::lenient(node, &["name", "price", "currency"])?;
        Some(Product {
            name: Text::read(product.get("name")),
            price: Amount::read(product.get("price")),
            currency: Text::read(product.get("currency")),
        })
    }
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
    let (key, title, decoration) = match body.status {
        Some(StatusField::Object(object)) => (
            object.key.trimmed(),
            object.title.trimmed(),
            object.decoration,
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
    let product = item.product.unwrap_or_default();
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
        background: decoration.background_color.and_then(Color::hex),
        foreground: decoration.foreground_color.and_then(Color::hex),
        border: decoration.border_color.and_then(Color::hex),
    };
    (colors != StatusColors::default()).then_some(colors)
}
