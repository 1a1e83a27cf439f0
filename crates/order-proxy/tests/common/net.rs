//! Raw connections for the tests that attack the proxy below HTTP clients: from a chosen
//! loopback address (all of 127.0.0.0/8 is local, so 127.0.0.2 is a second client), with
//! hand-written request heads, and what the server did with them.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

pub const FIRST_CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
pub const SECOND_CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

/// A TCP connection to `server` from the loopback address `from`.
pub async fn connect_from(from: IpAddr, server: SocketAddr) -> TcpStream {
    socket_from(from).connect(server).await.expect("connects")
}

/// An unconnected socket bound to `from` (to set options before connecting).
pub fn socket_from(from: IpAddr) -> TcpSocket {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket.bind(SocketAddr::new(from, 0)).expect("binds");
    socket
}

/// An HTTP client whose connections come from `from`.
pub fn client_from(from: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .local_address(from)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client")
}

/// What the server did with a connection: closed it after sending `received`, or held it
/// past the wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    Closed { received: String, after: Duration },
    Held,
}

/// Reads until the server closes the connection (an error counts as closed) or `within`
/// passes; `since` is when the test's clock for `after` started.
pub async fn fate(stream: &mut TcpStream, since: Instant, within: Duration) -> Fate {
    let mut received = Vec::new();
    let outcome = tokio::time::timeout(within, async {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(read) => received.extend_from_slice(&buffer[..read]),
            }
        }
    })
    .await;
    match outcome {
        Ok(()) => Fate::Closed {
            received: String::from_utf8_lossy(&received).into_owned(),
            after: since.elapsed(),
        },
        Err(_) => Fate::Held,
    }
}

/// Sends `head` (and `body`) on a new connection and reads the answer until the server
/// closes it (send `Connection: close`); the status, or None when the connection was
/// reset before one arrived, and how long that took. The write runs beside the read, so a
/// server that answers before reading everything is timed when it answers.
pub async fn exchange(server: SocketAddr, request: Vec<u8>) -> (Option<u16>, Duration) {
    let started = Instant::now();
    let stream = connect_from(FIRST_CLIENT, server).await;
    let (mut reader, mut writer) = stream.into_split();
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&request).await;
        writer
    });
    let mut first = Vec::new();
    let mut buffer = [0u8; 64];
    while !first.contains(&b'\n') {
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => first.extend_from_slice(&buffer[..read]),
        }
    }
    let answered = started.elapsed();
    writing.abort();
    (status_of(&first), answered)
}

/// The status of an HTTP/1.1 response that starts `received`.
pub fn status_of(received: &[u8]) -> Option<u16> {
    let line = String::from_utf8_lossy(received);
    line.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// The `q`-quantile (0..=1) of `samples`.
pub fn quantile(samples: &[Duration], q: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let at = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(at).copied().unwrap_or_default()
}
