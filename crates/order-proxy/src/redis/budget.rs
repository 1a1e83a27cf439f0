//! The vendor budgets across instances, and the vendor's own block: one Lua script first
//! checks whether the vendor asked us to wait for this order (`Retry-After`, see
//! [`BLOCK_SCRIPT`]), then checks every window and, only if all have room, records the call in
//! all of them, atomically (Redis runs scripts one at a time). Each window is a sliding log (a
//! sorted set of call times, on Redis's clock), so the instances together never make more
//! than `n` calls in any `window`.

use std::time::Duration;

use crate::settings::Limits;

/// KEYS[1]: the order's block; KEYS[2..]: the windows. ARGV[1]: this call's unique member;
/// then `limit, window_ms` per window. Returns `{0, 0}` when the call was recorded,
/// `{1, ms}` when the fullest window has room only in `ms`, `{2, ms}` when the vendor's
/// block ends in `ms`.
pub const SCRIPT: &str = r"
local blocked = redis.call('PTTL', KEYS[1])
if blocked > 0 then return {2, blocked} end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local wait = 0
for i = 2, #KEYS do
  local key = KEYS[i]
  local limit = tonumber(ARGV[2 * i - 2])
  local window = tonumber(ARGV[2 * i - 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local until_room = tonumber(oldest[2]) + window - now
    if until_room > wait then wait = until_room end
  end
end
if wait > 0 then return {1, wait} end
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i - 1]))
end
return {0, 0}
";

/// KEYS[1]: the order's block; ARGV[1]: its length in ms. A block already longer stays.
pub const BLOCK_SCRIPT: &str = r"
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
";

/// What the budget script decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend {
    /// The call is recorded in every window: go ahead.
    Spent,
    /// A window is full for this long.
    OverBudget(Duration),
    /// The vendor asked us to wait this much longer.
    Blocked(Duration),
}

impl Spend {
    /// From the script's `{code, ms}`.
    pub fn from_reply((code, ms): (u8, u64)) -> Spend {
        let wait = Duration::from_millis(ms);
        match code {
            0 => Spend::Spent,
            2 => Spend::Blocked(wait),
            _ => Spend::OverBudget(wait),
        }
    }
}

/// One window of the budget: its Redis key, its limit and its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub key: String,
    pub limit: u32,
    pub length: Duration,
}

/// The three vendor windows a call spends from; `per_order` is the order's window key
/// (from [`super::Shared::per_order_key`]).
pub fn windows(prefix: &str, per_order: String, limits: &Limits) -> [Window; 3] {
    [
        Window {
            key: format!("{prefix}budget:10s"),
            limit: limits.per_10_seconds,
            length: Duration::from_secs(10),
        },
        Window {
            key: format!("{prefix}budget:minute"),
            limit: limits.per_minute,
            length: Duration::from_secs(60),
        },
        Window {
            key: per_order,
            limit: limits.per_order_per_hour,
            length: Duration::from_secs(3600),
        },
    ]
}
