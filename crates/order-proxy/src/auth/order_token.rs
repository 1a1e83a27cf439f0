//! Order tokens: proof, issued by the storefront's backend, that the bearer may see one
//! order at one vendor until a given time.
//!
//! Format: `v2.<expiry>.<signature>` where
//! `signature = base64url_nopad(HMAC-SHA256(secret, "v2.<audience>.<order id>.<expiry>"))`,
//! `<expiry>` is unix seconds in canonical decimal (no sign, no leading zero) and the
//! audience is the vendor's name (`hsmail`, `voucher-api`, `shop`, `bdvoucher`) unless the
//! proxy is configured with its own. Order ids never contain `.` and the expiry is digits,
//! so reading the signed text from the right is unambiguous even for an audience with dots.
//!
//! A token whose expiry is further from now than the maximum lifetime is refused, however
//! genuine: a leaked long-lived token cannot outlive the policy.
//!
//! `v1.<expiry>.<signature over "v1.<order id>.<expiry>">` (no audience) is still accepted
//! until its expiry, within the same maximum lifetime, unless [`Rules::accept_v1`] is off.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const VERSION: &str = "v2";
const LEGACY_VERSION: &str = "v1";
/// Enough for any unix time in seconds (`u64::MAX` has 20 digits; 19 always parse).
const MAX_EXPIRY_DIGITS: usize = 19;
/// A storefront's own audience: letters, digits, `.`, `_`, `-` (a host name fits).
const MAX_AUDIENCE_LEN: usize = 64;
pub const DEFAULT_MAX_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Malformed, signed with another secret, for another order or audience, or
    /// expiring further ahead than the maximum lifetime.
    Invalid,
    /// Correctly signed for this order, but past its expiry.
    Expired,
}

/// What a proxy accepts besides a genuine signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// A token expiring further than this from now is invalid.
    pub max_ttl: Duration,
    /// Whether `v1` tokens (no audience) are still accepted.
    pub accept_v1: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            max_ttl: DEFAULT_MAX_TTL,
            accept_v1: true,
        }
    }
}

/// Whom a token is for: one order at one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claims<'a> {
    pub audience: &'a str,
    pub order_id: &'a str,
}

pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// `[A-Za-z0-9._-]{1,64}`: what `--token-audience` accepts.
pub fn is_audience(text: &str) -> bool {
    (1..=MAX_AUDIENCE_LEN).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// A token for `claims` valid for `ttl` from now.
pub fn mint(secret: &[u8], claims: Claims, ttl: Duration) -> String {
    mint_until(secret, claims, now_unix().saturating_add(ttl.as_secs()))
}

pub fn mint_until(secret: &[u8], claims: Claims, expires_at: u64) -> String {
    let signed = signed_text(claims, expires_at);
    let signature = URL_SAFE_NO_PAD.encode(mac(secret, &signed).finalize().into_bytes());
    format!("{VERSION}.{expires_at}.{signature}")
}

/// Checks the signature first (in constant time, via `Mac::verify_slice`), then the
/// lifetime and the expiry, so an expired token is only reported as expired when it is
/// genuine.
pub fn verify(
    secret: &[u8],
    claims: Claims,
    token: &str,
    rules: Rules,
    now: u64,
) -> Result<(), TokenError> {
    let mut parts = token.split('.');
    let (Some(version), Some(expiry), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Invalid);
    };
    let expires_at = parse_expiry(expiry).ok_or(TokenError::Invalid)?;
    let signed = match version {
        VERSION => signed_text(claims, expires_at),
        LEGACY_VERSION if rules.accept_v1 => {
            format!("{LEGACY_VERSION}.{}.{expires_at}", claims.order_id)
        }
        _ => return Err(TokenError::Invalid),
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Invalid)?;
    mac(secret, &signed)
        .verify_slice(&signature)
        .map_err(|_| TokenError::Invalid)?;
    if expires_at > now.saturating_add(rules.max_ttl.as_secs()) {
        return Err(TokenError::Invalid);
    }
    if now >= expires_at {
        return Err(TokenError::Expired);
    }
    Ok(())
}

