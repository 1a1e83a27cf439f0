//! `GET /api/orders/{id}/events` in mock mode: the same checks as the GET before any
//! vendor call, exactly the GET's body as data, heartbeat events, caps, push from the mock
//! vendors' own webhooks, and the end of a stream.

mod common;

use std::time::{Duration, Instant};

use common::events::{Block, EventStream};
use common::*;
use order_proxy::auth::order_token;
use order_proxy::codes::Codes;
use order_proxy::StreamLimits;

#[tokio::test]
async fn refused_streams_never_reach_the_vendor() {
    let server = start(mock_config()).await;
    let url = server.url();
    let id = "HSM000000010";

    let missing = EventStream::open_url(&format!("{url}/api/orders/{id}/events")).await;
    assert_eq!(missing.status, 401);
    assert!(missing.text().await.contains("token_missing"));
    let forged = token_signed_with(b"not-the-shops-secret-at-all", "hsmail", id);
    let refused = EventStream::open(&url, id, &forged).await;
    assert_eq!(refused.status, 403);
    let other = EventStream::open(&url, id, &token_for("HSM000000001")).await;
    assert_eq!(other.status, 403);
    let bad_id = EventStream::open_url(&format!(
        "{url}/api/orders/SHORT/events?provider=hsmail&token={}",
        token_for("SHORT")
    ))
    .await;
    assert_eq!(bad_id.status, 400);
    assert_eq!(hits(&server, id), 0);
    assert_eq!(hits(&server, "SHORT"), 0);
}

#[tokio::test]
async fn the_first_event_is_exactly_the_get_body_and_terminal_orders_end_the_stream() {
    let modes = [
        (Codes::Redacted, false),
        (Codes::Inline, false),
        (Codes::Inline, true),
    ];
    for (codes, normalize) in modes {
        let mut config = mock_config();
        config.codes = codes;
        config.normalize = normalize;
        let server = start(config).await;
        for id in ["HSM000000001", "1001", "SHOP-CANCEL-1", "20250001"] {
            let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
            assert_eq!(stream.status, 200, "{id}");
            let data = stream
                .next_order(Duration::from_secs(5))
                .await
                .expect("an order");
            let body = get_order(&server, id, Some(&token_for(id)))
                .await
                .text()
                .await
                .expect("a body");
            assert_eq!(data, body, "{id} {codes:?} normalize={normalize}");
            assert_eq!(
                stream.next_order(Duration::from_secs(5)).await,
                None,
                "{id}"
            );
        }
        server.shutdown().await.expect("shuts down");
    }
}

#[tokio::test]
async fn a_heartbeat_event_follows_the_first_order_and_says_its_interval() {
    let server = start(mock_config()).await;
    let id = "1002"; // pending for ~30 s
    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert!(matches!(
        stream.next_block(Duration::from_secs(5)).await,
        Some(Block::Event { name, .. }) if name == "order"
    ));
    assert_eq!(
        stream.next_block(Duration::from_secs(1)).await,
        Some(heartbeat("15")),
        "at once, not after the first interval"
    );
}

#[tokio::test]
async fn heartbeats_keep_a_quiet_stream_open_past_the_header_timeout() {
    let mut config = mock_config();
    config.streams.heartbeat = Duration::from_millis(200);
    config.connections.header_timeout = Duration::from_millis(300);
    let server = start(config).await;
    let id = "1002";
    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    // 1.2 s: four times the header timeout, which only applies while a head is awaited.
    // The data is the interval in whole seconds, at least 1.
    let started = Instant::now();
    for _ in 0..7 {
        assert_eq!(
            stream.next_block(Duration::from_secs(5)).await,
            Some(heartbeat("1"))
        );
    }
    assert!(started.elapsed() >= Duration::from_millis(1_200));
}

fn heartbeat(seconds: &str) -> Block {
    Block::Event {
        name: "heartbeat".into(),
        data: seconds.into(),
    }
}

