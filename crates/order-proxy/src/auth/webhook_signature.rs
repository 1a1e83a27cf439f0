//! Webhook signatures, the way a vendor (or the shop's backend) proves a notification is
//! genuine: `X-Order-Proxy-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
//!
//! Pure: the clock is passed in. The replay check is `auth::replays`.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

pub const SIGNATURE_HEADER: &str = "x-order-proxy-signature";

/// A signature more than this far from our clock (either way) is refused.
pub const TOLERANCE_SECS: u64 = 300;

/// Room for `t=` and a few `v1=` entries (each 67 bytes), checked before anything is
/// parsed: a longer header is refused whatever it holds.
pub const MAX_HEADER_BYTES: usize = 512;
/// Signatures compared against the one MAC: enough to rotate a secret or two.
pub const MAX_SIGNATURES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// Not `t=<digits>,v1=<hex>`, longer than [`MAX_HEADER_BYTES`] or with more than
    /// [`MAX_SIGNATURES`] `v1` entries.
    Malformed,
    /// No `v1` matches the body under our secret.
    Mismatch,
    /// Genuine, but its timestamp is more than [`TOLERANCE_SECS`] away.
    Stale,
}

/// A genuine signature. `replay_key` identifies it without revealing it (SHA-256 of the MAC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub replay_key: String,
}

/// The header value for `body` signed at `timestamp`.
pub fn sign(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    let signature = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(signature))
}

/// Checks the header's size and shape, computes the MAC of the body once, compares it in
/// constant time with every `v1`, then checks the timestamp.
pub fn verify(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now: u64,
) -> Result<Verified, SignatureError> {
    if header.len() > MAX_HEADER_BYTES {
        return Err(SignatureError::Malformed);
    }
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) if timestamp.is_none() => {
                timestamp = Some(parse_seconds(value).ok_or(SignatureError::Malformed)?);
            }
            Some(("v1", _)) if signatures.len() == MAX_SIGNATURES => {
                return Err(SignatureError::Malformed)
            }
            Some(("v1", value)) => {
                signatures.push(hex::decode(value).map_err(|_| SignatureError::Malformed)?)
            }
            // Other schemes (a future v2) are ignored, as Stripe-style headers allow.
            Some((_, _)) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    let expected = mac(secret, timestamp, body).finalize().into_bytes();
    let genuine = signatures
        .iter()
        .find(|signature| bool::from(expected.as_slice().ct_eq(signature)))
        .ok_or(SignatureError::Mismatch)?;
    if timestamp.abs_diff(now) > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    Ok(Verified {
        replay_key: hex::encode(Sha256::digest(genuine)),
    })
}

fn parse_seconds(value: &str) -> Option<u64> {
    if value.is_empty() || value.len() > 19 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

fn mac(secret: &[u8], timestamp: u64, body: &[u8]) -> HmacSha256 {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec-0123456789abcdef0123456789";
    const BODY: &[u8] = br#"{"order_id":"1002"}"#;

    #[test]
    fn round_trip() {
        let header = sign(SECRET, 1_000, BODY);
        assert!(header.starts_with("t=1000,v1="));
        let verified = verify(SECRET, &header, BODY, 1_000).expect("genuine");
        assert_eq!(verified.replay_key.len(), 64);
        assert!(!header.contains(&verified.replay_key));
        assert_eq!(verify(SECRET, &header, BODY, 1_300).map(|_| ()), Ok(()));
        assert_eq!(verify(SECRET, &header, BODY, 700).map(|_| ()), Ok(()));
    }

    /// The README's Python and Node examples give this for the same input.
    #[test]
    fn matches_the_documented_examples() {
        assert_eq!(
            sign(SECRET, 1_000, BODY),
            "t=1000,v1=86a9ced599d4949575b316e166dbfdcafa96118f7ea37a31958b56d0d869f0fb"
        );
    }

    #[test]
    fn refusals() {
        let header = sign(SECRET, 1_000, BODY);
        assert_eq!(
            verify(SECRET, &header, BODY, 1_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(SECRET, &header, BODY, 699),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"another secret", &header, BODY, 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, &header, br#"{"order_id":"1003"}"#, 1_000),
            Err(SignatureError::Mismatch)
        );
        let moved = header.replace("t=1000", "t=1001");
        assert_eq!(
            verify(SECRET, &moved, BODY, 1_000),
            Err(SignatureError::Mismatch)
        );
        for garbage in [
            "",
            "t=1000",
            "v1=abcd",
            "t=x,v1=00",
            "t=1000,v1=zz",
            "nonsense",
        ] {
            assert!(verify(SECRET, garbage, BODY, 1_000).is_err(), "{garbage:?}");
        }
    }

    #[test]
    fn long_or_crowded_headers_are_refused_before_any_mac() {
        let genuine = sign(SECRET, 1_000, BODY);
        let v1 = genuine.split_once(",v1=").map(|(_, v1)| v1).unwrap_or("");
        let wrong = format!("v1={}", "00".repeat(32));
        let with = |wrong_ones: usize| {
            let mut parts = vec!["t=1000".to_owned()];
            parts.extend(std::iter::repeat_n(wrong.clone(), wrong_ones));
            parts.push(format!("v1={v1}"));
            parts.join(",")
        };
        assert!(verify(SECRET, &with(MAX_SIGNATURES - 1), BODY, 1_000).is_ok());
        assert_eq!(
            verify(SECRET, &with(MAX_SIGNATURES), BODY, 1_000),
            Err(SignatureError::Malformed)
        );
        let crowded = format!("t=1000{}", ",v1=".repeat(120));
        assert!(crowded.len() < MAX_HEADER_BYTES);
        assert_eq!(
            verify(SECRET, &crowded, BODY, 1_000),
            Err(SignatureError::Malformed)
        );
        let padded = format!("{genuine},x={}", "0".repeat(MAX_HEADER_BYTES));
        assert_eq!(
            verify(SECRET, &padded, BODY, 1_000),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn one_matching_v1_among_several_is_enough() {
        let genuine = sign(SECRET, 1_000, BODY);
        let v1 = genuine.split_once(",v1=").map(|(_, v1)| v1).unwrap_or("");
        let header = format!("t=1000,v1={},v1={v1}", "00".repeat(32));
        assert!(verify(SECRET, &header, BODY, 1_000).is_ok());
    }
}
