//! A counting hsmail vendor on loopback whose order is pending until the test delivers it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use order_proxy::mock::hsmail;
use order_proxy::mock::scenarios::{self, Phase};
use order_proxy::{Config, UpstreamConfig};
use order_widget::model::Vendor;

#[derive(Default)]
pub struct Counting {
    hits: Mutex<HashMap<String, u32>>,
    delivered: AtomicBool,
    latency: Mutex<Duration>,
    mixed_up_with: Mutex<Option<String>>,
}

impl Counting {
    pub fn hits(&self, id: &str) -> u32 {
        self.hits.lock().unwrap().get(id).copied().unwrap_or(0)
    }

    pub fn total_hits(&self) -> u32 {
        self.hits.lock().unwrap().values().sum()
    }

    /// From now on every order is delivered (with codes).
    pub fn deliver(&self) {
        self.delivered.store(true, Ordering::SeqCst);
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
        .route("/v1/order/{id}", get(answer))
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

async fn answer(
    State(vendor): State<Arc<Counting>>,
    Path(id): Path<String>,
) -> Json<serde_json::Value> {
    *vendor.hits.lock().unwrap().entry(id.clone()).or_default() += 1;
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
    Json(body)
}