/// The expiry (unix seconds) a token states: only meaningful once [`verify`] accepted it.
pub fn expiry_of(token: &str) -> Option<u64> {
    parse_expiry(token.trim().split('.').nth(1)?)
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

fn signed_text(claims: Claims, expires_at: u64) -> String {
    format!(
        "{VERSION}.{}.{}.{expires_at}",
        claims.audience, claims.order_id
    )
}

/// Canonical decimal only: what `mint` writes, and nothing else that parses to the same
/// number (`+5`, `05`, `-0`, spaces), so a token has exactly one spelling.
fn parse_expiry(text: &str) -> Option<u64> {
    let canonical = (1..=MAX_EXPIRY_DIGITS).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
        && !(text.len() > 1 && text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

fn mac(secret: &[u8], signed: &str) -> HmacSha256 {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(signed.as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const ORDER: Claims = Claims {
        audience: "voucher-api",
        order_id: "1001",
    };
    const NOW: u64 = 1_000_000;

    fn check(token: &str, claims: Claims, now: u64) -> Result<(), TokenError> {
        verify(SECRET, claims, token, Rules::default(), now)
    }

    fn legacy(order_id: &str, expires_at: u64) -> String {
        let signed = format!("v1.{order_id}.{expires_at}");
        let signature = URL_SAFE_NO_PAD.encode(mac(SECRET, &signed).finalize().into_bytes());
        format!("v1.{expires_at}.{signature}")
    }

    #[test]
    fn round_trip_and_expiry() {
        let token = mint_until(SECRET, ORDER, NOW + 2_000);
        assert!(token.starts_with(&format!("v2.{}.", NOW + 2_000)));
        assert_eq!(check(&token, ORDER, NOW), Ok(()));
        assert_eq!(check(&token, ORDER, NOW + 1_999), Ok(()));
        assert_eq!(check(&token, ORDER, NOW + 2_000), Err(TokenError::Expired));
    }

    /// Fixed inputs whose token the README's recipes must reproduce (tests/recipes.rs).
    #[test]
    fn known_answer() {
        let claims = Claims {
            audience: "hsmail",
            order_id: "A1B2C3D4E5F6",
        };
        assert_eq!(
            mint_until(b"0123456789abcdef0123456789abcdef", claims, 1_795_431_080),
            "v2.1795431080.zoAQpztPoN7LYFHTBNlcS_T4ObBqUyglNBjieXsAeQk"
        );
    }

    #[test]
    fn bound_to_order_audience_secret_and_expiry() {
        let token = mint_until(SECRET, ORDER, NOW + 60);
        let other_order = Claims {
            order_id: "1002",
            ..ORDER
        };
        let other_vendor = Claims {
            audience: "bdvoucher",
            ..ORDER
        };
        assert_eq!(check(&token, other_order, NOW), Err(TokenError::Invalid));
        assert_eq!(check(&token, other_vendor, NOW), Err(TokenError::Invalid));
        assert_eq!(
            verify(b"another secret!!", ORDER, &token, Rules::default(), NOW),
            Err(TokenError::Invalid)
        );
        let later = token.replace(&format!("v2.{}.", NOW + 60), &format!("v2.{}.", NOW + 90));
        assert_eq!(check(&later, ORDER, NOW), Err(TokenError::Invalid));
    }

    #[test]
    fn a_genuine_token_past_the_maximum_lifetime_is_invalid() {
        let max = DEFAULT_MAX_TTL.as_secs();
        let at_limit = mint_until(SECRET, ORDER, NOW + max);
        assert_eq!(check(&at_limit, ORDER, NOW), Ok(()));
        let past_limit = mint_until(SECRET, ORDER, NOW + max + 1);
        assert_eq!(check(&past_limit, ORDER, NOW), Err(TokenError::Invalid));
        let century = mint_until(SECRET, ORDER, NOW + 100 * 365 * 24 * 3600);
        assert_eq!(check(&century, ORDER, NOW), Err(TokenError::Invalid));
        let short = Rules {
            max_ttl: Duration::from_secs(60),
            ..Rules::default()
        };
        let hour = mint_until(SECRET, ORDER, NOW + 3_600);
        assert_eq!(
            verify(SECRET, ORDER, &hour, short, NOW),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn only_the_canonical_expiry_is_accepted() {
        let token = mint_until(SECRET, ORDER, NOW + 60);
        let signature = token.rsplit('.').next().unwrap_or_default();
        let expiry = (NOW + 60).to_string();
        for spelling in [
            format!("0{expiry}"),
            format!("+{expiry}"),
            format!("-{expiry}"),
            format!(" {expiry}"),
            format!("{expiry} "),
            format!("00000000000000000000{expiry}"),
            String::new(),
        ] {
            let respelled = format!("v2.{spelling}.{signature}");
            assert_eq!(
                check(&respelled, ORDER, NOW),
                Err(TokenError::Invalid),
                "{spelling:?}"
            );
        }
        assert_eq!(parse_expiry("0"), Some(0));
        assert_eq!(
            parse_expiry("9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(parse_expiry("99999999999999999999"), None);
    }

    #[test]
    fn v1_tokens_keep_working_until_their_expiry_unless_refused() {
        let token = legacy("1001", NOW + 60);
        assert_eq!(check(&token, ORDER, NOW), Ok(()));
        assert_eq!(check(&token, ORDER, NOW + 60), Err(TokenError::Expired));
        let other_order = Claims {
            order_id: "1002",
            ..ORDER
        };
        assert_eq!(check(&token, other_order, NOW), Err(TokenError::Invalid));
        let long = legacy("1001", NOW + DEFAULT_MAX_TTL.as_secs() + 1);
        assert_eq!(check(&long, ORDER, NOW), Err(TokenError::Invalid));
        let refuse_v1 = Rules {
            accept_v1: false,
            ..Rules::default()
        };
        assert_eq!(
            verify(SECRET, ORDER, &token, refuse_v1, NOW),
            Err(TokenError::Invalid)
        );
        // A v2 signature under the v1 label (or the reverse) is refused.
        let v2 = mint_until(SECRET, ORDER, NOW + 60);
        assert_eq!(
            check(&v2.replacen("v2.", "v1.", 1), ORDER, NOW),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            check(&token.replacen("v1.", "v2.", 1), ORDER, NOW),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn a_stream_reads_how_long_its_token_has_left() {
        let token = mint_until(SECRET, ORDER, 2_000);
        assert_eq!(expiry_of(&token), Some(2_000));
        assert_eq!(expiry_of("v2.02000.x"), None);
        assert_eq!(time_left(2_000), Duration::ZERO);
        assert_eq!(time_left(u64::MAX), Duration::MAX);
        let soon = time_left(now_unix() + 60);
        assert!(soon > Duration::from_secs(58) && soon <= Duration::from_secs(60));
    }

    #[test]
    fn garbage_is_invalid() {
        let token = mint_until(SECRET, ORDER, NOW + 60);
        for garbage in [
            "",
            "v2",
            "v2.x.y",
            "v3.2000.abc",
            "v2.2000.!!",
            "V2.2000.abc",
            &format!("{token}.x"),
            &format!(" {token}"),
        ] {
            assert_eq!(
                check(garbage, ORDER, NOW),
                Err(TokenError::Invalid),
                "{garbage:?}"
            );
        }
    }

    #[test]
    fn audiences() {
        assert!(is_audience("hsmail"));
        assert!(is_audience("shop.example.com"));
        assert!(is_audience(&"a".repeat(64)));
        assert!(!is_audience(""));
        assert!(!is_audience(&"a".repeat(65)));
        assert!(!is_audience("https://shop.example"));
        assert!(!is_audience("two words"));
    }
}
