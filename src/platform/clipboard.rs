//! Copying text that is in memory (never read back from the DOM: a masked code is not
//! there), or that has to be fetched first (a withheld code).
//!
//! Browsers let a page write to the clipboard only during the click (its "user
//! activation"; Safari only inside the click itself), so [`copy`] calls
//! `navigator.clipboard.writeText` before returning and only then awaits the answer. Where
//! the API is missing or refuses (insecure context, an iframe without
//! `allow="clipboard-write"`), a short-lived off-screen textarea and `execCommand('copy')`
//! take over.
//!
//! A withheld code is not in memory when the customer clicks, so [`copy_when_fetched`]
//! hands the clipboard, inside the click, a `ClipboardItem` holding the *promise* of the
//! fetched text: the clipboard takes the activation at once and the text when the fetch
//! answers. Without `ClipboardItem` (or when it refuses), the fetched text goes the way of
//! [`copy`]. The text is never logged, and no error produced here carries it.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Blob, BlobPropertyBag, Element, HtmlElement, HtmlTextAreaElement};

use order_core::error::ErrorKind;

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

/// How a copy of text that had to be fetched ended.
#[derive(Debug, PartialEq, Eq)]
pub enum FetchedCopy<T> {
    /// The text reached the clipboard, this way.
    Copied(CopyOutcome),
    /// The fetch failed: nothing was copied.
    NotFetched(ErrorKind),
    /// The text was fetched, but no way of copying it worked: what the fetch gave, for the
    /// customer to copy by hand.
    Failed(T),
}

/// Starts copying the text `fetch` will give (call this directly from the click handler)
/// and resolves to how it ended. `fetch` gives the text and what to keep should every way
/// of copying fail; `near` is as for [`copy`].
pub fn copy_when_fetched<T: 'static>(
    fetch: impl Future<Output = Result<(String, T), ErrorKind>> + 'static,
    near: Element,
) -> impl Future<Output = FetchedCopy<T>> {
    let fetched = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&fetched);
    // Runs at once (a spawned task), whether or not a clipboard item waits for it.
    let blob = future_to_promise(async move {
        let result = fetch.await;
        let blob = match &result {
            Ok((text, _)) => text_blob(text),
            Err(_) => None,
        };
        *slot.borrow_mut() = Some(result);
        // The clipboard is told the fetch failed; our own await reads why from `fetched`.
        blob.map(JsValue::from).ok_or(JsValue::NULL)
    });
    let delayed_write = write_item(&blob);
    async move {
        let _ = JsFuture::from(blob).await;
        let written = match delayed_write {
            Some(write) => JsFuture::from(write).await.is_ok(),
            None => false,
        };
        let result = fetched.borrow_mut().take();
        match result {
            None => FetchedCopy::NotFetched(ErrorKind::Network),
            Some(Err(kind)) => FetchedCopy::NotFetched(kind),
            Some(Ok(_)) if written => FetchedCopy::Copied(CopyOutcome::Clipboard),
            Some(Ok((text, kept))) => match copy(text, near).await {
                CopyOutcome::Failed => FetchedCopy::Failed(kept),
                copied => FetchedCopy::Copied(copied),
            },
        }
    }
}

/// `navigator.clipboard`, where there is one.
fn clipboard() -> Option<JsValue> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok()?;
    (!clipboard.is_undefined() && !clipboard.is_null()).then_some(clipboard)
}

/// `clipboard[name]` called with `argument`, if it returns a promise.
fn call_clipboard(name: &str, argument: &JsValue) -> Option<Promise> {
    let clipboard = clipboard()?;
    let method = Reflect::get(&clipboard, &name.into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    method
        .call1(&clipboard, argument)
        .ok()?
        .dyn_into::<Promise>()
        .ok()
}

/// `navigator.clipboard.writeText(text)`, or `None` where there is no such API or it
/// throws instead of returning a promise.
fn write_text(text: &str) -> Option<Promise> {
    call_clipboard("writeText", &JsValue::from_str(text))
}

/// `navigator.clipboard.write([new ClipboardItem({'text/plain': blob})])`, or `None` where
/// `ClipboardItem` or `write` is missing or throws.
fn write_item(blob: &Promise) -> Option<Promise> {
    let item_class = Reflect::get(&js_sys::global(), &"ClipboardItem".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let data = Object::new();
    Reflect::set(&data, &"text/plain".into(), blob).ok()?;
    let item = Reflect::construct(&item_class, &Array::of1(&data)).ok()?;
    call_clipboard("write", &Array::of1(&item))
}

/// `new Blob([text], {type: 'text/plain'})`.
fn text_blob(text: &str) -> Option<Blob> {
    let options = BlobPropertyBag::new();
    options.set_type("text/plain");
    Blob::new_with_str_sequence_and_options(&Array::of1(&text.into()), &options).ok()
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
