//! Per-client limits behind a reverse proxy: the client is the right-most untrusted
//! address of `X-Forwarded-For`, believed only from a `--trusted-proxy` peer; a spoofed
//! header from anyone else changes nothing; IPv6 clients share their /64's limits.

mod common;

use std::net::IpAddr;
use std::time::Duration;

use common::events::EventStream;
use common::net::{client_from, FIRST_CLIENT, SECOND_CLIENT};
use common::*;
use order_proxy::net::client::TrustedProxies;
use order_proxy::{Config, Limits, StreamLimits};

const PER_CLIENT: u32 = 2;
const ID: &str = "1001";

fn behind(trusted: &[&str]) -> Config {
    let mut config = mock_config();
    config.limits = Limits {
        per_ip_per_minute: PER_CLIENT,
        ..Limits::default()
    };
    config.trusted_proxies =
        TrustedProxies::new(trusted.iter().map(|r| r.parse().expect("CIDR")).collect());
    config
}

/// `GET /api/orders/1001` from the TCP peer `from`, saying it forwards for `forwarded`.
async fn status(server: &order_proxy::Server, from: IpAddr, forwarded: Option<&str>) -> u16 {
    let mut request = client_from(from)
        .get(format!("{}/api/orders/{ID}", server.url()))
        .header("X-Order-Token", token_for(ID));
    if let Some(forwarded) = forwarded {
        request = request.header("X-Forwarded-For", forwarded);
    }
    request.send().await.expect("an answer").status().as_u16()
}

/// Uses up the limit of the client `forwarded` names, then checks it is refused.
async fn exhaust(server: &order_proxy::Server, forwarded: &str) {
    for _ in 0..PER_CLIENT {
        assert_eq!(
            status(server, FIRST_CLIENT, Some(forwarded)).await,
            200,
            "{forwarded}"
        );
    }
    assert_eq!(
        status(server, FIRST_CLIENT, Some(forwarded)).await,
        429,
        "{forwarded}"
    );
}

#[tokio::test]
async fn a_trusted_proxy_forwards_its_clients_each_with_its_own_limit() {
    let server = start(behind(&["127.0.0.1/32", "10.0.0.0/8"])).await;
    exhaust(&server, "203.0.113.7").await;
    assert_eq!(
        status(&server, FIRST_CLIENT, Some("203.0.113.8")).await,
        200
    );
    // Whatever a client writes left of its own entry is ignored.
    assert_eq!(
        status(&server, FIRST_CLIENT, Some("198.51.100.1, 203.0.113.7")).await,
        429
    );
    // Trusted hops right of the client are skipped.
    assert_eq!(
        status(&server, FIRST_CLIENT, Some("203.0.113.7, 10.1.2.3")).await,
        429
    );
    assert_eq!(
        status(&server, FIRST_CLIENT, Some("203.0.113.9, 10.1.2.3")).await,
        200
    );
    // The proxy's own requests (health checks) count for the proxy.
    assert_eq!(status(&server, FIRST_CLIENT, None).await, 200);
}

#[tokio::test]
async fn ipv6_clients_of_one_64_share_a_limit() {
    let server = start(behind(&["127.0.0.1/32"])).await;
    exhaust(&server, "2001:db8:1:2::a").await;
    assert_eq!(
        status(&server, FIRST_CLIENT, Some("2001:db8:1:2:ffff::b")).await,
        429,
        "same /64"
    );
    assert_eq!(
        status(&server, FIRST_CLIENT, Some("2001:db8:1:3::a")).await,
        200,
        "the next /64"
    );
}

#[tokio::test]
async fn a_spoofed_header_from_an_untrusted_peer_changes_nothing() {
    for trusted in [&[][..], &["127.0.0.1/32"][..]] {
        let server = start(behind(trusted)).await;
        for n in 0..PER_CLIENT {
            let spoofed = format!("203.0.113.{n}");
            assert_eq!(status(&server, SECOND_CLIENT, Some(&spoofed)).await, 200);
        }
        assert_eq!(
            status(&server, SECOND_CLIENT, Some("203.0.113.99")).await,
            429,
            "trusted: {trusted:?}"
        );
        assert_eq!(
            status(&server, SECOND_CLIENT, None).await,
            429,
            "the peer's own budget is spent"
        );
    }
}

#[tokio::test]
async fn stream_caps_count_forwarded_clients() {
    let mut config = behind(&["127.0.0.1/32"]);
    config.limits = Limits::default();
    config.streams = StreamLimits {
        per_ip: 1,
        ..StreamLimits::default()
    };
    let server = start(config).await;
    let url = format!(
        "{}/api/orders/1002/events?token={}",
        server.url(),
        token_for("1002")
    );
    let open = |forwarded: &'static str| {
        EventStream::open_request(client().get(&url).header("X-Forwarded-For", forwarded))
    };
    let mut first = open("203.0.113.7").await;
    assert_eq!(first.status, 200);
    assert!(first.next_order(Duration::from_secs(5)).await.is_some());
    assert_eq!(open("203.0.113.7").await.status, 429, "the same client");
    assert_eq!(open("203.0.113.8").await.status, 200, "another client");
}
