//! The one order model every vendor format becomes at the border (`providers`).
//!
//! Pure data and the rules that belong to the data: which statuses are terminal,
//! how a code is masked. No web dependency: compiles and is tested natively.

use std::fmt;

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::secret::url_mentions;
pub use crate::secret::{Revealed, Secret};
pub use crate::voucher_kind::VoucherKind;

/// The normalized order status. The serialized names ([`Status::as_str`]) are a stable
/// contract (canonical JSON, `order-widget:status` events, `data-status`); a name this
/// version does not know reads as `Unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[derive(Serialize, Deserialize, EnumString, IntoStaticStr, VariantArray)]
#[serde(into = "&'static str", from = "String")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// Order created, payment not yet confirmed.
    Initiated,
    /// Waiting for the vendor to start work.
    Pending,
    /// Payment authorized (carrier billing), final confirmation pending.
    Authorized,
    /// Paid; fulfilment running.
    Processing,
    Delivered,
    PartiallyDelivered,
    /// Charged but delivery failed; an operator must act.
    NeedsAttention,
    Failed,
    Cancelled,
    Refunded,
    /// Any name not above.
    Unknown,
}

impl Status {
    /// A terminal order never changes again, so polling stops and caches may keep it.
    /// `PartiallyDelivered` and `NeedsAttention` are not terminal: an operator may finish them.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Delivered | Status::Failed | Status::Cancelled | Status::Refunded
        )
    }
}

crate::names::names!(Status, Vendor);
crate::names::parsed_by_name!(Vendor);

impl From<String> for Status {
    fn from(name: String) -> Status {
        name.parse().unwrap_or(Status::Unknown)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money. `amount` keeps the vendor's decimal text exactly
/// ("25.00" stays "25.00"); `currency` is an ISO 4217 code when known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: String,
    pub currency: Option<String>,
}

/// Colours a vendor attaches to its status (shop's `status.decoration`).
/// Every value has been checked to be `#rgb` or `#rrggbb`, so it is safe in CSS.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusColors {
    pub background: Option<String>,
    pub foreground: Option<String>,
    pub border: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The vendor's id of the product or variant (what a shop's `itemLabels` name).
    pub id: Option<String>,
    pub name: Option<String>,
    pub quantity: Option<u32>,
    pub unit_price: Option<Money>,
    /// `Some(true)` once the vendor says this item is delivered.
    pub fulfilled: Option<bool>,
    /// The vendor's fine-grained state, lower case (`succeeded`, `dispatch_failed`, …).
    pub fulfillment_status: Option<String>,
}

impl Item {
    /// True when the vendor reports this item's fulfilment as failed.
    pub fn failed(&self) -> bool {
        self.fulfillment_status
            .as_deref()
            .is_some_and(|s| s.ends_with("failed"))
    }
}

/// One delivered code. `code` and `pin` are [`Secret`]s: nothing may put them in logs,
/// errors, events or (while masked) the DOM. In the redacted order order-proxy serves they
/// are withheld, and `secret_ref` names them for the reveal endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voucher {
    /// The voucher's reference within its order, in a redacted order: stable across
    /// answers, unique, and revealing nothing of the code.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<String>,
    pub code: Secret,
    pub pin: Option<Secret>,
    /// Only absolute `http:`/`https:` URLs survive parsing; a redacted order leaves out one
    /// that carries the code or PIN.
    pub claim_url: Option<String>,
    pub reference: Option<String>,
    pub serial: Option<String>,
    pub expires_at: Option<String>,
    /// Index into `Order::items` of the item this code belongs to, when known.
    pub item: Option<usize>,
    pub kind: VoucherKind,
}

impl Voucher {
    /// A code of `kind` with nothing else known about it.
    pub fn new(code: impl Into<Secret>, kind: VoucherKind) -> Self {
        Voucher {
            secret_ref: None,
            code: code.into(),
            pin: None,
            claim_url: None,
            reference: None,
            serial: None,
            expires_at: None,
            item: None,
            kind,
        }
    }
}

impl Voucher {
    /// The voucher as a redacted order carries it: code and PIN withheld (length and the
    /// tail the mask shows), a claim URL that carries either left out, `secret_ref` set.
    pub fn redacted(&self, secret_ref: String) -> Voucher {
        let carries_secret = self
            .claim_url
            .as_deref()
            .is_some_and(|url| url_mentions(url, &self.secrets()));
        Voucher {
            secret_ref: Some(secret_ref),
            code: self.code.withheld(self.kind),
            pin: self
                .pin
                .as_ref()
                .map(|pin| pin.withheld(VoucherKind::Credential)),
            claim_url: self.claim_url.clone().filter(|_| !carries_secret),
            ..self.clone()
        }
    }

    /// What the reveal endpoints answer for this voucher, known as `secret_ref`; `None`
    /// when its code is withheld here too.
    pub fn revealed(&self, secret_ref: &str) -> Option<Revealed> {
        let claim_url = self
            .claim_url
            .clone()
            .filter(|url| url_mentions(url, &self.secrets()));
        Some(Revealed {
            secret_ref: secret_ref.to_owned(),
            code: self.code.value()?.to_owned(),
            pin: self.pin.as_ref().and_then(Secret::value).map(str::to_owned),
            claim_url,
        })
    }

