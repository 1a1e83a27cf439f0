//! A counting hsmail vendor on loopback whose order is pending until the test delivers it.
//! It logs when each request arrived, and can refuse an order's next requests with a
//! `429`/`503` and a `Retry-After` (seconds or an HTTP date).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use order_core::model::Vendor;
use order_proxy::mock::hsmail;
use order_proxy::mock::scenarios::{self, Phase};
use order_proxy::orders::vendor::order_route;
use order_proxy::{Config, UpstreamConfig};

/// How a refusal says when to come back.
#[derive(Debug, Clone, Copy)]
pub enum RetryAfter {
    /// `Retry-After: <n>`.
    Seconds(u64),
    /// `Retry-After: <HTTP date>`, at least this far from when the refusal is sent
    /// (rounded up to the next whole second, the date's resolution).
    DateIn(Duration),
}

impl RetryAfter {
    /// The header value, and the earliest instant it allows another request.
    fn header(self) -> (String, Instant) {
        match self {
            RetryAfter::Seconds(seconds) => (
                seconds.to_string(),
                Instant::now() + Duration::from_secs(seconds),
            ),
            RetryAfter::DateIn(wait) => {
                let now = SystemTime::now();
                let since_epoch = now.duration_since(UNIX_EPOCH).expect("after 1970") + wait;
                let whole = Duration::from_secs(since_epoch.as_secs() + 1);
                let date = UNIX_EPOCH + whole;
                let allowed =
                    Instant::now() + date.duration_since(now).expect("the date is in the future");
                (httpdate::fmt_http_date(date), allowed)
            }
        }
    }
}

#[derive(Default)]
pub struct Counting {
    hits: Mutex<HashMap<String, u32>>,
    /// When each request for an order arrived, and when the answer to it allowed the next.
    log: Mutex<HashMap<String, Vec<Request>>>,
    refusals: Mutex<HashMap<String, VecDeque<(StatusCode, RetryAfter)>>>,
    delivered: AtomicBool,
    latency: Mutex<Duration>,
    mixed_up_with: Mutex<Option<String>>,
}

/// One request as the vendor saw it.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub at: Instant,
    /// For a refusal with `Retry-After`: no request is allowed before this.
    pub not_before: Option<Instant>,
}

impl Counting {
    pub fn hits(&self, id: &str) -> u32 {
        self.hits.lock().unwrap().get(id).copied().unwrap_or(0)
    }

    pub fn total_hits(&self) -> u32 {
        self.hits.lock().unwrap().values().sum()
    }

    /// Every request for `id` so far, in arrival order.
    pub fn requests(&self, id: &str) -> Vec<Request> {
        self.log
            .lock()
            .unwrap()
            .get(id)
            .cloned()
            .unwrap_or_default()
    }

    /// When the first request for `id` arrived.
    pub fn first_request(&self, id: &str) -> Option<Instant> {
        self.requests(id).first().map(|request| request.at)
    }

    /// From now on every order is delivered (with codes).
    pub fn deliver(&self) {
        self.delivered.store(true, Ordering::SeqCst);
    }

    /// The next request for `id` gets `status` with this `Retry-After` (refusals queue up).
    pub fn refuse_next(&self, id: &str, status: u16, retry_after: RetryAfter) {
        let status = StatusCode::from_u16(status).expect("a status");
        self.refusals
            .lock()
            .unwrap()
            .entry(id.to_owned())
            .or_default()
            .push_back((status, retry_after));
    }

    /// From now on (until `None`) every answer is the body of order `other` instead.
    pub fn mix_up_with(&self, other: Option<&str>) {
        *self.mixed_up_with.lock().unwrap() = other.map(str::to_owned);
    }

    pub fn set_latency(&self, latency: Duration) {
        *self.lock_latency() = latency;
    }

    fn lock_latency(&self) -> std::sync::MutexGuard<'_, Duration> {
        self.latency.lock().unwrap()
    }

    /// The codes a delivered order carries (to look for leaks).
    pub fn codes() -> Vec<String> {
        let scenario = scenarios::find("HSM000000010").expect("scenario");
        let body = hsmail::order(scenario, Phase::Delivered);
        body["data"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|item| item["content"].as_str().map(str::to_owned))
            .collect()
    }
}

/// Starts the vendor; configs for proxies in front of it come from [`config_for`].
pub async fn start() -> (SocketAddr, Arc<Counting>) {
    let vendor = Arc::new(Counting::default());
    let router = Router::new()
        .route(order_route(Vendor::Hsmail), get(answer))
        .with_state(vendor.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (addr, vendor)
}

pub fn config_for(addr: SocketAddr) -> Config {
    super::config(UpstreamConfig::Vendor {
        vendor: Vendor::Hsmail,
        base_url: format!("http://{addr}"),
    })
}

async fn answer(State(vendor): State<Arc<Counting>>, Path(id): Path<String>) -> Response {
    let at = Instant::now();
    *vendor.hits.lock().unwrap().entry(id.clone()).or_default() += 1;
    let refusal = vendor
        .refusals
        .lock()
        .unwrap()
        .get_mut(&id)
        .and_then(VecDeque::pop_front);
    let (header, not_before) = match refusal {
        Some((status, retry_after)) => {
            let (header, not_before) = retry_after.header();
            (Some((status, header)), Some(not_before))
        }
        None => (None, None),
    };
    vendor
        .log
        .lock()
        .unwrap()
        .entry(id.clone())
        .or_default()
        .push(Request { at, not_before });
    if let Some((status, retry_after)) = header {
        let body = hsmail::error(status);
        return (status, [("retry-after", retry_after)], Json(body)).into_response();
    }
    let latency = *vendor.lock_latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let phase = if vendor.delivered.load(Ordering::SeqCst) {
        Phase::Delivered
    } else {
        Phase::Pending
    };
    let scenario = scenarios::find("HSM000000010").expect("scenario");
    let mut body = hsmail::order(scenario, phase);
    let answered = vendor.mixed_up_with.lock().unwrap().clone().unwrap_or(id);
    body["data"]["id"] = serde_json::Value::String(answered);
    Json(body).into_response()
}
