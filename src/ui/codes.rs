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

use self::state::{
    copy_all_text, groups, voucher_keys, CopyFeedback, CopySource, Heading, RevealAction,
    RevealState, Secret,
};
use super::code_row::{code_row, select_contents, RowContext};
use super::copy_button::{copy_on_click, CopyButton};
use crate::events::WidgetEvent;
use crate::intl;
use crate::labels::Labels;
use crate::model::{Order, VoucherKind};

const DEFAULT_REVEAL_MS: u32 = 60_000;
/// How long a copy button says "Copied" / "Press Ctrl+C".
const COPIED_MS: u32 = 2_000;
const FAILED_MS: u32 = 10_000;

#[derive(Properties, PartialEq, Clone)]
pub struct CodesProps {
    pub order: Rc<Order>,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    pub reveal_timeout_ms: u32,
    pub on_event: Callback<WidgetEvent>,
    pub announce: Callback<AttrValue>,
}

/// The callbacks of the list's buttons.
#[derive(Clone)]
pub struct Actions {
    dispatcher: UseReducerDispatcher<RevealState>,
    on_event: Callback<WidgetEvent>,
    announce: Callback<AttrValue>,
    labels: Rc<Labels>,
    timeout_ms: u32,
}

impl Actions {
    fn until(&self) -> f64 {
        intl::now_ms() + f64::from(self.timeout_ms)
    }

    /// Shows (`shown`) or hides one code or PIN.
    pub fn reveal(&self, key: AttrValue, secret: Secret, shown: bool) -> Callback<MouseEvent> {
        let actions = self.clone();
        Callback::from(move |_: MouseEvent| {
            let key = key.clone();
            let until = actions.until();
            actions.dispatcher.dispatch(match secret {
                Secret::Code => RevealAction::Code { key, shown, until },
                Secret::Pin => RevealAction::Pin { key, shown, until },
            });
            if shown {
                actions.on_event.emit(WidgetEvent::Reveal { count: 1 });
            }
        })
    }

    /// Copies `text` (never rendered) and reports how that went.
    pub fn copy(
        &self,
        source: CopySource,
        text: AttrValue,
        kind: VoucherKind,
        count: usize,
    ) -> Callback<MouseEvent> {
        let actions = self.clone();
        Callback::from(move |event: MouseEvent| {
            let actions = actions.clone();
            let source = source.clone();
            copy_on_click(&event, &text, move |outcome| {
                let ok = outcome.ok();
                actions.on_event.emit(WidgetEvent::Copy { kind, count, ok });
                let said = if ok {
                    "copied_announcement"
                } else {
                    "copy_failed"
                };
                actions
                    .announce
                    .emit(AttrValue::from(actions.labels.get(said).to_owned()));
                let until = actions.until();
                actions
                    .dispatcher
                    .dispatch(RevealAction::Copied { source, ok, until });
            });
        })
    }
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

    use_remask_timer(reveal.next_deadline(), reveal.dispatcher());
    use_hide_when_page_hidden(reveal.dispatcher());
    use_copy_feedback(
        reveal.feedback.clone(),
        select.clone(),
        copy_all_box.clone(),
        reveal.dispatcher(),
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
        timeout_ms,
    };
    let all_shown = reveal.all_codes_shown(keys.iter());

    let on_reveal_all = {
        let actions = actions.clone();
        let keys = keys.clone();
        Callback::from(move |_: MouseEvent| {
            if all_shown {
                actions.dispatcher.dispatch(RevealAction::HideAll);
            } else {
                let until = actions.until();
                actions.dispatcher.dispatch(RevealAction::All {
                    keys: keys.clone(),
                    until,
                });
                actions
                    .on_event
                    .emit(WidgetEvent::Reveal { count: keys.len() });
            }
        })
    };
    let copy_all_source = CopySource::All(keys.clone());
    let copy_all_button = CopyButton {
        label: labels.get("copy_all"),
        context: None,
        feedback: reveal.feedback_for(&copy_all_source),
        class: " ow-copy-all",
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

/// After a copy: the button's "Copied" / "Press Ctrl+C" ends after its time, and a
/// failed copy selects the text it left shown (one code or PIN, or the "Copy all" box)
/// so Ctrl+C copies exactly that.
#[hook]
fn use_copy_feedback(
    feedback: Option<CopyFeedback>,
    select: NodeRef,
    copy_all_box: NodeRef,
    dispatcher: UseReducerDispatcher<RevealState>,
) {
    use_effect_with(feedback, move |feedback| {
        let timer = feedback.as_ref().map(|feedback| {
            match (&feedback.source, feedback.ok) {
                (_, true) => {}
                (CopySource::All(_), false) => {
                    if let Some(text) = copy_all_box.cast::<HtmlTextAreaElement>() {
                        let _ = text.focus();
                        text.select();
                    }
                }
                (CopySource::One(..), false) => {
                    if let Some(node) = select.get() {
                        select_contents(&node);
                    }
                }
            }
            let serial = feedback.serial;
            let shown_ms = if feedback.ok { COPIED_MS } else { FAILED_MS };
            Timeout::new(shown_ms, move || {
                dispatcher.dispatch(RevealAction::FeedbackOver { serial })
            })
        });
        move || drop(timer)
    });
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
