//! The audit trail: one `code_revealed` log line per code a reveal endpoint answers with,
//! so a shop can tell whether, when and how often a code was shown.
//!
//! A line holds the order, the code's ref and kind, the purpose the widget gave
//! (`?purpose=`), whether it was one code or all of them, the client as a keyed hash (never
//! its address) and the class of its user agent; its time is the log line's `timestamp`.
//! Never the code, the PIN or the claim URL. Lines go to the target [`TARGET`], at `info`.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use order_core::model::{Vendor, Voucher};
use sha2::Sha256;

use super::user_agent::UserAgentClass;
use crate::net::client::ClientKey;

/// The log target of audit lines (`RUST_LOG` must keep it at `info`).
pub const TARGET: &str = "order_proxy::audit";
/// The message of an audit line.
pub const CODE_REVEALED: &str = "code_revealed";

const HKDF_SALT: &[u8] = b"order-proxy audit";
const HKDF_INFO: &[u8] = b"order-proxy audit client v1 hmac-sha256";
/// Bytes of the client's keyed hash kept: enough to tell clients apart, 16 hex characters.
const CLIENT_HASH_BYTES: usize = 8;

/// Why the customer asked (`?purpose=`): one of a few words, whatever the query said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Reveal,
    Copy,
    Qr,
    Download,
    /// No `purpose` given.
    Unspecified,
    /// A `purpose` this version does not know (never logged as given).
    Other,
}

impl Purpose {
    pub fn of(query: Option<&str>) -> Purpose {
        match query {
            None => Purpose::Unspecified,
            Some("reveal") => Purpose::Reveal,
            Some("copy") => Purpose::Copy,
            Some("qr") => Purpose::Qr,
            Some("download") => Purpose::Download,
            Some(_) => Purpose::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reveal => "reveal",
            Purpose::Copy => "copy",
            Purpose::Qr => "qr",
            Purpose::Download => "download",
            Purpose::Unspecified => "unspecified",
            Purpose::Other => "other",
        }
    }
}

/// One code (`POST …/codes/{ref}`) or all of them (`POST …/codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    One,
    All,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::One => "one",
            Scope::All => "all",
        }
    }
}

/// Who asked for which order, and why: what every line of one request shares.
pub struct Reveal<'a> {
    pub vendor: Vendor,
    pub order_id: &'a str,
    pub purpose: Purpose,
    pub scope: Scope,
    /// [`Audit::client_hash`] of the client.
    pub client: String,
    pub user_agent: UserAgentClass,
}

/// Writes audit lines; holds the key clients are hashed with.
pub struct Audit {
    client_key: [u8; 32],
}

impl Audit {
    /// The key derives (HKDF-SHA256) from `ORDER_PROXY_TOKEN_SECRET`, which every instance
    /// has: one client hashes alike on all of them, and nobody without the secret can tell
    /// which address a hash stands for by hashing candidates.
    pub fn new(token_secret: &str) -> Audit {
        let mut client_key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(HKDF_SALT), token_secret.as_bytes())
            .expand(HKDF_INFO, &mut client_key)
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
        Audit { client_key }
    }

    /// The client (an IPv4 address or an IPv6 /64, as the rate limits count it) as 16 hex
    /// characters of a keyed hash.
    pub fn client_hash(&self, client: ClientKey) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.client_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(client.addr().to_string().as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..CLIENT_HASH_BYTES])
    }

    /// One `code_revealed` line for `voucher`, answered as `secret_ref`.
    pub fn code_revealed(&self, reveal: &Reveal<'_>, voucher: &Voucher, secret_ref: &str) {
        tracing::info!(
            target: TARGET,
            order_id = reveal.order_id,
            vendor = reveal.vendor.as_str(),
            r#ref = secret_ref,
            kind = voucher.kind.as_str(),
            purpose = reveal.purpose.as_str(),
            scope = reveal.scope.as_str(),
            client = reveal.client.as_str(),
            user_agent = reveal.user_agent.as_str(),
            "{CODE_REVEALED}"
        );
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::*;

    #[test]
    fn purposes_are_a_closed_set() {
        for word in ["reveal", "copy", "qr", "download"] {
            assert_eq!(Purpose::of(Some(word)).as_str(), word);
        }
        assert_eq!(Purpose::of(None), Purpose::Unspecified);
        assert_eq!(Purpose::of(Some("x\n{\"forged\":1}")), Purpose::Other);
    }

    #[test]
    fn a_client_hash_hides_the_address_and_is_stable_per_key() {
        let audit = Audit::new("a token secret of at least sixteen bytes");
        let client = |ip: &str| ClientKey::of(ip.parse::<IpAddr>().expect("an address"));
        let hash = audit.client_hash(client("203.0.113.7"));
        assert!(hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(hash, audit.client_hash(client("203.0.113.7")));
        assert_ne!(hash, audit.client_hash(client("203.0.113.8")));
        assert_eq!(
            audit.client_hash(client("2001:db8:1:2::1")),
            audit.client_hash(client("2001:db8:1:2::99")),
            "an IPv6 client is its /64"
        );
        let other = Audit::new("another token secret, also long enough");
        assert_ne!(hash, other.client_hash(client("203.0.113.7")));
    }
}
