//! The list's timers and listeners: re-masking, hiding with the page, and ending a
//! copy's feedback.

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::state::{CopyFeedback, CopySource, RevealAction, RevealState};
use crate::intl;
use crate::ui::dom::select_contents;

/// How long a copy button says "Copied" / "Press Ctrl+C".
const COPIED_MS: u32 = 2_000;
const FAILED_MS: u32 = 10_000;

/// After a copy: the button's "Copied" / "Press Ctrl+C" ends after its time, and a
/// failed copy selects the text it left shown (one code or PIN, or the "Copy all" box)
/// so Ctrl+C copies exactly that.
#[hook]
pub fn use_copy_feedback(
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
pub fn use_remask_timer(deadline: Option<f64>, dispatcher: UseReducerDispatcher<RevealState>) {
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
pub fn use_hide_when_page_hidden(dispatcher: UseReducerDispatcher<RevealState>) {
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
