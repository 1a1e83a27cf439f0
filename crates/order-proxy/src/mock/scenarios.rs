//! The scripted mock orders: one table, shared by the mock vendors, the proxy's
//! id → vendor lookup and `GET /demo/scenarios`. Each order's clock starts at its
//! first (authenticated) request.

use order_core::model::Vendor;
use serde::Serialize;

/// A vendor-neutral stage of an order's life; each vendor module renders it in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Initiated,
    Pending,
    Processing,
    Delivered,
    PartiallyDelivered,
    NeedsAttention,
    Failed,
    Refunded,
    Cancelled,
}

/// How the mock vendor answers besides the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Normal,
    /// The first two requests get 429 with `Retry-After: 1`.
    RateLimitedTwice,
    /// Every third request (the 1st, 4th, 7th …) gets a 500.
    Flaky,
    NotFound,
}

#[derive(Debug, Serialize)]
pub struct Scenario {
    pub id: &'static str,
    #[serde(serialize_with = "vendor_name")]
    pub provider: Vendor,
    pub title: &'static str,
    pub description: &'static str,
    /// `(seconds since the first request, phase)`, ascending from 0.
    #[serde(skip)]
    pub timeline: &'static [(u64, Phase)],
    /// Codes when fully delivered.
    #[serde(skip)]
    pub codes: usize,
    #[serde(skip)]
    pub behaviour: Behaviour,
}

impl Scenario {
    pub fn vendor(&self) -> Vendor {
        self.provider
    }

    pub fn phase_at(&self, elapsed_secs: u64) -> Phase {
        self.timeline
            .iter()
            .take_while(|(from, _)| *from <= elapsed_secs)
            .last()
            .map_or(Phase::Pending, |(_, phase)| *phase)
    }
}

fn vendor_name<S: serde::Serializer>(vendor: &Vendor, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(vendor.as_str())
}

use Behaviour::*;
use Phase::*;