#[tokio::test]
async fn mock_vendors_push_every_phase_change() {
    let server = start(mock_config()).await;
    let id = "HSM000REFUND"; // processing, refunded after ~5 s
    let opened = Instant::now();
    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    let first = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("current");
    assert_eq!(status_of(&first), Status::Processing, "{first}");
    let refunded = stream
        .next_order(Duration::from_secs(10))
        .await
        .expect("pushed");
    let at = opened.elapsed();
    assert_eq!(status_of(&refunded), Status::Refunded, "{refunded}");
    assert!(
        at >= Duration::from_secs(5) && at < Duration::from_secs(6),
        "pushed {at:?} after the first request; the vendor changed at 5 s"
    );
    assert_eq!(stream.next_order(Duration::from_secs(5)).await, None);
    let config = mock_config();
    let schedule = order_proxy::orders::schedule::poll_config(&config.schedule, &config.limits);
    let worth = one_schedule(schedule, at);
    assert!(
        hits(&server, id) <= worth + 1,
        "{} vendor calls: more than the stream's first and the schedule's polls ({worth}), \
         and the webhook's fetch",
        hits(&server, id)
    );
}

#[tokio::test]
async fn caps_per_ip_and_per_order_refuse_clearly_and_free_on_disconnect() {
    let mut config = mock_config();
    config.streams = StreamLimits {
        per_ip: 3,
        per_order: 2,
        ..StreamLimits::default()
    };
    let server = start(config).await;
    let url = server.url();
    let mut open = Vec::new();
    for id in ["1002", "1002"] {
        let mut stream = EventStream::open(&url, id, &token_for(id)).await;
        assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
        open.push(stream);
    }
    let third = EventStream::open(&url, "1002", &token_for("1002")).await;
    assert_eq!(third.status, 429, "per order");
    let refusal = third.text().await;
    assert!(refusal.contains("too_many_streams"), "{refusal}");
    let mut other = EventStream::open(&url, "HSM000000010", &token_for("HSM000000010")).await;
    assert!(other.next_order(Duration::from_secs(5)).await.is_some());
    let fourth = EventStream::open(&url, "20250010", &token_for("20250010")).await;
    assert_eq!(fourth.status, 429, "per IP");
    assert_eq!(server.open_streams(), 3);

    drop(open.pop());
    drop(other);
    assert!(
        eventually(Duration::from_secs(5), || async {
            server.open_streams() == 1
        })
        .await,
        "a closed stream gives its place back ({} open)",
        server.open_streams()
    );
    let again = EventStream::open(&url, "1002", &token_for("1002")).await;
    assert_eq!(again.status, 200);
}

/// Waits for the stream's end; when it came, from `since`.
async fn ended_after(stream: &mut EventStream, since: Instant, within: Duration) -> Duration {
    while stream.next_block(within).await.is_some() {}
    since.elapsed()
}

#[tokio::test]
async fn a_stream_ends_at_its_tokens_expiry_and_is_never_stored() {
    let server = start(mock_config()).await;
    let id = "1002"; // pending for ~30 s
    let expires_at = order_token::now_unix() + 3;
    let claims = order_token::Claims {
        audience: "voucher-api",
        order_id: id,
    };
    let short_lived = order_token::mint_until(TOKEN_SECRET.as_bytes(), claims, expires_at);
    let opened = Instant::now();
    let expires_in = order_token::time_left(expires_at);
    let mut stream = EventStream::open(&server.url(), id, &short_lived).await;
    assert_eq!(stream.status, 200);
    assert_eq!(stream.cache_control, "no-store");
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    let ended = ended_after(&mut stream, opened, Duration::from_secs(5)).await;
    assert!(
        ended + Duration::from_millis(100) >= expires_in
            && ended < expires_in + Duration::from_secs(1),
        "ended {ended:?} after opening; the token expired after {expires_in:?}"
    );
    let again = EventStream::open(&server.url(), id, &short_lived).await;
    assert_eq!(again.status, 401, "the expired token opens no new stream");
    assert!(
        eventually(Duration::from_secs(2), || async {
            server.open_streams() == 0
        })
        .await,
        "the ended stream gave its place back"
    );
}

#[tokio::test]
async fn a_stream_ends_after_its_maximum_lifetime() {
    let max_lifetime = Duration::from_secs(1);
    let mut config = mock_config();
    config.streams.max_lifetime = max_lifetime;
    let server = start(config).await;
    let id = "1002";
    let opened = Instant::now();
    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    let ended = ended_after(&mut stream, opened, Duration::from_secs(5)).await;
    assert!(
        ended >= max_lifetime && ended < max_lifetime + Duration::from_secs(1),
        "ended after {ended:?}"
    );
    let renewed = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert_eq!(renewed.status, 200, "the client may open the next one");
}
