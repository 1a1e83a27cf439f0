//! A polling widget through the proxy: the live cache must not add staleness to the
//! widget's own schedule. (With the old 5 s live cache, a delivery at 7 s was seen 5.5 s
//! late: the widget's poll at 9.5 s was answered from the cache filled at 6.6 s.)

mod common;

use std::time::{Duration, Instant};

use common::*;
use order_core::schedule::{Next, Outcome, Schedule, Tuning};

/// The widget's shortest delay between two polls: its first delay less the jitter.
fn shortest_poll_interval() -> Duration {
    let config = Tuning::default();
    config.first_delay * (100 - config.jitter_percent) / 100
}

#[tokio::test]
async fn a_poll_after_the_widgets_shortest_interval_always_reaches_the_vendor() {
    let (addr, vendor) = vendor::start().await;
    vendor.set_latency(Duration::from_millis(300));
    let server = start(vendor::config_for(addr)).await;
    let id = "STALENESS001";

    let first = Instant::now();
    assert_eq!(fetch(&server, id).await.0, 200);
    tokio::time::sleep(shortest_poll_interval().saturating_sub(first.elapsed())).await;
    assert_eq!(fetch(&server, id).await.0, 200);
    assert_eq!(
        vendor.hits(id),
        2,
        "the second poll was not answered from the cache"
    );

    // A burst (several tabs, a stream opening) still shares one vendor call.
    let burst: Vec<_> = (0..10).map(|_| fetch(&server, id)).collect();
    for (status, _, _) in futures_util::future::join_all(burst).await {
        assert_eq!(status, 200);
    }
    assert_eq!(
        vendor.hits(id),
        2,
        "the burst came within the live TTL of the last call"
    );
}

#[tokio::test]
async fn the_widgets_schedule_through_the_proxy_sees_a_delivery_within_its_target() {
    const DELIVERY: Duration = Duration::from_secs(7);
    let (addr, vendor) = vendor::start().await;
    let server = start(vendor::config_for(addr)).await;
    let id = "STALENESS002";
    let token = token_for(id);

    let clock = Instant::now();
    let now = || clock.elapsed().as_millis() as u64;
    let delivering = vendor.clone();
    tokio::spawn(async move {
        tokio::time::sleep(DELIVERY).await;
        delivering.deliver();
    });
    let mut schedule = Schedule::new(Tuning::default(), 7, now());
    let mut next = Next::After(Duration::ZERO);
    let mut seen_at = None;
    while let Next::After(delay) = next {
        tokio::time::sleep(delay).await;
        schedule.on_request(now());
        let response = client()
            .get(format!("{}/api/orders/{id}", server.url()))
            .header("X-Order-Token", &token)
            .send()
            .await
            .expect("answers");
        let body = response.text().await.expect("body");
        let outcome = if status_of(&body) == Status::Delivered {
            seen_at = Some(clock.elapsed());
            Outcome::Terminal
        } else {
            Outcome::Unchanged
        };
        next = schedule.on(outcome, now());
    }
    let seen_at = seen_at.expect("the delivery was seen");
    let delay = seen_at.saturating_sub(DELIVERY);
    assert!(
        delay <= Duration::from_secs(3),
        "seen {delay:?} after the delivery (target: max(3 s, 10 % of 7 s))"
    );
}