pub const SCENARIOS: &[Scenario] = &[
    // hsmail: 12 alphanumerics.
    Scenario { id: "HSM000000001", provider: Vendor::Hsmail, title: "Delivered instantly",
        description: "Completed at once: two gift codes and one account login in deliveryData.",
        timeline: &[(0, Delivered)], codes: 3, behaviour: Normal },
    Scenario { id: "HSM000000010", provider: Vendor::Hsmail, title: "Delivered after ~10 s",
        description: "Pending, processing after ~4 s, completed with two codes after ~10 s.",
        timeline: &[(0, Pending), (4, Processing), (10, Delivered)], codes: 2, behaviour: Normal },
    Scenario { id: "HSM000000020", provider: Vendor::Hsmail, title: "Delivered after ~20 s",
        description: "Pending, completed with two codes after ~20 s (for a vendor without webhooks: serve --mock-webhooks off).",
        timeline: &[(0, Pending), (20, Delivered)], codes: 2, behaviour: Normal },
    Scenario { id: "HSM00SERVICE", provider: Vendor::Hsmail, title: "Service order (no codes)",
        description: "isService: an admin completes it by hand after ~10 s; no codes are delivered.",
        timeline: &[(0, Processing), (10, Delivered)], codes: 0, behaviour: Normal },
    Scenario { id: "HSM000REFUND", provider: Vendor::Hsmail, title: "Refunded",
        description: "Processing, then refunded after ~5 s.",
        timeline: &[(0, Processing), (5, Refunded)], codes: 0, behaviour: Normal },
    // voucher-api: integers > 0.
    Scenario { id: "1001", provider: Vendor::VoucherApi, title: "Delivered instantly (code + PIN)",
        description: "One voucher with card number, PIN, claim URL and reference.",
        timeline: &[(0, Delivered)], codes: 1, behaviour: Normal },
    Scenario { id: "1002", provider: Vendor::VoucherApi, title: "Delivered after ~2 min",
        description: "Pending, processing after ~30 s, delivered with two vouchers after ~2 min.",
        timeline: &[(0, Pending), (30, Processing), (120, Delivered)], codes: 2, behaviour: Normal },
    Scenario { id: "1003", provider: Vendor::VoucherApi, title: "Partially delivered",
        description: "Three ordered; two vouchers arrive after ~5 s, the third stays pending.",
        timeline: &[(0, Processing), (5, PartiallyDelivered)], codes: 3, behaviour: Normal },
    Scenario { id: "1004", provider: Vendor::VoucherApi, title: "Rate limited twice, then delivered",
        description: "The vendor answers 429 with Retry-After: 1 twice, then the delivered order.",
        timeline: &[(0, Delivered)], codes: 1, behaviour: RateLimitedTwice },
    Scenario { id: "1005", provider: Vendor::VoucherApi, title: "Failed",
        description: "Processing, then failed after ~5 s (the wallet is refunded).",
        timeline: &[(0, Processing), (5, Failed)], codes: 0, behaviour: Normal },
    Scenario { id: "1404", provider: Vendor::VoucherApi, title: "Not found",
        description: "The vendor answers 404 not_found.",
        timeline: &[(0, Pending)], codes: 0, behaviour: NotFound },
    // shop: [A-Za-z0-9_-]{1,64}.
    Scenario { id: "SHOP-PICKUP-1", provider: Vendor::Shop, title: "Pickup code",
        description: "Pending, completed after ~8 s with a pickup code and a return code.",
        timeline: &[(0, Pending), (8, Delivered)], codes: 0, behaviour: Normal },
    Scenario { id: "SHOP-CANCEL-1", provider: Vendor::Shop, title: "Cancelled",
        description: "Cancelled by the shop.",
        timeline: &[(0, Cancelled)], codes: 0, behaviour: Normal },
    Scenario { id: "SHOP-FLAKY-1", provider: Vendor::Shop, title: "Intermittent 5xx, delivered after ~10 s",
        description: "Every third request fails with 500; completed with a pickup code after ~10 s.",
        timeline: &[(0, Pending), (10, Delivered)], codes: 0, behaviour: Flaky },
    // bdvoucher: integer or 8-digit order number.
    Scenario { id: "20250001", provider: Vendor::Bdvoucher, title: "Delivered instantly (two items)",
        description: "Succeeded: two codes for the first item, one for the second (unnamed items: variants 22402 and 22405).",
        timeline: &[(0, Delivered)], codes: 3, behaviour: Normal },
    Scenario { id: "20250010", provider: Vendor::Bdvoucher, title: "Paid, delivered after ~10 s",
        description: "Initiated, paid and fulfilling (PENDING) after ~3 s, succeeded after ~10 s.",
        timeline: &[(0, Initiated), (3, Processing), (10, Delivered)], codes: 2, behaviour: Normal },
    Scenario { id: "20250002", provider: Vendor::Bdvoucher, title: "Needs attention",
        description: "Charged, then delivery failed after ~6 s: an operator must act.",
        timeline: &[(0, Processing), (6, NeedsAttention)], codes: 2, behaviour: Normal },
    Scenario { id: "20250500", provider: Vendor::Bdvoucher, title: "Bulk order: 500 codes",
        description: "Fulfilling, then succeeded after ~3 s with 500 codes (the last starts with =).",
        timeline: &[(0, Processing), (3, Delivered)], codes: 500, behaviour: Normal },
    Scenario { id: "20250004", provider: Vendor::Bdvoucher, title: "One item delivered, one still pending",
        description: "Fulfilment running: after ~4 s the first item's two codes are out, the second item is pending.",
        timeline: &[(0, Processing), (4, PartiallyDelivered)], codes: 3, behaviour: Normal },
    Scenario { id: "20250003", provider: Vendor::Bdvoucher, title: "Cancelled before payment",
        description: "The customer cancelled at the gateway.",
        timeline: &[(0, Cancelled)], codes: 0, behaviour: Normal },
];

pub fn find(id: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|scenario| scenario.id == id)
}

/// The code number `n` of an order: deterministic, so tests can look for it.
pub fn code(prefix: &str, id: &str, n: usize) -> String {
    format!(
        "{prefix}-{id}-{:04}-{:04}",
        n + 1,
        (n * 7919 + 1234) % 10_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_valid_for_their_vendor() {
        for (index, scenario) in SCENARIOS.iter().enumerate() {
            assert!(
                crate::orders::ids::is_valid(scenario.provider, scenario.id),
                "{}",
                scenario.id
            );
            assert!(SCENARIOS[..index]
                .iter()
                .all(|other| other.id != scenario.id));
            assert_eq!(scenario.timeline.first().map(|(from, _)| *from), Some(0));
        }
    }

    #[test]
    fn timeline() {
        let delayed = find("HSM000000010").unwrap();
        assert_eq!(delayed.phase_at(0), Phase::Pending);
        assert_eq!(delayed.phase_at(5), Phase::Processing);
        assert_eq!(delayed.phase_at(10), Phase::Delivered);
        let slow = find("HSM000000020").unwrap();
        assert_eq!(slow.phase_at(19), Phase::Pending);
        assert_eq!(slow.phase_at(20), Phase::Delivered);
    }
}
