//! In-process mock vendors: a real axum server on an ephemeral loopback port, one route
//! per vendor under `/<vendor>/…` speaking that vendor's spec JSON, checking its auth
//! header, and playing the scripted lifecycles of [`scenarios`]. Like a vendor that sends
//! webhooks, it notifies the proxy's own `POST /hooks/order` (signed) at every phase change,
//! unless started without [`Notify`] (`serve --mock-webhooks off`).

pub mod bdvoucher;
pub mod hsmail;
pub mod scenarios;
pub mod shop;
pub mod voucher_api;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use order_core::model::Vendor;
use serde_json::Value;
use tokio::net::TcpListener;

use crate::orders::upstream::Target;
use crate::orders::vendor;
use crate::secret::Secret;
use scenarios::{Behaviour, Phase, Scenario};

/// What a vendor module provides: its auth check and its bodies.
struct VendorSpeech {
    authorized: fn(&HeaderMap, &Credentials) -> bool,
    order: fn(&Scenario, Phase) -> Value,
    error: fn(StatusCode) -> Value,
}

fn speech(vendor: Vendor) -> VendorSpeech {
    match vendor {
        Vendor::Hsmail => VendorSpeech {
            authorized: hsmail::authorized,
            order: hsmail::order,
            error: hsmail::error,
        },
        Vendor::VoucherApi => VendorSpeech {
            authorized: voucher_api::authorized,
            order: voucher_api::order,
            error: voucher_api::error,
        },
        Vendor::Shop => VendorSpeech {
            authorized: shop::authorized,
            order: shop::order,
            error: shop::error,
        },
        Vendor::Bdvoucher => VendorSpeech {
            authorized: bdvoucher::authorized,
            order: bdvoucher::order,
            error: bdvoucher::error,
        },
    }
}

/// Where and how the mock vendors send their webhooks: the proxy's own endpoint.
pub struct Notify {
    pub url: String,
    pub secret: Secret,
}

pub struct Credentials {
    pub api_key: Secret,
    pub api_secret: Option<Secret>,
}

#[derive(Default)]
struct OrderLog {
    /// Every request that reached the mock for this id, authorized or not.
    hits: u32,
    /// Authorized requests, which drive the scripted behaviours.
    served: u32,
    first_served: Option<Instant>,
}

struct MockState {
    credentials: Credentials,
    orders: Mutex<HashMap<String, OrderLog>>,
    notify: Option<Notify>,
    client: reqwest::Client,
    /// How many times faster than their timelines the orders move.
    speed: u32,
}

/// A running mock vendor server; dropped with the process (or [`MockHandle::stop`]).
pub struct MockHandle {
    addr: SocketAddr,
    state: Arc<MockState>,
    task: tokio::task::JoinHandle<()>,
}

impl MockHandle {
    /// How many requests for `id` reached the mock vendors.
    pub fn hits(&self, id: &str) -> u32 {
        self.state
            .orders
            .lock()
            .map_or(0, |orders| orders.get(id).map_or(0, |log| log.hits))
    }

    /// The upstream base URL of each mock vendor.
    pub fn targets(&self) -> Vec<Target> {
        Vendor::ALL
            .iter()
            .map(|&vendor| Target {
                vendor,
                base_url: format!("http://{}/{}", self.addr, vendor.as_str()),
            })
            .collect()
    }

    pub fn stop(&self) {
        self.task.abort();
    }
}

/// Starts the mock vendors; every order's lifecycle runs `speed` times faster than its
/// timeline says (1: as scripted).
pub async fn start(
    credentials: Credentials,
    notify: Option<Notify>,
    speed: u32,
) -> std::io::Result<MockHandle> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .map_err(std::io::Error::other)?;
    let state = Arc::new(MockState {
        credentials,
        orders: Mutex::new(HashMap::new()),
        notify,
        client,
        speed,
    });
    // Each vendor under `/<vendor>`, at its spec's order route.
    let router = Vendor::ALL
        .iter()
        .fold(Router::new(), |router, &vendor| {
            let route = format!("/{}{}", vendor.as_str(), vendor::order_route(vendor));
            router.route(&route, get(move |s, p, h| answer(vendor, s, p, h)))
        })
        .with_state(state.clone());
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "mock vendor server stopped");
        }
    });
    Ok(MockHandle { addr, state, task })
}

