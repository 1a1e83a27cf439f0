//! Connections that send nothing, or half a request head, against the binary run with a
//! small file-handle limit: they are closed within 20 s and `/healthz` keeps answering.
//! The attack comes from one address, as `/healthz` does: the per-address cap (its own
//! test is in connections.rs) is raised here so the global mechanisms are what is tested.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_order-proxy");
/// The header timeout is 10 s from each connection's accept; accepting 1,050 connections and
/// firing their timers on a loaded two-core machine has taken past 15 s (82 of them still
/// open at 15 s, all closed in a rerun). Without the timeout none is ever closed.
const CLOSED_WITHIN: Duration = Duration::from_secs(20);

/// `order-proxy serve --mock` with at most `file_handles` open files (`ulimit -n`).
struct Proxy {
    child: Child,
    addr: SocketAddr,
}

impl Proxy {
    fn spawn(file_handles: u32) -> Proxy {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -n {file_handles} && exec \"$0\" \"$@\""))
            .arg(BIN)
            .args(["serve", "--mock", "--listen", "127.0.0.1:0"])
            .args(["--max-connections-per-ip", "100000"])
            .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let url = common::binary::listening_url(&mut child);
        let addr = url
            .strip_prefix("http://")
            .and_then(|address| address.parse().ok())
            .unwrap_or_else(|| panic!("an address in {url:?}"));
        Proxy { child, addr }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `silent` connections that send nothing and `half` that send part of a request head.
fn attack(addr: SocketAddr, silent: usize, half: usize) -> Vec<TcpStream> {
    (0..silent + half)
        .map(|n| {
            let mut stream = TcpStream::connect(addr).expect("connects");
            if n >= silent {
                stream
                    .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .expect("writes");
            }
            stream
        })
        .collect()
}

/// What the server did with a connection so far: closed it (with whatever it sent
/// first), or still holds it open.
fn state(mut stream: &TcpStream) -> Option<String> {
    stream.set_nonblocking(true).expect("nonblocking");
    let mut received = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return Some(String::from_utf8_lossy(&received).into_owned()),
            Ok(read) => received.extend_from_slice(&buffer[..read]),
            Err(error) if error.kind() == ErrorKind::WouldBlock => return None,
            Err(_) => return Some(String::from_utf8_lossy(&received).into_owned()),
        }
    }
}

/// Whether the server has written anything on `stream` yet (without reading it).
fn answered(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).expect("nonblocking");
    let mut first = [0u8; 1];
    matches!(stream.peek(&mut first), Ok(1))
}

/// Waits until every connection is closed by the server, or `deadline`; the open ones.
fn still_open_at(streams: &[TcpStream], deadline: Instant) -> usize {
    loop {
        let open = streams.iter().filter(|s| state(s).is_none()).count();
        if open == 0 || Instant::now() >= deadline {
            return open;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

async fn healthz(url: &str) -> Option<u16> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let response = client.get(format!("{url}/healthz")).send().await.ok()?;
    Some(response.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_half_sent_connections_are_closed_while_healthz_answers_throughout() {
    // The test holds 1,050 sockets itself.
    rlimit::increase_nofile_limit(4096).expect("file handles for the test");
    let proxy = Proxy::spawn(4096);
    let addr = proxy.addr;
    let opened = Instant::now();
    let (attackers, open_left) = {
        let streams = attack(addr, 1_000, 50);
        let watcher = tokio::task::spawn_blocking(move || {
            let open = still_open_at(&streams, opened + CLOSED_WITHIN);
            (streams, open)
        });
        let url = proxy.url();
        let mut answered = 0;
        while !watcher.is_finished() {
            let started = Instant::now();
            assert_eq!(
                healthz(&url).await,
                Some(200),
                "healthz answers {:?} into the attack",
                opened.elapsed()
            );
            assert!(started.elapsed() < Duration::from_secs(2));
            answered += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(
            answered >= 10,
            "healthz was asked throughout ({answered} times)"
        );
        watcher.await.expect("watcher")
    };
    assert_eq!(
        open_left, 0,
        "every attacking connection is closed within {CLOSED_WITHIN:?}"
    );
    assert!(
        opened.elapsed() >= Duration::from_secs(9),
        "closed by the 10 s header timeout, not at once"
    );
    drop(attackers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_256_file_handles_the_cap_refuses_clearly_and_healthz_recovers_while_held() {
    let proxy = Proxy::spawn(256);
    let opened = Instant::now();
    let attackers = attack(proxy.addr, 300, 0);
    let refused_at_once = eventually(Duration::from_secs(2), || async {
        attackers.iter().filter(|stream| answered(stream)).count() >= 60
    })
    .await;
    assert!(refused_at_once, "no refusals within 2 s");
    let refusals: Vec<String> = attackers.iter().filter_map(state).collect();
    assert!(
        refusals.len() >= 60,
        "past the cap (256 handles - 64 spare) connections are refused at once: {}",
        refusals.len()
    );
    assert!(refusals
        .iter()
        .all(|text| text.starts_with("HTTP/1.1 503") && text.contains("too_many_connections")));

    // The attacker keeps every socket open; the server frees its side by itself.
    let url = proxy.url();
    let healthy = eventually(CLOSED_WITHIN, || async { healthz(&url).await == Some(200) }).await;
    assert!(
        healthy,
        "healthz answers again within {CLOSED_WITHIN:?} while the attacker still holds its sockets"
    );
    assert!(opened.elapsed() < CLOSED_WITHIN + Duration::from_secs(2));
    drop(attackers);
}
