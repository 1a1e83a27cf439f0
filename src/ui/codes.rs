//! (placeholder)
use yew::prelude::*;

#[component]
pub fn Codes() -> Html {
    html! {}
}