async fn answer(
    vendor: Vendor,
    State(state): State<Arc<MockState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let speech = speech(vendor);
    let authorized = (speech.authorized)(&headers, &state.credentials);
    let (served, elapsed_secs, clock_started) = {
        let Ok(mut orders) = state.orders.lock() else {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json((speech.error)(StatusCode::INTERNAL_SERVER_ERROR)),
            )
                .into_response();
        };
        let log = orders.entry(id.clone()).or_default();
        log.hits += 1;
        if authorized {
            log.served += 1;
        }
        let clock_started = authorized && log.first_served.is_none();
        let first = *log.first_served.get_or_insert_with(Instant::now);
        (
            log.served,
            (first.elapsed() * state.speed).as_secs(),
            clock_started.then_some(first),
        )
    };
    let refuse = |status: StatusCode| (status, Json((speech.error)(status))).into_response();
    if !authorized {
        return refuse(StatusCode::UNAUTHORIZED);
    }
    let Some(scenario) = scenarios::find(&id).filter(|scenario| scenario.vendor() == vendor) else {
        return refuse(StatusCode::NOT_FOUND);
    };
    if let Some(first) = clock_started {
        tokio::spawn(notify_phase_changes(state.clone(), scenario, first));
    }
    match scenario.behaviour {
        Behaviour::NotFound => return refuse(StatusCode::NOT_FOUND),
        Behaviour::RateLimitedTwice if served <= 2 => {
            let mut response = refuse(StatusCode::TOO_MANY_REQUESTS);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            return response;
        }
        Behaviour::Flaky if served % 3 == 1 => return refuse(StatusCode::INTERNAL_SERVER_ERROR),
        _ => {}
    }
    Json((speech.order)(scenario, scenario.phase_at(elapsed_secs))).into_response()
}

/// Sends the signed webhook of every later phase of `scenario` when it begins.
async fn notify_phase_changes(state: Arc<MockState>, scenario: &'static Scenario, first: Instant) {
    let Some(notify) = &state.notify else { return };
    for (from, _) in scenario.timeline.iter().filter(|(from, _)| *from > 0) {
        let due = first + std::time::Duration::from_secs(*from) / state.speed;
        tokio::time::sleep_until(due.into()).await;
        let body = serde_json::json!({ "order_id": scenario.id }).to_string();
        let signature = crate::auth::webhook_signature::sign(
            notify.secret.expose().as_bytes(),
            crate::auth::order_token::now_unix(),
            body.as_bytes(),
        );
        let sent = state
            .client
            .post(&notify.url)
            .header(crate::auth::webhook_signature::SIGNATURE_HEADER, signature)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        if !sent.is_ok_and(|response| response.status() == StatusCode::ACCEPTED) {
            tracing::warn!(
                order_id = scenario.id,
                "the mock vendor's webhook was not accepted"
            );
        }
    }
}

/// How many codes are out at `phase`: all when delivered, all but one when partial.
pub fn delivered_codes(scenario: &Scenario, phase: Phase) -> usize {
    match phase {
        Phase::Delivered => scenario.codes,
        Phase::PartiallyDelivered => scenario.codes.saturating_sub(1).max(1),
        _ => 0,
    }
}

/// A fixed creation time for every mock order (the lifecycles run on their own clocks).
pub const CREATED_AT: &str = "2026-01-15T10:30:00Z";

fn header_is(headers: &HeaderMap, name: &str, expected: &str) -> bool {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value == expected)
}
