//! The card: everything under `<section class="ow">` that follows from the widget's state
//! (the order's header, progress, notices, items, expectation and codes, "Check again", the
//! live region). The client's [`Widget`](super::Widget) renders it from its reducer and the
//! server renders it from the order ([`FirstPaint`](super::FirstPaint)), so the first paint
//! and the client's render are the same components.

use std::rc::Rc;

use yew::prelude::*;

use super::check_again::CheckAgain;
use super::header::Header;
use super::items::Items;
use super::notice::{ErrorNotice, Expectation, PollNotice};
use super::progress::Progress;
use super::{Codes, ViewContext};
use crate::platform::clock::SharedClock;
use crate::platform::reveal::RevealClient;
use crate::ui::widget_state::Stopped;
use order_core::error::FetchError;
use order_core::host_events::HostEvent;
use order_core::model::Order;

#[derive(Properties, PartialEq, Clone)]
pub struct CardProps {
    /// The order with the shop's item names (`with_item_labels`).
    pub order: Option<Rc<Order>>,
    pub error: Option<FetchError>,
    /// A check the customer can see is running.
    pub checking: bool,
    pub stopped: Option<Stopped>,
    pub deferred_ms: Option<u64>,
    pub view: ViewContext,
    /// The status badge, whose colours the widget sets.
    pub badge: NodeRef,
    /// What the live region says.
    pub announcement: AttrValue,
    pub clock: SharedClock,
    pub reveal_timeout_ms: u32,
    pub client: RevealClient,
    pub on_event: Callback<HostEvent>,
    pub announce: Callback<AttrValue>,
    pub on_check_again: Callback<()>,
}

#[component]
pub fn Card(props: &CardProps) -> Html {
    let view = &props.view;
    let labels = &view.labels;
    let locale = &view.locale;
    let can_check_again = props.error.is_some()
        || props
            .order
            .as_deref()
            .is_some_and(|order| !order.status.is_terminal());

    html! {
        <section
            class="ow"
            part="widget"
            dir={labels.dir()}
            lang={locale.clone()}
            aria-label={labels.get("widget_label").to_owned()}
            aria-busy={props.checking.then_some("true")}
        >
            if let Some(order) = props.order.clone() {
                <Header order={order.clone()} view={view.clone()} badge={props.badge.clone()} />
                <Progress status={order.status} labels={labels.clone()} />
                if let Some(error) = &props.error {
                    <ErrorNotice error={error.clone()} labels={labels.clone()} stale=true />
                }
                <PollNotice
                    stopped={props.stopped}
                    deferred_ms={props.deferred_ms}
                    labels={labels.clone()}
                    locale={locale.clone()}
                />
                <Items order={order.clone()} view={view.clone()} />
                <Expectation order={order.clone()} labels={labels.clone()} />
                <Codes
                    {order}
                    labels={labels.clone()}
                    locale={locale.clone()}
                    clock={props.clock.clone()}
                    reveal_timeout_ms={props.reveal_timeout_ms}
                    client={props.client.clone()}
                    on_event={props.on_event.clone()}
                    announce={props.announce.clone()}
                />
            } else if let Some(error) = &props.error {
                <ErrorNotice error={error.clone()} labels={labels.clone()} stale=false />
            } else {
                <p class="ow-loading" part="loading">{ labels.get("loading") }</p>
            }
            if can_check_again {
                <CheckAgain
                    checking={props.checking}
                    labels={labels.clone()}
                    on_check={props.on_check_again.clone()}
                />
            }
            <p class="ow-live ow-visually-hidden" aria-live="polite" role="status">{ props.announcement.clone() }</p>
        </section>
    }
}
