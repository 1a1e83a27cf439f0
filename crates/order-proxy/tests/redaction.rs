//! Codes leave the server only when the customer asks: for every golden fixture and every
//! mock scenario, served by the binary with Redis and logging at `trace`, no code or PIN is
//! in any order body, event, Redis key or value, published message or log line — and each
//! is in the reveal endpoint's answer, so the search looks for what was really served.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::binary::{demo_token, serve_with_env, Served};
use common::events::EventStream;
use common::fixtures::{self, leaked, secrets, FixtureVendor};
use common::redis_server::{dump, Published, RedisServer};
use common::*;
use order_core::model::{Order, Vendor};
use order_core::providers::{self, Provider};
use order_proxy::mock::scenarios::{self, Scenario, SCENARIOS};
use order_proxy::mock::{bdvoucher, hsmail, shop, voucher_api};

/// Limits no test here should meet: it asks for each order many times in a few seconds.
const GENEROUS: &[&str] = &[
    "--limit-per-ip-per-minute",
    "100000",
    "--limit-per-10s",
    "100000",
    "--limit-per-minute",
    "100000",
    "--limit-per-order-per-hour",
    "100000",
    "--limit-reveals-per-ip-per-minute",
    "100000",
];

fn serve_on_redis(redis: &RedisServer, args: &[&str]) -> Served {
    let redis_url = redis.url();
    let args = [args, &["--redis", &redis_url], GENEROUS].concat();
    serve_with_env(&args, &[("ORDER_PROXY_CACHE_KEY", CACHE_KEY)])
}

