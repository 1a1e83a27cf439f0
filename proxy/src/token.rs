//! Order tokens: proof, issued by the storefront's backend, that the bearer may see one order.
//!
//! Format: `v1.<expiry unix seconds>.<signature>` where
//! `signature = base64url_nopad(HMAC-SHA256(secret, "v1." + order_id + "." + expiry))`.
//! Order ids never contain `.`, so the signed text is unambiguous.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const VERSION: &str = "v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Malformed, signed with another secret, or for another order.
    Invalid,
    /// Correctly signed for this order, but past its expiry.
    Expired,
}

pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// A token for `order_id` valid for `ttl` from now.
pub fn mint(secret: &[u8], order_id: &str, ttl: Duration) -> String {
    mint_until(secret, order_id, now_unix().saturating_add(ttl.as_secs()))
}

pub fn mint_until(secret: &[u8], order_id: &str, expires_at: u64) -> String {
    let signature =
        URL_SAFE_NO_PAD.encode(mac(secret, order_id, expires_at).finalize().into_bytes());
    format!("{VERSION}.{expires_at}.{signature}")
}

/// Checks the signature first (in constant time, via `Mac::verify_slice`), then the expiry,
/// so an expired token is only reported as expired when it is genuine.
pub fn verify(secret: &[u8], order_id: &str, token: &str, now: u64) -> Result<(), TokenError> {
    let mut parts = token.split('.');
    let (Some(VERSION), Some(expiry), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Invalid);
    };
    let expires_at: u64 = expiry.parse().map_err(|_| TokenError::Invalid)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Invalid)?;
    mac(secret, order_id, expires_at)
        .verify_slice(&signature)
        .map_err(|_| TokenError::Invalid)?;
    if now >= expires_at {
        return Err(TokenError::Expired);
    }
    Ok(())
}

/// The expiry (unix seconds) a token states: only meaningful once [`verify`] accepted it.
pub fn expiry_of(token: &str) -> Option<u64> {
    token.trim().split('.').nth(1)?.parse().ok()
}

/// How long from now until `expires_at` (unix seconds); zero once it is past.
pub fn time_left(expires_at: u64) -> Duration {
    match UNIX_EPOCH.checked_add(Duration::from_secs(expires_at)) {
        Some(at) => at
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
        None => Duration::MAX,
    }
}

fn mac(secret: &[u8], order_id: &str, expires_at: u64) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(format!("{VERSION}.{order_id}.{expires_at}").as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip_and_rules() {
        let token = mint_until(SECRET, "1001", 2_000);
        assert!(token.starts_with("v1.2000."));
        assert_eq!(verify(SECRET, "1001", &token, 1_999), Ok(()));
        assert_eq!(
            verify(SECRET, "1001", &token, 2_000),
            Err(TokenError::Expired)
        );
        assert_eq!(
            verify(SECRET, "1002", &token, 1_000),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            verify(b"another secret!!", "1001", &token, 1_000),
            Err(TokenError::Invalid)
        );
        let later = token.replace("v1.2000.", "v1.9000.");
        assert_eq!(
            verify(SECRET, "1001", &later, 1_000),
            Err(TokenError::Invalid)
        );
        assert_eq!(expiry_of(&token), Some(2_000));
        assert_eq!(time_left(2_000), Duration::ZERO);
        assert_eq!(time_left(u64::MAX), Duration::MAX);
        let soon = time_left(now_unix() + 60);
        assert!(soon > Duration::from_secs(58) && soon <= Duration::from_secs(60));
        for garbage in [
            "",
            "v1",
            "v1.x.y",
            "v2.2000.abc",
            "v1.2000.!!",
            &format!("{token}.x"),
        ] {
            assert_eq!(
                verify(SECRET, "1001", garbage, 1_000),
                Err(TokenError::Invalid)
            );
        }
    }
}
