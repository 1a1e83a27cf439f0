//! A "Copy" button. It copies text held in memory (never read from the DOM: a masked
//! code is not there) and says "Copied" only when the copy worked; the list's reveal
//! state decides what it says (see `RevealState::feedback_for`).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::reveal_state::CopySource;
use crate::platform::clipboard;
use order_core::labels::Labels;
use order_core::model::VoucherKind;

/// A copy that ended, for the list (its feedback) and the page (`order-widget:copy`).
#[derive(Clone, Debug, PartialEq)]
pub struct Copied {
    pub source: CopySource,
    pub kind: VoucherKind,
    pub count: usize,
    pub ok: bool,
}

#[derive(Properties, PartialEq, Clone)]
pub struct CopyButtonProps {
    /// What is copied: held in memory, never rendered.
    pub text: AttrValue,
    pub source: CopySource,
    /// The kind of the (first) code copied and how many codes, for the copy event.
    pub kind: VoucherKind,
    pub count: usize,
    /// "Copy", "Copy PIN", "Copy all".
    pub label: AttrValue,
    /// Visually hidden words telling screen-reader users which code this copies; must
    /// say no more than the masked code shows.
    #[prop_or_default]
    pub context: Option<AttrValue>,
    /// `Some(true)` after a copy that worked, `Some(false)` after one that failed.
    pub feedback: Option<bool>,
    pub part: &'static str,
    pub labels: Rc<Labels>,
    pub on_copied: Callback<Copied>,
}

#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let onclick = {
        let props = props.clone();
        Callback::from(move |event: MouseEvent| {
            let props = props.clone();
            copy_on_click(&event, &props.text, move |ok| {
                props.on_copied.emit(Copied {
                    source: props.source.clone(),
                    kind: props.kind,
                    count: props.count,
                    ok,
                })
            });
        })
    };
    let labels = &props.labels;
    let (text, state) = match props.feedback {
        None => (props.label.to_string(), None),
        Some(true) => (labels.get("copied").to_owned(), Some("copied")),
        Some(false) => (labels.get("copy_failed").to_owned(), Some("failed")),
    };
    html! {
        <button
            type="button"
            class="ow-button ow-copy"
            part={props.part}
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

/// Starts copying `text` inside the click (Safari refuses the clipboard after an await)
/// and calls `done` with whether it reached the clipboard.
fn copy_on_click(event: &MouseEvent, text: &str, done: impl FnOnce(bool) + 'static) {
    // The fallback's short-lived textarea goes next to the button, inside the widget.
    let Some(button) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|target| target.closest("button").ok().flatten())
    else {
        return;
    };
    let copying = clipboard::copy(text.to_owned(), button);
    wasm_bindgen_futures::spawn_local(async move { done(copying.await.ok()) });
}
