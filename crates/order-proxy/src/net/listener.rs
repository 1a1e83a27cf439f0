//! Accepting connections: hyper's HTTP/1 server with a timer, so that a request head must
//! be complete `header_timeout` after a connection opens or goes idle (which also closes
//! idle keep-alive connections) and may not grow past `max_header_bytes` (431); a write
//! that makes no progress for `write_timeout` ends its connection (hyper has no write
//! timer: `tokio-io-timeout` around the socket); caps on open connections in all and per
//! client address with a 503 past them; and a graceful shutdown that lets open requests
//! finish.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_io_timeout::TimeoutWriter;
use tower_service::Service;

use crate::metrics::Metrics;
use crate::net::slots::ConnectionSlots;
use crate::settings::ConnectionLimits;

/// File handles kept free for everything that is not a client connection (the vendor
/// client, Redis, logs, static files).
const SPARE_FILE_HANDLES: u64 = 64;
/// After a failed accept (out of file handles), wait before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
const WARN_AT_MOST_EVERY: Duration = Duration::from_secs(10);
const REFUSAL_BODY: &str =
    r#"{"error":"too_many_connections","message":"The server is busy; retry in a moment."}"#;

/// hyper's smallest read buffer: a smaller head cap would not be smaller in effect.
const MIN_HEADER_BYTES: usize = 8192;

/// Raises the process's file-handle limit as far as allowed and keeps the connection cap
/// below it, so that a full cap never leaves the process unable to open a file.
pub fn connection_cap(wanted: usize) -> usize {
    let handles = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let fits = handles.saturating_sub(SPARE_FILE_HANDLES).max(1);
    let cap = (wanted as u64).min(fits) as usize;
    if cap < wanted {
        tracing::warn!(
            max_connections = cap,
            file_handles = handles,
            "--max-connections lowered to fit the file-handle limit"
        );
    }
    cap
}

pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    slots: Arc<ConnectionSlots>,
    refusals: Option<Arc<Metrics>>,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let header_bytes = limits.max_header_bytes.max(MIN_HEADER_BYTES);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(header_bytes);
    let mut make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let graceful = GracefulShutdown::new();
    let mut last_warning: Option<Instant> = None;
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    if last_warning.is_none_or(|at| at.elapsed() >= WARN_AT_MOST_EVERY) {
                        tracing::warn!(%error, "cannot accept connections");
                        last_warning = Some(Instant::now());
                    }
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match slots.try_take(peer.ip()) {
            Ok(slot) => slot,
            Err(full) => {
                if let Some(metrics) = &refusals {
                    metrics.connection_refused(full.as_str());
                }
                tokio::spawn(refuse(stream));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutWriter::new(stream);
        stream.set_timeout(Some(limits.write_timeout));
        let Ok(service) = make_service.call(peer).await;
        let connection = graceful.watch(http.serve_connection(
            TokioIo::new(Box::pin(stream)),
            TowerToHyperService::new(service),
        ));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await;
    Ok(())
}

/// Past a cap: a 503 at once and the connection closed, so the handle is freed now.
async fn refuse(mut stream: TcpStream) {
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 1\r\ncache-control: no-store\r\nconnection: close\r\n\
         content-length: {}\r\n\r\n{REFUSAL_BODY}",
        REFUSAL_BODY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}
