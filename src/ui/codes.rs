//! The consolidated list of codes, grouped by item: every code masked until the customer
//! reveals it, masked again after `reveal_timeout_ms` or when the page is hidden.
//!
//! The whole list carries the opt-out marks of common session-replay tools, as a second
//! line of defence: a masked code is not in the DOM at all.

pub(super) mod state;

use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use self::state::{copy_all_text, groups, voucher_keys, Heading, RevealAction, RevealState};
use super::code_row::{CodeRow, RevealRequest, Secret};
use super::copy_button::CopyButton;
use crate::events::WidgetEvent;
use crate::intl;
use crate::labels::Labels;
use crate::model::{Order, VoucherKind};

const DEFAULT_REVEAL_MS: u32 = 60_000;

#[derive(Properties, PartialEq, Clone)]
pub struct CodesProps {
    pub order: Rc<Order>,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    pub reveal_timeout_ms: u32,
    pub on_event: Callback<WidgetEvent>,
    pub announce: Callback<AttrValue>,
}

#[component]
pub fn Codes(props: &CodesProps) -> Html {
    let reveal = use_reducer(RevealState::default);
    let keys = use_memo(props.order.clone(), |order| {
        Rc::<[AttrValue]>::from(voucher_keys(&order.vouchers))
    });
    let copy_all = use_memo(
        (props.order.clone(), props.labels.clone()),
        |(order, labels)| AttrValue::from(copy_all_text(&order.vouchers, labels.get("pin"))),
    );
    let copy_all_box = use_node_ref();
    let timeout_ms = match props.reveal_timeout_ms {
        0 => DEFAULT_REVEAL_MS,
        ms => ms,
    };

    use_remask_timer(reveal.next_deadline(), reveal.dispatcher());
    use_hide_when_page_hidden(reveal.dispatcher());
    {
        let copy_all_box = copy_all_box.clone();
        use_effect_with(reveal.copy_all_box, move |shown| {
            if let Some(text) = shown
                .then(|| copy_all_box.cast::<HtmlTextAreaElement>())
                .flatten()
            {
                let _ = text.focus();
                text.select();
            }
        });
    }

    let on_reveal = {
        let dispatcher = reveal.dispatcher();
        use_callback(
            (timeout_ms, props.on_event.clone()),
            move |request: RevealRequest, (timeout_ms, on_event)| {
                let RevealRequest { id, secret, shown } = request;
                let until = intl::now_ms() + f64::from(*timeout_ms);
                dispatcher.dispatch(match secret {
                    Secret::Code => RevealAction::Code {
                        key: id,
                        shown,
                        until,
                    },
                    Secret::Pin => RevealAction::Pin {
                        key: id,
                        shown,
                        until,
                    },
                });
                if shown {
                    on_event.emit(WidgetEvent::Reveal { count: 1 });
                }
            },
        )
    };

    let order = &props.order;
    if order.vouchers.is_empty() {
        return html! {};
    }
    let labels = &props.labels;
    let all_shown = reveal.all_codes_shown(keys.iter());

    let on_reveal_all = {
        let dispatcher = reveal.dispatcher();
        let keys = keys.clone();
        let on_event = props.on_event.clone();
        Callback::from(move |_: MouseEvent| {
            if all_shown {
                dispatcher.dispatch(RevealAction::HideAll);
            } else {
                let until = intl::now_ms() + f64::from(timeout_ms);
                dispatcher.dispatch(RevealAction::All {
                    keys: (*keys).clone(),
                    until,
                });
                on_event.emit(WidgetEvent::Reveal { count: keys.len() });
            }
        })
    };
    let on_copy_all_failed = {
        let dispatcher = reveal.dispatcher();
        let keys = keys.clone();
        Callback::from(move |()| {
            let until = intl::now_ms() + f64::from(timeout_ms);
            dispatcher.dispatch(RevealAction::CopyAllBox {
                keys: (*keys).clone(),
                until,
            });
        })
    };

    let row = |index: usize, number: usize| -> Option<Html> {
        let voucher = order.vouchers.get(index)?;
        let id = keys.get(index)?.clone();
        Some(html! {
            <CodeRow
                key={id.to_string()}
                voucher={voucher.clone()}
                id={id.clone()}
                {number}
                code_shown={reveal.code_shown(&id)}
                pin_shown={reveal.pin_shown(&id)}
                on_reveal={on_reveal.clone()}
                labels={labels.clone()}
                locale={props.locale.clone()}
                on_event={props.on_event.clone()}
                announce={props.announce.clone()}
            />
        })
    };
    let list = groups(order).into_iter().map(|group| {
        let rows = group
            .vouchers
            .iter()
            .filter_map(|index| row(*index, index + 1))
            .collect::<Html>();
        let list = html! { <ul class="ow-code-list" part="code-list">{ rows }</ul> };
        let (key, heading) = match group.heading {
            Heading::None => return html! { <div key="all" class="ow-code-group">{ list }</div> },
            Heading::Item(item) => (
                format!("item-{item}"),
                order
                    .items
                    .get(item)
                    .and_then(|item| item.name.clone())
                    .unwrap_or_else(|| labels.get("item_unnamed").to_owned()),
            ),
            Heading::Other => ("other".to_owned(), labels.get("item_unknown").to_owned()),
        };
        html! {
            <div {key} class="ow-code-group" part="code-group">
                <h4 class="ow-code-group-heading">{ heading }</h4>
                { list }
            </div>
        }
    });

    let first_kind = order
        .vouchers
        .first()
        .map_or(VoucherKind::Code, |voucher| voucher.kind);
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
                        label={AttrValue::from(labels.get("copy_all").to_owned())}
                        kind={first_kind}
                        count={order.vouchers.len()}
                        class={classes!("ow-copy-all")}
                        part="button copy-button copy-all-button"
                        labels={labels.clone()}
                        on_event={props.on_event.clone()}
                        announce={props.announce.clone()}
                        on_failed={on_copy_all_failed}
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

/// Re-masks what is due at `deadline`. A new deadline replaces the timer; unmounting
/// drops (cancels) it.
#[hook]
fn use_remask_timer(deadline: Option<f64>, dispatcher: UseReducerDispatcher<RevealState>) {
    use_effect_with(deadline, move |deadline| {
        let timer = deadline.map(|deadline| {
            // Saturating: a negative wait is 0, a huge one u32::MAX.
            let wait = (deadline - intl::now_ms()).ceil() as u32;
            Timeout::new(wait, move || {
                dispatcher.dispatch(RevealAction::Expire { deadline })
            })
        });
        move || drop(timer)
    });
}

/// Hides every code when the page is hidden (tab switched, phone locked). The listener
/// is dropped on unmount.
#[hook]
fn use_hide_when_page_hidden(dispatcher: UseReducerDispatcher<RevealState>) {
    use_effect_with((), move |()| {
        let listener = web_sys::window()
            .and_then(|window| window.document())
            .map(|document| {
                let target = document.clone();
                EventListener::new(&target, "visibilitychange", move |_| {
                    if document.hidden() {
                        dispatcher.dispatch(RevealAction::HideAll);
                    }
                })
            });
        move || drop(listener)
    });
}
