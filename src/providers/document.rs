//! The decoded body, read through serde: `serde_json::Value` natively, a `JsValue`
//! from `JSON.parse` in the browser. Vendors are written once against this trait.

use serde::de::DeserializeOwned;

pub(super) trait Document {
    /// The body (or part of it) as `T`, or `None` when it does not have that shape.
    /// Decoder error messages are dropped on purpose: they can quote body values (codes).
    fn decode<T: DeserializeOwned>(&self) -> Option<T>;
}

#[cfg(not(target_arch = "wasm32"))]
impl Document for serde_json::Value {
    fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(self).ok()
    }
}

#[cfg(feature = "widget")]
impl Document for wasm_bindgen::JsValue {
    fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        serde_wasm_bindgen::from_value(self.clone()).ok()
    }
}
