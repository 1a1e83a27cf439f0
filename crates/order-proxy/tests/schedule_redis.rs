//! The schedule lease on a real `redis-server`: with streams for one order open on two
//! instances, the vendor sees one schedule's worth of calls; when the instance that holds
//! the lease is killed (SIGKILL: no graceful release), the other takes over within the
//! lease's length.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::events::EventStream;
use common::redis_server::RedisServer;
use common::*;
use order_proxy::orders::schedule::poll_config;
use order_proxy::{Limits, ScheduleConfig};

const BIN: &str = env!("CARGO_BIN_EXE_order-proxy");

/// The polling target for an order delivered `delivery` after its first request.
fn target(delivery: Duration) -> Duration {
    Duration::from_secs(3).max(delivery / 10)
}

async fn redis_is_up(url: &str) -> bool {
    let health = client().get(format!("{url}/healthz")).send().await;
    match health {
        Ok(response) => response
            .json::<serde_json::Value>()
            .await
            .is_ok_and(|health| health["redis"] == "up"),
        Err(_) => false,
    }
}

async fn wait_for_redis(url: &str) {
    assert!(
        eventually(Duration::from_secs(10), || redis_is_up(url)).await,
        "{url} reaches redis"
    );
}

#[tokio::test]
async fn a_hundred_streams_over_two_instances_cost_one_schedule() {
    const DELIVERY: Duration = Duration::from_secs(10);
    let redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    let mut config = with_redis(vendor::config_for(addr), &redis.url());
    config.webhook_secret = None; // a vendor without webhooks: only the schedule polls
    config.streams.per_ip = 100;
    let schedule = poll_config(&config.schedule, &config.limits);
    let a = start(config.clone()).await;
    let b = start(config).await;
    for server in [&a, &b] {
        wait_for_redis(&server.url()).await;
    }
    let id = "HUNDREDSTRMS";
    let token = token_for(id);
    let opening = (0..100).map(|n| {
        let url = if n % 2 == 0 { a.url() } else { b.url() };
        let token = token.clone();
        async move {
            let mut stream = EventStream::open(&url, id, &token).await;
            assert_eq!(stream.status, 200);
            assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
            stream
        }
    });
    let mut streams = futures_util::future::join_all(opening).await;
    assert_eq!((a.schedules(), b.schedules()), (1, 1), "a round on each");
    let first_request = vendor.first_request(id).expect("asked");

    tokio::time::sleep_until((first_request + DELIVERY).into()).await;
    vendor.deliver();
    let changed_at = Instant::now();
    let seen = streams.iter_mut().map(|stream| async move {
        let pushed = stream
            .next_order(target(DELIVERY) + Duration::from_secs(5))
            .await
            .expect("the delivery");
        assert_eq!(status_of(&pushed), Status::Delivered);
        changed_at.elapsed()
    });
    let delays = futures_util::future::join_all(seen).await;
    let worst = delays.iter().max().copied().unwrap_or_default();
    let calls = vendor.hits(id);
    let worth = one_schedule(schedule, first_request.elapsed());
    println!(
        "100 streams on two instances: {calls} vendor calls in {:?} (one schedule's worth: \
         {worth}); delivery shown on every stream within {worst:?} of the vendor's change",
        first_request.elapsed()
    );
    assert!(
        calls <= worth,
        "{calls} vendor calls, one schedule is {worth}"
    );
    assert!(worst <= target(DELIVERY), "{worst:?}");
}

/// `order-proxy serve` as a child process in front of the stub vendor, sharing `redis`.
struct Instance {
    child: Child,
    url: String,
}

