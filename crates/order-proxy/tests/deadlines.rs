//! Every stage of a request is timed: a body trickled a byte at a time is cut off at
//! `--body-timeout` (the whole body, not each chunk), a client that stops reading a large
//! file loses its connection at `--write-timeout`, a response that cannot start within
//! `--request-timeout` is a 503; while a healthy event stream outlives all three.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::events::EventStream;
use common::net::{connect_from, socket_from, Fate, FIRST_CLIENT};
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SLOW_BODIES: usize = 30;
const BODY_TIMEOUT: Duration = Duration::from_secs(2);
/// Past the timeout, how soon the connection must be gone.
const MARGIN: Duration = Duration::from_millis(1_500);

/// Announces a 4 KiB webhook body, then sends one byte every `every` until the server
/// closes the connection; what the server sent and when it closed, from the head on.
async fn slow_body(server: std::net::SocketAddr, every: Duration) -> Fate {
    let stream = connect_from(FIRST_CLIENT, server).await;
    let (mut reader, mut writer) = stream.into_split();
    let head = "POST /hooks/order HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\n\
                X-Order-Proxy-Signature: t=1,v1=00\r\nContent-Length: 4096\r\n\r\n";
    writer.write_all(head.as_bytes()).await.expect("the head");
    let sent_head = Instant::now();
    let trickle = tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            if writer.write_all(b" ").await.is_err() {
                return;
            }
        }
    });
    let mut received = Vec::new();
    let closed = tokio::time::timeout(BODY_TIMEOUT * 5, reader.read_to_end(&mut received)).await;
    trickle.abort();
    match closed {
        Ok(_) => Fate::Closed {
            received: String::from_utf8_lossy(&received).into_owned(),
            after: sent_head.elapsed(),
        },
        Err(_) => Fate::Held,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_are_cut_off_at_the_body_timeout() {
    let mut config = mock_config();
    config.connections.body_timeout = BODY_TIMEOUT;
    let server = start(config).await;
    // A byte every 500 ms: a per-chunk timer of any length above that would never fire.
    let clients: Vec<_> = (0..SLOW_BODIES)
        .map(|_| tokio::spawn(slow_body(server.addr, Duration::from_millis(500))))
        .collect();
    for client in clients {
        match client.await.expect("a client") {
            Fate::Closed { received, after } => {
                assert!(
                    after >= BODY_TIMEOUT - Duration::from_millis(100)
                        && after < BODY_TIMEOUT + MARGIN,
                    "closed {after:?} after the head; the body timeout is {BODY_TIMEOUT:?}"
                );
                assert!(
                    received.is_empty()
                        || (received.starts_with("HTTP/1.1 408")
                            && received.contains("body_timeout")),
                    "{received}"
                );
            }
            Fate::Held => panic!("a slow body held its connection for {:?}", BODY_TIMEOUT * 5),
        }
    }
    assert!(
        eventually(Duration::from_secs(1), || async {
            server.open_connections() == 0
        })
        .await,
        "{} connections still open",
        server.open_connections()
    );
}

/// A file much larger than what the socket buffers on both sides can hold.
struct LargeFile {
    assets: PathBuf,
    len: usize,
}

impl LargeFile {
    fn new() -> LargeFile {
        let assets = std::env::temp_dir().join(format!(
            "order-proxy-large-file-{}-{}",
            std::process::id(),
            order_proxy::auth::order_token::now_unix()
        ));
        std::fs::create_dir_all(assets.join("www")).expect("temp dir");
        let len = 32 << 20;
        std::fs::write(assets.join("www/large.bin"), vec![b'x'; len]).expect("a large file");
        LargeFile { assets, len }
    }
}

impl Drop for LargeFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.assets);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_loses_its_connection_at_the_write_timeout() {
    let file = LargeFile::new();
    let write_timeout = Duration::from_secs(1);
    let mut config = mock_config();
    config.assets = file.assets.clone();
    config.connections.write_timeout = write_timeout;
    let server = start(config).await;

    let socket = socket_from(FIRST_CLIENT);
    socket
        .set_recv_buffer_size(4096)
        .expect("a small receive buffer");
    let mut stream = socket.connect(server.addr).await.expect("connects");
    stream
        .write_all(b"GET /www/large.bin HTTP/1.1\r\nHost: proxy\r\n\r\n")
        .await
        .expect("a request");
    let asked = Instant::now();
    assert!(
        eventually(Duration::from_secs(5), || async {
            server.open_connections() == 1
        })
        .await
    );
    let closed = eventually(write_timeout + Duration::from_secs(3), || async {
        server.open_connections() == 0
    })
    .await;
    let after = asked.elapsed();
    assert!(
        closed,
        "the connection is still open {after:?} after the request"
    );
    assert!(after >= write_timeout, "closed after {after:?}: too early");

    // What the client gets now is what was in the buffers: far from the whole file.
    let mut received = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received)).await;
    assert!(read.is_ok(), "the connection ends");
    assert!(
        received.len() < file.len,
        "{} of {} bytes: the response was cut",
        received.len(),
        file.len
    );
}

#[tokio::test]
async fn a_healthy_event_stream_outlives_the_write_body_and_request_timeouts() {
    let mut config = mock_config();
    config.streams.heartbeat = Duration::from_millis(100);
    config.connections.write_timeout = Duration::from_millis(300);
    config.connections.body_timeout = Duration::from_millis(300);
    config.connections.request_timeout = Duration::from_millis(300);
    let server = start(config).await;
    let id = "1002"; // pending for ~30 s
    let mut stream = EventStream::open(&server.url(), id, &token_for(id)).await;
    assert_eq!(stream.status, 200);
    let opened = Instant::now();
    // Heartbeats (and the order) keep coming for four times every timeout.
    while opened.elapsed() < Duration::from_millis(1_200) {
        assert!(
            stream.next_block(Duration::from_secs(2)).await.is_some(),
            "the stream ended after {:?}",
            opened.elapsed()
        );
    }
}

#[tokio::test]
async fn a_response_that_cannot_start_in_time_is_a_503() {
    let (addr, vendor) = vendor::start().await;
    vendor.set_latency(Duration::from_secs(3));
    let mut config = vendor::config_for(addr);
    config.connections.request_timeout = Duration::from_millis(500);
    let server = start(config).await;
    let id = "HOOKORDER001";
    let asked = Instant::now();
    let (status, _, body) = answer(get_order(&server, id, Some(&token_for(id))).await).await;
    let after = asked.elapsed();
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("request_timeout"))
    );
    assert!(
        after < Duration::from_millis(1_500),
        "answered after {after:?}"
    );
}
