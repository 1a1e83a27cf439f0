//! `GET /metrics` over HTTP on loopback: every family moves when its event happens, the
//! endpoint is served only on `--metrics-listen`, no order id, token, client address, ref
//! or code ever appears in it, a real Prometheus scrapes it, and docs/deploying.md lists
//! exactly the exported series and alerts on them with rules `promtool` accepts.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use common::events::EventStream;
use common::net::{client_from, connect_from, fate, Fate, SECOND_CLIENT};
use common::prometheus::Prometheus;
use common::redis_server::RedisServer;
use common::vendor::{self, Counting, RetryAfter};
use common::*;
use common::{binary, docs};
use order_core::model::Vendor;
use order_proxy::metrics::live::Live;
use order_proxy::metrics::{Budget, Limit, Metrics};
use order_proxy::{Config, Server};

const ID: &str = "METRICS00001";
const WAITED: &str = "METRICS00002";
const MIXED: &str = "METRICS00003";
const STREAMED: &str = "METRICS00004";
const ORDER_ROUTE: &str = r#"order_proxy_http_requests_total{route="/api/orders/{id}""#;

/// One scrape of `/metrics`.
struct Scrape(String);

impl Scrape {
    /// The value of the series written exactly as `series` (name and labels), 0 if absent.
    fn value(&self, series: &str) -> f64 {
        self.0
            .lines()
            .filter(|line| !line.starts_with('#'))
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0.0)
    }
}

async fn scrape(server: &Server) -> Scrape {
    let addr = server.metrics_addr.expect("--metrics-listen");
    let response = client()
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .expect("the metrics listener answers");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap_or("");
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    Scrape(response.text().await.expect("a body"))
}

