//! What operators see: every series order-proxy exports at `GET /metrics`, in the
//! Prometheus text format (`prometheus-client`), and the one call each event makes.
//!
//! Every label value is a route template the router declares, a status code, or a
//! `&'static str` from a fixed list in this crate (a vendor's name, an outcome, a reason):
//! never an order id, a token, a client address or a code, which are request data. What is
//! open right now (streams, connections, Redis) is read at scrape time from where it is kept
//! ([`live`]). The endpoint and the request and webhook counters are in [`endpoint`];
//! `server.rs` gives the endpoint its own listener.

pub mod endpoint;
pub mod live;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use order_core::model::Vendor;
use prometheus_client::encoding::{prometheus_text, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Metric, Registry, Unit};

use crate::error::ProxyError;
use live::Live;

/// Every series' name starts with this (and `_`).
pub const PREFIX: &str = "order_proxy";
/// Route templates beyond this many (there are about ten) are counted as `other`.
const MOST_ROUTES: usize = 64;

/// `N` labels, each a name and a value from a fixed list.
type Labels<const N: usize> = [(&'static str, &'static str); N];

/// A request's route template and answer status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: Arc<String>,
    status: u16,
}

/// Why a request was refused by a limit (429).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `--limit-per-ip-per-minute`: order requests from one client.
    Client,
    /// `--limit-hooks-per-ip-per-minute`: webhooks from one sender.
    WebhookSender,
    RevealsPerClient,
    RevealsPerOrder,
    /// The vendor budgets of this instance.
    VendorPer10Seconds,
    VendorPerMinute,
    VendorPerOrderPerHour,
    /// The vendor budgets shared through Redis (one of the three windows is full).
    VendorBudgetShared,
    /// The vendor asked us to wait (`Retry-After`) and the wait is not over.
    VendorRetryAfter,
    /// A cap on open event streams.
    EventStreams,
}

impl Limit {
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::Client => "client_per_minute",
            Limit::WebhookSender => "webhook_sender_per_minute",
            Limit::RevealsPerClient => "reveals_per_client",
            Limit::RevealsPerOrder => "reveals_per_order",
            Limit::VendorPer10Seconds => "vendor_per_10_seconds",
            Limit::VendorPerMinute => "vendor_per_minute",
            Limit::VendorPerOrderPerHour => "vendor_per_order_per_hour",
            Limit::VendorBudgetShared => "vendor_budget_shared",
            Limit::VendorRetryAfter => "vendor_retry_after",
            Limit::EventStreams => "event_streams",
        }
    }
}

/// Whose books a vendor call was counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// This instance's limiters (no Redis, or Redis down).
    Instance,
    /// The budgets shared through Redis.
    Shared,
}

pub struct Metrics {
    registry: Registry,
    routes: RwLock<Vec<Arc<String>>>,
    requests: Family<RequestLabels, Counter>,
    vendor_requests: Family<Labels<2>, Histogram, fn() -> Histogram>,
    cache_hits: Counter,
    cache_misses: Counter,
    refusals: Family<Labels<1>, Counter>,
    budget_used: Family<Labels<1>, Counter>,
    webhooks_accepted: Counter,
    webhooks_refused: Family<Labels<1>, Counter>,
    connections_refused: Family<Labels<1>, Counter>,
    codes_revealed: Family<Labels<3>, Counter>,
}

