//! The list's timers and listeners (hooks): re-masking, hiding with the page, and ending
//! a copy's feedback.

use std::time::Duration;

use gloo_events::EventListener;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::reveal_state::{CopyFeedback, RevealAction, RevealState, Target};
use crate::platform::clock::SharedClock;
use crate::ui::dom::select_contents;

/// How long a copy button says "Copied" / "Press Ctrl+C".
const COPIED: Duration = Duration::from_secs(2);
const FAILED: Duration = Duration::from_secs(10);

/// After a copy: the button's "Copied" / "Press Ctrl+C" ends after its time, and a
/// failed copy selects the text it left shown (one code or PIN, or the "Copy all" box)
/// so Ctrl+C copies exactly that.
#[hook]
pub fn use_copy_feedback(
    feedback: Option<CopyFeedback>,
    select: NodeRef,
    copy_all_box: NodeRef,
    dispatcher: UseReducerDispatcher<RevealState>,
    clock: SharedClock,
) {
    use_effect_with(feedback, move |feedback| {
        let timer = feedback.as_ref().map(|feedback| {
            match (&feedback.source, feedback.ok) {
                (_, true) => {}
                (Target::All(_), false) => {
                    if let Some(text) = copy_all_box.cast::<HtmlTextAreaElement>() {
                        let _ = text.focus();
                        text.select();
                    }
                }
                (Target::One(..), false) => {
                    if let Some(node) = select.get() {
                        select_contents(&node);
                    }
                }
            }
            let serial = feedback.serial;
            let shown = if feedback.ok { COPIED } else { FAILED };
            clock.after(
                shown,
                Box::new(move || dispatcher.dispatch(RevealAction::FeedbackOver { serial })),
            )
        });
        move || drop(timer)
    });
}

/// Re-masks what is due at `deadline`. A new deadline replaces the timer; unmounting
/// drops (cancels) it.
#[hook]
pub fn use_remask_timer(
    deadline: Option<f64>,
    dispatcher: UseReducerDispatcher<RevealState>,
    clock: SharedClock,
) {
    use_effect_with(deadline, move |deadline| {
        let timer = deadline.map(|deadline| {
            // Saturating: a deadline already past waits 0 ms.
            let wait_ms = (deadline - clock.unix_ms()).ceil() as u64;
            clock.after(
                Duration::from_millis(wait_ms),
                Box::new(move || dispatcher.dispatch(RevealAction::Expire { deadline })),
            )
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
