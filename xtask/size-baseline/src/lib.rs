//! Hello world in Yew, mounted the same way the widget is, so the size
//! comparison measures what the widget adds and nothing else.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[component]
fn Hello() -> Html {
    html! { <p>{ "Hello, world" }</p> }
}

#[wasm_bindgen]
pub fn mount(element: web_sys::Element) {
    yew::Renderer::<Hello>::with_root(element).render();
}
