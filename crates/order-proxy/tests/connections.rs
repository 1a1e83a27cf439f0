//! Connection caps, counted by TCP peer before any request is read: one address cannot
//! take every slot of `--max-connections` (another address still gets its answer), and a
//! trusted proxy, which carries many clients, is held only to the global cap.

mod common;

use std::time::{Duration, Instant};

use common::net::{client_from, connect_from, fate, Fate, FIRST_CLIENT, SECOND_CLIENT};
use common::*;
use order_proxy::net::client::TrustedProxies;

const TOTAL: usize = 10;
const PER_ADDRESS: usize = 5;

#[tokio::test]
async fn one_address_holding_its_cap_leaves_room_for_another() {
    let mut config = mock_config();
    config.connections.max_connections = TOTAL;
    config.connections.max_connections_per_ip = PER_ADDRESS;
    let server = start(config).await;

    // Idle connections that send nothing: each would be held for the 10 s header timeout.
    let mut attacker = Vec::new();
    for _ in 0..TOTAL {
        attacker.push(connect_from(FIRST_CLIENT, server.addr).await);
    }
    let opened = Instant::now();
    let mut refused = 0;
    for stream in &mut attacker {
        match fate(stream, opened, Duration::from_millis(300)).await {
            Fate::Held => {}
            Fate::Closed { received, .. } => {
                assert!(
                    received.starts_with("HTTP/1.1 503")
                        && received.contains("too_many_connections"),
                    "{received}"
                );
                refused += 1;
            }
        }
    }
    assert_eq!(
        refused,
        TOTAL - PER_ADDRESS,
        "refused past the address's cap"
    );
    assert_eq!(server.open_connections(), PER_ADDRESS);

    let healthz = |from| {
        let url = server.url();
        async move {
            client_from(from)
                .get(format!("{url}/healthz"))
                .send()
                .await
                .map(|response| response.status().as_u16())
                .ok()
        }
    };
    assert_eq!(healthz(SECOND_CLIENT).await, Some(200), "another address");
    assert!(refused_at_once(server.addr).await, "the address at its cap");
    drop(attacker);
    assert!(
        eventually(Duration::from_secs(5), || async {
            healthz(FIRST_CLIENT).await == Some(200)
        })
        .await,
        "closing its connections gives the address its places back"
    );
}

#[tokio::test]
async fn a_trusted_proxy_is_held_only_to_the_global_cap() {
    let mut config = mock_config();
    config.connections.max_connections = TOTAL;
    config.connections.max_connections_per_ip = 2;
    config.trusted_proxies = TrustedProxies::new(vec!["127.0.0.1/32".parse().expect("CIDR")]);
    let server = start(config).await;
    let mut proxy = Vec::new();
    for _ in 0..TOTAL - 1 {
        proxy.push(connect_from(FIRST_CLIENT, server.addr).await);
    }
    assert!(
        eventually(Duration::from_secs(5), || async {
            server.open_connections() == TOTAL - 1
        })
        .await,
        "{} of {} held",
        server.open_connections(),
        TOTAL - 1
    );
    let response = client_from(FIRST_CLIENT)
        .get(format!("{}/healthz", server.url()))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    drop(response);
    proxy.push(connect_from(FIRST_CLIENT, server.addr).await);
    assert!(
        eventually(Duration::from_secs(5), || async {
            server.open_connections() == TOTAL
        })
        .await
    );
    assert!(refused_at_once(server.addr).await, "the global cap");
}

/// Whether a new connection from the first client is refused at once with
/// `503 too_many_connections`.
async fn refused_at_once(server: std::net::SocketAddr) -> bool {
    let mut stream = connect_from(FIRST_CLIENT, server).await;
    match fate(&mut stream, Instant::now(), Duration::from_secs(2)).await {
        Fate::Closed { received, .. } => {
            received.starts_with("HTTP/1.1 503") && received.contains("too_many_connections")
        }
        Fate::Held => false,
    }
}
