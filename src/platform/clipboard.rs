//! Copying text that is in memory (never read back from the DOM: a masked code is not there).
//!
//! Safari only lets `navigator.clipboard.writeText` run inside the click itself, so
//! [`copy`] calls it before returning and only then awaits the answer. Where the API is
//! missing or refuses (insecure context, an iframe without `allow="clipboard-write"`), a
//! short-lived off-screen textarea and `execCommand('copy')` take over. The text is never
//! logged, and no error produced here carries it.

use std::future::Future;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

/// How a copy ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyOutcome {
    /// The async Clipboard API took it.
    Clipboard,
    /// `execCommand('copy')` took it.
    Fallback,
    /// Neither worked: the customer has to copy by hand.
    Failed,
}

impl CopyOutcome {
    pub fn ok(self) -> bool {
        self != CopyOutcome::Failed
    }
}

/// Starts copying `text` now (call this directly from the click handler) and resolves to
/// the outcome. `near` is where the fallback's temporary textarea goes for its instant of
/// life: inside the widget (and its shadow root), under the session-replay opt-out marks.
pub fn copy(text: String, near: Element) -> impl Future<Output = CopyOutcome> {
    let pending = write_text(&text);
    let immediate = pending.is_none().then(|| exec_command_copy(&text, &near));
    async move {
        if let Some(outcome) = immediate {
            return outcome;
        }
        if let Some(promise) = pending {
            if JsFuture::from(promise).await.is_ok() {
                return CopyOutcome::Clipboard;
            }
        }
        exec_command_copy(&text, &near)
    }
}

/// `navigator.clipboard.writeText(text)`, or `None` where there is no such API or it
/// throws instead of returning a promise.
fn write_text(text: &str) -> Option<Promise> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok()?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return None;
    }
    let write = Reflect::get(&clipboard, &"writeText".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    write
        .call1(&clipboard, &JsValue::from_str(text))
        .ok()?
        .dyn_into::<Promise>()
        .ok()
}

fn exec_command_copy(text: &str, near: &Element) -> CopyOutcome {
    let Some(document) = near.owner_document() else {
        return CopyOutcome::Failed;
    };
    let Some(buffer) = document
        .create_element("textarea")
        .ok()
        .and_then(|element| element.dyn_into::<HtmlTextAreaElement>().ok())
    else {
        return CopyOutcome::Failed;
    };
    // Off screen through the stylesheet's class and the CSSOM (which CSP allows, unlike a
    // `style` attribute), so it never shows even where the stylesheet is missing.
    buffer.set_class_name("ow-copy-buffer");
    let style = buffer.style();
    let _ = style.set_property("position", "fixed");
    let _ = style.set_property("top", "-1000px");
    let _ = style.set_property("left", "-1000px");
    let _ = style.set_property("opacity", "0");
    let _ = buffer.set_attribute("readonly", "");
    let _ = buffer.set_attribute("aria-hidden", "true");
    let _ = buffer.set_attribute("tabindex", "-1");
    // The property, not the markup: the text never becomes an attribute or a child node.
    buffer.set_value(text);

    let previous_focus = focused_element(near);
    let parent = near.parent_element().unwrap_or_else(|| near.clone());
    if parent.append_child(&buffer).is_err() {
        return CopyOutcome::Failed;
    }
    let _ = buffer.focus();
    buffer.select();
    let copied = call_exec_command(&document);
    buffer.set_value("");
    buffer.remove();
    if let Some(element) = previous_focus {
        let _ = element.focus();
    }
    if copied {
        CopyOutcome::Fallback
    } else {
        CopyOutcome::Failed
    }
}

/// `document.execCommand('copy')`; false when it is missing, throws or declines.
fn call_exec_command(document: &web_sys::Document) -> bool {
    Reflect::get(document, &"execCommand".into())
        .ok()
        .and_then(|exec| exec.dyn_into::<Function>().ok())
        .and_then(|exec| exec.call1(document, &"copy".into()).ok())
        .is_some_and(|result| result.as_bool() == Some(true))
}

/// The focused element of `near`'s tree (its shadow root's, inside one).
fn focused_element(near: &Element) -> Option<HtmlElement> {
    let root = near.get_root_node();
    Reflect::get(&root, &"activeElement".into())
        .ok()?
        .dyn_into::<HtmlElement>()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failure_is_not_ok() {
        assert!(CopyOutcome::Clipboard.ok());
        assert!(CopyOutcome::Fallback.ok());
        assert!(!CopyOutcome::Failed.ok());
    }
}
