//! order-proxy keeps each live order's vendor schedule while an event stream is open for it:
//! with a vendor that sends no webhooks the stream still shows a delivery within the polling
//! target, a webhook's answer counts as the schedule's poll, and the schedule ends with the
//! order's last stream.

mod common;

use std::time::{Duration, Instant};

use common::events::EventStream;
use common::*;
use order_core::schedule::Tuning;

/// Delivered this long after the vendor's first request: short, to keep the suite fast.
const DELIVERY: Duration = Duration::from_secs(8);

/// The polling target: max(3 s, 10 % of the time the order took).
fn target(delivery: Duration) -> Duration {
    Duration::from_secs(3).max(delivery / 10)
}

/// The schedule order-proxy keeps for a live order, by default.
fn proxy_schedule() -> Tuning {
    let config = mock_config();
    order_proxy::orders::schedule::poll_config(&config.schedule, &config.limits)
}

#[tokio::test]
async fn without_webhooks_an_open_stream_shows_a_delivery_within_the_polling_target() {
    let (addr, vendor) = vendor::start().await;
    let mut config = vendor::config_for(addr);
    config.webhook_secret = None;
    let server = start(config).await;
    let id = "NOWEBHOOKS01";

    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert_eq!(stream.status, 200);
    let first = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("the current order");
    assert_eq!(status_of(&first), Status::Pending, "{first}");
    let first_request = vendor
        .first_request(id)
        .expect("the stream asked the vendor");
    tokio::time::sleep_until((first_request + DELIVERY).into()).await;
    vendor.deliver();
    let changed_at = Instant::now();

    let pushed = stream
        .next_order(target(DELIVERY) + Duration::from_secs(5))
        .await
        .expect("the delivery is pushed");
    let delay = changed_at.elapsed();
    assert_eq!(status_of(&pushed), Status::Delivered, "{pushed}");
    let calls = vendor.hits(id);
    let worth = one_schedule(proxy_schedule(), DELIVERY + delay);
    println!(
        "delivery at {DELIVERY:?} shown {delay:?} after the vendor's change, {calls} vendor calls \
         (one schedule's worth: {worth})"
    );
    assert!(
        delay <= target(DELIVERY),
        "shown {delay:?} after the change; target {:?}",
        target(DELIVERY)
    );
    assert!(
        calls <= worth,
        "{calls} vendor calls, one schedule is {worth}"
    );
}

#[tokio::test]
async fn a_webhooks_answer_counts_as_the_schedules_poll() {
    let (addr, vendor) = vendor::start().await;
    let server = start(vendor::config_for(addr)).await;
    let id = "HOOKEDPOLL01";
    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    assert!(
        eventually(Duration::from_secs(5), || async { vendor.hits(id) == 2 }).await,
        "the schedule's first poll"
    );
    // Its next poll would come about 2 s later: the webhook's fetch comes before it and
    // is counted as that poll, so the schedule plans its next one from the webhook's.
    let polled = vendor.requests(id)[1].at;
    tokio::time::sleep_until((polled + Duration::from_millis(1_500)).into()).await;
    assert_eq!(notify(&server.url(), id).await, 202);
    assert!(
        eventually(Duration::from_secs(10), || async { vendor.hits(id) == 4 }).await,
        "the webhook's fetch, then the schedule's next poll"
    );
    let requests = vendor.requests(id);
    let gap = requests[3].at - requests[2].at;
    let shortest = proxy_schedule().first_delay * (100 - proxy_schedule().jitter_percent) / 100;
    println!("the schedule polled {gap:?} after the webhook's fetch");
    assert!(
        gap >= shortest,
        "the schedule polled {gap:?} after the webhook's fetch: it did not count it"
    );
}

#[tokio::test]
async fn the_schedule_ends_with_the_orders_last_stream() {
    let (addr, vendor) = vendor::start().await;
    let server = start(vendor::config_for(addr)).await;
    let id = "LASTSTREAM01";
    let mut first = EventStream::open(&server.url(), id, &token_for(id)).await;
    let mut second = EventStream::open(&server.url(), id, &token_for(id)).await;
    for stream in [&mut first, &mut second] {
        assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    }
    assert_eq!(server.schedules(), 1, "one schedule for both streams");
    drop(first);
    assert!(
        eventually(Duration::from_secs(5), || async { vendor.hits(id) >= 2 }).await,
        "the schedule goes on for the other stream"
    );
    drop(second);
    assert!(
        eventually(Duration::from_secs(5), || async { server.schedules() == 0 }).await,
        "the last stream closed: the schedule stops"
    );
    let calls = vendor.hits(id);
    // Its next poll would have come within 3 s.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(vendor.hits(id), calls, "no poll after the schedule stopped");
}

#[tokio::test]
async fn at_its_max_wait_the_schedule_ends_the_orders_streams() {
    const MAX_WAIT: Duration = Duration::from_secs(4);
    let (addr, vendor) = vendor::start().await;
    let mut config = vendor::config_for(addr);
    config.schedule.max_wait = MAX_WAIT;
    let schedule = order_proxy::orders::schedule::poll_config(&config.schedule, &config.limits);
    let server = start(config).await;
    let id = "MAXWAITEND01";
    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    let opened = vendor.first_request(id).expect("asked");
    assert_eq!(
        stream.next_order(MAX_WAIT + Duration::from_secs(5)).await,
        None,
        "the stream ends"
    );
    let ended = opened.elapsed();
    println!("the stream of an order that did not move ended {ended:?} after it opened");
    assert!(ended >= MAX_WAIT, "{ended:?}");
    assert!(vendor.hits(id) <= one_schedule(schedule, MAX_WAIT));
    assert!(eventually(Duration::from_secs(5), || async { server.schedules() == 0 }).await);

    // A stream opened again starts a new round: its client asked again.
    let mut again = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert!(again.next_order(Duration::from_secs(5)).await.is_some());
    assert_eq!(server.schedules(), 1);
}
