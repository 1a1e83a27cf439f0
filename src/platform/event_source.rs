//! The only code that opens the order's event stream (gloo-net's `EventSource`).
//!
//! [`Streams`] opens a stream and reports its events; the poller decides what they mean
//! (`schedule::StreamHealth`) and reads each order through the same parse path as a poll. The
//! browser's streams are [`EventSourceStreams`]; tests push events by hand.

use std::any::Any;

use crate::config::Credentials;

/// What an open stream reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamEvent {
    /// The `data` of an `order` event: exactly the body of a poll.
    Order(String),
    /// The `data` of a `heartbeat` event: the stream's heartbeat interval in seconds
    /// (`poll::parse_heartbeat` reads it).
    Heartbeat(String),
    /// The stream failed or ended. It reports nothing more.
    Failed,
}

/// Opens event streams.
pub trait Streams {
    /// Opens the stream at `url` (it carries the token: never log it). `listener` gets
    /// each order and heartbeat and then, at most once, the failure; never after the
    /// [`Connection`] is dropped, and never from inside `open`. `None` when it cannot be
    /// opened.
    fn open(
        &self,
        url: &str,
        credentials: Credentials,
        listener: Box<dyn Fn(StreamEvent)>,
    ) -> Option<Connection>;
}

/// An open stream. Dropping it closes the stream.
#[must_use = "dropping a Connection closes the stream"]
pub struct Connection(#[allow(dead_code)] pub Box<dyn Any>);

pub use browser::EventSourceStreams;

mod browser {
    use std::future::poll_fn;
    use std::pin::Pin;
    use std::task::Poll;

    use futures_core::Stream;
    use gloo_net::eventsource::futures::{
        EventSource, EventSourceBuilder, EventSourceSubscription,
    };

    use super::{Connection, StreamEvent, Streams};
    use crate::config::Credentials;
    use crate::platform::fetch::Cancel;

    /// The browser's `EventSource`, through gloo-net. Every failure is final: the poller
    /// opens a new stream on its own schedule rather than letting the browser reconnect.
    #[derive(Debug, Default)]
    pub struct EventSourceStreams;

    impl Streams for EventSourceStreams {
        fn open(
            &self,
            url: &str,
            credentials: Credentials,
            listener: Box<dyn Fn(StreamEvent)>,
        ) -> Option<Connection> {
            let mut source = EventSourceBuilder::new()
                .with_credentials(credentials == Credentials::Include)
                .build(url)
                .ok()?;
            let mut orders = source.subscribe("order").ok()?;
            let mut heartbeats = source.subscribe("heartbeat").ok()?;
            // gloo-net reports an error only once the browser has given up (CLOSED). A
            // dropped connection, which the browser would retry (CONNECTING), is an `error`
            // event too: this reports every one.
            let mut errors = source.subscribe("error").ok()?;
            let closed = Cancel::default();
            let listening = closed.clone();
            let reporting = async move {
                loop {
                    let event = poll_fn(|cx| {
                        if let Poll::Ready(order) = Pin::new(&mut orders).poll_next(cx) {
                            return Poll::Ready(
                                data_of(order).map_or(StreamEvent::Failed, StreamEvent::Order),
                            );
                        }
                        if let Poll::Ready(heartbeat) = Pin::new(&mut heartbeats).poll_next(cx) {
                            return Poll::Ready(
                                data_of(heartbeat)
                                    .map_or(StreamEvent::Failed, StreamEvent::Heartbeat),
                            );
                        }
                        Pin::new(&mut errors)
                            .poll_next(cx)
                            .map(|_| StreamEvent::Failed)
                    })
                    .await;
                    // The listener may have closed the stream while taking the last one.
                    if listening.is_cancelled() {
                        return;
                    }
                    let failed = event == StreamEvent::Failed;
                    listener(event);
                    if failed {
                        return;
                    }
                }
            };
            let reporting = closed.wrap(reporting);
            wasm_bindgen_futures::spawn_local(async move {
                reporting.await;
            });
            Some(Connection(Box::new(Open { closed, source })))
        }
    }

    /// The `data` of a subscription's next event; `None` when the subscription ended or
    /// failed.
    fn data_of(next: Option<<EventSourceSubscription as Stream>::Item>) -> Option<String> {
        next.and_then(Result::ok)
            .and_then(|(_, event)| event.data().as_string())
    }

    /// Stops reporting, then closes the source (fields drop after `drop`).
    struct Open {
        closed: Cancel,
        #[allow(dead_code)]
        source: EventSource,
    }

    impl Drop for Open {
        fn drop(&mut self) {
            self.closed.cancel();
        }
    }
}
