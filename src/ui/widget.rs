//! The widget: fetches (and, with `events`, receives) the order, keeps it in a [`WidgetState`] reducer and renders it.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use super::card::Card;
use super::item_names::with_item_labels;
use super::status_badge::{apply_colors, label_key};
use super::ViewContext;
use crate::config::Config;
use crate::platform::clock::SharedClock;
use crate::platform::event_source::Streams;
use crate::platform::fetch::Transport;
use crate::platform::host_events;
use crate::platform::reveal::RevealClient;
use crate::runtime::Runtime;
use crate::ui::widget_state::WidgetState;
use order_core::host_events::HostEvent;
use order_core::labels::Labels;

/// Lets the JS handle ask the mounted widget for a check.
#[derive(Clone, Default)]
pub struct Remote(Rc<RefCell<Option<Callback<()>>>>);

impl Remote {
    pub fn refresh(&self) {
        let callback = self.0.borrow().clone();
        if let Some(callback) = callback {
            callback.emit(());
        }
    }

    fn connect(&self, callback: Option<Callback<()>>) {
        *self.0.borrow_mut() = callback;
    }
}

impl PartialEq for Remote {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, Clone)]
pub struct WidgetProps {
    pub config: Rc<Config>,
    pub transport: Rc<dyn Transport>,
    pub streams: Rc<dyn Streams>,
    pub clock: SharedClock,
    /// Where events are dispatched (they bubble out of the shadow root).
    pub host: Element,
    pub remote: Remote,
}

impl PartialEq for WidgetProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config)
            && Rc::ptr_eq(&self.transport, &other.transport)
            && Rc::ptr_eq(&self.streams, &other.streams)
            && self.clock == other.clock
            && self.host == other.host
            && self.remote == other.remote
    }
}

#[component]
pub fn Widget(props: &WidgetProps) -> Html {
    let state = use_reducer(WidgetState::default);
    super::marks::use_first_paint_marks(&state);
    let config = props.config.clone();
    let labels = use_memo(config.clone(), |config| {
        Rc::new(Labels::new(&config.locale, config.labels.clone()))
    });
    let labels: Rc<Labels> = (*labels).clone();
    // The shop's item names, once per order (the same `Rc` while the order is the same).
    let order = use_memo((state.order.clone(), config.clone()), |(order, config)| {
        order
            .clone()
            .map(|order| with_item_labels(order, &config.item_labels))
    });
    let announcement = use_state(AttrValue::default);
    let poller = use_mut_ref(|| None::<Runtime>);
    let badge = use_node_ref();

    {
        let poller = poller.clone();
        let remote = props.remote.clone();
        let transport = props.transport.clone();
        let streams = props.streams.clone();
        let clock = props.clock.clone();
        let dispatch = state.dispatcher();
        use_effect_with(config.clone(), move |config| {
            let running = Runtime::start(config.clone(), transport, streams, clock, dispatch);
            let manual = running.clone();
            remote.connect(Some(Callback::from(move |()| manual.manual())));
            *poller.borrow_mut() = Some(running);
            move || {
                remote.connect(None);
                if let Some(running) = poller.borrow_mut().take() {
                    running.stop();
                }
            }
        });
    }

    {
        let host = props.host.clone();
        let announcement = announcement.clone();
        let labels = labels.clone();
        let outbox = state.outbox.clone();
        use_effect_with(state.outbox.batch, move |_| {
            for event in &outbox.events {
                if let HostEvent::Status { status, .. } = event {
                    let name = labels.get(&label_key(*status)).to_owned();
                    announcement.set(
                        labels
                            .fill("status_announcement", &[("status", &name)])
                            .into(),
                    );
                }
                host_events::dispatch(&host, event);
            }
        });
    }

    // Stable callbacks: the codes list does not re-render for a new closure.
    let on_event = use_callback(props.host.clone(), |event: HostEvent, host| {
        host_events::dispatch(host, &event)
    });
    let announce = {
        let setter = announcement.setter();
        use_callback((), move |text: AttrValue, _| setter.set(text))
    };
    let on_check_again = use_callback(props.remote.clone(), |(), remote| remote.refresh());

    {
        let badge = badge.clone();
        let colors = state
            .order
            .as_ref()
            .map(|order| order.status_colors.clone());
        // Also after the badge first appears: its colours are set on the new element.
        use_effect_with(colors, move |colors| {
            apply_colors(&badge, colors.as_ref().and_then(Option::as_ref))
        });
    }

    let locale: AttrValue = config.locale.clone().into();
    let view = ViewContext {
        labels,
        locale,
        currency: config.currency.clone().map(AttrValue::from),
    };
    // Equal across renders (same transport, same config): the codes' callbacks stay put.
    let client = RevealClient::new(&config, props.transport.clone());
    let reveal_timeout_ms = u32::try_from(config.reveal_timeout.as_millis()).unwrap_or(u32::MAX);

    html! {
        <Card
            order={(*order).clone()}
            error={state.error.clone()}
            checking={state.checking}
            stopped={state.stopped}
            deferred_ms={state.deferred_ms}
            {view}
            {badge}
            announcement={(*announcement).clone()}
            clock={props.clock.clone()}
            {reveal_timeout_ms}
            {client}
            {on_event}
            {announce}
            {on_check_again}
        />
    }
}
