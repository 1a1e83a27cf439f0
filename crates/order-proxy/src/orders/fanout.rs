//! The SSE subscribers of this instance: one channel per order with open streams, and the
//! caps on open streams (in total, per client IP, per order).
//!
//! Every answer for an order, wherever it came from (a webhook, a poll, a GET, another
//! instance through Redis), is published here. A channel wakes its streams only when the
//! body changed; it hands every newer answer to the order's schedule (see `schedule`), which
//! counts it as a poll, and which ends the channel's streams when it gives up on the order.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use order_core::model::Status;
use tokio::sync::watch;

use crate::error::ProxyError;
use crate::settings::StreamLimits;

/// What a stream sends: the body, exactly as `GET /api/orders/{id}` serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub body: Arc<str>,
    pub terminal: bool,
    pub status: Status,
    /// When the vendor was asked (unix ms): an older answer never replaces a newer one.
    pub asked_at_ms: u64,
}

pub struct Fanout {
    limits: StreamLimits,
    state: Mutex<Streams>,
    closing: watch::Sender<bool>,
}

#[derive(Default)]
struct Streams {
    open: usize,
    per_ip: HashMap<IpAddr, usize>,
    orders: HashMap<String, Channel>,
    channels_made: u64,
}

struct Channel {
    /// Tells a channel from the one that replaced it after it ended.
    number: u64,
    /// The latest body, for the streams.
    latest: watch::Sender<Option<Update>>,
    /// The latest answer, for the schedule: every answer newer than the last.
    answers: watch::Sender<Option<Update>>,
    /// True once the order's schedule gave up: the streams end.
    ended: watch::Sender<bool>,
    streams: usize,
    scheduled: bool,
}

impl Channel {
    fn new(number: u64) -> Channel {
        Channel {
            number,
            latest: watch::Sender::new(None),
            answers: watch::Sender::new(None),
            ended: watch::Sender::new(false),
            streams: 0,
            scheduled: false,
        }
    }
}

/// One open stream: its order's updates and, until dropped, its place under the caps.
pub struct Subscription {
    pub updates: watch::Receiver<Option<Update>>,
    pub closing: watch::Receiver<bool>,
    ended: watch::Receiver<bool>,
    /// Held for its `Drop`: gives the stream's place under the caps back.
    release: Release,
}

struct Release {
    fanout: Arc<Fanout>,
    order: String,
    channel: u64,
    ip: IpAddr,
}

/// What the schedule of one order's channel hears and does.
pub struct Feed {
    /// Every answer newer than the one before; closed when the channel's last stream is.
    pub answers: watch::Receiver<Option<Update>>,
    ended: watch::Sender<bool>,
}

impl Feed {
    /// Ends the channel's streams: their clients fall back to their own polling.
    pub fn end_streams(&self) {
        self.ended.send_replace(true);
    }
}

