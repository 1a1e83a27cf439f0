//! Saving a file the widget made (the bulk order's CSV) from memory: a `Blob`, an object
//! URL and a short-lived `<a download>` clicked inside the widget. Nothing is uploaded or
//! stored anywhere else, and the object URL is revoked soon after.

use gloo_timers::callback::Timeout;
use js_sys::Array;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, Element, HtmlAnchorElement, Url};

/// How long the object URL (and with it the file's bytes) outlives the click: long
/// enough for the browser to start the download.
const REVOKE_AFTER_MS: u32 = 10_000;

/// Offers `text` as the file `name` of type `mime`; false when the browser refused. `near`
/// is where the link goes for its instant of life (inside the widget's shadow root).
pub fn save_text(name: &str, mime: &str, text: &str, near: &Element) -> bool {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&Array::of1(&text.into()), &options)
    else {
        return false;
    };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let clicked = click_link(name, &url, near);
    Timeout::new(REVOKE_AFTER_MS, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    clicked
}

fn click_link(name: &str, url: &str, near: &Element) -> bool {
    let Some(link) = near
        .owner_document()
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<HtmlAnchorElement>().ok())
    else {
        return false;
    };
    link.set_href(url);
    link.set_download(name);
    link.set_hidden(true);
    let parent = near.parent_element().unwrap_or_else(|| near.clone());
    if parent.append_child(&link).is_err() {
        return false;
    }
    link.click();
    link.remove();
    true
}
