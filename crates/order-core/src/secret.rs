//! The secrets an order carries — codes, PINs, credentials — and what may be shown of them.
//!
//! A [`Secret`] is either its value (a vendor's body, `order-proxy serve --codes inline`) or
//! withheld: the redacted order order-proxy serves by default carries only what the mask
//! shows (the length, and the last four characters of a long code), and a reference to
//! ask for the value when the customer does ([`Revealed`]). `Debug` never prints a value,
//! and there is no `Display`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::voucher_kind::VoucherKind;

/// What a masked secret shows before its tail: eight dots, whatever its length.
const DOTS: &str = "••••••••";
/// Codes longer than this show their last four characters when masked.
const SHORT: usize = 8;
const TAIL: usize = 4;

/// A code, PIN or credential.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Secret {
    /// The value itself.
    Value(String),
    /// Withheld: how many characters it has and, where the mask shows them, its last four.
    Withheld {
        length: usize,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last4: Option<String>,
    },
}

impl Secret {
    /// The value, unless it is withheld.
    pub fn value(&self) -> Option<&str> {
        match self {
            Secret::Value(value) => Some(value),
            Secret::Withheld { .. } => None,
        }
    }

    /// The part the mask shows (`"3456"` of `••••••••3456`): the last four characters of a
    /// code longer than eight; nothing of a shorter code, a credential or a PIN (`kind`
    /// `Credential` for PINs). Anything describing a masked secret may say this much and no
    /// more.
    pub fn visible_tail(&self, kind: VoucherKind) -> Option<String> {
        if kind == VoucherKind::Credential {
            return None;
        }
        match self {
            Secret::Value(value) if value.chars().count() > SHORT => {
                let start = value
                    .char_indices()
                    .nth_back(TAIL - 1)
                    .map_or(0, |(i, _)| i);
                value.get(start..).map(str::to_owned)
            }
            Secret::Value(_) => None,
            Secret::Withheld { length, last4 } => last4
                .clone()
                .filter(|tail| *length > SHORT && tail.chars().count() == TAIL),
        }
    }

    /// The masked text: eight dots, then the visible tail if there is one.
    pub fn mask(&self, kind: VoucherKind) -> String {
        let mut masked = DOTS.to_owned();
        masked.push_str(&self.visible_tail(kind).unwrap_or_default());
        masked
    }

    /// The same secret withheld: its length and the tail its mask shows.
    pub fn withheld(&self, kind: VoucherKind) -> Secret {
        match self {
            Secret::Value(value) => Secret::Withheld {
                length: value.chars().count(),
                last4: self.visible_tail(kind),
            },
            withheld => withheld.clone(),
        }
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret::Value(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::Value(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Secret::Value(_) => f.write_str("<redacted>"),
            Secret::Withheld { length, last4 } => f
                .debug_struct("Withheld")
                .field("length", length)
                .field("last4", last4)
                .finish(),
        }
    }
}

/// True when `url` carries one of `secrets`' values, as it is or percent-decoded (a claim
/// URL such as `…/redeem?code=ABCD` is the secret too).
pub fn url_mentions(url: &str, secrets: &[&Secret]) -> bool {
    let url = url.to_ascii_lowercase();
    let decoded = percent_decode(&url).to_ascii_lowercase();
    let plus_decoded = decoded.replace('+', " ");
    secrets
        .iter()
        .filter_map(|secret| secret.value())
        .map(str::to_ascii_lowercase)
        .filter(|secret| !secret.is_empty())
        .any(|secret| {
            url.contains(&secret) || decoded.contains(&secret) || plus_decoded.contains(&secret)
        })
}

/// `%XX` sequences decoded (invalid ones kept as they are); lossy for invalid UTF-8.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                index += 3;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One voucher's secrets, as order-proxy's reveal endpoints answer
/// (`POST /api/orders/{id}/codes/{ref}`; `…/codes` answers [`RevealedAll`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revealed {
    /// The voucher's reference in the redacted order.
    #[serde(rename = "ref")]
    pub secret_ref: String,
    pub code: String,
    pub pin: Option<String>,
    /// The claim URL, when it carries the code or PIN (the redacted order leaves it out).
    pub claim_url: Option<String>,
}