impl Fanout {
    pub fn new(limits: StreamLimits) -> Arc<Self> {
        Arc::new(Fanout {
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
        let streams = &mut *streams;
        let of_ip = streams.per_ip.get(&ip).copied().unwrap_or(0);
        let of_order = streams
            .orders
            .get(order)
            .filter(|channel| !*channel.ended.borrow())
            .map_or(0, |channel| channel.streams);
        if streams.open >= self.limits.max_total
            || of_ip >= self.limits.per_ip
            || of_order >= self.limits.per_order
        {
            return Err(ProxyError::TooManyStreams);
        }
        streams.open += 1;
        *streams.per_ip.entry(ip).or_default() += 1;
        let number = streams.channels_made + 1;
        let channel = match streams.orders.entry(order.to_owned()) {
            Entry::Occupied(open) if !*open.get().ended.borrow() => open.into_mut(),
            // One whose schedule gave up: a new round for the new stream.
            Entry::Occupied(mut ended) => {
                streams.channels_made = number;
                ended.insert(Channel::new(number));
                ended.into_mut()
            }
            Entry::Vacant(none) => {
                streams.channels_made = number;
                none.insert(Channel::new(number))
            }
        };
        channel.streams += 1;
        Ok(Subscription {
            updates: channel.latest.subscribe(),
            closing: self.closing.subscribe(),
            ended: channel.ended.subscribe(),
            release: Release {
                fanout: self.clone(),
                order: order.to_owned(),
                channel: channel.number,
                ip,
            },
        })
    }

    /// The feed for the schedule of `subscription`'s channel, unless a schedule has it.
    pub fn schedule_feed(&self, subscription: &Subscription) -> Option<Feed> {
        let mut streams = self.lock();
        let channel = streams
            .orders
            .get_mut(&subscription.release.order)
            .filter(|channel| channel.number == subscription.release.channel)?;
        if std::mem::replace(&mut channel.scheduled, true) {
            return None;
        }
        let mut answers = channel.answers.subscribe();
        // An answer that came before the schedule starts is its to judge.
        answers.mark_changed();
        Some(Feed {
            answers,
            ended: channel.ended.clone(),
        })
    }

    /// Wakes the order's streams if `update` differs from what they last had, and its
    /// schedule if it is newer than the last answer.
    pub fn publish(&self, order: &str, update: Update) {
        let streams = self.lock();
        if let Some(channel) = streams.orders.get(order) {
            channel.answers.send_if_modified(|current| {
                let newer = current
                    .as_ref()
                    .is_none_or(|kept| kept.asked_at_ms < update.asked_at_ms);
                if newer {
                    *current = Some(update.clone());
                }
                newer
            });
            channel.latest.send_if_modified(|current| {
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
        let mut streams = self.fanout.lock();
        streams.open = streams.open.saturating_sub(1);
        if let Some(count) = streams.per_ip.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                streams.per_ip.remove(&self.ip);
            }
        }
        let channel = streams
            .orders
            .get_mut(&self.order)
            .filter(|channel| channel.number == self.channel);
        if let Some(channel) = channel {
            channel.streams -= 1;
            if channel.streams == 0 {
                streams.orders.remove(&self.order);
            }
        }
    }
}

impl Subscription {
    /// The update after the one last seen, or None when the stream must end (its order's
    /// schedule gave up, or shutdown).
    pub async fn next(&mut self) -> Option<Update> {
        loop {
            if *self.closing.borrow() || *self.ended.borrow() {
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
                ended = self.ended.changed() => ended.ok()?,
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
            status: Status::Pending,
            asked_at_ms,
        }
    }

    const CLIENT: [u8; 4] = [10, 0, 0, 1];

    #[test]
    fn caps_per_ip_per_order_and_in_total_are_released_on_drop() {
        let fanout = Fanout::new(limits());
        let a: IpAddr = CLIENT.into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = fanout.subscribe("o1", a).expect("first");
        let _second = fanout.subscribe("o2", a).expect("second");
        assert_eq!(
            fanout.subscribe("o3", a).err(),
            Some(ProxyError::TooManyStreams)
        );
        let _third = fanout.subscribe("o1", b).expect("third");
        assert_eq!(
            fanout.subscribe("o1", b).err(),
            Some(ProxyError::TooManyStreams)
        );
        assert_eq!(
            fanout.subscribe("o4", b).err(),
            Some(ProxyError::TooManyStreams)
        );
        drop(first);
        assert_eq!(fanout.open_streams(), 2);
        assert!(fanout.subscribe("o4", b).is_ok());
    }

    #[tokio::test]
    async fn only_changed_and_newer_bodies_wake_a_stream() {
        let fanout = Fanout::new(StreamLimits::default());
        let mut subscription = fanout.subscribe("o1", CLIENT.into()).expect("open");
        fanout.publish("o1", update("a", 1));
        assert_eq!(subscription.next().await, Some(update("a", 1)));
        fanout.publish("o1", update("a", 2));
        fanout.publish("o1", update("old", 0));
        fanout.publish("o1", update("b", 3));
        assert_eq!(subscription.next().await, Some(update("b", 3)));
        fanout.publish("elsewhere", update("c", 4));
        fanout.close_all();
        assert_eq!(subscription.next().await, None);
    }

    #[tokio::test]
    async fn the_schedule_hears_every_newer_answer_and_can_end_the_streams() {
        let fanout = Fanout::new(StreamLimits::default());
        let mut stream = fanout.subscribe("o1", CLIENT.into()).expect("open");
        let other = fanout.subscribe("o1", CLIENT.into()).expect("open");
        fanout.publish("o1", update("a", 1));
        let mut feed = fanout.schedule_feed(&stream).expect("the first feed");
        assert!(
            fanout.schedule_feed(&other).is_none(),
            "one schedule per channel"
        );
        feed.answers
            .changed()
            .await
            .expect("the answer before it started");
        assert_eq!(*feed.answers.borrow_and_update(), Some(update("a", 1)));
        fanout.publish("o1", update("a", 2));
        feed.answers.changed().await.expect("unchanged but newer");
        assert_eq!(*feed.answers.borrow_and_update(), Some(update("a", 2)));
        fanout.publish("o1", update("a", 2));
        assert!(!feed.answers.has_changed().unwrap(), "not newer");

        feed.end_streams();
        assert_eq!(stream.next().await, None, "the streams end");
        // A stream opened now starts a new channel, whose schedule is yet to start.
        let again = fanout.subscribe("o1", CLIENT.into()).expect("open");
        assert!(fanout.schedule_feed(&again).is_some());
        drop((stream, other));
        assert_eq!(fanout.open_streams(), 1);
        drop(again);
        assert!(
            feed.answers.changed().await.is_err(),
            "the first channel is gone"
        );
    }
}