    fn secrets(&self) -> Vec<&Secret> {
        std::iter::once(&self.code).chain(&self.pin).collect()
    }
}

/// Which vendor an order comes from (and which format its body has).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[derive(Serialize, Deserialize, EnumString, IntoStaticStr, VariantArray)]
#[serde(into = "&'static str", try_from = "String")]
#[strum(serialize_all = "kebab-case")]
pub enum Vendor {
    Hsmail,
    VoucherApi,
    Shop,
    Bdvoucher,
}

/// The canonical order: what the UI renders, the poller compares and
/// `order-proxy normalize` / `serve --normalize` print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub vendor: Vendor,
    /// The vendor's own id, as text.
    pub id: String,
    /// The number a customer recognises (order number, reference code, …).
    pub number: String,
    pub status: Status,
    /// Always `status.is_terminal()`; serialized for consumers of the canonical JSON.
    pub terminal: bool,
    pub status_label: Option<String>,
    pub status_message: Option<String>,
    pub status_colors: Option<StatusColors>,
    pub total: Option<Money>,
    pub created_at: Option<String>,
    /// A service order (hsmail `isService`): delivered by hand, no codes expected.
    pub is_service: bool,
    pub items: Vec<Item>,
    pub vouchers: Vec<Voucher>,
}

impl Order {
    /// A new order with the given identity and status and everything else empty.
    pub fn new(vendor: Vendor, id: String, number: String, status: Status) -> Self {
        Order {
            vendor,
            id,
            number,
            status,
            terminal: status.is_terminal(),
            status_label: None,
            status_message: None,
            status_colors: None,
            total: None,
            created_at: None,
            is_service: false,
            items: Vec::new(),
            vouchers: Vec::new(),
        }
    }
}

/// True for `-?digits(.digits)?`: a plain decimal, what vendors' amounts must be and what
/// `Intl.NumberFormat` formats exactly from text.
pub fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_plain_decimals() {
        for text in ["0", "25", "25.00", "-3.5", "1500.000"] {
            assert!(is_decimal(text), "{text}");
        }
        for text in [
            "", "-", ".5", "5.", "1e3", "1,500", "NaN", "Infinity", "25.0.0", "+1",
        ] {
            assert!(!is_decimal(text), "{text}");
        }
    }

    #[test]
    fn terminal_statuses() {
        let terminal: Vec<_> = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(
            terminal,
            [
                Status::Delivered,
                Status::Failed,
                Status::Cancelled,
                Status::Refunded
            ]
        );
    }

    #[test]
    fn status_names_round_trip() {
        for &status in Status::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), status);
        }
        assert_eq!(
            serde_json::from_str::<Status>("\"shipped\"").unwrap(),
            Status::Unknown
        );
    }

    #[test]
    fn kind_and_vendor_names_round_trip_and_unknown_ones_are_refused() {
        for &kind in VoucherKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<VoucherKind>(&json).unwrap(), kind);
        }
        for &vendor in Vendor::ALL {
            let json = serde_json::to_string(&vendor).unwrap();
            assert_eq!(json, format!("\"{}\"", vendor.as_str()));
            assert_eq!(serde_json::from_str::<Vendor>(&json).unwrap(), vendor);
        }
        assert!(serde_json::from_str::<VoucherKind>("\"coupon\"").is_err());
        assert!(serde_json::from_str::<Vendor>("\"acme\"").is_err());
        assert!(serde_json::from_str::<Status>("7").is_err());
    }

    #[test]
    fn voucher_debug_redacts_secrets() {
        let voucher = Voucher {
            secret_ref: None,
            code: "SECRET-CODE-1".into(),
            pin: Some("9876".into()),
            claim_url: Some("https://redeem.example/SECRET".into()),
            reference: Some("REF-1".into()),
            serial: None,
            expires_at: None,
            item: Some(0),
            kind: VoucherKind::Code,
        };
        let debug = format!("{voucher:?}");
        assert!(!debug.contains("SECRET-CODE"));
        assert!(!debug.contains("9876"));
        assert!(debug.contains("REF-1"));
    }

    #[test]
    fn a_redacted_voucher_carries_no_secret_and_reveals_what_was_withheld() {
        let mut voucher = Voucher::new("GIFT-CARD-0001-2345", VoucherKind::Code);
        voucher.pin = Some("9876".into());
        voucher.claim_url = Some("https://redeem.example/?c=GIFT-CARD-0001-2345".into());
        let redacted = voucher.redacted("r1".into());
        let json = serde_json::to_string(&redacted).unwrap();
        for secret in ["GIFT-CARD-0001", "9876", "redeem.example"] {
            assert!(!json.contains(secret), "{json}");
        }
        assert!(json.contains(r#""ref":"r1""#), "{json}");
        assert_eq!(redacted.code.mask(VoucherKind::Code), "••••••••2345");
        let revealed = voucher.revealed("r1").unwrap();
        assert_eq!(revealed.code, "GIFT-CARD-0001-2345");
        assert_eq!(revealed.pin.as_deref(), Some("9876"));
        assert!(revealed.claim_url.is_some());
        assert_eq!(redacted.revealed("r1"), None);
        let back: Voucher = serde_json::from_str(&json).unwrap();
        assert_eq!(back, redacted);
    }
}
