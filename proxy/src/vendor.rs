//! What the proxy needs to know about each vendor: its name, its order path, its parser.

use order_widget::model::Vendor;
use order_widget::providers::Provider;

pub const ALL: [Vendor; 4] = [
    Vendor::Hsmail,
    Vendor::VoucherApi,
    Vendor::Shop,
    Vendor::Bdvoucher,
];

/// `"hsmail" | "voucher-api" | "shop" | "bdvoucher"` → the vendor.
pub fn from_name(name: &str) -> Option<Vendor> {
    ALL.into_iter().find(|vendor| vendor.as_str() == name)
}

/// The vendor's own order path (per its spec), appended to the upstream base URL.
/// `id` must already have passed [`crate::ids::is_valid`], so it needs no escaping.
pub fn order_path(vendor: Vendor, id: &str) -> String {
    match vendor {
        Vendor::Hsmail => format!("/v1/order/{id}"),
        Vendor::VoucherApi => format!("/api/v1/orders/{id}"),
        Vendor::Shop => format!("/api/developer/v1/orders/{id}"),
        Vendor::Bdvoucher => format!("/api/v1/orders/{id}"),
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
