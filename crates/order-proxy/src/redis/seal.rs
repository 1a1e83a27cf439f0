//! Authenticated encryption of what the proxy puts in Redis: XChaCha20-Poly1305 under a
//! key derived with HKDF-SHA256 from `ORDER_PROXY_CACHE_KEY`, a random 24-byte nonce per
//! value, and the Redis key as associated data (a value cannot be moved to another key).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::Sha256;

const NONCE_BYTES: usize = 24;
pub(crate) const HKDF_SALT: &[u8] = b"order-proxy shared state";
const HKDF_INFO: &[u8] = b"order-proxy cache v1 xchacha20poly1305";

pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl Sealer {
    pub fn new(passphrase: &str) -> Self {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(HKDF_SALT), passphrase.as_bytes())
            .expand(HKDF_INFO, &mut key)
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
        Sealer {
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }

    /// `nonce || ciphertext+tag`.
    pub fn seal(&self, context: &[u8], plaintext: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(std::io::Error::other)?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .map_err(|_| std::io::Error::other("encryption failed"))?;
        let mut out = Vec::with_capacity(NONCE_BYTES + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plaintext, or None if the value was not sealed by us for `context`.
    pub fn open(&self, context: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context,
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_bound_to_key_and_context() {
        let sealer = Sealer::new("a cache key of at least thirty-two characters");
        let sealed = sealer.seal(b"cache:1001", b"CODE-1234").expect("sealed");
        assert!(!sealed.windows(9).any(|window| window == b"CODE-1234"));
        assert_eq!(
            sealer.open(b"cache:1001", &sealed).as_deref(),
            Some(&b"CODE-1234"[..])
        );
        assert_eq!(sealer.open(b"cache:1002", &sealed), None);
        let other = Sealer::new("another cache key of at least thirty-two chars");
        assert_eq!(other.open(b"cache:1001", &sealed), None);
        let again = sealer.seal(b"cache:1001", b"CODE-1234").expect("sealed");
        assert_ne!(sealed, again, "a fresh nonce per value");
        assert_eq!(sealer.open(b"cache:1001", &sealed[..10]), None);
    }
}
