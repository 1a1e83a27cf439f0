//! Order updates between instances: every instance publishes the answers it fetched and
//! subscribes to everyone's, reconnecting by itself after Redis comes back.
//!
//! A message is one sealed [`Announcement`] (encrypted like the cache, bound to the
//! channel): the order it is about travels only inside it.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::{Envelope, Shared};
use crate::orders::cache::Fetched;

pub const CHANNEL: &str = "order-proxy:orders";
const RECONNECT_EVERY: Duration = Duration::from_millis(500);

/// A new answer for the order `order_key` (`<vendor>:<id>`).
#[derive(Serialize, Deserialize)]
pub struct Announcement {
    pub order_key: String,
    pub answer: Envelope,
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
                        let Some(announcement) =
                            shared.open::<Announcement>(CHANNEL, message.get_payload_bytes())
                        else {
                            continue;
                        };
                        let update = (announcement.order_key, announcement.answer.into());
                        if updates.send(update).await.is_err() {
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
