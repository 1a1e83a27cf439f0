//! The vendor's `Retry-After` (seconds or an HTTP date, on a 429 or a 503) holds every call
//! for that order — a GET, a stream's first answer, a webhook's fetch, the schedule's polls —
//! until it has passed; meanwhile callers get the last good body, or `429` + `Retry-After`.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::events::EventStream;
use common::vendor::{Counting, RetryAfter};
use common::*;
use order_proxy::auth::order_token;
use order_proxy::auth::webhook_signature;
use order_proxy::Server;

/// The ways a caller makes order-proxy ask the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    Get,
    Stream,
    Webhook,
}

const EVERY_ASK: [Ask; 3] = [Ask::Get, Ask::Stream, Ask::Webhook];
const WAIT: Duration = Duration::from_secs(3);

/// Asks through `ask`; the status, and the first event's data for an open stream.
async fn ask(server: &Server, id: &str, ask: Ask) -> (u16, Option<String>) {
    match ask {
        Ask::Get => {
            let (status, _, body) = fetch(server, id).await;
            (status, (status == 200).then(|| body.to_string()))
        }
        Ask::Stream => {
            let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
            let first = match stream.status {
                200 => stream.next_order(Duration::from_secs(5)).await,
                _ => None,
            };
            (stream.status, first)
        }
        Ask::Webhook => (notify_again(&server.url(), id).await, None),
    }
}

/// A webhook for `id` signed with a timestamp not used before, so that a notification sent
/// within the same second as another is not a replay.
async fn notify_again(server_url: &str, id: &str) -> u16 {
    static EARLIER: AtomicU64 = AtomicU64::new(0);
    let sent = order_token::now_unix() - EARLIER.fetch_add(1, Ordering::Relaxed);
    let body = hook_body(id);
    let signature = webhook_signature::sign(WEBHOOK_SECRET.as_bytes(), sent, body.as_bytes());
    post_hook(server_url, &body, Some(signature)).await
}

/// The status a refused ask answers with while the order has no good body yet.
fn refused(ask: Ask) -> u16 {
    match ask {
        Ask::Get | Ask::Stream => 429,
        Ask::Webhook => 202,
    }
}

async fn proxy(vendor: std::net::SocketAddr) -> Server {
    let mut config = vendor::config_for(vendor);
    config.live_ttl = Duration::ZERO; // every GET would reach the vendor
    config.limits.per_ip_per_minute = 10_000;
    config.streams.per_ip = 1_000;
    start(config).await
}

/// The gap between the vendor's first refusal for `id` and its next request, once that
/// arrived; checks that it came no sooner than the refusal allowed.
async fn gap_after_refusal(vendor: &Counting, id: &str) -> Duration {
    let refusal = |requests: &[common::vendor::Request]| {
        requests
            .iter()
            .position(|request| request.not_before.is_some())
    };
    assert!(
        eventually(WAIT + Duration::from_secs(5), || async {
            let requests = vendor.requests(id);
            refusal(&requests).is_some_and(|at| requests.len() > at + 1)
        })
        .await,
        "{id}: the vendor is asked again once its wait is over"
    );
    let requests = vendor.requests(id);
    let at = refusal(&requests).expect("a refusal");
    let (refused, next) = (requests[at], requests[at + 1]);
    let allowed = refused.not_before.expect("a Retry-After");
    assert!(
        next.at >= allowed,
        "{id}: asked again {:?} before the vendor's Retry-After",
        allowed - next.at
    );
    next.at - refused.at
}

#[tokio::test]
async fn no_path_calls_the_vendor_before_its_retry_after() {
    let (addr, vendor) = vendor::start().await;
    let server = proxy(addr).await;
    let mut cases = Vec::new();
    for (n, first) in EVERY_ASK.into_iter().enumerate() {
        cases.push((
            format!("RETRYSECS{n:03}"),
            first,
            429,
            RetryAfter::Seconds(3),
        ));
        cases.push((
            format!("RETRYDATE{n:03}"),
            first,
            429,
            RetryAfter::DateIn(WAIT),
        ));
    }
    cases.push(("RETRY503S000".into(), Ask::Get, 503, RetryAfter::Seconds(3)));

    let runs = cases.iter().map(|(id, first, status, retry_after)| {
        let (server, vendor) = (&server, &vendor);
        async move {
            vendor.refuse_next(id, *status, *retry_after);
            assert_eq!(ask(server, id, *first).await.0, refused(*first), "{id}");
            assert!(eventually(Duration::from_secs(5), || async { vendor.hits(id) == 1 }).await);
            let (refusal, seconds, body) = fetch(server, id).await;
            assert_eq!(
                (refusal, body["error"].as_str()),
                (429, Some("rate_limited")),
                "{id}"
            );
            let seconds: u64 = seconds.expect("Retry-After").parse().expect("seconds");
            assert!((1..=4).contains(&seconds), "{id}: Retry-After {seconds}");
            for path in EVERY_ASK {
                assert_eq!(
                    ask(server, id, path).await.0,
                    refused(path),
                    "{id} {path:?}"
                );
            }
            // Clients keep asking all along (each GET would reach the vendor, the live
            // cache time is zero): none gets through before the vendor's wait is over.
            let asking = async {
                loop {
                    let _ = fetch(server, id).await;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            };
            let gap = tokio::select! {
                gap = gap_after_refusal(vendor, id) => gap,
                () = asking => unreachable!(),
            };
            println!(
                "{id} ({first:?} first, {status}, {retry_after:?}): next vendor call {gap:?} later"
            );
            assert!(gap >= WAIT, "{id}: {gap:?}");
        }
    });
    futures_util::future::join_all(runs).await;
}

#[tokio::test]
async fn while_the_vendor_waits_callers_get_the_last_good_body() {
    let (addr, vendor) = vendor::start().await;
    let server = proxy(addr).await;
    let id = "LASTGOOD0001";
    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    let pending = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("the current order");
    // The stream's schedule polls next: the vendor refuses that poll.
    vendor.refuse_next(id, 429, RetryAfter::Seconds(3));
    assert!(
        eventually(Duration::from_secs(5), || async { vendor.hits(id) >= 2 }).await,
        "the schedule polls"
    );
    for path in EVERY_ASK {
        let (status, body) = ask(&server, id, path).await;
        match path {
            Ask::Get => {
                assert_eq!(status, 200);
                let body: serde_json::Value = serde_json::from_str(&body.expect("a body")).unwrap();
                assert_eq!(
                    body,
                    serde_json::from_str::<serde_json::Value>(&pending).unwrap()
                );
            }
            Ask::Stream => assert_eq!((status, body), (200, Some(pending.clone()))),
            Ask::Webhook => assert_eq!(status, 202),
        }
    }
    let gap = gap_after_refusal(&vendor, id).await;
    println!("the schedule's refused poll, then the next vendor call {gap:?} later");
    assert!(gap >= WAIT, "{gap:?}");
}