impl fmt::Debug for Revealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Revealed")
            .field("ref", &self.secret_ref)
            .finish_non_exhaustive()
    }
}

/// Every voucher's secrets at once (Reveal all, Copy all, the CSV download).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedAll {
    pub codes: Vec<Revealed>,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn masking_shows_at_most_the_last_four() {
        let mask = |code: &str, kind| Secret::from(code).mask(kind);
        assert_eq!(mask("1234567890123456", VoucherKind::Code), "••••••••3456");
        assert_eq!(mask("12345678", VoucherKind::Code), "••••••••");
        assert_eq!(mask("1234", VoucherKind::Code), "••••••••");
        assert_eq!(
            mask("user@example.com:hunter22", VoucherKind::Credential),
            "••••••••"
        );
        assert_eq!(mask("ÄÖÜßÄÖÜßÄ", VoucherKind::Code), "••••••••ÖÜßÄ");
    }

    #[test]
    fn a_withheld_secret_masks_as_its_value_did() {
        for (code, kind) in [
            ("1234567890123456", VoucherKind::Code),
            ("12345678", VoucherKind::PickupCode),
            ("user@example.com:hunter22", VoucherKind::Credential),
            ("ÄÖÜßÄÖÜßÄ", VoucherKind::Code),
        ] {
            let value = Secret::from(code);
            let withheld = value.withheld(kind);
            assert_eq!(withheld.value(), None);
            assert_eq!(withheld.mask(kind), value.mask(kind), "{code}");
            assert_eq!(withheld.visible_tail(kind), value.visible_tail(kind));
        }
    }

    #[test]
    fn values_read_as_text_and_withheld_secrets_as_objects() {
        let value: Secret = serde_json::from_str(r#""ABCD-1234""#).unwrap();
        assert_eq!(value.value(), Some("ABCD-1234"));
        let withheld: Secret = serde_json::from_str(r#"{"length": 16, "last4": "3456"}"#).unwrap();
        assert_eq!(withheld.mask(VoucherKind::Code), "••••••••3456");
        assert_eq!(
            serde_json::to_string(&Secret::from("X").withheld(VoucherKind::Code)).unwrap(),
            r#"{"length":1}"#
        );
        // A tail that could not come from a mask is not shown.
        let forged: Secret = serde_json::from_str(r#"{"length": 4, "last4": "ABCD"}"#).unwrap();
        assert_eq!(forged.mask(VoucherKind::Code), "••••••••");
    }

    #[test]
    fn debug_prints_no_value() {
        let secret = Secret::from("SECRET-CODE-1");
        assert!(!format!("{secret:?}").contains("SECRET"));
        let revealed = Revealed {
            secret_ref: "r1".into(),
            code: "SECRET-CODE-1".into(),
            pin: Some("9876".into()),
            claim_url: None,
        };
        assert!(!format!("{revealed:?}").contains("SECRET"));
        assert!(!format!("{revealed:?}").contains("9876"));
    }

    #[test]
    fn a_url_carrying_a_secret_is_recognised() {
        let code = Secret::from("ABCD EFGH");
        let pin = Secret::from("4321");
        for url in [
            "https://x.example/r?c=abcd%20efgh",
            "https://x.example/r?c=ABCD+EFGH",
            "https://x.example/4321",
        ] {
            assert!(url_mentions(url, &[&code, &pin]), "{url}");
        }
        assert!(!url_mentions("https://x.example/redeem", &[&code, &pin]));
        let withheld = code.withheld(VoucherKind::Code);
        assert!(!url_mentions("https://x.example/abcd%20efgh", &[&withheld]));
    }
}
