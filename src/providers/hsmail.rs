//! hsmail: `{status: "success", data: {id, productName, status, deliveryData, items, …}}`.

use super::loose::{self, Fields, StatusWords};
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};
use crate::node::Node;

const FIELDS: &[&str] = &[
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

const STATUS_WORDS: &StatusWords = &[
    ("PENDING", Status::Pending),
    ("PROCESSING", Status::Processing),
    ("COMPLETED", Status::Delivered),
    ("REFUNDED", Status::Refunded),
];

/// The order in an hsmail body; any field of the wrong type reads as absent.
pub(super) fn to_order<N: Node>(node: N) -> Option<Order> {
    let body = Fields::of(node, FIELDS)?;
    let id = body.text("id")?;
    let (status, unknown_status) = loose::status(body.text("status"), STATUS_WORDS);
    let mut order = Order::new(Vendor::Hsmail, id.clone(), id, status);
    order.status_label = unknown_status;
    order.status_message = body.text("statusMessage");
    order.created_at = body.text("createdAt");
    order.is_service = body.flag("isService").unwrap_or(false);
    order.total = body.amount("totalCost").map(|amount| Money {
        amount,
        currency: Some("BDT".to_owned()),
    });

    let name = body.text("productName");
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
    let lines = body.text("deliveryData").unwrap_or_default();
    for line in delivery_lines(&lines) {
        order.vouchers.push(voucher(line.to_owned(), None, item));
    }
    // A delivered manual product: `{uid, content}`.
    for node in body.elements("items") {
        let Some(manual) = Fields::of(node, &["uid", "content"]) else {
            continue;
        };
        if let Some(content) = manual.text("content") {
            order
                .vouchers
                .push(voucher(content, manual.text("uid"), item));
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
