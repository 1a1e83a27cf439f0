//! The vendor budgets across instances: one Lua script checks every window and, only if
//! all have room, records the call in all of them, atomically (Redis runs scripts one at a
//! time). Each window is a sliding log (a sorted set of call times, on Redis's clock), so
//! the instances together never make more than `n` calls in any `window`.

use std::time::Duration;

use crate::config::Limits;

/// KEYS: the windows. ARGV[1]: this call's unique member; then `limit, window_ms` per key.
/// Returns 0 when the call was recorded, else the milliseconds until the fullest window
/// has room.
pub const SCRIPT: &str = r"
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local until_room = tonumber(oldest[2]) + window - now
    if until_room > wait then wait = until_room end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 1]))
end
return 0
";

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
