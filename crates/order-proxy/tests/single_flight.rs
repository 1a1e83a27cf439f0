//! On one instance (no Redis) every way of asking for an order shares the vendor call in
//! flight for it: a GET, a stream's first answer, a webhook's fetch, the schedule's poll.
//! A webhook that arrives during a call it cannot trust (the call began before the
//! notification) waits for it and then asks once more: never two calls at once.

mod common;

use std::time::Duration;

use common::events::EventStream;
use common::*;

const LATENCY: Duration = Duration::from_millis(300);

async fn get_and_stream_at_once(server: &order_proxy::Server, id: &str) {
    let token = token_for(id);
    let url = server.url();
    let (get, mut stream) = tokio::join!(fetch(server, id), EventStream::open(&url, id, &token));
    assert_eq!(get.0, 200);
    assert_eq!(stream.status, 200);
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
}

#[tokio::test]
async fn a_stream_and_a_get_at_the_same_moment_cause_one_vendor_call() {
    let (addr, vendor) = vendor::start().await;
    vendor.set_latency(LATENCY);
    let server = start(vendor::config_for(addr)).await;
    let id = "ONEFLIGHT001";
    get_and_stream_at_once(&server, id).await;
    assert_eq!(vendor.hits(id), 1);
}

#[tokio::test]
async fn a_get_and_a_stream_share_the_call_a_webhook_started() {
    let (addr, vendor) = vendor::start().await;
    vendor.set_latency(LATENCY);
    let server = start(vendor::config_for(addr)).await;
    let id = "ONEFLIGHT002";
    assert_eq!(notify(&server.url(), id).await, 202);
    assert!(eventually(Duration::from_secs(5), || async { vendor.hits(id) == 1 }).await);
    get_and_stream_at_once(&server, id).await;
    assert_eq!(vendor.hits(id), 1, "the webhook's call answered all three");
}

#[tokio::test]
async fn a_webhook_during_an_older_call_asks_again_after_it() {
    let (addr, vendor) = vendor::start().await;
    vendor.set_latency(LATENCY);
    let server = start(vendor::config_for(addr)).await;
    let id = "ONEFLIGHT003";
    let get = fetch(&server, id);
    let hook = async {
        assert!(eventually(Duration::from_secs(5), || async { vendor.hits(id) == 1 }).await);
        notify(&server.url(), id).await
    };
    let ((status, _, _), accepted) = tokio::join!(get, hook);
    assert_eq!((status, accepted), (200, 202));
    assert!(eventually(Duration::from_secs(5), || async { vendor.hits(id) == 2 }).await);
    let requests = vendor.requests(id);
    let apart = requests[1].at - requests[0].at;
    assert!(
        apart >= LATENCY,
        "the webhook's call began {apart:?} after the older one, which took {LATENCY:?}"
    );
}
