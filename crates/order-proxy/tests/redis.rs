//! Two order-proxy instances on one real `redis-server` and one counting vendor: push
//! across instances, shared budgets and cache, nothing readable in Redis (no order id in a
//! key name either), TLS with a private CA, and what happens while Redis is down and after
//! it is back.

mod common;

use std::time::{Duration, Instant};

use common::events::EventStream;
use common::redis_server::{dump, Published, RedisServer};
use common::vendor::Counting;
use common::*;
use order_proxy::auth::order_token;
use order_proxy::auth::webhook_signature;
use order_proxy::{Limits, Server};

async fn two_instances(
    redis: &RedisServer,
    addr: std::net::SocketAddr,
    tweak: impl Fn(&mut order_proxy::Config),
) -> (Server, Server) {
    let mut config = with_redis(vendor::config_for(addr), &redis.url());
    tweak(&mut config);
    let a = start(config.clone()).await;
    let b = start(config).await;
    for server in [&a, &b] {
        assert!(
            eventually(Duration::from_secs(5), || health_is(server, "ok")).await,
            "the instance reaches redis"
        );
    }
    (a, b)
}

async fn health(server: &Server) -> serde_json::Value {
    client()
        .get(format!("{}/healthz", server.url()))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("json")
}

async fn health_is(server: &Server, status: &str) -> bool {
    health(server).await["status"] == status
}

#[tokio::test]
async fn a_webhook_to_one_instance_reaches_a_stream_on_the_other_within_a_second() {
    let redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    let (a, b) = two_instances(&redis, addr, |_| {}).await;
    let id = "PUSHACROSS01";

    let mut stream = EventStream::open(&b.url(), id, &token_for(id)).await;
    let first = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("current");
    assert_eq!(status_of(&first), Status::Pending);
    vendor.deliver();
    let sent = Instant::now();
    assert_eq!(notify(&a.url(), id).await, 202);
    let pushed = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("pushed");
    let delay = sent.elapsed();
    assert_eq!(status_of(&pushed), Status::Delivered, "{pushed}");
    assert!(delay < Duration::from_secs(1), "pushed after {delay:?}");
    assert_eq!(
        vendor.hits(id),
        2,
        "the stream's first answer, then the webhook's fetch"
    );

    // A replay of the same signature to the other instance is refused.
    let body = hook_body(id);
    let earlier = order_token::now_unix() - 2; // another signature than `notify`'s
    let signature = webhook_signature::sign(WEBHOOK_SECRET.as_bytes(), earlier, body.as_bytes());
    assert_eq!(
        post_hook(&a.url(), &body, Some(signature.clone())).await,
        202
    );
    assert_eq!(
        post_hook(&b.url(), &body, Some(signature)).await,
        401,
        "replayed elsewhere"
    );
    assert!(eventually(Duration::from_secs(5), || async { vendor.hits(id) == 3 }).await);
    let stale = webhook_signature::sign(
        WEBHOOK_SECRET.as_bytes(),
        order_token::now_unix() - 301,
        body.as_bytes(),
    );
    assert_eq!(post_hook(&b.url(), &body, Some(stale)).await, 401);
    assert_eq!(post_hook(&b.url(), &body, None).await, 401);
    let forged = webhook_signature::sign(
        b"forged-forged-forged-forged",
        order_token::now_unix(),
        body.as_bytes(),
    );
    assert_eq!(post_hook(&a.url(), &body, Some(forged)).await, 401);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        vendor.hits(id),
        3,
        "only the one accepted notification fetched again"
    );
}

