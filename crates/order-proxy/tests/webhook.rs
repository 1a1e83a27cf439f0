//! `POST /hooks/order` on one instance (no Redis): what is refused never reaches the vendor,
//! an accepted notification answers 202 and brings the vendor's new answer to the streams.

mod common;

use std::time::{Duration, Instant};

use common::events::EventStream;
use common::*;
use order_proxy::auth::order_token;
use order_proxy::auth::webhook_signature;

const ID: &str = "HOOKORDER001";

#[tokio::test]
async fn refused_notifications_never_reach_the_vendor() {
    let (addr, vendor) = vendor::start().await;
    let server = start(vendor::config_for(addr)).await;
    let url = server.url();
    let body = hook_body(ID);
    let now = order_token::now_unix();

    assert_eq!(post_hook(&url, &body, None).await, 401, "unsigned");
    let forged = webhook_signature::sign(b"not-the-shops-webhook-secret", now, body.as_bytes());
    assert_eq!(post_hook(&url, &body, Some(forged)).await, 401, "forged");
    let stale = webhook_signature::sign(WEBHOOK_SECRET.as_bytes(), now - 301, body.as_bytes());
    assert_eq!(post_hook(&url, &body, Some(stale)).await, 401, "stale");
    let future = webhook_signature::sign(WEBHOOK_SECRET.as_bytes(), now + 301, body.as_bytes());
    assert_eq!(
        post_hook(&url, &body, Some(future)).await,
        401,
        "from the future"
    );
    let other_body = webhook_signature::sign(
        WEBHOOK_SECRET.as_bytes(),
        now,
        hook_body("HOOKORDER002").as_bytes(),
    );
    assert_eq!(
        post_hook(&url, &body, Some(other_body)).await,
        401,
        "signed another body"
    );
    assert_eq!(
        post_hook(&url, &body, Some("t=1,v1=zz".into())).await,
        401,
        "garbage"
    );

    let genuine = webhook_signature::sign(WEBHOOK_SECRET.as_bytes(), now, body.as_bytes());
    assert_eq!(post_hook(&url, &body, Some(genuine.clone())).await, 202);
    assert!(eventually(Duration::from_secs(5), || async { vendor.hits(ID) == 1 }).await);
    assert_eq!(post_hook(&url, &body, Some(genuine)).await, 401, "replayed");

    let not_json = "order_id=HOOKORDER001";
    let signed = webhook_signature::sign(WEBHOOK_SECRET.as_bytes(), now, not_json.as_bytes());
    assert_eq!(post_hook(&url, not_json, Some(signed)).await, 400);
    let bad_id = hook_body("../etc");
    let signed = webhook_signature::sign(WEBHOOK_SECRET.as_bytes(), now, bad_id.as_bytes());
    assert_eq!(post_hook(&url, &bad_id, Some(signed)).await, 400);

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        vendor.total_hits(),
        1,
        "only the genuine notification reached the vendor"
    );
}

#[tokio::test]
async fn an_accepted_notification_is_pushed_to_open_streams_at_once() {
    let (addr, vendor) = vendor::start().await;
    let mut config = vendor::config_for(addr);
    config.live_ttl = Duration::from_secs(60);
    let server = start(config).await;

    let mut stream = EventStream::open(&server.url(), ID, &token_for(ID)).await;
    assert_eq!(stream.status, 200);
    assert!(stream.content_type.starts_with("text/event-stream"));
    let first = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("the current order");
    assert_eq!(status_of(&first), Status::Pending);

    vendor.deliver();
    let sent = Instant::now();
    assert_eq!(notify(&server.url(), ID).await, 202);
    let pushed = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("the delivered order");
    let delay = sent.elapsed();
    assert_eq!(status_of(&pushed), Status::Delivered, "{pushed}");
    assert!(delay < Duration::from_secs(1), "pushed after {delay:?}");
    assert_eq!(
        vendor.hits(ID),
        2,
        "the stream's first answer, then the webhook's fetch"
    );

    // The webhook refreshed the cache too: a GET sees the delivery without a vendor call.
    let (status, _, body) = fetch(&server, ID).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("delivered")));
    assert_eq!(vendor.hits(ID), 2);
    assert_eq!(
        stream.next_order(Duration::from_secs(5)).await,
        None,
        "ends after a terminal order"
    );
}

#[tokio::test]
async fn without_a_secret_there_is_no_webhook_endpoint() {
    let (addr, vendor) = vendor::start().await;
    let mut config = vendor::config_for(addr);
    config.webhook_secret = None;
    let server = start(config).await;
    assert_eq!(notify(&server.url(), ID).await, 404);
    assert_eq!(vendor.total_hits(), 0);
}

#[tokio::test]
async fn each_sender_has_its_own_limit_checked_before_the_signature() {
    use common::net::{client_from, SECOND_CLIENT};

    let (addr, vendor) = vendor::start().await;
    let mut config = vendor::config_for(addr);
    config.limits = order_proxy::Limits {
        hooks_per_ip_per_minute: 3,
        ..order_proxy::Limits::default()
    };
    let server = start(config).await;
    let url = server.url();
    let body = hook_body(ID);
    for _ in 0..3 {
        assert_eq!(post_hook(&url, &body, None).await, 401, "unsigned");
    }
    let signed = || {
        webhook_signature::sign(
            WEBHOOK_SECRET.as_bytes(),
            order_token::now_unix(),
            body.as_bytes(),
        )
    };
    let refused = client()
        .post(format!("{url}/hooks/order"))
        .header(webhook_signature::SIGNATURE_HEADER, signed())
        .body(body.clone())
        .send()
        .await
        .expect("an answer");
    let (status, retry_after, json) = answer(refused).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (429, Some("rate_limited"))
    );
    let seconds: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=20).contains(&seconds), "{seconds}");

    // Another sender, and the order routes of the limited one, are not affected.
    let other = client_from(SECOND_CLIENT)
        .post(format!("{url}/hooks/order"))
        .header(webhook_signature::SIGNATURE_HEADER, signed())
        .body(body.clone())
        .send()
        .await
        .expect("an answer");
    assert_eq!(other.status().as_u16(), 202);
    assert!(eventually(Duration::from_secs(5), || async { vendor.hits(ID) == 1 }).await);
    assert_eq!(fetch(&server, ID).await.0, 200);
}

#[tokio::test]
async fn a_body_over_4_kib_is_refused_unread() {
    let (addr, vendor) = vendor::start().await;
    let server = start(vendor::config_for(addr)).await;
    let body = format!("{{\"order_id\":\"{ID}\"{}}}", " ".repeat(4 * 1024));
    let signature = webhook_signature::sign(
        WEBHOOK_SECRET.as_bytes(),
        order_token::now_unix(),
        body.as_bytes(),
    );
    let response = client()
        .post(format!("{}/hooks/order", server.url()))
        .header(webhook_signature::SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .expect("an answer");
    let (status, _, json) = answer(response).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (413, Some("body_too_large"))
    );
    assert_eq!(vendor.total_hits(), 0);
}