/// Scrapes every 50 ms until `series` reaches `wanted` or 5 s pass; the last value seen.
async fn settles_at(server: &Server, series: &str, wanted: f64) -> f64 {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let value = scrape(server).await.value(series);
        if value == wanted || tokio::time::Instant::now() >= deadline {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn with_metrics(mut config: Config) -> Config {
    config.metrics_listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    config
}

async fn counting_proxy(tweak: impl FnOnce(&mut Config)) -> (Server, std::sync::Arc<Counting>) {
    let (addr, vendor) = vendor::start().await;
    let mut config = with_metrics(vendor::config_for(addr));
    config.streams.heartbeat = Duration::from_millis(200);
    tweak(&mut config);
    (start(config).await, vendor)
}

#[tokio::test]
async fn requests_vendor_calls_cache_refusals_and_budget_move_with_their_events() {
    let (server, vendor) = counting_proxy(|config| config.limits.per_ip_per_minute = 6).await;
    vendor.deliver();
    assert_eq!(fetch(&server, ID).await.0, 200);
    assert_eq!(fetch(&server, ID).await.0, 200, "from the cache");
    assert_eq!(get_order(&server, ID, None).await.status(), 401);
    vendor.refuse_next(WAITED, 429, RetryAfter::Seconds(60));
    assert_eq!(
        fetch(&server, WAITED).await.0,
        429,
        "the vendor asks us to wait"
    );
    assert_eq!(fetch(&server, WAITED).await.0, 429, "and we do");
    vendor.mix_up_with(Some(ID));
    assert_eq!(
        fetch(&server, MIXED).await.0,
        502,
        "another order than asked for"
    );
    vendor.mix_up_with(None);
    let second = client_from(SECOND_CLIENT);
    let token = token_for(ID);
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let response = second
            .get(format!("{}/api/orders/{ID}", server.url()))
            .header("X-Order-Token", &token)
            .send()
            .await
            .expect("answers");
        statuses.push(response.status().as_u16());
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 200, 200, 200, 429],
        "6 a minute per client"
    );

    let metrics = scrape(&server).await;
    let series = |name: &str| metrics.value(name);
    assert_eq!(series(&format!(r#"{ORDER_ROUTE},status="200"}}"#)), 8.0);
    assert_eq!(series(&format!(r#"{ORDER_ROUTE},status="401"}}"#)), 1.0);
    assert_eq!(series(&format!(r#"{ORDER_ROUTE},status="429"}}"#)), 3.0);
    assert_eq!(series(&format!(r#"{ORDER_ROUTE},status="502"}}"#)), 1.0);
    let vendor_calls = |outcome: &str| {
        series(&format!(
            r#"order_proxy_vendor_request_duration_seconds_count{{vendor="hsmail",outcome="{outcome}"}}"#
        ))
    };
    assert_eq!(vendor_calls("ok"), 1.0);
    assert_eq!(vendor_calls("rate_limited"), 1.0);
    assert_eq!(vendor_calls("invalid"), 1.0);
    assert_eq!(
        series(
            r#"order_proxy_vendor_request_duration_seconds_bucket{vendor="hsmail",outcome="ok",le="+Inf"}"#
        ),
        1.0
    );
    assert_eq!(
        series("order_proxy_cache_hits_total"),
        7.0,
        "the repeated GETs"
    );
    assert_eq!(
        series("order_proxy_cache_misses_total"),
        4.0,
        "ID, WAITED twice, MIXED"
    );
    let refusals = |reason: &str| {
        series(&format!(
            r#"order_proxy_rate_limit_refusals_total{{reason="{reason}"}}"#
        ))
    };
    assert_eq!(refusals("vendor_retry_after"), 1.0);
    assert_eq!(refusals("client_per_minute"), 1.0);
    assert_eq!(
        series(r#"order_proxy_vendor_budget_used_total{budget="instance"}"#),
        3.0,
        "every call that reached the vendor"
    );
    assert_eq!(vendor.total_hits(), 3);
    assert!(
        series("order_proxy_connections_open") >= 1.0,
        "{}",
        metrics.0
    );
    assert!(
        !metrics.0.contains("order_proxy_redis_up"),
        "only with --redis"
    );
    assert_no_request_data(&metrics, &[ID, WAITED, MIXED, &token]);
}

#[tokio::test]
async fn webhooks_streams_and_reveals_are_counted_and_never_named() {
    let (server, vendor) = counting_proxy(|_| {}).await;
    let url = server.url();
    let token = token_for(STREAMED);
    let mut stream = EventStream::open(&url, STREAMED, &token).await;
    assert_eq!(stream.status, 200);
    assert!(stream.next_order(Duration::from_secs(5)).await.is_some());
    let open = "order_proxy_event_streams_open";
    assert_eq!(scrape(&server).await.value(open), 1.0);
    drop(stream);
    assert_eq!(settles_at(&server, open, 0.0).await, 0.0, "closed");

    vendor.deliver();
    assert_eq!(notify(&url, ID).await, 202);
    assert_eq!(post_hook(&url, &hook_body(ID), None).await, 401);
    assert_eq!(post_hook(&url, "{}", Some("t=1,v1=00".into())).await, 401);
    let (status, _, order) = fetch(&server, ID).await;
    assert_eq!(status, 200);
    let refs: Vec<String> = order["vouchers"]
        .as_array()
        .expect("vouchers")
        .iter()
        .map(|voucher| voucher["ref"].as_str().expect("a ref").to_owned())
        .collect();
    let id_token = token_for(ID);
    let one = post_reveal(
        &client(),
        &url,
        &format!("{ID}?purpose=copy"),
        Some(&refs[0]),
        Some(&id_token),
    )
    .await;
    assert_eq!(one.status(), 200);
    let all = post_reveal(&client(), &url, ID, None, Some(&id_token)).await;
    assert_eq!(all.status(), 200);

    let metrics = scrape(&server).await;
    assert_eq!(metrics.value("order_proxy_webhooks_accepted_total"), 1.0);
    assert_eq!(
        metrics.value(r#"order_proxy_webhooks_refused_total{reason="signature_invalid"}"#),
        2.0
    );
    assert_eq!(
        metrics.value(
            r#"order_proxy_codes_revealed_total{vendor="hsmail",purpose="copy",scope="one"}"#
        ),
        1.0
    );
    assert_eq!(
        metrics.value(
            r#"order_proxy_codes_revealed_total{vendor="hsmail",purpose="unspecified",scope="all"}"#
        ),
        refs.len() as f64
    );
    assert_eq!(
        metrics.value(r#"order_proxy_http_requests_total{route="/hooks/order",status="202"}"#),
        1.0
    );
    assert_eq!(
        metrics.value(
            r#"order_proxy_http_requests_total{route="/api/orders/{id}/events",status="200"}"#
        ),
        1.0
    );
    let mut secrets = vec![ID.to_owned(), STREAMED.to_owned(), token, id_token];
    secrets.extend(refs);
    secrets.extend(Counting::codes());
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_no_request_data(&metrics, &secrets);
}

/// No order id, token, ref, code or client address in any series.
fn assert_no_request_data(metrics: &Scrape, secrets: &[&str]) {
    for secret in secrets.iter().chain(&["127.0.0.1", "127.0.0.2"]) {
        assert!(
            !metrics.0.contains(secret),
            "{secret} appears in /metrics:\n{}",
            metrics.0
        );
    }
}

#[tokio::test]
async fn only_the_metrics_listener_serves_metrics_under_the_same_limits() {
    let (server, _vendor) =
        counting_proxy(|config| config.connections.header_timeout = Duration::from_secs(1)).await;
    let public = status_of_get(&format!("{}/metrics", server.url())).await;
    assert_eq!(public, 404, "never on the public listener");
    let metrics_addr = server.metrics_addr.expect("--metrics-listen");
    let elsewhere = status_of_get(&format!("http://{metrics_addr}/api/orders/{ID}")).await;
    assert_eq!(elsewhere, 404, "nothing else on the metrics listener");
    // A request head that never ends is closed at the header timeout (1 s) there too.
    let since = std::time::Instant::now();
    let mut stalled = connect_from(SECOND_CLIENT, metrics_addr).await;
    tokio::io::AsyncWriteExt::write_all(&mut stalled, b"GET /metrics HTTP/1.1\r\n")
        .await
        .expect("writes");
    match fate(&mut stalled, since, Duration::from_secs(15)).await {
        Fate::Closed { after, .. } => assert!(after < Duration::from_secs(3), "{after:?}"),
        Fate::Held => panic!("a stalled head holds the metrics listener"),
    }
    let without = start(vendor::config_for(server.addr)).await;
    assert_eq!(
        without.metrics_addr, None,
        "no /metrics without --metrics-listen"
    );
}

#[tokio::test]
async fn an_answer_past_the_request_timeout_is_counted_by_its_route() {
    let (server, vendor) = counting_proxy(|config| {
        config.connections.request_timeout = Duration::from_millis(300);
    })
    .await;
    vendor.set_latency(Duration::from_secs(2));
    assert_eq!(fetch(&server, ID).await.0, 503);
    let series = format!(r#"{ORDER_ROUTE},status="503"}}"#);
    assert_eq!(scrape(&server).await.value(&series), 1.0);
}

async fn status_of_get(url: &str) -> u16 {
    client()
        .get(url)
        .send()
        .await
        .expect("answers")
        .status()
        .as_u16()
}

#[tokio::test]
async fn serve_prints_where_it_serves_metrics() {
    let mut child = binary::command()
        .args(["serve", "--mock", "--listen", "127.0.0.1:0"])
        .args(["--metrics-listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url_on = |line: Option<std::io::Result<String>>| {
        let line = line.expect("a line").expect("text");
        line.split_whitespace().last().expect("a URL").to_owned()
    };
    let public = url_on(lines.next());
    let metrics = url_on(lines.next());
    assert!(
        metrics.ends_with("/metrics") && metrics != public,
        "{metrics}"
    );
    let _killed_when_dropped = binary::Served {
        child,
        url: public,
        log: Default::default(),
        reader: None,
    };
    assert_eq!(status_of_get(&metrics).await, 200);
}

#[tokio::test]
async fn refused_connections_and_open_ones_are_counted() {
    let (server, _vendor) = counting_proxy(|config| {
        config.connections.max_connections_per_ip = 1;
    })
    .await;
    let since = std::time::Instant::now();
    let _held = connect_from(SECOND_CLIENT, server.addr).await;
    assert_eq!(
        settles_at(&server, "order_proxy_connections_open", 1.0).await,
        1.0
    );
    let mut refused = connect_from(SECOND_CLIENT, server.addr).await;
    match fate(&mut refused, since, Duration::from_secs(5)).await {
        Fate::Closed { received, .. } => {
            assert!(received.starts_with("HTTP/1.1 503"), "{received}")
        }
        Fate::Held => panic!("a connection past the cap is held"),
    }
    let series = r#"order_proxy_connections_refused_total{reason="per_address"}"#;
    assert_eq!(scrape(&server).await.value(series), 1.0);
}

#[tokio::test]
async fn redis_up_follows_redis_and_shared_budgets_are_counted() {
    let mut redis = RedisServer::start();
    let (addr, vendor) = vendor::start().await;
    vendor.deliver();
    let server = start(with_redis(
        with_metrics(vendor::config_for(addr)),
        &redis.url(),
    ))
    .await;
    let up = "order_proxy_redis_up";
    assert_eq!(settles_at(&server, up, 1.0).await, 1.0, "redis answers");
    assert_eq!(fetch(&server, ID).await.0, 200);
    let shared = r#"order_proxy_vendor_budget_used_total{budget="shared"}"#;
    assert_eq!(scrape(&server).await.value(shared), 1.0);
    redis.stop();
    assert_eq!(settles_at(&server, up, 0.0).await, 0.0, "redis is down");
}

#[tokio::test]
async fn a_real_prometheus_scrapes_the_metrics_listener() {
    let (server, vendor) = counting_proxy(|_| {}).await;
    vendor.deliver();
    assert_eq!(fetch(&server, ID).await.0, 200);
    let prometheus = Prometheus::scraping("order-proxy", server.metrics_addr.expect("listening"));
    let up = r#"up{job="order-proxy"}"#;
    assert!(
        eventually(Duration::from_secs(60), || async {
            prometheus.value(up).await == Some(1.0)
        })
        .await,
        "Prometheus scraped order-proxy"
    );
    let requests = r#"order_proxy_http_requests_total{job="order-proxy",route="/api/orders/{id}",status="200"}"#;
    assert!(
        eventually(Duration::from_secs(10), || async {
            prometheus.value(requests).await == Some(1.0)
        })
        .await,
        "the request count reads back through the HTTP API: {:?}",
        prometheus.query(requests).await
    );
}

/// The series a scrape declares (`# TYPE <name> <type>`).
fn declared(metrics: &Scrape) -> BTreeSet<String> {
    metrics
        .0
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE ")?.split(' ').next())
        .map(str::to_owned)
        .collect()
}

/// The series a text names, a histogram's `_bucket`, `_sum` and `_count` as the histogram.
fn named_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("order_proxy_"))
        .map(|word| {
            let histogram = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|suffix| word.strip_suffix(suffix))
                .filter(|stem| stem.ends_with("_seconds"));
            histogram.unwrap_or(word).to_owned()
        })
        .collect()
}

/// Every family with one sample (a family appears in the text once it has one).
fn every_family() -> Scrape {
    let metrics = Metrics::new(Live {
        event_streams_open: Some(Box::new(|| 0)),
        connections_open: Some(Box::new(|| 0)),
        redis_up: Some(Box::new(|| true)),
    });
    metrics.request(Some("/healthz"), 200);
    metrics.vendor_call::<()>(Vendor::Hsmail, &Ok(()), Duration::from_millis(1));
    metrics.cache_lookup(true);
    metrics.cache_lookup(false);
    metrics.refused(Limit::Client);
    metrics.budget_used(Budget::Instance);
    metrics.webhook_accepted();
    metrics.webhook_refused("signature_invalid");
    metrics.connection_refused("total");
    metrics.code_revealed(Vendor::Hsmail, "reveal", "one");
    Scrape(metrics.render())
}

#[test]
fn the_documented_series_and_alert_rules_are_the_exported_ones() {
    let exported = declared(&every_family());
    let page = std::fs::read_to_string(docs::repository().join("docs/deploying.md"))
        .expect("docs/deploying.md");
    let table: String = page
        .lines()
        .filter(|line| line.starts_with("| `order_proxy_"))
        .map(|line| line.split('|').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        named_in(&table),
        exported,
        "the table lists every series, and only those"
    );

    let rules = docs::recipe("alert-rules");
    let unknown: Vec<String> = named_in(&rules).difference(&exported).cloned().collect();
    assert!(
        unknown.is_empty(),
        "the alerts name series order-proxy does not export: {unknown:?}"
    );
    let file = std::env::temp_dir().join(format!("order-proxy-alerts-{}.yml", std::process::id()));
    std::fs::write(&file, rules).expect("written");
    let checked = std::process::Command::new(common::prometheus::PROMTOOL)
        .args(["check", "rules"])
        .arg(&file)
        .output()
        .expect("promtool runs (Debian package prometheus)");
    let _ = std::fs::remove_file(&file);
    assert!(
        checked.status.success(),
        "promtool check rules: {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}
