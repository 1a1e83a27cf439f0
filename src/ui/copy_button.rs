//! A "Copy" button: copies text held in memory, says "Copied" for 2 s only when the copy
//! worked, and otherwise says "Press Ctrl+C" and asks its owner to show the text selected.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::clipboard::{self, CopyOutcome};
use crate::events::WidgetEvent;
use crate::labels::Labels;
use crate::model::VoucherKind;

const COPIED_MS: u32 = 2_000;
const FAILED_MS: u32 = 10_000;

#[derive(Properties, PartialEq, Clone)]
pub struct CopyButtonProps {
    /// The secret to copy. Never rendered.
    pub text: AttrValue,
    /// The button's text ("Copy", "Copy PIN", "Copy all").
    pub label: AttrValue,
    /// Visually hidden words telling screen-reader users which code this copies; must
    /// say no more than the masked code shows.
    #[prop_or_default]
    pub context: Option<AttrValue>,
    /// For the `copy` event.
    pub kind: VoucherKind,
    pub count: usize,
    #[prop_or_default]
    pub class: Classes,
    pub part: AttrValue,
    pub labels: Rc<Labels>,
    pub on_event: Callback<WidgetEvent>,
    pub announce: Callback<AttrValue>,
    /// Both copy paths failed: show the text selected so Ctrl+C works.
    pub on_failed: Callback<()>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    Label,
    Copied,
    Failed,
}

#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let shown = use_state_eq(|| Shown::Label);
    let button = use_node_ref();

    {
        let shown = shown.clone();
        use_effect_with(*shown, move |current| {
            let back = match current {
                Shown::Label => None,
                Shown::Copied => Some(COPIED_MS),
                Shown::Failed => Some(FAILED_MS),
            }
            .map(|ms| Timeout::new(ms, move || shown.set(Shown::Label)));
            // Dropping the timeout (re-render or unmount) cancels it.
            move || drop(back)
        });
    }

    let onclick = {
        let props = props.clone();
        let shown = shown.clone();
        let button = button.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(element) = button.cast::<web_sys::Element>() else {
                return;
            };
            // Started here, inside the click: Safari refuses the clipboard after an await.
            let copying = clipboard::copy(props.text.to_string(), element);
            let props = props.clone();
            let shown = shown.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = copying.await;
                report(&props, outcome);
                if outcome.ok() {
                    shown.set(Shown::Copied);
                } else {
                    shown.set(Shown::Failed);
                    props.on_failed.emit(());
                }
            });
        })
    };

    let labels = &props.labels;
    let text = match *shown {
        Shown::Label => props.label.to_string(),
        Shown::Copied => labels.get("copied").to_owned(),
        Shown::Failed => labels.get("copy_failed").to_owned(),
    };
    let state = match *shown {
        Shown::Label => None,
        Shown::Copied => Some("copied"),
        Shown::Failed => Some("failed"),
    };
    html! {
        <button
            type="button"
            ref={button}
            class={classes!("ow-button", "ow-copy", props.class.clone())}
            part={props.part.clone()}
            data-state={state}
            {onclick}
        >
            { text }
            if let Some(context) = &props.context {
                <span class="ow-visually-hidden">{ format!(" ({context})") }</span>
            }
        </button>
    }
}

fn report(props: &CopyButtonProps, outcome: CopyOutcome) {
    props.on_event.emit(WidgetEvent::Copy {
        kind: props.kind,
        count: props.count,
        ok: outcome.ok(),
    });
    let key = if outcome.ok() {
        "copied_announcement"
    } else {
        "copy_failed"
    };
    props
        .announce
        .emit(AttrValue::from(props.labels.get(key).to_owned()));
}
