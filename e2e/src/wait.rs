//! Waiting for a condition with a deadline, never for a fixed time.

use std::future::Future;
use std::time::{Duration, Instant};

/// How often a condition is probed.
const PROBE_EVERY: Duration = Duration::from_millis(100);

/// Probes until `probe` gives `Some`, or fails with `what` and the last value seen once
/// `timeout` has passed.
pub async fn until<T, S, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Result<T, String>
where
    S: std::fmt::Debug,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, S>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        let seen = match probe().await {
            Ok(value) => return Ok(value),
            Err(seen) => seen,
        };
        if Instant::now() >= deadline {
            return Err(format!(
                "{what} not within {timeout:?}; last seen: {seen:?}"
            ));
        }
        tokio::time::sleep(PROBE_EVERY).await;
    }
}
