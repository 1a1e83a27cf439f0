//! The consolidated list of codes, grouped by item: every code masked until the customer
//! reveals it, masked again after `reveal_timeout_ms` or when the page is hidden.
//!
//! The whole list carries the opt-out marks of common session-replay tools, as a second
//! line of defence: a masked code is not in the DOM at all.

mod actions;
mod hooks;
mod row;
pub(super) mod state;

use std::rc::Rc;

use yew::prelude::*;

use self::actions::Actions;
use self::hooks::{use_copy_feedback, use_hide_when_page_hidden, use_remask_timer};
use self::row::{code_row, RowContext};
use self::state::{copy_all_text, groups, voucher_keys, CopySource, Heading, RevealState};
use super::copy_button::CopyButton;
use crate::clock::SharedClock;
use crate::events::WidgetEvent;
use crate::labels::Labels;
use crate::model::{Order, VoucherKind};

const DEFAULT_REVEAL_MS: u32 = 60_000;

#[derive(Properties, PartialEq, Clone)]
pub struct CodesProps {
    pub order: Rc<Order>,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    /// Re-masking, copy feedback and "expires in" run on this clock.
    pub clock: SharedClock,
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

    let order = &props.order;
    if order.vouchers.is_empty() {
        return html! {};
    }
    let labels = &props.labels;
    let actions = Actions {
        dispatcher: reveal.dispatcher(),
        on_event: props.on_event.clone(),
        announce: props.announce.clone(),
        labels: labels.clone(),
        clock: props.clock.clone(),
        timeout_ms,
    };
    let all_shown = reveal.all_codes_shown(keys.iter());
    let on_reveal_all = actions.reveal_all(keys.clone(), !all_shown);
    let copy_all_source = CopySource::All(keys.clone());
    let copy_all_button = CopyButton {
        label: labels.get("copy_all"),
        context: None,
        feedback: reveal.feedback_for(&copy_all_source),
        part: "button copy-button copy-all-button",
    };
    let first_kind = order
        .vouchers
        .first()
        .map_or(VoucherKind::Code, |voucher| voucher.kind);
    let on_copy_all = actions.copy(
        copy_all_source,
        (*copy_all).clone(),
        first_kind,
        order.vouchers.len(),
    );

    let row_context = RowContext {
        labels,
        locale: &props.locale,
        now_ms: props.clock.unix_ms(),
        state: &reveal,
        actions: &actions,
        select: &select,
    };
    let row = |index: usize| -> Option<Html> {
        let voucher = order.vouchers.get(index)?;
        let key = keys.get(index)?;
        Some(code_row(voucher, key, index + 1, &row_context))
    };
    let list = groups(order).into_iter().map(|group| {
        let rows = group
            .vouchers
            .iter()
            .filter_map(|index| row(*index))
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
                    { copy_all_button.view(labels, on_copy_all) }
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
