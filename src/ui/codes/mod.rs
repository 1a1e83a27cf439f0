//! The consolidated list of codes, grouped by item: every code masked until the customer
//! reveals it, masked again after `reveal_timeout_ms` or when the page is hidden.
//!
//! The list owns the reveal state ([`reveal_state`]); its groups and rows are components
//! that get what they show and callbacks that take a row's key, stable across renders, so
//! a reveal re-renders only the row it changed. The whole list carries the opt-out marks
//! of common session-replay tools, as a second line of defence: a masked code is not in
//! the DOM at all.

mod code_group;
mod code_row;
mod copy_button;
pub(super) mod reveal_state;
mod timers;

use std::rc::Rc;

use yew::prelude::*;

use self::code_group::CodeGroup;
use self::code_row::Reveal;
use self::copy_button::{Copied, CopyButton};
use self::reveal_state::{
    copy_all_text, groups, voucher_keys, CopySource, Heading, RevealAction, RevealState, RowSecret,
};
use self::timers::{use_copy_feedback, use_hide_when_page_hidden, use_remask_timer};
use crate::platform::clock::SharedClock;
use order_core::host_events::HostEvent;
use order_core::labels::Labels;
use order_core::model::{Order, VoucherKind};

const DEFAULT_REVEAL_MS: u32 = 60_000;

#[derive(Properties, PartialEq, Clone)]
pub struct CodesProps {
    pub order: Rc<Order>,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    /// Re-masking, copy feedback and "expires in" run on this clock.
    pub clock: SharedClock,
    pub reveal_timeout_ms: u32,
    pub on_event: Callback<HostEvent>,
    pub announce: Callback<AttrValue>,
}

