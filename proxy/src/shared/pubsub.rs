//! Order updates between instances: every instance publishes the answers it fetched and
//! subscribes to everyone's, reconnecting by itself after Redis comes back.
//!
//! A message is `<order key>\n<sealed answer>`; the answer is encrypted like the cache.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::{Envelope, Shared};
use crate::cache::Fetched;

pub const CHANNEL: &str = "order-proxy:orders";
const RECONNECT_EVERY: Duration = Duration::from_millis(500);

pub fn message(key: &str, sealed: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(key.len() + 1 + sealed.len());
    message.extend_from_slice(key.as_bytes());
    message.push(b'\n');
    message.extend_from_slice(sealed);
    message
}

fn split(message: &[u8]) -> Option<(&str, &[u8])> {
    let at = message.iter().position(|&b| b == b'\n')?;
    let key = std::str::from_utf8(&message[..at]).ok()?;
    Some((key, &message[at + 1..]))
}

/// Runs until `updates` is closed: subscribes, forwards every genuine message, and after a
/// lost connection subscribes again.
pub async fn run(shared: Arc<Shared>, updates: mpsc::Sender<(String, Fetched)>) {
    loop {
        if updates.is_closed() {
            return;
        }
        match shared.client.get_async_pubsub().await {
            Ok(mut pubsub) => {
                if pubsub.subscribe(CHANNEL).await.is_ok() {
                    let mut messages = pubsub.into_on_message();
                    while let Some(message) = messages.next().await {
                        let Some((key, sealed)) = split(message.get_payload_bytes()) else {
                            continue;
                        };
                        let Some(envelope) = shared.open::<Envelope>(&channel_context(key), sealed)
                        else {
                            continue;
                        };
                        if updates
                            .send((key.to_owned(), envelope.into()))
                            .await
                            .is_err()
                        {
                            return;
                        }
                    }
                }
            }
            Err(error) => shared.health.mark_down(error.category()),
        }
        tokio::time::sleep(RECONNECT_EVERY).await;
    }
}

/// What a message's encryption is bound to: the channel and the order.
pub fn channel_context(key: &str) -> String {
    format!("{CHANNEL}\n{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_round_trip() {
        let message = message("hsmail:HSM000000001", b"\x00\nsealed");
        assert_eq!(
            split(&message),
            Some(("hsmail:HSM000000001", &b"\x00\nsealed"[..]))
        );
        assert_eq!(split(b"no newline"), None);
    }
}
