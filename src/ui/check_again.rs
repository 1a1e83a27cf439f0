//! "Check again": asks for a check now (within the request budget), or starts a new round
//! after polling stopped. Shows "Checking…" while a check the customer asked for runs.

use std::rc::Rc;

use yew::prelude::*;

use order_core::labels::Labels;

#[derive(Properties, PartialEq, Clone)]
pub struct CheckAgainProps {
    /// A check the customer can see is running.
    pub checking: bool,
    pub labels: Rc<Labels>,
    pub on_check: Callback<()>,
}

#[component]
pub fn CheckAgain(props: &CheckAgainProps) -> Html {
    let onclick = props.on_check.reform(|_: MouseEvent| ());
    let label = if props.checking {
        "checking"
    } else {
        "check_again"
    };
    html! {
        <div class="ow-actions" part="actions">
            <button
                type="button"
                class="ow-button ow-check-again"
                part="button check-again"
                disabled={props.checking}
                {onclick}
            >
                { props.labels.get(label) }
            </button>
        </div>
    }
}