impl Metrics {
    /// Every series registered; `live` answers for what is open at scrape time.
    pub fn new(live: Live) -> Arc<Metrics> {
        let mut registry = Registry::with_prefix(PREFIX);
        let vendor_requests: Family<Labels<2>, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.005, 2.0, 12)));
        registry.register_with_unit(
            "vendor_request_duration",
            "Calls to the vendor and how long each took, by vendor and outcome",
            Unit::Seconds,
            vendor_requests.clone(),
        );
        registry.register_collector(Box::new(live));
        let registry = &mut registry;
        let metrics = Metrics {
            requests: registered(
                registry,
                "http_requests",
                "HTTP requests answered, by route template and status",
            ),
            vendor_requests,
            cache_hits: registered(
                registry,
                "cache_hits",
                "Orders answered from this instance's cache",
            ),
            cache_misses: registered(
                registry,
                "cache_misses",
                "Orders that needed a call (this instance's, another instance's or the vendor's)",
            ),
            refusals: registered(
                registry,
                "rate_limit_refusals",
                "Requests or vendor calls refused by a limit, by reason",
            ),
            budget_used: registered(
                registry,
                "vendor_budget_used",
                "Vendor calls counted against the vendor budgets (per order, per minute, per 10 s)",
            ),
            webhooks_accepted: registered(registry, "webhooks_accepted", "Webhooks accepted (202)"),
            webhooks_refused: registered(
                registry,
                "webhooks_refused",
                "Webhooks refused, by reason",
            ),
            connections_refused: registered(
                registry,
                "connections_refused",
                "Connections refused at a cap (503), by reason",
            ),
            codes_revealed: registered(
                registry,
                "codes_revealed",
                "Codes revealed through the reveal endpoints, by vendor, purpose and scope",
            ),
            routes: RwLock::new(Vec::new()),
            registry: std::mem::take(registry),
        };
        Arc::new(metrics)
    }

    /// Every series, in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail; a collector of ours never does either.
        let _ = prometheus_text::encode(&mut text, &self.registry);
        text
    }

    /// A request answered; `route` is its template (`/api/orders/{id}`), `None` when no
    /// route matched.
    pub fn request(&self, route: Option<&str>, status: u16) {
        let route = self.route_label(route.unwrap_or("unmatched"));
        self.requests
            .get_or_create(&RequestLabels { route, status })
            .inc();
    }

    /// One call to the vendor and what came of it.
    pub fn vendor_call<T>(&self, vendor: Vendor, result: &Result<T, ProxyError>, took: Duration) {
        let labels = [
            ("vendor", vendor.as_str()),
            ("outcome", vendor_outcome(result)),
        ];
        self.vendor_requests
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
    }

    pub fn cache_lookup(&self, hit: bool) {
        if hit {
            self.cache_hits.inc();
        } else {
            self.cache_misses.inc();
        }
    }

    pub fn refused(&self, limit: Limit) {
        self.refusals
            .get_or_create(&[("reason", limit.as_str())])
            .inc();
    }

    pub fn budget_used(&self, budget: Budget) {
        let books = match budget {
            Budget::Instance => "instance",
            Budget::Shared => "shared",
        };
        self.budget_used.get_or_create(&[("budget", books)]).inc();
    }

    pub fn webhook_accepted(&self) {
        self.webhooks_accepted.inc();
    }

    /// `reason`: the error kind the webhook was answered with.
    pub fn webhook_refused(&self, reason: &'static str) {
        self.webhooks_refused
            .get_or_create(&[("reason", reason)])
            .inc();
    }

    /// `reason`: which cap was full (`total` or `per_address`).
    pub fn connection_refused(&self, reason: &'static str) {
        self.connections_refused
            .get_or_create(&[("reason", reason)])
            .inc();
    }

    /// One code handed out (never which).
    pub fn code_revealed(&self, vendor: Vendor, purpose: &'static str, scope: &'static str) {
        let labels = [
            ("vendor", vendor.as_str()),
            ("purpose", purpose),
            ("scope", scope),
        ];
        self.codes_revealed.get_or_create(&labels).inc();
    }

    /// The shared label value of a route template: each template is allocated once, and
    /// past [`MOST_ROUTES`] distinct ones (which the router cannot make) `other`.
    fn route_label(&self, route: &str) -> Arc<String> {
        let known =
            |routes: &[Arc<String>]| routes.iter().find(|known| known.as_str() == route).cloned();
        let read = self
            .routes
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(label) = known(&read) {
            return label;
        }
        drop(read);
        let mut routes = self
            .routes
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(label) = known(&routes) {
            return label;
        }
        let label = Arc::new(if routes.len() < MOST_ROUTES {
            route.to_owned()
        } else {
            "other".to_owned()
        });
        if routes.len() < MOST_ROUTES {
            routes.push(label.clone());
        }
        label
    }
}

/// A new metric, registered under `name` (after the prefix; a counter's `_total` is added).
fn registered<M: Metric + Clone + Default>(registry: &mut Registry, name: &str, help: &str) -> M {
    let metric = M::default();
    registry.register(name, help, metric.clone());
    metric
}

/// A vendor call's outcome as a label value.
fn vendor_outcome<T>(result: &Result<T, ProxyError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(ProxyError::NotFound) => "not_found",
        Err(ProxyError::VendorWait { .. }) => "rate_limited",
        Err(ProxyError::UpstreamTimeout) => "timeout",
        Err(ProxyError::UpstreamUnavailable) => "unavailable",
        Err(ProxyError::UpstreamAuth) => "auth",
        Err(ProxyError::UpstreamInvalid) => "invalid",
        Err(_) => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> Arc<Metrics> {
        Metrics::new(Live::default())
    }

    #[test]
    fn series_carry_the_prefix_and_their_units() {
        let metrics = metrics();
        metrics.request(Some("/api/orders/{id}"), 200);
        metrics.vendor_call::<()>(Vendor::Hsmail, &Ok(()), Duration::from_millis(30));
        metrics.vendor_call::<()>(
            Vendor::Hsmail,
            &Err(ProxyError::VendorWait {
                wait: Duration::from_secs(1),
            }),
            Duration::from_millis(3),
        );
        let text = metrics.render();
        assert!(
            text.contains(
                r#"order_proxy_http_requests_total{route="/api/orders/{id}",status="200"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(
                r#"order_proxy_vendor_request_duration_seconds_count{vendor="hsmail",outcome="ok"} 1"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"outcome="rate_limited""#), "{text}");
        assert!(
            text.contains("# TYPE order_proxy_cache_hits_total counter"),
            "{text}"
        );
    }

    #[test]
    fn route_templates_are_shared_and_bounded() {
        let metrics = metrics();
        let first = metrics.route_label("/healthz");
        assert!(Arc::ptr_eq(&first, &metrics.route_label("/healthz")));
        for n in 0..MOST_ROUTES {
            metrics.route_label(&format!("/r{n}"));
        }
        assert_eq!(metrics.route_label("/one-too-many").as_str(), "other");
        assert_eq!(metrics.route_label("/healthz").as_str(), "/healthz");
    }
}
