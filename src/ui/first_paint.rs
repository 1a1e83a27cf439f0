//! The server-rendered first paint (`ssr` feature): the [`Card`] of an order as the client's
//! first render of that order shows it, rendered once by `order_widget::server`. Nothing of
//! it runs afterwards: effects never run in a server render, and the page's copy is inert
//! until the wasm takes over (`server` disables its buttons).

use std::rc::Rc;
use std::time::Duration;

use yew::prelude::*;

use super::card::Card;
use super::item_names::with_item_labels;
use super::ViewContext;
use crate::config::Config;
use crate::platform::clock::{Clock, SharedClock, Timer};
use crate::platform::fetch::{PendingResponse, Request, Transport};
use crate::platform::reveal::RevealClient;
use order_core::error::{ErrorKind, FetchError};
use order_core::labels::Labels;
use order_core::model::Order;

#[derive(Properties, Clone)]
pub struct FirstPaintProps {
    /// The redacted order: its codes withheld, so none can reach the HTML.
    pub order: Rc<Order>,
    pub config: Rc<Config>,
    /// The time of the render (unix ms), for "expires in …".
    pub now_unix_ms: f64,
}

impl PartialEq for FirstPaintProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.order, &other.order)
            && Rc::ptr_eq(&self.config, &other.config)
            && self.now_unix_ms == other.now_unix_ms
    }
}

#[component]
pub fn FirstPaint(props: &FirstPaintProps) -> Html {
    let config = &props.config;
    let labels = Rc::new(Labels::new(&config.locale, config.labels.clone()));
    let order = with_item_labels(props.order.clone(), &config.item_labels);
    let view = ViewContext {
        labels,
        locale: config.locale.clone().into(),
        currency: config.currency.clone().map(AttrValue::from),
    };
    let client = RevealClient::new(config, Rc::new(NoNetwork));
    let reveal_timeout_ms = u32::try_from(config.reveal_timeout.as_millis()).unwrap_or(u32::MAX);

    html! {
        <Card
            order={Some(order)}
            error={None::<FetchError>}
            checking=false
            stopped={None}
            deferred_ms={None}
            {view}
            badge={NodeRef::default()}
            announcement={AttrValue::default()}
            clock={SharedClock(Rc::new(RenderTime(props.now_unix_ms)))}
            {reveal_timeout_ms}
            {client}
            on_event={Callback::noop()}
            announce={Callback::noop()}
            on_check_again={Callback::noop()}
        />
    }
}

/// The time of a server render, which sets no timer: its effects never run.
struct RenderTime(f64);

impl Clock for RenderTime {
    fn monotonic_ms(&self) -> f64 {
        0.0
    }

    fn unix_ms(&self) -> f64 {
        self.0
    }

    fn after(&self, _delay: Duration, _callback: Box<dyn FnOnce()>) -> Timer {
        Timer::never()
    }
}

/// A server render sends no request (its buttons are inert until the wasm takes over).
struct NoNetwork;

impl Transport for NoNetwork {
    fn send(&self, _request: Request) -> PendingResponse {
        Box::pin(std::future::ready(Err(FetchError::new(
            ErrorKind::Network,
            "The server-rendered widget sends no requests.",
        ))))
    }
}
