//! hsmail: `{status: "success", data: {id, productName, status, deliveryData, items, …}}`.

use super::loose::{list, status_key, Amount, Flag, Text};
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};
use crate::node::{Node, Record};

#[derive(Debug, Default)]
pub(super) struct Body {
    id: Text,
    product_name: Text,
    status: Text,
    status_message: Text,
    total_cost: Amount,
    is_service: Flag,
    delivery_data: Text,
    items: Vec<ManualItem>,
    created_at: Text,
}

impl Body {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "productName",
        "status",
        "statusMessage",
        "totalCost",
        "isService",
        "deliveryData",
        "items",
        "createdAt",
    ];

    /// Any value of the wrong type reads as absent.
    pub fn read<N: Node>(node: N) -> Self {
        let Some(body) = Record::lenient(node, Self::FIELDS) else {
            return Body::default();
        };
        Body {
            id: Text::read(body.get("id")),
            product_name: Text::read(body.get("productName")),
            status: Text::read(body.get("status")),
            status_message: Text::read(body.get("statusMessage")),
            total_cost: Amount::read(body.get("totalCost")),
            is_service: Flag::read(body.get("isService")),
            delivery_data: Text::read(body.get("deliveryData")),
            items: list(body.get("items"), ManualItem::read),
            created_at: Text::read(body.get("createdAt")),
        }
    }
}

/// A delivered manual product.
#[derive(Debug, Default)]
struct ManualItem {
    uid: Text,
    content: Text,
}

impl ManualItem {
    fn read<N: Node>(node: N) -> Option<Self> {
        let item = Record::lenient(node, &["uid", "content"])?;
        Some(ManualItem {
            uid: Text::read(item.get("uid")),
            content: Text::read(item.get("content")),
        })
    }
}

fn status(raw: &str) -> Status {
    match status_key(raw).as_str() {
        "PENDING" => Status::Pending,
        "PROCESSING" => Status::Processing,
        "COMPLETED" => Status::Delivered,
        "REFUNDED" => Status::Refunded,
        _ => Status::Unknown,
    }
}

pub(super) fn to_order(body: Body) -> Option<Order> {
    let id = body.id.trimmed()?;
    let raw_status = body.status.trimmed();
    let status = raw_status.as_deref().map_or(Status::Unknown, status);
    let mut order = Order::new(Vendor::Hsmail, id.clone(), id, status);
    order.status_label = super::label_if_unknown(status, raw_status.as_deref());
    order.status_message = body.status_message.trimmed();
    order.created_at = body.created_at.trimmed();
    order.is_service = body.is_service.0.unwrap_or(false);
    order.total = body.total_cost.0.map(|amount| Money {
        amount,
        currency: Some("BDT".to_owned()),
    });

    let name = body.product_name.trimmed();
    let item = (name.is_some() || order.total.is_some()).then_some(0);
    if item.is_some() {
        order.items.push(Item {
            name,
            quantity: None,
            unit_price: order.total.clone(),
            fulfilled: None,
            fulfillment_status: None,
        });
    }

    // Service orders (boosting, top-ups) are delivered by hand: no codes, by design.
    if order.is_service {
        return Some(order);
    }
    let lines = body.delivery_data.0.unwrap_or_default();
    for line in delivery_lines(&lines) {
        order.vouchers.push(voucher(line.to_owned(), None, item));
    }
    for manual in body.items {
        if let Some(content) = manual.content.trimmed() {
            order
                .vouchers
                .push(voucher(content, manual.uid.trimmed(), item));
        }
    }
    Some(order)
}

fn voucher(code: String, reference: Option<String>, item: Option<usize>) -> Voucher {
    Voucher {
        kind: kind_of(&code),
        code,
        pin: None,
        claim_url: None,
        reference,
        serial: None,
        expires_at: None,
        item,
    }
}

/// The non-blank lines of `deliveryData`, trimmed (`\n`, `\r\n` or a lone `\r` end a line).
pub(super) fn delivery_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
}

/// A delivered line is an account credential when
/// - it contains `|` (`login|password`, `email | password | recovery`), or
/// - it is one word without spaces of the form `login:password`, both parts non-empty,
///   and the password does not start with `//` (so `https://…` stays a code).
///
/// Everything else, including labelled text such as `Code: ABCD` (it has a space), is a code.
pub(super) fn kind_of(line: &str) -> VoucherKind {
    if line.contains('|') {
        return VoucherKind::Credential;
    }
    if line.chars().any(char::is_whitespace) {
        return VoucherKind::Code;
    }
    match line.split_once(':') {
        Some((login, password))
            if !login.is_empty() && !password.is_empty() && !password.starts_with("//") =>
        {
            VoucherKind::Credential
        }
        _ => VoucherKind::Code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_and_codes() {
        for credential in [
            "user@example.com:hunter2",
            "login:pa:ss",
            "user|pass",
            "mail@x.com | secret | recovery@x.com",
            "https://site.example|user|pass",
        ] {
            assert_eq!(kind_of(credential), VoucherKind::Credential, "{credential}");
        }
        for code in [
            "ABCD-EFGH-1234",
            "https://redeem.example/abc",
            "http://x.example:8080/a",
            "Code: ABCD",
            ":leading",
            "trailing:",
            "1234567890",
        ] {
            assert_eq!(kind_of(code), VoucherKind::Code, "{code}");
        }
    }

    #[test]
    fn lines_split_on_any_line_end() {
        let lines: Vec<_> = delivery_lines("a\r\n\r\n  b  \n\n\rc\n \t\n").collect();
        assert_eq!(lines, ["a", "b", "c"]);
    }
}
