//! A "Copy" button. It copies text held in memory (never read from the DOM: a masked
//! code is not there) and says "Copied" only when the copy worked; the list's state
//! decides what it says (see `RevealState::feedback_for`).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::clipboard::{self, CopyOutcome};
use crate::labels::Labels;

/// One copy button's look.
pub struct CopyButton<'a> {
    /// "Copy", "Copy PIN", "Copy all".
    pub label: &'a str,
    /// Visually hidden words telling screen-reader users which code this copies; must
    /// say no more than the masked code shows.
    pub context: Option<&'a str>,
    /// `Some(true)` after a copy that worked, `Some(false)` after one that failed.
    pub feedback: Option<bool>,
    pub part: &'static str,
}

impl CopyButton<'_> {
    pub fn view(&self, labels: &Labels, onclick: Callback<MouseEvent>) -> Html {
        let (text, state) = match self.feedback {
            None => (self.label, None),
            Some(true) => (labels.get("copied"), Some("copied")),
            Some(false) => (labels.get("copy_failed"), Some("failed")),
        };
        html! {
            <button
                type="button"
                class="ow-button ow-copy"
                part={self.part}
                data-state={state}
                {onclick}
            >
                { text.to_owned() }
                if let Some(context) = self.context {
                    <span class="ow-visually-hidden">{ format!(" ({context})") }</span>
                }
            </button>
        }
    }
}

/// Starts copying `text` inside the click (Safari refuses the clipboard after an await)
/// and calls `done` with the outcome.
pub fn copy_on_click(event: &MouseEvent, text: &str, done: impl FnOnce(CopyOutcome) + 'static) {
    // The fallback's short-lived textarea goes next to the button, inside the widget.
    let Some(button) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|target| target.closest("button").ok().flatten())
    else {
        return;
    };
    let copying = clipboard::copy(text.to_owned(), button);
    wasm_bindgen_futures::spawn_local(async move { done(copying.await) });
}
