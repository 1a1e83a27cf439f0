//! hsmail: `{status: "success", data: {id, productName, status, deliveryData, items, …}}`.

use serde::Deserialize;

use super::loose::{self, StatusWords};
use crate::model::{Item, Money, Order, Status, Vendor, Voucher, VoucherKind};

/// `data` of the success envelope; any field of an unexpected type reads as absent.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Body {
    #[serde(default, deserialize_with = "loose::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    product_name: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    status_message: Option<String>,
    /// In BDT.
    #[serde(default, deserialize_with = "loose::amount")]
    total_cost: Option<String>,
    #[serde(default, deserialize_with = "loose::flag")]
    is_service: Option<bool>,
    /// One delivered item per line.
    #[serde(default, deserialize_with = "loose::text")]
    delivery_data: Option<String>,
    /// Delivered manual products.
    #[serde(default, deserialize_with = "loose::records")]
    items: Vec<ManualItem>,
    #[serde(default, deserialize_with = "loose::text")]
    created_at: Option<String>,
}

#[derive(Deserialize)]
struct ManualItem {
    #[serde(default, deserialize_with = "loose::text")]
    uid: Option<String>,
    #[serde(default, deserialize_with = "loose::text")]
    content: Option<String>,
}

const STATUS_WORDS: &StatusWords = &[
    ("PENDING", Status::Pending),
    ("PROCESSING", Status::Processing),
    ("COMPLETED", Status::Delivered),
    ("REFUNDED", Status::Refunded),
];

/// The order in an hsmail body; `None` without an id.
pub(super) fn to_order(body: Body) -> Option<Order> {
    let id = body.id?;
    let (status, unknown_status) = loose::status(body.status, STATUS_WORDS);
    let mut order = Order::new(Vendor::Hsmail, id.clone(), id, status);
    order.status_label = unknown_status;
    order.status_message = body.status_message;
    order.created_at = body.created_at;
    order.is_service = body.is_service.unwrap_or(false);
    order.total = body.total_cost.map(|amount| Money {
        amount,
        currency: Some("BDT".to_owned()),
    });

    let name = body.product_name;
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
    let lines = body.delivery_data.unwrap_or_default();
    for line in delivery_lines(&lines) {
        order.vouchers.push(voucher(line.to_owned(), None, item));
    }
    for manual in body.items {
        if let Some(content) = manual.content {
            order.vouchers.push(voucher(content, manual.uid, item));
        }
    }
    Some(order)
}

fn voucher(code: String, reference: Option<String>, item: Option<usize>) -> Voucher {
    Voucher {
        kind: kind_of(&code),
        reference,
        item,
        ..Voucher::new(code, VoucherKind::Code)
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
