//! A "Copy" button. It never holds or reads the text it copies (a masked code is not in
//! the DOM, and a withheld one not even in memory): a press hands the button element to
//! the list, which copies from memory or fetches first, inside the click. What it says
//! comes from the list's reveal state: "Copying…" while a fetch is under way, "Try again"
//! after one failed, "Copied" or "Press Ctrl+C" after a copy (`RevealState::feedback_for`).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::reveal_state::Fetch;
use order_core::labels::Labels;

#[derive(Properties, PartialEq, Clone)]
pub struct CopyButtonProps {
    /// "Copy", "Copy PIN", "Copy all".
    pub label: AttrValue,
    /// Visually hidden words telling screen-reader users which code this copies; must
    /// say no more than the masked code shows.
    #[prop_or_default]
    pub context: Option<AttrValue>,
    /// `Some(true)` after a copy that worked, `Some(false)` after one that failed.
    pub feedback: Option<bool>,
    /// The fetch of the text to copy, while it is under way or after it failed.
    #[prop_or_default]
    pub fetch: Option<Fetch>,
    pub part: &'static str,
    pub labels: Rc<Labels>,
    /// A press, with the button (where the fallback's textarea goes). Called inside the
    /// click: the copy must start there.
    pub on_press: Callback<web_sys::Element>,
}

#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let busy = props.fetch == Some(Fetch::Pending);
    let onclick = {
        let on_press = props.on_press.clone();
        Callback::from(move |event: MouseEvent| {
            if busy {
                return;
            }
            if let Some(button) = pressed_button(&event) {
                on_press.emit(button);
            }
        })
    };
    let labels = &props.labels;
    let (text, state) = match (props.fetch, props.feedback) {
        (Some(Fetch::Pending), _) => (labels.get("copying").to_owned(), Some("busy")),
        (Some(Fetch::Failed(_)), _) => (labels.get("try_again").to_owned(), Some("failed")),
        (None, None) => (props.label.to_string(), None),
        (None, Some(true)) => (labels.get("copied").to_owned(), Some("copied")),
        (None, Some(false)) => (labels.get("copy_failed").to_owned(), Some("failed")),
    };
    html! {
        <button
            type="button"
            class="ow-button ow-copy"
            part={props.part}
            data-state={state}
            aria-busy={busy.then_some("true")}
            {onclick}
        >
            { text }
            if let Some(context) = &props.context {
                <span class="ow-visually-hidden">{ format!(" ({context})") }</span>
            }
        </button>
    }
}

/// The button a click landed on (or in).
pub fn pressed_button(event: &MouseEvent) -> Option<web_sys::Element> {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|target| target.closest("button").ok().flatten())
}