impl Instance {
    fn spawn(redis: &RedisServer, vendor: std::net::SocketAddr) -> Instance {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--provider", "hsmail"])
            .args(["--upstream", &format!("http://{vendor}")])
            .args(["--redis", &redis.url()])
            .env("ORDER_PROXY_API_KEY", API_KEY)
            .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
            .env("ORDER_PROXY_CACHE_KEY", CACHE_KEY)
            .env_remove("ORDER_PROXY_WEBHOOK_SECRET")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("order-proxy starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the listening line");
        let url = line
            .split_whitespace()
            .last()
            .map(|url| url.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| panic!("a URL in {line:?}"));
        Instance { child, url }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn when_the_lease_holder_dies_the_other_instance_takes_over_within_the_lease() {
    let lease = ScheduleConfig::default().lease;
    let schedule = poll_config(&ScheduleConfig::default(), &Limits::default());
    let redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    let mut holder = Instance::spawn(&redis, addr);
    let other = Instance::spawn(&redis, addr);
    for instance in [&holder, &other] {
        wait_for_redis(&instance.url).await;
    }
    let id = "LEASEHOLDER1";
    let token = token_for(id);

    let mut on_holder = EventStream::open(&holder.url, id, &token).await;
    assert!(on_holder.next_order(Duration::from_secs(5)).await.is_some());
    let first_request = vendor.first_request(id).expect("asked");
    // The holder's schedule polls: it takes the lease.
    assert!(eventually(Duration::from_secs(5), || async { vendor.hits(id) >= 2 }).await);
    let mut on_other = EventStream::open(&other.url, id, &token).await;
    assert!(on_other.next_order(Duration::from_secs(5)).await.is_some());

    // Both have a stream open for 12 s: one schedule polls, not two.
    tokio::time::sleep_until((first_request + Duration::from_secs(12)).into()).await;
    let calls = vendor.hits(id);
    let worth = one_schedule(schedule, first_request.elapsed());
    println!("two instances with a stream each: {calls} vendor calls in 12 s (one schedule's worth: {worth})");
    assert!(
        calls <= worth,
        "{calls} vendor calls, one schedule is {worth}"
    );

    holder.child.kill().expect("SIGKILL");
    let killed_at = Instant::now();
    holder.child.wait().expect("gone");
    drop(on_holder);
    assert!(
        eventually(lease + Duration::from_secs(5), || async {
            vendor.hits(id) > calls
        })
        .await,
        "the other instance polls"
    );
    let taken_over = vendor.requests(id)[calls as usize]
        .at
        .saturating_duration_since(killed_at);
    println!(
        "the holder was killed; the other instance polled {taken_over:?} later (lease {lease:?})"
    );
    assert!(
        taken_over <= lease + Duration::from_millis(500),
        "{taken_over:?} after the holder died"
    );

    // And its stream shows the next change on its own schedule.
    vendor.deliver();
    let changed_at = Instant::now();
    let pushed = on_other
        .next_order(Duration::from_secs(10))
        .await
        .expect("the delivery");
    assert_eq!(status_of(&pushed), Status::Delivered);
    let delay = changed_at.elapsed();
    println!("then the delivery was shown {delay:?} after the vendor's change");
    assert!(delay <= target(first_request.elapsed()), "{delay:?}");
}

#[tokio::test]
async fn a_webhook_on_another_instance_counts_as_the_holders_poll() {
    let redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    let config = with_redis(vendor::config_for(addr), &redis.url());
    let schedule = poll_config(&config.schedule, &config.limits);
    let holder = start(config.clone()).await;
    let other = start(config).await;
    for server in [&holder, &other] {
        wait_for_redis(&server.url()).await;
    }
    let id = "HOOKELSEWHR1";
    let mut stream = EventStream::open(&holder.url(), id, &token_for(id)).await;
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    assert!(
        eventually(Duration::from_secs(5), || async { vendor.hits(id) == 2 }).await,
        "the holder's first poll"
    );
    // Just before the holder's next poll, a webhook reaches the other instance.
    let polled = vendor.requests(id)[1].at;
    tokio::time::sleep_until((polled + Duration::from_millis(1_500)).into()).await;
    assert_eq!(notify(&other.url(), id).await, 202);
    assert!(
        eventually(Duration::from_secs(10), || async { vendor.hits(id) == 4 }).await,
        "the webhook's fetch, then the holder's next poll"
    );
    let requests = vendor.requests(id);
    let gap = requests[3].at - requests[2].at;
    let shortest = schedule.first_delay * (100 - schedule.jitter_percent) / 100;
    println!("the holder polled {gap:?} after the other instance's webhook fetch");
    assert!(gap >= shortest, "{gap:?}: the holder did not count it");
}

#[tokio::test]
async fn while_redis_is_down_a_follower_polls_on_its_own() {
    let mut redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    let mut config = with_redis(vendor::config_for(addr), &redis.url());
    config.webhook_secret = None;
    let holder = start(config.clone()).await;
    let follower = start(config).await;
    for server in [&holder, &follower] {
        wait_for_redis(&server.url()).await;
    }
    let id = "REDISGONE001";
    let mut on_holder = EventStream::open(&holder.url(), id, &token_for(id)).await;
    assert!(on_holder.next_order(Duration::from_secs(5)).await.is_some());
    assert!(eventually(Duration::from_secs(5), || async { vendor.hits(id) >= 2 }).await);
    let mut on_follower = EventStream::open(&follower.url(), id, &token_for(id)).await;
    assert!(on_follower
        .next_order(Duration::from_secs(5))
        .await
        .is_some());

    redis.stop();
    assert!(
        eventually(Duration::from_secs(5), || async {
            !redis_is_up(&follower.url()).await
        })
        .await
    );
    // No pub/sub now: the follower's stream sees the delivery only through its own polls.
    vendor.deliver();
    let changed_at = Instant::now();
    let pushed = on_follower
        .next_order(Duration::from_secs(10))
        .await
        .expect("the delivery");
    assert_eq!(status_of(&pushed), Status::Delivered);
    let delay = changed_at.elapsed();
    println!("with redis down, the follower showed the delivery {delay:?} after the change");
    assert!(delay <= Duration::from_secs(3), "{delay:?}");
}
