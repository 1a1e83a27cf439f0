//! The consolidated list of codes, grouped by item: every code masked until the customer
//! reveals it, masked again after `reveal_timeout_ms` or when the page is hidden.
//!
//! The list owns the reveal state ([`reveal_state`]); its groups and rows are components
//! that get what they show and callbacks that take a row's key, stable across renders, so
//! a reveal re-renders only the row it changed. A redacted order withholds its codes: the
//! buttons fetch them when pressed ([`presses`]), and the state forgets them with the
//! re-mask. A shown code can show its QR code ([`qr_code`]); an order of more than a few
//! codes can be downloaded as a CSV file ([`csv_file`]). The whole list carries the opt-out marks
//! of common session-replay tools, as a second line of defence: a masked code is not in
//! the DOM at all.

mod code_group;
mod code_row;
mod copy_button;
pub mod csv_file;
mod presses;
pub mod qr_code;
pub(super) mod reveal_state;
mod timers;

use std::rc::Rc;

use yew::prelude::*;

use self::code_group::CodeGroup;
use self::code_row::{failure_label, CopyRequest, Reveal};
use self::copy_button::{pressed_button, CopyButton};
use self::csv_file::BULK;
use self::presses::Presses;
use self::reveal_state::{
    copy_all_text, groups, known, voucher_keys, Button, Fetch, Heading, Press, RevealAction,
    RevealState, Target,
};
use self::timers::{use_copy_feedback, use_hide_when_page_hidden, use_remask_timer};
use crate::platform::clock::SharedClock;
use crate::platform::fetch::Cancel;
use crate::platform::reveal::RevealClient;
use order_core::host_events::HostEvent;
use order_core::labels::Labels;
use order_core::model::Order;

const DEFAULT_REVEAL_MS: u32 = 60_000;

#[derive(Properties, PartialEq, Clone)]
pub struct CodesProps {
    pub order: Rc<Order>,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    /// Re-masking, copy feedback and "expires in" run on this clock.
    pub clock: SharedClock,
    pub reveal_timeout_ms: u32,
    /// Fetches withheld codes from the shop's proxy.
    pub client: RevealClient,
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
    let copy_all_box = use_node_ref();
    let select = use_node_ref();
    let timeout_ms = match props.reveal_timeout_ms {
        0 => DEFAULT_REVEAL_MS,
        ms => ms,
    };
    let alive = (*use_memo((), |()| Cancel::default())).clone();
    {
        let alive = alive.clone();
        use_effect_with((), move |()| move || alive.cancel());
    }

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

    let presses = Presses {
        client: props.client.clone(),
        dispatcher: reveal.dispatcher(),
        clock: props.clock.clone(),
        reveal_ms: timeout_ms,
        on_event: props.on_event.clone(),
        announce: props.announce.clone(),
        labels: props.labels.clone(),
        alive,
    };
    // Stable while `presses` is: a reveal re-renders only its row.
    let on_reveal = use_callback(presses.clone(), |reveal: Reveal, presses| {
        presses.reveal(reveal)
    });
    let on_copy = use_callback(presses.clone(), |request: CopyRequest, presses| {
        presses.copy(request)
    });
    let on_qr = use_callback(presses.clone(), |(key, shown), presses| {
        presses.qr(key, shown)
    });

    let order = &props.order;
    if order.vouchers.is_empty() {
        return html! {};
    }
    let labels = &props.labels;
    let all_shown = reveal.all_codes_shown(keys.iter());
    let all = |press| reveal.fetch_of(&Button::new(press, Target::All(keys.clone())));
    let (reveal_all_fetch, copy_all_fetch, download_fetch) =
        (all(Press::Reveal), all(Press::Copy), all(Press::Download));
    let on_reveal_all = {
        let presses = presses.clone();
        let order = order.clone();
        let keys = keys.clone();
        let state = reveal.clone();
        Callback::from(move |_: MouseEvent| {
            if reveal_all_fetch == Some(Fetch::Pending) {
                return;
            }
            if all_shown {
                presses.dispatcher.dispatch(RevealAction::HideAll);
            } else {
                presses.reveal_all(&order, keys.clone(), &state);
            }
        })
    };
    let on_copy_all = {
        let presses = presses.clone();
        let order = order.clone();
        let keys = keys.clone();
        let state = reveal.clone();
        Callback::from(move |near| presses.copy_all(&order, keys.clone(), &state, near))
    };
    let on_download = {
        let presses = presses.clone();
        let order = order.clone();
        let keys = keys.clone();
        Callback::from(move |event: MouseEvent| {
            if download_fetch == Some(Fetch::Pending) {
                return;
            }
            if let Some(near) = pressed_button(&event) {
                presses.download(order.clone(), keys.clone(), near);
            }
        })
    };
    let copy_all_source = Target::All(keys.clone());
    let list_failure = [reveal_all_fetch, copy_all_fetch, download_fetch]
        .into_iter()
        .find_map(|fetch| match fetch {
            Some(Fetch::Failed(kind)) => Some(kind),
            _ => None,
        });
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
                on_copy={on_copy.clone()}
                on_qr={on_qr.clone()}
            />
        }
    });
    let busy_label = |fetch: Option<Fetch>, busy: &'static str, idle: &'static str| match fetch {
        Some(Fetch::Pending) => busy,
        Some(Fetch::Failed(_)) => "try_again",
        None => idle,
    };
    let aria_busy = |fetch: Option<Fetch>| (fetch == Some(Fetch::Pending)).then_some("true");
    // The box a failed "Copy all" shows: its text exists only while it is shown.
    let copy_all_text = reveal
        .copy_all_box
        .then(|| {
            copy_all_text(
                order
                    .vouchers
                    .iter()
                    .zip(keys.iter())
                    .map(|(voucher, key)| known(voucher, reveal.revealed(key).map(Rc::as_ref))),
                labels.get("pin"),
            )
        })
        .flatten();

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
                        aria-busy={aria_busy(reveal_all_fetch)}
                        onclick={on_reveal_all}
                    >
                        { labels.get(busy_label(
                            reveal_all_fetch,
                            "revealing",
                            if all_shown { "hide_all" } else { "reveal_all" },
                        )) }
                    </button>
                    <CopyButton
                        label={AttrValue::from(labels.get("copy_all").to_owned())}
                        feedback={reveal.feedback_for(&copy_all_source)}
                        fetch={copy_all_fetch}
                        part="button copy-button copy-all-button"
                        labels={labels.clone()}
                        on_press={on_copy_all}
                    />
                    if order.vouchers.len() > BULK {
                        <button
                            type="button"
                            class="ow-button ow-download"
                            part="button download-button"
                            aria-busy={aria_busy(download_fetch)}
                            onclick={on_download}
                        >
                            { labels.get(busy_label(download_fetch, "downloading", "download_csv")) }
                        </button>
                    }
                </div>
            </div>
            if let Some(kind) = list_failure {
                <p class="ow-code-error" part="code-error">{ labels.get(failure_label(kind)) }</p>
            }
            if let Some(text) = copy_all_text {
                <label class="ow-copy-all-box" part="copy-all-box">
                    <span class="ow-copy-all-hint">{ labels.get("copy_failed") }</span>
                    <textarea
                        ref={copy_all_box}
                        class="ow-copy-all-text"
                        dir="ltr"
                        readonly=true
                        rows={order.vouchers.len().min(8).to_string()}
                        value={text}
                    />
                </label>
            }
            { for list }
        </section>
    }
}
