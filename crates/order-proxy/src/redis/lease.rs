//! The schedule lease of an order in Redis: the instance holding it polls the vendor for the
//! order, the others only relay what it finds. Taken with `SET NX PX` (or, when held, its
//! remaining time is answered in the same round trip), renewed and given back only by its
//! owner, and taken over by another instance once it expires.

use std::time::Duration;

/// KEYS[1]: the lease; ARGV[1]: the owner; ARGV[2]: its length in ms. Returns `{1, 0}` when
/// taken, `{0, ms}` when another owner holds it for `ms` more.
pub const TAKE: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, 0} end
return {0, redis.call('PTTL', KEYS[1])}
";

/// KEYS[1]: the lease; ARGV[1]: the owner; ARGV[2]: its length in ms. 1 if renewed, 0 if the
/// lease is not ours (any more).
pub const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
";

/// What trying to take a lease found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taking {
    Taken,
    /// Another owner holds it for this much longer.
    HeldFor(Duration),
}

impl Taking {
    /// From the script's `{taken, ms}`.
    pub fn from_reply((taken, ms): (u8, i64)) -> Taking {
        if taken == 1 {
            Taking::Taken
        } else {
            Taking::HeldFor(Duration::from_millis(ms.max(0).unsigned_abs()))
        }
    }
}
