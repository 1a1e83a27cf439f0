//! A parsed body that can be read as any `T: DeserializeOwned`, so each vendor's wire
//! structs are written once: natively the text is parsed by serde_json into a `Value`; in the
//! browser by `JSON.parse`, and the `JsValue` is read by serde-wasm-bindgen.

use serde::de::DeserializeOwned;

/// One parsed JSON body.
pub struct Document {
    #[cfg(not(target_arch = "wasm32"))]
    value: serde_json::Value,
    #[cfg(target_arch = "wasm32")]
    value: wasm_bindgen::JsValue,
}

/// The text is not JSON (serde_json also refuses nesting deeper than 128 levels).
pub struct NotJson;

impl Document {
    /// Parses `text` (without a byte-order mark).
    ///
    /// Deep nesting needs no bound of its own: serde_json refuses more than 128 levels,
    /// `JSON.parse` does not recurse, and reading never recurses into a value it skips
    /// (`IgnoredAny` does not descend in serde-wasm-bindgen nor in serde_json's `Value`), so
    /// only the wire structs' own nesting is ever walked
    /// (`tests/browser_parse.rs`, `deep_nesting_never_overflows_the_stack`).
    pub fn parse(text: &str) -> Result<Document, NotJson> {
        #[cfg(not(target_arch = "wasm32"))]
        let value = serde_json::from_str(text).map_err(|_| NotJson)?;
        #[cfg(target_arch = "wasm32")]
        let value = js_sys::JSON::parse(text).map_err(|_| NotJson)?;
        Ok(Document { value })
    }

    /// The value under `key` of the (object) document.
    pub fn member(&self, key: &str) -> Option<Document> {
        #[cfg(not(target_arch = "wasm32"))]
        let value = self.value.get(key).cloned();
        #[cfg(target_arch = "wasm32")]
        let value = js_sys::Reflect::get(&self.value, &key.into()).ok();
        value.map(|value| Document { value })
    }

    /// The document read as `T`; `None` when `T` refuses it.
    pub fn read<T: DeserializeOwned>(&self) -> Option<T> {
        #[cfg(not(target_arch = "wasm32"))]
        let read = T::deserialize(&self.value).ok();
        // A `JsValue` clone is a new handle on the same JavaScript object.
        #[cfg(target_arch = "wasm32")]
        let read = serde_wasm_bindgen::from_value(self.value.clone()).ok();
        read
    }
}