#[component]
pub fn Codes(props: &CodesProps) -> Html {
    let reveal = use_reducer(RevealState::default);
    let keys = use_memo(props.order.clone(), |order| {
        Rc::<[AttrValue]>::from(voucher_keys(&order.vouchers))
    });
    let keys: Rc<[AttrValue]> = (*keys).clone();
    let copy_all = use_memo(
        (props.order.clone(), props.labels.clone()),
        |(order, labels)| AttrValue::from(copy_all_text(&order.vouchers, labels.get("pin"))),
    );
    let copy_all_box = use_node_ref();
    let select = use_node_ref();
    let timeout_ms = match props.reveal_timeout_ms {
        0 => DEFAULT_REVEAL_MS,
        ms => ms,
    };

    use_remask_timer(
        reveal.next_deadline(),
        reveal.dispatcher(),
        props.clock.clone(),
    );
    use_hide_when_page_hidden(reveal.dispatcher());
    use_copy_feedback(
        reveal.feedback.clone(),
        select.clone(),
        copy_all_box.clone(),
        reveal.dispatcher(),
        props.clock.clone(),
    );

    // What is revealed now stays shown until this deadline.
    let until = |clock: &SharedClock, timeout_ms: u32| clock.unix_ms() + f64::from(timeout_ms);
    let on_reveal = use_callback(
        (
            reveal.dispatcher(),
            props.on_event.clone(),
            props.clock.clone(),
            timeout_ms,
        ),
        move |Reveal { key, secret, shown }, (dispatcher, on_event, clock, timeout_ms)| {
            let until = until(clock, *timeout_ms);
            dispatcher.dispatch(match secret {
                RowSecret::Code => RevealAction::Code { key, shown, until },
                RowSecret::Pin => RevealAction::Pin { key, shown, until },
            });
            if shown {
                on_event.emit(HostEvent::Reveal { count: 1 });
            }
        },
    );
    let on_copied = use_callback(
        (
            reveal.dispatcher(),
            props.on_event.clone(),
            props.announce.clone(),
            props.labels.clone(),
            props.clock.clone(),
            timeout_ms,
        ),
        move |copied: Copied, (dispatcher, on_event, announce, labels, clock, timeout_ms)| {
            let Copied {
                source,
                kind,
                count,
                ok,
            } = copied;
            on_event.emit(HostEvent::Copy { kind, count, ok });
            let said = if ok {
                "copied_announcement"
            } else {
                "copy_failed"
            };
            announce.emit(AttrValue::from(labels.get(said).to_owned()));
            let until = until(clock, *timeout_ms);
            dispatcher.dispatch(RevealAction::Copied { source, ok, until });
        },
    );

    let order = &props.order;
    if order.vouchers.is_empty() {
        return html! {};
    }
    let labels = &props.labels;
    let all_shown = reveal.all_codes_shown(keys.iter());
    let on_reveal_all = {
        let dispatcher = reveal.dispatcher();
        let on_event = props.on_event.clone();
        let clock = props.clock.clone();
        let keys = keys.clone();
        Callback::from(move |_: MouseEvent| {
            if all_shown {
                dispatcher.dispatch(RevealAction::HideAll);
                return;
            }
            let until = until(&clock, timeout_ms);
            dispatcher.dispatch(RevealAction::All {
                keys: keys.clone(),
                until,
            });
            on_event.emit(HostEvent::Reveal { count: keys.len() });
        })
    };
    let copy_all_source = CopySource::All(keys.clone());
    let first_kind = order
        .vouchers
        .first()
        .map_or(VoucherKind::Code, |voucher| voucher.kind);
    // "Expires in …" moves on by the minute, not on every render.
    let now_minute = (props.clock.unix_ms() / 60_000.0).floor() as i64;

    let list = groups(order).into_iter().map(|group| {
        let (key, heading) = match group.heading {
            Heading::None => ("all".to_owned(), None),
            Heading::Item(item) => (
                format!("item-{item}"),
                Some(
                    order
                        .items
                        .get(item)
                        .and_then(|item| item.name.clone())
                        .unwrap_or_else(|| labels.get("item_unnamed").to_owned()),
                ),
            ),
            Heading::Other => (
                "other".to_owned(),
                Some(labels.get("item_unknown").to_owned()),
            ),
        };
        html! {
            <CodeGroup
                {key}
                heading={heading.map(AttrValue::from)}
                order={order.clone()}
                vouchers={Rc::<[usize]>::from(group.vouchers)}
                keys={keys.clone()}
                reveal={reveal.clone()}
                select={select.clone()}
                labels={labels.clone()}
                locale={props.locale.clone()}
                {now_minute}
                on_reveal={on_reveal.clone()}
                on_copied={on_copied.clone()}
            />
        }
    });

    html! {
        <section
            class="ow-codes fs-exclude rr-block sentry-block ph-no-capture"
            part="codes"
            data-private=""
            data-hj-suppress=""
            data-clarity-mask="true"
            data-dd-privacy="hidden"
            data-cs-mask=""
        >
            <div class="ow-codes-header">
                <h3 class="ow-section-heading">{ labels.get("codes_heading") }</h3>
                <div class="ow-codes-actions" part="codes-actions">
                    <button
                        type="button"
                        class="ow-button ow-reveal-all"
                        part="button reveal-all-button"
                        aria-pressed={if all_shown { "true" } else { "false" }}
                        onclick={on_reveal_all}
                    >
                        { labels.get(if all_shown { "hide_all" } else { "reveal_all" }) }
                    </button>
                    <CopyButton
                        text={(*copy_all).clone()}
                        source={copy_all_source.clone()}
                        kind={first_kind}
                        count={order.vouchers.len()}
                        label={AttrValue::from(labels.get("copy_all").to_owned())}
                        feedback={reveal.feedback_for(&copy_all_source)}
                        part="button copy-button copy-all-button"
                        labels={labels.clone()}
                        on_copied={on_copied.clone()}
                    />
                </div>
            </div>
            if reveal.copy_all_box {
                <label class="ow-copy-all-box" part="copy-all-box">
                    <span class="ow-copy-all-hint">{ labels.get("copy_failed") }</span>
                    <textarea
                        ref={copy_all_box}
                        class="ow-copy-all-text"
                        dir="ltr"
                        readonly=true
                        rows={order.vouchers.len().min(8).to_string()}
                        value={(*copy_all).clone()}
                    />
                </label>
            }
            { for list }
        </section>
    }
}
