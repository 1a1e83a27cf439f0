//! hsmail: `{status: "success", data: {id, productName, status, deliveryData, items, …}}`.

use serde::Deserialize;

use crate::model::{Item, Money, Order, Vendor, Voucher, VoucherKind};
use crate::providers::json::fields::{Amount, Flag, Records, Text};
use crate::providers::status_words::{self, HSMAIL};

/// `data` of the success envelope; any field of an unexpected type reads as absent.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Body {
    id: Text,
    product_name: Text,
    status: Text,
    status_message: Text,
    /// In BDT.
    total_cost: Amount,
    is_service: Flag,
    /// One delivered item per line.
    delivery_data: Text,
    /// Delivered manual products.
    items: Records<ManualItem>,
    created_at: Text,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ManualItem {
    uid: Text,
    content: Text,
}

/// The order in an hsmail body; `None` without an id.
pub fn to_order(body: Body) -> Option<Order> {
    let id = body.id.0?;
    let (status, unknown_status) = status_words::status(body.status.0, HSMAIL);
    let mut order = Order::new(Vendor::Hsmail, id.clone(), id, status);
    order.status_label = unknown_status;
    order.status_message = body.status_message.0;
    order.created_at = body.created_at.0;
    order.is_service = body.is_service.0.unwrap_or(false);
    order.total = body.total_cost.0.map(|amount| Money {
        amount,
        currency: Some("BDT".to_owned()),
    });

    let name = body.product_name.0;
    let item = (name.is_some() || order.total.is_some()).then_some(0);
    if item.is_some() {
        order.items.push(Item {
            id: None,
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
    for manual in body.items.0 {
        if let Some(content) = manual.content.0 {
            order.vouchers.push(voucher(content, manual.uid.0, item));
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
pub fn delivery_lines(text: &str) -> impl Iterator<Item = &str> {
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
pub fn kind_of(line: &str) -> VoucherKind {
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
