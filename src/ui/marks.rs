//! The widget's performance marks, for a shop's real-user monitoring and
//! `cargo xtask bench`: `order-widget:answer` when the first answer (an order or an
//! error) is in the widget's state and its render begins, and `order-widget:shown` once
//! that render is committed to the DOM (its effects run), when the customer sees it and
//! its buttons work. Each is set once per widget.

use yew::prelude::*;

use super::widget_state::WidgetState;

const ANSWER: &str = "order-widget:answer";
const SHOWN: &str = "order-widget:shown";

#[derive(Default)]
struct Marked {
    answer: bool,
    shown: bool,
}

/// Sets the two marks for the first render of `state` that holds an order or an error.
#[hook]
pub fn use_first_paint_marks(state: &WidgetState) {
    let marked = use_mut_ref(Marked::default);
    let answered = state.order.is_some() || state.error.is_some();
    if answered && !marked.borrow().answer {
        marked.borrow_mut().answer = true;
        mark(ANSWER);
    }
    use_effect_with(answered, move |answered| {
        if *answered && !marked.borrow().shown {
            marked.borrow_mut().shown = true;
            mark(SHOWN);
        }
    });
}

#[cfg(target_arch = "wasm32")]
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A mark is a measurement only: the widget works the same without it.
        let _ = performance.mark(name);
    }
}

/// Natively (tests, a server-side render) there is no browser to mark in, and calling
/// into web-sys would panic.
#[cfg(not(target_arch = "wasm32"))]
fn mark(_name: &str) {}
