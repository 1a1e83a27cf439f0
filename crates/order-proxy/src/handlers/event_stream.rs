//! `GET /api/orders/{id}/events?token=<order token>`: the order as Server-Sent Events.
//!
//! An `order` event whose data is exactly what `GET /api/orders/{id}` answers, at once and
//! again whenever the body changes; a `heartbeat` event (its data the interval in whole
//! seconds) right after the first order and then whenever the stream was quiet that long, so
//! that a client can tell a healthy stream from a stalled one. While a stream is open for a
//! live order, the proxy keeps the order's vendor schedule (see `schedule`). The stream ends
//! after a terminal order, when the schedule gives up on the order, at its token's expiry,
//! after its maximum lifetime, when the client goes away, or at shutdown. The token is in the
//! query because `EventSource` cannot send headers (query strings are never logged).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::order_token;
use crate::error::whole_seconds_at_least_one;
use crate::error::ProxyError;
use crate::metrics::Limit;
use crate::net::client::Client;
use crate::orders::fanout::{Subscription, Update};
use crate::orders::{order_key, update};

pub const EVENT_NAME: &str = "order";
pub const HEARTBEAT_EVENT_NAME: &str = "heartbeat";

#[derive(Deserialize)]
pub struct EventsQuery {
    token: Option<String>,
    provider: Option<String>,
}

pub async fn stream(
    State(state): State<Arc<AppState>>,
    Client(client): Client,
    Path(id): Path<String>,
    Query(query): Query<EventsQuery>,
) -> Result<Response, ProxyError> {
    let token = query.token.as_deref().map(Ok);
    let target = state.admit(client, &id, query.provider.as_deref(), token)?;
    let ends = tokio::time::sleep(time_to_live(
        query.token.as_deref(),
        state.orders.fanout.max_lifetime(),
    ));
    let subscription = state
        .orders
        .fanout
        .subscribe(&order_key(target, &id), client.addr())
        .inspect_err(|_| state.metrics.refused(Limit::EventStreams))?;
    let (current, _) = state.orders.current(target, &id).await?;
    let first = update(&current);
    if !first.terminal {
        if let Some(feed) = state.orders.fanout.schedule_feed(&subscription) {
            let first = first.clone();
            state.schedules.start(target.clone(), id, feed, first);
        }
    }
    let heartbeat = heartbeat_event(state.orders.fanout.heartbeat());
    let updates = updates(first, heartbeat.clone(), subscription).take_until(ends);
    let mut response = Sse::new(updates)
        .keep_alive(
            KeepAlive::new()
                .interval(state.orders.fanout.heartbeat())
                .event(heartbeat),
        )
        .into_response();
    // nginx and similar reverse proxies would otherwise buffer the stream.
    response.headers_mut().insert(
        HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    // axum's `Sse` says `no-cache`, which lets a cache keep the codes.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A stream lives until its (verified) token expires, and `max_lifetime` at most: it must
/// not go on sending an order to a bearer who could no longer ask for it.
fn time_to_live(token: Option<&str>, max_lifetime: Duration) -> Duration {
    token
        .and_then(order_token::expiry_of)
        .map_or(Duration::ZERO, order_token::time_left)
        .min(max_lifetime)
}

/// `first` and a heartbeat, then every different body, ending after a terminal one.
fn updates(
    first: Update,
    heartbeat: Event,
    mut subscription: Subscription,
) -> impl Stream<Item = Result<Event, std::convert::Infallible>> {
    subscription.seen();
    let start = Progress {
        pending: Some(first),
        heartbeat: Some(heartbeat),
        last_sent: None,
        subscription,
        ended: false,
    };
    stream::unfold(start, |mut progress| async move {
        if progress.ended {
            return None;
        }
        if progress.last_sent.is_some() {
            if let Some(heartbeat) = progress.heartbeat.take() {
                return Some((Ok(heartbeat), progress));
            }
        }
        let update = loop {
            let candidate = match progress.pending.take() {
                Some(update) => update,
                None => progress.subscription.next().await?,
            };
            if progress.last_sent.as_ref() != Some(&candidate.body) {
                break candidate;
            }
        };
        progress.ended = update.terminal;
        let event = order_event(&update.body);
        progress.last_sent = Some(update.body);
        Some((Ok(event), progress))
    })
}

struct Progress {
    pending: Option<Update>,
    /// Sent once, right after the first order.
    heartbeat: Option<Event>,
    last_sent: Option<Arc<str>>,
    subscription: Subscription,
    ended: bool,
}

/// `event: heartbeat` with the interval in whole seconds (at least 1) as its data.
pub fn heartbeat_event(interval: Duration) -> Event {
    Event::default()
        .event(HEARTBEAT_EVENT_NAME)
        .data(whole_seconds_at_least_one(interval).to_string())
}

/// The body as an event's data. A raw CR can only be JSON whitespace (JSON strings escape
/// it), and SSE would read it as a line break, so it travels as a LF: same JSON.
pub fn order_event(body: &str) -> Event {
    let data = if body.contains('\r') {
        body.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        body.to_owned()
    };
    Event::default().event(EVENT_NAME).data(data)
}
