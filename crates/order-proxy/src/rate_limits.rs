//! Rate limits (governor GCRA limiters), checked before the upstream is touched.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{NotUntil, Quota, RateLimiter};

use crate::error::{whole_seconds_at_least_one, ProxyError};
use crate::metrics::{Budget, Limit, Metrics};
use crate::net::client::ClientKey;
use crate::settings::Limits;

type Direct = RateLimiter<
    NotKeyed,
    InMemoryState,
    DefaultClock,
    NoOpMiddleware<<DefaultClock as Clock>::Instant>,
>;
type Keyed<K> = RateLimiter<
    K,
    DefaultKeyedStateStore<K>,
    DefaultClock,
    NoOpMiddleware<<DefaultClock as Clock>::Instant>,
>;

pub struct RateLimits {
    clock: DefaultClock,
    per_order: Keyed<String>,
    per_10_seconds: Direct,
    per_minute: Direct,
    per_ip: Keyed<ClientKey>,
    hooks_per_ip: Keyed<ClientKey>,
    reveals_per_order: Keyed<String>,
    reveals_per_ip: Keyed<ClientKey>,
    metrics: Arc<Metrics>,
}

impl RateLimits {
    pub fn new(limits: &Limits, metrics: Arc<Metrics>) -> Self {
        let clock = DefaultClock::default();
        let hour = Duration::from_secs(3600);
        let minute = Duration::from_secs(60);
        RateLimits {
            per_order: RateLimiter::dashmap_with_clock(
                quota(limits.per_order_per_hour, hour),
                clock.clone(),
            ),
            per_10_seconds: RateLimiter::direct_with_clock(
                quota(limits.per_10_seconds, Duration::from_secs(10)),
                clock.clone(),
            ),
            per_minute: RateLimiter::direct_with_clock(
                quota(limits.per_minute, minute),
                clock.clone(),
            ),
            per_ip: RateLimiter::dashmap_with_clock(
                quota(limits.per_ip_per_minute, minute),
                clock.clone(),
            ),
            hooks_per_ip: RateLimiter::dashmap_with_clock(
                quota(limits.hooks_per_ip_per_minute, minute),
                clock.clone(),
            ),
            reveals_per_order: RateLimiter::dashmap_with_clock(
                quota(limits.reveals_per_order_per_minute, minute),
                clock.clone(),
            ),
            reveals_per_ip: RateLimiter::dashmap_with_clock(
                quota(limits.reveals_per_ip_per_minute, minute),
                clock.clone(),
            ),
            clock,
            metrics,
        }
    }

    /// Every request from one client counts, cached or not.
    pub fn check_client(&self, client: ClientKey) -> Result<(), ProxyError> {
        self.per_ip
            .check_key(&client)
            .map_err(|denied| self.refusal(Limit::Client, &denied))
    }

    /// Every webhook from one sender counts, genuine or not.
    pub fn check_hook_sender(&self, sender: ClientKey) -> Result<(), ProxyError> {
        self.hooks_per_ip
            .check_key(&sender)
            .map_err(|denied| self.refusal(Limit::WebhookSender, &denied))
    }

    /// Every request to a reveal endpoint that passed the token check counts, per client
    /// and per order (`<vendor>:<id>`), whether it reaches the vendor or not.
    pub fn check_reveal(&self, client: ClientKey, order_key: &str) -> Result<(), ProxyError> {
        self.reveals_per_ip
            .check_key(&client)
            .map_err(|denied| self.refusal(Limit::RevealsPerClient, &denied))?;
        self.reveals_per_order
            .check_key(&order_key.to_owned())
            .map_err(|denied| self.refusal(Limit::RevealsPerOrder, &denied))
    }

    /// Only calls that would reach the vendor count: the vendor's own published limits.
    pub fn check_upstream(&self, order_key: &str) -> Result<(), ProxyError> {
        self.per_10_seconds
            .check()
            .map_err(|denied| self.refusal(Limit::VendorPer10Seconds, &denied))?;
        self.per_minute
            .check()
            .map_err(|denied| self.refusal(Limit::VendorPerMinute, &denied))?;
        self.per_order
            .check_key(&order_key.to_owned())
            .map_err(|denied| self.refusal(Limit::VendorPerOrderPerHour, &denied))?;
        self.metrics.budget_used(Budget::Instance);
        Ok(())
    }

    /// Drops the state of keys that are back to full capacity, so memory stays bounded.
    pub fn forget_idle_keys(&self) {
        self.per_order.retain_recent();
        self.per_order.shrink_to_fit();
        self.per_ip.retain_recent();
        self.per_ip.shrink_to_fit();
        self.hooks_per_ip.retain_recent();
        self.hooks_per_ip.shrink_to_fit();
        self.reveals_per_order.retain_recent();
        self.reveals_per_order.shrink_to_fit();
        self.reveals_per_ip.retain_recent();
        self.reveals_per_ip.shrink_to_fit();
    }

    /// The 429 for a refusal by `limit`, counted.
    fn refusal(
        &self,
        limit: Limit,
        denied: &NotUntil<<DefaultClock as Clock>::Instant>,
    ) -> ProxyError {
        self.metrics.refused(limit);
        let wait = denied.wait_time_from(self.clock.now());
        ProxyError::RateLimited {
            retry_after_secs: whole_seconds_at_least_one(wait),
        }
    }
}

/// `n` requests per `window`: a burst of `n`, refilled evenly over the window.
fn quota(n: u32, window: Duration) -> Quota {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    let nanos = (window.as_nanos() / u128::from(n.get())).max(1);
    let period = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refusal_with_retry_after() {
        let metrics = Metrics::new(crate::metrics::live::Live::default());
        let limits = RateLimits::new(
            &Limits {
                per_order_per_hour: 2,
                per_10_seconds: 100,
                per_minute: 100,
                per_ip_per_minute: 100,
                hooks_per_ip_per_minute: 100,
                ..Limits::default()
            },
            metrics.clone(),
        );
        assert!(limits.check_upstream("a").is_ok());
        assert!(limits.check_upstream("a").is_ok());
        match limits.check_upstream("a") {
            Err(ProxyError::RateLimited { retry_after_secs }) => {
                assert!((1..=1800).contains(&retry_after_secs))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(limits.check_upstream("b").is_ok());
        let text = metrics.render();
        assert!(text.contains(r#"order_proxy_vendor_budget_used_total{budget="instance"} 3"#));
        assert!(text.contains(
            r#"order_proxy_rate_limit_refusals_total{reason="vendor_per_order_per_hour"} 1"#
        ));
    }
}
