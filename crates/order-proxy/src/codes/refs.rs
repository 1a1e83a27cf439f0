//! A voucher's reference (`ref`): what the redacted order names a code by, and what the
//! reveal endpoints are asked for.
//!
//! `base64url(HMAC-SHA256(key, vendor, order id, kind, code, occurrence))`, its first 16
//! bytes (22 characters), each field length-prefixed so that no two inputs read alike. The
//! key is derived with HKDF-SHA256 from `ORDER_PROXY_TOKEN_SECRET`, which every instance
//! has: a ref is the same for a voucher across answers and instances, unique within its
//! order (`occurrence` counts earlier vouchers with the same kind and code), URL-safe, and
//! says nothing about the code to whoever lacks the key.

use std::collections::HashMap;

use base64::Engine as _;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use order_core::model::{Order, Voucher, VoucherKind};
use sha2::Sha256;

const HKDF_SALT: &[u8] = b"order-proxy secret refs";
const HKDF_INFO: &[u8] = b"order-proxy ref v1 hmac-sha256";
/// Bytes of the MAC kept: 128 bits, 22 base64url characters.
const REF_BYTES: usize = 16;
pub const REF_CHARS: usize = 22;

/// The key refs are made with.
#[derive(Clone)]
pub struct RefKey([u8; 32]);

impl RefKey {
    pub fn derive(token_secret: &str) -> RefKey {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(HKDF_SALT), token_secret.as_bytes())
            .expand(HKDF_INFO, &mut key)
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
        RefKey(key)
    }

    /// Every voucher's ref, in the order's order.
    pub fn refs(&self, order: &Order) -> Vec<String> {
        let mut seen: HashMap<(VoucherKind, &str), u64> = HashMap::new();
        order
            .vouchers
            .iter()
            .map(|voucher| {
                // A code withheld already (a canonical body read back) counts as empty:
                // its ref is still unique, and it has no value to reveal.
                let code = voucher.code.value().unwrap_or("");
                let occurrence = seen.entry((voucher.kind, code)).or_default();
                let made = self.reference(order, voucher, code, *occurrence);
                *occurrence += 1;
                made
            })
            .collect()
    }

    /// Sets every voucher's `secret_ref`.
    pub fn assign(&self, order: &mut Order) {
        let refs = self.refs(order);
        for (voucher, made) in order.vouchers.iter_mut().zip(refs) {
            voucher.secret_ref = Some(made);
        }
    }

    fn reference(&self, order: &Order, voucher: &Voucher, code: &str, occurrence: u64) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        for field in [
            order.vendor.as_str(),
            &order.id,
            voucher.kind.as_str(),
            code,
        ] {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field.as_bytes());
        }
        mac.update(&occurrence.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..REF_BYTES])
    }
}

/// The keys a ref is looked up with: the current token secret's, and after a rotation the
/// previous one's (`ORDER_PROXY_TOKEN_SECRET_PREVIOUS`), so that a page loaded before the
/// rotation can still reveal its codes.
pub struct RefKeys {
    pub current: RefKey,
    pub previous: Option<RefKey>,
}

impl RefKeys {
    /// The voucher of `order` (whose refs are the current key's) known as `asked`.
    pub fn find<'a>(&self, order: &'a Order, asked: &str) -> Option<&'a Voucher> {
        if !is_well_formed(asked) {
            return None;
        }
        let current = order
            .vouchers
            .iter()
            .find(|voucher| voucher.secret_ref.as_deref() == Some(asked));
        current.or_else(|| {
            let previous = self.previous.as_ref()?.refs(order);
            let index = previous.iter().position(|made| made == asked)?;
            order.vouchers.get(index)
        })
    }
}

/// What a ref looks like: 22 base64url characters. Anything else is no ref of ours.
pub fn is_well_formed(text: &str) -> bool {
    text.len() == REF_CHARS
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use order_core::model::{Status, Vendor};

    use super::*;

    fn order(id: &str, codes: &[(&str, VoucherKind)]) -> Order {
        let mut order = Order::new(Vendor::Hsmail, id.into(), id.into(), Status::Delivered);
        order.vouchers = codes
            .iter()
            .map(|(code, kind)| Voucher::new(*code, *kind))
            .collect();
        order
    }

    const KEY: &str = "a token secret of at least sixteen bytes";

    #[test]
    fn refs_are_stable_unique_url_safe_and_keyed() {
        let key = RefKey::derive(KEY);
        let codes = [
            ("GIFT-0001", VoucherKind::Code),
            ("GIFT-0001", VoucherKind::Code),
            ("GIFT-0001", VoucherKind::Credential),
            ("GIFT-0002", VoucherKind::Code),
        ];
        let refs = key.refs(&order("HSM000000001", &codes));
        assert_eq!(refs, key.refs(&order("HSM000000001", &codes)), "stable");
        for (index, made) in refs.iter().enumerate() {
            assert!(is_well_formed(made), "{made}");
            assert!(!refs[..index].contains(made), "unique: {refs:?}");
            assert!(!made.contains("GIFT") && !made.contains("0001"));
        }
        let elsewhere = key.refs(&order("HSM000000002", &codes));
        assert!(
            refs.iter().all(|made| !elsewhere.contains(made)),
            "per order"
        );
        let other_key = RefKey::derive("another token secret, also long enough");
        let rekeyed = other_key.refs(&order("HSM000000001", &codes));
        assert!(refs.iter().all(|made| !rekeyed.contains(made)), "per key");
        // A new code in front does not change the refs of the others.
        let mut more = vec![("NEW-CODE", VoucherKind::Code)];
        more.extend(codes);
        assert_eq!(key.refs(&order("HSM000000001", &more))[1..], refs[..]);
    }

    #[test]
    fn found_by_the_current_or_the_previous_keys_ref() {
        let previous = RefKey::derive(KEY);
        let current = RefKey::derive("the new token secret, also long enough");
        let mut delivered = order("HSM000000001", &[("A-CODE-1", VoucherKind::Code)]);
        let old_ref = previous.refs(&delivered).remove(0);
        current.assign(&mut delivered);
        let new_ref = delivered.vouchers[0].secret_ref.clone().expect("assigned");
        let keys = RefKeys {
            current,
            previous: None,
        };
        assert!(keys.find(&delivered, &new_ref).is_some());
        assert!(keys.find(&delivered, &old_ref).is_none());
        let keys = RefKeys {
            previous: Some(previous),
            ..keys
        };
        assert!(
            keys.find(&delivered, &old_ref).is_some(),
            "after a rotation"
        );
        assert!(keys.find(&delivered, "not-a-ref").is_none());
        assert!(keys.find(&delivered, &"A".repeat(REF_CHARS)).is_none());
    }
}
