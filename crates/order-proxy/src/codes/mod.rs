//! Codes leave the server only when the customer asks.
//!
//! By default every order body order-proxy serves (a GET, every event-stream event) is the
//! canonical order with each voucher redacted: code and PIN withheld (their length, and the
//! tail the mask shows), a claim URL that carries either left out, and a [`refs`] reference
//! to ask for them (`POST /api/orders/{id}/codes/{ref}`, `handlers/codes.rs`). Each reveal
//! writes an [`audit`] line. `serve --codes inline` serves the bodies of before (the
//! vendor's, or the canonical order with `--normalize`) for shops that need them.
//!
//! The parsed order, secrets included, is kept beside the body it was served as (in memory,
//! and sealed in Redis), so a reveal is answered from the cache like a GET.

pub mod audit;
pub mod refs;
pub mod user_agent;

use order_core::model::Order;

use refs::RefKey;

/// What order bodies carry of the codes (`serve --codes`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Codes {
    /// Withheld, revealed one request at a time (the default).
    #[default]
    Redacted,
    /// As the vendor sent them (less safe: every code in every body and event).
    Inline,
}

/// Turns a vendor's answer into the body order-proxy serves and the order it keeps.
pub struct Presenter {
    pub codes: Codes,
    /// `--normalize`: with `--codes inline`, the canonical order instead of the vendor's body.
    pub normalize: bool,
    pub refs: RefKey,
}

/// What the proxy serves of one vendor answer, and the order it keeps for reveals.
pub struct Presented {
    pub body: String,
    /// Every voucher with its `secret_ref`, and its secrets.
    pub order: Order,
}

impl Presenter {
    /// `order`, read from `vendor_body`, as served: redacted, or as before.
    pub fn present(
        &self,
        mut order: Order,
        vendor_body: String,
    ) -> Result<Presented, serde_json::Error> {
        let inline = match (self.codes, self.normalize) {
            (Codes::Redacted, _) => None,
            (Codes::Inline, false) => Some(vendor_body),
            // The canonical order as before this version: no refs.
            (Codes::Inline, true) => Some(serde_json::to_string(&order)?),
        };
        self.refs.assign(&mut order);
        let body = match inline {
            Some(body) => body,
            None => serde_json::to_string(&redacted(&order))?,
        };
        Ok(Presented { body, order })
    }
}

/// `order` with every voucher as [`order_core::model::Voucher::redacted`] makes it, under the
/// ref already assigned to it.
pub fn redacted(order: &Order) -> Order {
    let mut redacted = order.clone();
    for voucher in &mut redacted.vouchers {
        let secret_ref = voucher.secret_ref.clone().unwrap_or_default();
        *voucher = voucher.redacted(secret_ref);
    }
    redacted
}

#[cfg(test)]
mod tests {
    use order_core::model::{Status, Vendor, Voucher, VoucherKind};

    use super::*;

    fn delivered() -> (Order, String) {
        let mut order = Order::new(
            Vendor::VoucherApi,
            "1001".into(),
            "ORD-1001".into(),
            Status::Delivered,
        );
        let mut voucher = Voucher::new("VA-1001-0001-1234", VoucherKind::Code);
        voucher.pin = Some("4321".into());
        voucher.claim_url = Some("https://redeem.example.com/VA-1001-0001-1234".into());
        order.vouchers.push(voucher);
        (order, r#"{"vendor":"body"}"#.to_owned())
    }

    fn presenter(codes: Codes, normalize: bool) -> Presenter {
        Presenter {
            codes,
            normalize,
            refs: RefKey::derive("a token secret of at least sixteen bytes"),
        }
    }

    #[test]
    fn redacted_by_default_and_the_kept_order_has_the_secrets() {
        let (order, body) = delivered();
        let presented = presenter(Codes::Redacted, false)
            .present(order, body)
            .expect("serializable");
        for secret in ["VA-1001-0001", "4321", "redeem.example.com"] {
            assert!(!presented.body.contains(secret), "{}", presented.body);
        }
        let secret_ref = presented.order.vouchers[0].secret_ref.clone().expect("ref");
        assert!(presented.body.contains(&format!(r#""ref":"{secret_ref}""#)));
        assert!(presented
            .body
            .contains(r#""code":{"length":17,"last4":"1234"}"#));
        assert_eq!(
            presented.order.vouchers[0].code.value(),
            Some("VA-1001-0001-1234")
        );
    }

    #[test]
    fn inline_serves_the_bodies_of_before() {
        let (order, body) = delivered();
        let vendor = presenter(Codes::Inline, false)
            .present(order.clone(), body.clone())
            .expect("serializable");
        assert_eq!(vendor.body, body);
        let canonical = presenter(Codes::Inline, true)
            .present(order.clone(), body)
            .expect("serializable");
        assert_eq!(canonical.body, serde_json::to_string(&order).unwrap());
        assert!(
            canonical.order.vouchers[0].secret_ref.is_some(),
            "kept with refs"
        );
    }
}
