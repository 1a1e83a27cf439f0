//! The only code that opens the order's event stream (gloo-net's `EventSource`).
//!
//! [`Streams`] opens a stream and reports what it hears; the poller decides what that
//! means (`poll::Push`) and reads each order through the same parse path as a poll. The
//! browser's streams are [`EventSourceStreams`]; tests push events by hand.

use std::any::Any;

use crate::config::Credentials;

/// What an open stream reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heard {
    /// The `data` of an `order` event: exactly the body of a poll.
    Order(String),
    /// The stream failed or ended. It reports nothing more.
    Failed,
}

/// Opens event streams.
pub trait Streams {
    /// Opens the stream at `url` (it carries the token: never log it). `listener` hears
    /// each order and then, at most once, the failure; never after the [`Connection`] is
    /// dropped, and never from inside `open`. `None` when it cannot be opened.
    fn open(
        &self,
        url: &str,
        credentials: Credentials,
        listener: Box<dyn Fn(Heard)>,
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
    use gloo_net::eventsource::futures::{EventSource, EventSourceBuilder};

    use super::{Connection, Heard, Streams};
    use crate::config::Credentials;
    use crate::fetch::Cancel;

    /// The browser's `EventSource`, through gloo-net. Every failure is final: the poller
    /// opens a new stream on its own schedule rather than letting the browser reconnect.
    #[derive(Debug, Default)]
    pub struct EventSourceStreams;

    impl Streams for EventSourceStreams {
        fn open(
            &self,
            url: &str,
            credentials: Credentials,
            listener: Box<dyn Fn(Heard)>,
        ) -> Option<Connection> {
            let mut source = EventSourceBuilder::new()
                .with_credentials(credentials == Credentials::Include)
                .build(url)
                .ok()?;
            let mut orders = source.subscribe("order").ok()?;
            // gloo-net reports an error only once the browser has given up (CLOSED). A
            // dropped connection, which the browser would retry (CONNECTING), is an `error`
            // event too: this hears every one.
            let mut errors = source.subscribe("error").ok()?;
            let closed = Cancel::default();
            let hearing = closed.clone();
            let heard = async move {
                loop {
                    let heard = poll_fn(|cx| {
                        if let Poll::Ready(order) = Pin::new(&mut orders).poll_next(cx) {
                            let data = order
                                .and_then(Result::ok)
                                .and_then(|(_, event)| event.data().as_string());
                            return Poll::Ready(data.map_or(Heard::Failed, Heard::Order));
                        }
                        Pin::new(&mut errors).poll_next(cx).map(|_| Heard::Failed)
                    })
                    .await;
                    // The listener may have closed the stream while hearing the last one.
                    if hearing.is_cancelled() {
                        return;
                    }
                    let failed = heard == Heard::Failed;
                    listener(heard);
                    if failed {
                        return;
                    }
                }
            };
            let heard = closed.wrap(heard);
            wasm_bindgen_futures::spawn_local(async move {
                heard.await;
            });
            Some(Connection(Box::new(Open { closed, source })))
        }
    }

    /// Stops hearing, then closes the source (fields drop after `drop`).
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
