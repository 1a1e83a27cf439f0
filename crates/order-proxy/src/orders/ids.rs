//! Per-vendor order id rules, checked before any upstream call.

use order_core::model::Vendor;

pub fn is_valid(vendor: Vendor, id: &str) -> bool {
    match vendor {
        Vendor::Hsmail => id.len() == 12 && id.bytes().all(|b| b.is_ascii_alphanumeric()),
        Vendor::VoucherApi => is_positive_integer(id),
        Vendor::Bdvoucher => is_order_number(id) || is_positive_integer(id),
        Vendor::Shop => is_shop_id(id),
    }
}

/// The id shape every vendor accepts at most: `[A-Za-z0-9_-]{1,64}`. Used where the
/// vendor is not known (the `token` subcommand, the demo token endpoint).
pub fn is_shop_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Decimal digits without a sign or leading zero, fitting in 63 bits, and > 0.
fn is_positive_integer(id: &str) -> bool {
    id.bytes().all(|b| b.is_ascii_digit())
        && !id.starts_with('0')
        && id.parse::<i64>().is_ok_and(|n| n > 0)
}

/// bdvoucher's 8-digit `order_number` (leading zeros allowed).
fn is_order_number(id: &str) -> bool {
    id.len() == 8 && id.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_per_vendor() {
        assert!(is_valid(Vendor::Hsmail, "U35MFE9656S7"));
        assert!(!is_valid(Vendor::Hsmail, "U35MFE9656S"));
        assert!(!is_valid(Vendor::Hsmail, "U35MFE9656S-"));
        assert!(is_valid(Vendor::VoucherApi, "12345"));
        assert!(!is_valid(Vendor::VoucherApi, "0"));
        assert!(!is_valid(Vendor::VoucherApi, "-5"));
        assert!(!is_valid(Vendor::VoucherApi, "+5"));
        assert!(!is_valid(Vendor::VoucherApi, "99999999999999999999"));
        assert!(is_valid(Vendor::Bdvoucher, "00012345"));
        assert!(is_valid(Vendor::Bdvoucher, "42"));
        assert!(!is_valid(Vendor::Bdvoucher, "0042"));
        assert!(is_valid(Vendor::Shop, "ORDER_123-x"));
        assert!(!is_valid(Vendor::Shop, "a.b"));
        assert!(!is_valid(Vendor::Shop, &"a".repeat(65)));
        assert!(!is_valid(Vendor::Shop, ""));
    }
}