#[tokio::test]
async fn instances_share_through_redis_over_tls_with_a_private_ca() {
    let redis = RedisServer::start_tls();
    assert!(redis.url().starts_with("rediss://"));
    let (addr, vendor) = vendor::start().await;
    let (a, b) = two_instances(&redis, addr, |config| {
        let shared = config.redis.as_mut().expect("with redis");
        shared.ca_certificates = Some(redis.ca_certificate());
        config.live_ttl = Duration::from_millis(50);
        config.limits.per_order_per_hour = 2;
    })
    .await;

    // While the order is live: the shared budget.
    let id = "TLSBUDGET001";
    for n in 0..4 {
        let server = if n % 2 == 0 { &a } else { &b };
        let _ = fetch(server, id).await;
        tokio::time::sleep(Duration::from_millis(80)).await;
    }
    assert_eq!(vendor.hits(id), 2, "2 per hour for both instances together");

    let id = "TLSPUSHING01";
    let mut stream = EventStream::open(&b.url(), id, &token_for(id)).await;
    let first = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("current");
    assert_eq!(status_of(&first), Status::Pending);
    vendor.deliver();
    assert_eq!(notify(&a.url(), id).await, 202);
    let pushed = stream
        .next_order(Duration::from_secs(5))
        .await
        .expect("pushed across the TLS connection");
    assert_eq!(status_of(&pushed), Status::Delivered, "{pushed}");
}

#[tokio::test]
async fn many_requests_over_both_instances_share_one_vendor_call_per_cache_window() {
    let redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    vendor.set_latency(Duration::from_millis(50));
    let (a, b) = two_instances(&redis, addr, |config| {
        config.limits.per_ip_per_minute = 1_000;
    })
    .await;
    let id = "MANYREQUEST1";
    let token = token_for(id);
    let started = Instant::now();
    let mut requests = tokio::task::JoinSet::new();
    for n in 0..200u64 {
        let url = if n % 2 == 0 { a.url() } else { b.url() };
        let token = token.clone();
        requests.spawn(async move {
            tokio::time::sleep(Duration::from_millis(n * 5)).await;
            client()
                .get(format!("{url}/api/orders/{id}"))
                .header("X-Order-Token", token)
                .send()
                .await
                .expect("answers")
                .status()
                .as_u16()
        });
    }
    while let Some(status) = requests.join_next().await {
        assert_eq!(status.expect("joined"), 200);
    }
    let windows = started.elapsed().as_millis().div_ceil(1_000) as u32;
    let calls = vendor.hits(id);
    assert!(
        (1..=windows).contains(&calls),
        "{calls} vendor calls over {windows} one-second cache windows"
    );
    assert!(calls <= Limits::default().per_order_per_hour);
}

#[tokio::test]
async fn the_per_order_budget_holds_for_all_instances_together() {
    let redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    let (a, b) = two_instances(&redis, addr, |config| {
        config.live_ttl = Duration::from_millis(50);
        config.limits.per_order_per_hour = 4;
    })
    .await;
    let id = "BUDGETSHARED";
    let mut refused = 0;
    for n in 0..10 {
        let server = if n % 2 == 0 { &a } else { &b };
        let (status, retry_after, _) = fetch(server, id).await;
        if status == 429 {
            refused += 1;
            assert!(retry_after.is_some());
        }
        tokio::time::sleep(Duration::from_millis(80)).await;
    }
    assert_eq!(vendor.hits(id), 4, "4 per hour, not 4 per instance");
    assert_eq!(refused, 6);
}

