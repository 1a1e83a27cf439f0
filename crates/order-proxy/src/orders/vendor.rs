//! What the proxy needs to know about each vendor: its name, its order path, its parser.

use order_core::model::{Order, Vendor};
use order_core::providers::Provider;

/// `"hsmail" | "voucher-api" | "shop" | "bdvoucher"` → the vendor.
pub fn from_name(name: &str) -> Option<Vendor> {
    Vendor::ALL
        .iter()
        .copied()
        .find(|vendor| vendor.as_str() == name)
}

/// The vendor's order route, per its spec, as an axum route (the id is `{id}`): the one
/// table the proxy's requests, the mock vendors and the tests' stub vendors all use.
pub fn order_route(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Hsmail => "/v1/order/{id}",
        Vendor::VoucherApi => "/api/v1/orders/{id}",
        Vendor::Shop => "/api/developer/v1/orders/{id}",
        Vendor::Bdvoucher => "/api/v1/orders/{id}",
    }
}

/// The vendor's own order path, appended to the upstream base URL. `id` must already have
/// passed [`crate::orders::ids::is_valid`], so it needs no escaping.
pub fn order_path(vendor: Vendor, id: &str) -> String {
    order_route(vendor).replace("{id}", id)
}

/// Whether `order`, read from the vendor's answer to `asked`, is that order: per its spec
/// the vendor echoes the id (hsmail `data.id`, voucher-api `id`); a shop id may be asked
/// as its id or its number, a bdvoucher one as its numeric `id` or its 8-digit
/// `order_number`. A vendor that mixes orders up must not show one customer another's codes.
pub fn answers_for(vendor: Vendor, order: &Order, asked: &str) -> bool {
    match vendor {
        Vendor::Hsmail | Vendor::VoucherApi => order.id == asked,
        Vendor::Shop | Vendor::Bdvoucher => order.id == asked || order.number == asked,
    }
}

pub fn provider(vendor: Vendor) -> Provider {
    match vendor {
        Vendor::Hsmail => Provider::Vendor(Vendor::Hsmail),
        Vendor::VoucherApi => Provider::Vendor(Vendor::VoucherApi),
        Vendor::Shop => Provider::Vendor(Vendor::Shop),
        Vendor::Bdvoucher => Provider::Vendor(Vendor::Bdvoucher),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_core::model::Status;

    fn order(vendor: Vendor, id: &str, number: &str) -> Order {
        Order::new(vendor, id.into(), number.into(), Status::Pending)
    }

    #[test]
    fn the_answer_must_be_the_order_asked_for() {
        let hsmail = order(Vendor::Hsmail, "U35MFE9656S7", "U35MFE9656S7");
        assert!(answers_for(Vendor::Hsmail, &hsmail, "U35MFE9656S7"));
        assert!(!answers_for(Vendor::Hsmail, &hsmail, "U35MFE9656S8"));
        assert!(!answers_for(Vendor::Hsmail, &hsmail, "u35mfe9656s7"));

        let voucher = order(Vendor::VoucherApi, "1001", "ORD-1001");
        assert!(answers_for(Vendor::VoucherApi, &voucher, "1001"));
        assert!(!answers_for(Vendor::VoucherApi, &voucher, "1002"));
        assert!(!answers_for(Vendor::VoucherApi, &voucher, "ORD-1001"));

        let bdvoucher = order(Vendor::Bdvoucher, "4711", "20250001");
        assert!(answers_for(Vendor::Bdvoucher, &bdvoucher, "4711"));
        assert!(answers_for(Vendor::Bdvoucher, &bdvoucher, "20250001"));
        assert!(!answers_for(Vendor::Bdvoucher, &bdvoucher, "20250002"));

        let shop = order(Vendor::Shop, "ORDER_1", "1001");
        assert!(answers_for(Vendor::Shop, &shop, "ORDER_1"));
        assert!(answers_for(Vendor::Shop, &shop, "1001"));
        assert!(!answers_for(Vendor::Shop, &shop, "ORDER_2"));
    }
}