/// The order's codes as `POST /api/orders/{id}/codes` answers them.
async fn revealed(url: &str, id: &str, token: &str) -> Vec<String> {
    let response = post_reveal(&client(), url, id, None, Some(token)).await;
    let (status, _, all) = answer(response).await;
    assert_eq!(status, 200, "{id}: {all}");
    all["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .flat_map(|revealed| [&revealed["code"], &revealed["pin"]])
        .filter_map(|secret| secret.as_str().map(str::to_owned))
        .collect()
}

/// What must be in none of Redis's keys, values or published messages, nor in the log.
async fn assert_nowhere_else(
    redis: &RedisServer,
    published: &Published,
    log: &str,
    all: &[String],
) {
    assert!(log.contains("code_revealed"), "the reveals were logged");
    if let Some(secret) = leaked(log, all) {
        panic!("the log holds a code or PIN ({} chars)", secret.len());
    }
    let (keys, stored) = dump(&redis.url()).await;
    assert!(keys.iter().any(|key| key.contains(":order:")), "{keys:?}");
    if let Some(secret) = leaked(&stored, all) {
        panic!("Redis holds a code or PIN ({} chars)", secret.len());
    }
    let messages = published.messages();
    assert!(!messages.is_empty(), "answers were published");
    for message in &messages {
        if let Some(secret) = leaked(&String::from_utf8_lossy(message), all) {
            panic!(
                "a published message holds a code or PIN ({} chars)",
                secret.len()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_fixtures_code_is_served_stored_published_or_logged() {
    let redis = RedisServer::start();
    let published = Published::record(&redis.url()).await;
    let mut all = Vec::new();
    let mut log = String::new();
    let mut checked = 0;
    let mut order_names = Vec::new();
    for &vendor in Vendor::ALL {
        let stub = FixtureVendor::start(vendor).await;
        // Nothing kept as current: each fixture is asked of the vendor afresh.
        let served = serve_on_redis(
            &redis,
            &[
                "--upstream",
                &stub.url,
                "--provider",
                vendor.as_str(),
                "--live-ttl",
                "1ms",
                "--terminal-ttl",
                "1ms",
            ],
        );
        for fixture in fixtures::of(vendor) {
            let what = format!("{vendor:?} {}", fixture.name);
            stub.serve(&fixture.body);
            let id = &fixture.expected.id;
            let token = token_at(vendor, id);
            let codes = secrets(&fixture.expected);

            let response = client()
                .get(format!("{}/api/orders/{id}", served.url))
                .header("X-Order-Token", &token)
                .send()
                .await
                .expect("answer");
            let (status, _, body) = answer(response).await;
            assert_eq!(status, 200, "{what}: {body}");
            let body = body.to_string();
            assert!(leaked(&body, &codes).is_none(), "{what}: the order body");
            let order: Order = serde_json::from_str(&body).expect("the canonical order");
            assert_eq!(
                order.vouchers.len(),
                fixture.expected.vouchers.len(),
                "{what}"
            );

            let mut stream = EventStream::open(&served.url, id, &token).await;
            let event = stream
                .next_order(Duration::from_secs(5))
                .await
                .expect("an event");
            assert!(leaked(&event, &codes).is_none(), "{what}: the event");
            drop(stream);

            assert_eq!(revealed(&served.url, id, &token).await, codes, "{what}");
            all.extend(codes);
            order_names.extend([fixture.expected.id.clone(), fixture.expected.number.clone()]);
            checked += 1;
        }
        log.push_str(&served.stop());
    }
    assert!(checked >= 70, "{checked} fixtures");
    // A code that reads like (part of) another fixture's order id — PIN `1005`, order
    // 1005; code `12345678`, order `123456789012` — is in the log's access lines: such
    // codes were looked for in their own order's bodies and events only.
    all.retain(|secret| {
        !order_names
            .iter()
            .any(|name| name.contains(secret.as_str()))
    });
    assert!(all.len() >= 1_700, "{} codes and PINs", all.len());
    assert_nowhere_else(&redis, &published, &log, &all).await;
    println!(
        "{checked} fixtures, {} codes and PINs looked for",
        all.len()
    );
}

/// The vendor's body of `scenario` at `phase`, as its mock vendor sends it.
fn mock_body(scenario: &Scenario, phase: scenarios::Phase) -> String {
    let order = match scenario.vendor() {
        Vendor::Hsmail => hsmail::order,
        Vendor::VoucherApi => voucher_api::order,
        Vendor::Shop => shop::order,
        Vendor::Bdvoucher => bdvoucher::order,
    };
    order(scenario, phase).to_string()
}

/// The order a scenario ends as, and every code and PIN it has in any phase.
fn last_order_and_secrets(scenario: &Scenario) -> (Order, Vec<String>) {
    let read = |phase| {
        providers::parse(
            &mock_body(scenario, phase),
            Provider::Vendor(scenario.vendor()),
        )
        .expect("the mock's body reads")
    };
    let mut all: Vec<String> = Vec::new();
    for (_, phase) in scenario.timeline {
        for secret in secrets(&read(*phase)) {
            if !all.contains(&secret) {
                all.push(secret);
            }
        }
    }
    let (_, last) = scenario.timeline.last().expect("a timeline");
    (read(*last), all)
}

#[tokio::test(flavor = "multi_thread")]
async fn no_mock_scenarios_code_is_served_stored_published_or_logged() {
    let redis = RedisServer::start();
    let published = Published::record(&redis.url()).await;
    let served = serve_on_redis(&redis, &["--mock", "--mock-speed", "20"]);
    let url = served.url.clone();
    let mut tokens = Vec::new();
    for scenario in SCENARIOS {
        tokens.push(demo_token(&url, scenario.id).await);
    }

    // Every event of every scenario's stream, from its first request on (when its clock
    // starts) until the test has seen the scenario through.
    let events = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut listeners = Vec::new();
    for (scenario, token) in SCENARIOS.iter().zip(&tokens) {
        let mut stream = EventStream::open(&url, scenario.id, token).await;
        let sink = events.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(event) = stream.next_order(Duration::from_secs(3600)).await {
                sink.lock().unwrap().push(event);
            }
        }));
    }

    let mut all = Vec::new();
    for (scenario, token) in SCENARIOS.iter().zip(&tokens) {
        let (last, codes) = last_order_and_secrets(scenario);
        if scenario.id == "1404" {
            let (status, _, _) = answer(get_order_at(&url, scenario.id, token).await).await;
            assert_eq!(status, 404);
            continue;
        }
        let bodies = Arc::new(Mutex::new(Vec::<String>::new()));
        let reached = eventually(Duration::from_secs(30), || {
            let bodies = bodies.clone();
            let (url, last) = (&url, &last);
            async move {
                let (status, _, body) = answer(get_order_at(url, scenario.id, token).await).await;
                if status != 200 {
                    return false;
                }
                let body = body.to_string();
                let done = status_of(&body) == last.status
                    && body.matches("\"ref\"").count() == last.vouchers.len();
                bodies.lock().unwrap().push(body);
                done
            }
        })
        .await;
        assert!(reached, "{}: its last phase", scenario.id);
        for body in bodies.lock().unwrap().iter() {
            assert!(
                leaked(body, &codes).is_none(),
                "{}: an order body",
                scenario.id
            );
        }
        let shown = revealed(&url, scenario.id, token).await;
        assert_eq!(shown, secrets(&last), "{}", scenario.id);
        all.extend(codes);
    }
    for listener in &listeners {
        listener.abort();
    }
    let events = events.lock().unwrap().clone();
    assert!(events.len() > SCENARIOS.len(), "{} events", events.len());
    for event in &events {
        assert!(
            leaked(event, &all).is_none(),
            "an event holds a code or PIN"
        );
    }
    assert!(all.len() >= 500, "{} codes and PINs", all.len());
    let log = served.stop();
    assert_nowhere_else(&redis, &published, &log, &all).await;
}

async fn get_order_at(url: &str, id: &str, token: &str) -> reqwest::Response {
    client()
        .get(format!("{url}/api/orders/{id}"))
        .header("X-Order-Token", token)
        .send()
        .await
        .expect("the proxy answers")
}