#[tokio::test]
async fn redis_holds_no_code_pin_token_or_order_id_in_plain_text() {
    let redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    let (a, b) = two_instances(&redis, addr, |config| {
        config.live_ttl = Duration::from_secs(60);
    })
    .await;
    let published = Published::record(&redis.url()).await;
    vendor.deliver();
    let ids = ["SECRETSCAN01", "SECRETSCAN02"];
    for id in ids {
        let mut stream = EventStream::open(&b.url(), id, &token_for(id)).await;
        assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
        let (status, _, body) = fetch(&a, id).await;
        assert_eq!(status, 200);
        assert_eq!(body["status"], "delivered");
        assert_eq!(notify(&a.url(), id).await, 202);
    }
    assert!(
        eventually(Duration::from_secs(5), || async {
            vendor.hits("SECRETSCAN02") == 2
        })
        .await
    );

    let mut secrets: Vec<String> = Counting::codes();
    assert!(secrets.len() >= 2);
    secrets.extend(ids.iter().map(|id| token_for(id)));
    secrets
        .extend([API_KEY, API_SECRET, TOKEN_SECRET, WEBHOOK_SECRET, CACHE_KEY].map(String::from));

    let (keys, mut stored) = dump(&redis.url()).await;
    assert!(keys.iter().any(|key| key.contains(":order:")), "{keys:?}");
    assert!(
        keys.iter().any(|key| key.contains(":budget:order:")),
        "{keys:?}"
    );
    assert!(keys.iter().any(|key| key.contains(":replay:")), "{keys:?}");
    for key in &keys {
        for id in ids {
            assert!(!key.contains(id), "a key names an order: {key}");
        }
    }
    assert!(
        eventually(Duration::from_secs(5), || async {
            published.messages().len() >= 2 * ids.len()
        })
        .await,
        "each vendor answer was published"
    );
    let messages = published.messages();
    for message in &messages {
        stored.push_str(&String::from_utf8_lossy(message));
    }
    secrets.extend(ids.map(String::from));
    for secret in &secrets {
        assert!(
            !stored.contains(secret.as_str()),
            "redis holds a secret in plain text ({} chars)",
            secret.len()
        );
    }
    assert!(!stored.contains("delivered"), "order bodies are encrypted");
}

#[tokio::test]
async fn without_redis_both_instances_answer_degraded_and_sharing_resumes_when_it_is_back() {
    let mut redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    let (a, b) = two_instances(&redis, addr, |config| {
        config.live_ttl = Duration::from_millis(50);
        config.limits.per_order_per_hour = 3;
    })
    .await;

    redis.stop();
    for server in [&a, &b] {
        assert!(
            eventually(Duration::from_secs(5), || health_is(server, "degraded")).await,
            "healthz reports degraded"
        );
        assert_eq!(health(server).await["redis"], "down");
    }
    // Each instance answers alone, with its own limits (3 per order each).
    let id = "REDISDOWN001";
    for server in [&a, &b] {
        for _ in 0..3 {
            let (status, _, _) = fetch(server, id).await;
            assert_eq!(status, 200);
            tokio::time::sleep(Duration::from_millis(80)).await;
        }
        let (status, _, _) = fetch(server, id).await;
        assert_eq!(status, 429);
    }
    assert_eq!(vendor.hits(id), 6, "local budgets while redis is down");

    redis.restart();
    for server in [&a, &b] {
        assert!(
            eventually(Duration::from_secs(10), || health_is(server, "ok")).await,
            "healthz is ok again"
        );
    }
    // Shared budget again: 3 for both together.
    let id = "REDISBACK001";
    for n in 0..6 {
        let server = if n % 2 == 0 { &a } else { &b };
        let _ = fetch(server, id).await;
        tokio::time::sleep(Duration::from_millis(80)).await;
    }
    assert_eq!(vendor.hits(id), 3, "the budget is shared again");

    // Pub/sub again: a webhook to A reaches a stream on B.
    let id = "REDISBACK002";
    let mut stream = EventStream::open(&b.url(), id, &token_for(id)).await;
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    vendor.deliver();
    // The subscriber reconnects on its own within a second; notify until B hears it.
    let mut pushed = None;
    for _ in 0..10 {
        let accepted = notify(&a.url(), id).await;
        let heard = tokio::time::timeout(
            Duration::from_millis(1_100),
            stream.next_order(Duration::from_secs(2)),
        )
        .await;
        if let (202, Ok(Some(body))) = (accepted, heard) {
            pushed = Some(body);
            break;
        }
    }
    let pushed = pushed.expect("pub/sub works again");
    assert_eq!(status_of(&pushed), Status::Delivered, "{pushed}");
}
