//! The SSE subscribers of this instance: one watch channel per order, carrying the latest
//! body, and the caps on open streams (in total, per client IP, per order).
//!
//! Every new body of an order, wherever it came from (a webhook, a poll, another instance
//! through Redis), is published here; a channel only wakes its streams when the body changed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

use crate::config::StreamLimits;
use crate::error::ProxyError;

/// What a stream sends: the body, exactly as `GET /api/orders/{id}` serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub body: Arc<str>,
    pub terminal: bool,
    /// When the vendor was asked (unix ms): an older answer never replaces a newer one.
    pub asked_at_ms: u64,
}

pub struct Hub {
    limits: StreamLimits,
    state: Mutex<Streams>,
    closing: watch::Sender<bool>,
}

#[derive(Default)]
struct Streams {
    open: usize,
    per_ip: HashMap<IpAddr, usize>,
    orders: HashMap<String, Channel>,
}

struct Channel {
    sender: watch::Sender<Option<Update>>,
    streams: usize,
}

/// One open stream: its order's updates and, until dropped, its place under the caps.
pub struct Subscription {
    pub updates: watch::Receiver<Option<Update>>,
    pub closing: watch::Receiver<bool>,
    /// Held for its `Drop`: gives the stream's place under the caps back.
    _release: Release,
}

struct Release {
    hub: Arc<Hub>,
    order: String,
    ip: IpAddr,
}

impl Hub {
    pub fn new(limits: StreamLimits) -> Arc<Self> {
        Arc::new(Hub {
            limits,
            state: Mutex::new(Streams::default()),
            closing: watch::Sender::new(false),
        })
    }

    /// A place for one more stream, or a 429 when a cap is reached.
    pub fn subscribe(
        self: &Arc<Self>,
        order: &str,
        ip: IpAddr,
    ) -> Result<Subscription, ProxyError> {
        let mut streams = self.lock();
        let of_ip = streams.per_ip.get(&ip).copied().unwrap_or(0);
        let of_order = streams
            .orders
            .get(order)
            .map_or(0, |channel| channel.streams);
        if streams.open >= self.limits.max_total
            || of_ip >= self.limits.per_ip
            || of_order >= self.limits.per_order
        {
            return Err(ProxyError::TooManyStreams);
        }
        streams.open += 1;
        *streams.per_ip.entry(ip).or_default() += 1;
        let channel = streams
            .orders
            .entry(order.to_owned())
            .or_insert_with(|| Channel {
                sender: watch::Sender::new(None),
                streams: 0,
            });
        channel.streams += 1;
        Ok(Subscription {
            updates: channel.sender.subscribe(),
            closing: self.closing.subscribe(),
            _release: Release {
                hub: self.clone(),
                order: order.to_owned(),
                ip,
            },
        })
    }

    /// Wakes the order's streams if `update` differs from what they last had.
    pub fn publish(&self, order: &str, update: Update) {
        let streams = self.lock();
        if let Some(channel) = streams.orders.get(order) {
            channel.sender.send_if_modified(|current| {
                let changed = current.as_ref().is_none_or(|kept| {
                    kept.body != update.body && kept.asked_at_ms <= update.asked_at_ms
                });
                if changed {
                    *current = Some(update);
                }
                changed
            });
        }
    }

    pub fn heartbeat(&self) -> std::time::Duration {
        self.limits.heartbeat
    }

    pub fn max_lifetime(&self) -> std::time::Duration {
        self.limits.max_lifetime
    }

    pub fn open_streams(&self) -> usize {
        self.lock().open
    }

    /// Ends every stream (shutdown): open connections would otherwise never finish.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    fn lock(&self) -> MutexGuard<'_, Streams> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        let mut streams = self.hub.lock();
        streams.open = streams.open.saturating_sub(1);
        if let Some(count) = streams.per_ip.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                streams.per_ip.remove(&self.ip);
            }
        }
        if let Some(channel) = streams.orders.get_mut(&self.order) {
            channel.streams -= 1;
            if channel.streams == 0 {
                streams.orders.remove(&self.order);
            }
        }
    }
}

impl Subscription {
    /// The update after the one last seen, or None when the stream must end (shutdown).
    pub async fn next(&mut self) -> Option<Update> {
        loop {
            if *self.closing.borrow() {
                return None;
            }
            tokio::select! {
                changed = self.updates.changed() => {
                    changed.ok()?;
                    if let Some(update) = self.updates.borrow_and_update().clone() {
                        return Some(update);
                    }
                }
                _ = self.closing.changed() => return None,
            }
        }
    }

    /// Marks what the stream already sent, so only later bodies wake it.
    pub fn seen(&mut self) {
        self.updates.borrow_and_update();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> StreamLimits {
        StreamLimits {
            max_total: 3,
            per_ip: 2,
            per_order: 2,
            ..StreamLimits::default()
        }
    }

    fn update(body: &str, asked_at_ms: u64) -> Update {
        Update {
            body: body.into(),
            terminal: false,
            asked_at_ms,
        }
    }

    #[test]
    fn caps_per_ip_per_order_and_in_total_are_released_on_drop() {
        let hub = Hub::new(limits());
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = hub.subscribe("o1", a).expect("first");
        let _second = hub.subscribe("o2", a).expect("second");
        assert_eq!(
            hub.subscribe("o3", a).err(),
            Some(ProxyError::TooManyStreams)
        );
        let _third = hub.subscribe("o1", b).expect("third");
        assert_eq!(
            hub.subscribe("o1", b).err(),
            Some(ProxyError::TooManyStreams)
        );
        assert_eq!(
            hub.subscribe("o4", b).err(),
            Some(ProxyError::TooManyStreams)
        );
        drop(first);
        assert_eq!(hub.open_streams(), 2);
        assert!(hub.subscribe("o4", b).is_ok());
    }

    #[tokio::test]
    async fn only_changed_and_newer_bodies_wake_a_stream() {
        let hub = Hub::new(StreamLimits::default());
        let mut subscription = hub.subscribe("o1", [10, 0, 0, 1].into()).expect("open");
        hub.publish("o1", update("a", 1));
        assert_eq!(subscription.next().await, Some(update("a", 1)));
        hub.publish("o1", update("a", 2));
        hub.publish("o1", update("old", 0));
        hub.publish("o1", update("b", 3));
        assert_eq!(subscription.next().await, Some(update("b", 3)));
        hub.publish("elsewhere", update("c", 4));
        hub.close_all();
        assert_eq!(subscription.next().await, None);
    }
}
