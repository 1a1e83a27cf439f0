//! Redis key names for per-order state that name no order: whoever reads Redis (a dump,
//! `MONITOR`, a shared instance's other users) learns no order id, while every instance
//! with the same `ORDER_PROXY_CACHE_KEY` names an order alike.
//!
//! `order-proxy:<kind>:<hex HMAC-SHA256(key, "<vendor>:<id>")>`, the key derived with
//! HKDF-SHA256 from `ORDER_PROXY_CACHE_KEY` (apart from the encryption key of values).

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const HKDF_INFO: &[u8] = b"order-proxy key names v1 hmac-sha256";

pub struct KeyNames {
    key: [u8; 32],
}

impl KeyNames {
    pub fn new(passphrase: &str) -> Self {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(crate::redis::seal::HKDF_SALT), passphrase.as_bytes())
            .expand(HKDF_INFO, &mut key)
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
        KeyNames { key }
    }

    /// `<prefix><kind>:<hex digest of order_key>`: the one spelling of every per-order key.
    pub fn per_order(&self, prefix: &str, kind: &str, order_key: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(order_key.as_bytes());
        format!(
            "{prefix}{kind}:{}",
            hex::encode(mac.finalize().into_bytes())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_hide_the_order_and_depend_on_the_cache_key() {
        let names = KeyNames::new("a cache key of at least thirty-two characters");
        let name = names.per_order("order-proxy:", "order", "hsmail:HSM000000001");
        assert!(name.starts_with("order-proxy:order:"));
        assert_eq!(name.len(), "order-proxy:order:".len() + 64);
        assert!(!name.contains("HSM000000001") && !name.contains("hsmail"));
        assert_eq!(
            name,
            names.per_order("order-proxy:", "order", "hsmail:HSM000000001"),
            "stable, so every instance finds it"
        );
        assert_ne!(
            name,
            names.per_order("order-proxy:", "order", "hsmail:HSM000000002")
        );
        let other = KeyNames::new("another cache key of at least thirty-two chars");
        assert_ne!(
            name,
            other.per_order("order-proxy:", "order", "hsmail:HSM000000001")
        );
    }
}
