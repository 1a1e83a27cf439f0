//! Outside JSON as a small dynamic tree: `&serde_json::Value` natively, a `JsValue`
//! (from `JSON.parse`, or the embedder's config object) in the browser. The vendor
//! parsers and the config reader are written once against [`Node`], so the wasm links no
//! serde deserializer and no Rust float formatting.

/// One JSON value. Every accessor answers `None` when the value has another type.
pub(crate) trait Node: Sized + Clone {
    /// The value under `key` of a (non-array) object.
    fn get(&self, key: &str) -> Option<Self>;
    /// The keys of a (non-array) object (the widget's config reader needs them).
    #[cfg_attr(not(feature = "widget"), allow(dead_code))]
    fn keys(&self) -> Option<Vec<String>>;
    /// The elements of an array.
    fn elements(&self) -> Option<Vec<Self>>;
    fn as_text(&self) -> Option<String>;
    fn is_text(&self) -> bool;
    /// A finite number in its shortest decimal form ("1250", "1250.5").
    fn number_text(&self) -> Option<String>;
    /// A whole number `0..=u64::MAX` (natively) or a safe integer ≥ 0 (in the browser).
    fn as_unsigned(&self) -> Option<u64>;
    fn as_bool(&self) -> Option<bool>;
    fn is_null(&self) -> bool;
    fn is_number(&self) -> bool;
    /// A plain object (not an array).
    fn is_object(&self) -> bool;
}

#[cfg(not(target_arch = "wasm32"))]
impl Node for &serde_json::Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    fn keys(&self) -> Option<Vec<String>> {
        Some(self.as_object()?.keys().cloned().collect())
    }

    fn elements(&self) -> Option<Vec<Self>> {
        Some(self.as_array()?.iter().collect())
    }

    fn as_text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn is_text(&self) -> bool {
        self.is_string()
    }

    fn number_text(&self) -> Option<String> {
        let serde_json::Value::Number(number) = self else {
            return None;
        };
        if let Some(unsigned) = number.as_u64() {
            Some(unsigned.to_string())
        } else if let Some(signed) = number.as_i64() {
            Some(signed.to_string())
        } else {
            number.as_f64().and_then(format_number)
        }
    }

    fn as_unsigned(&self) -> Option<u64> {
        self.as_u64()
    }

    fn as_bool(&self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }

    fn is_null(&self) -> bool {
        serde_json::Value::is_null(self)
    }

    fn is_number(&self) -> bool {
        serde_json::Value::is_number(self)
    }

    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }
}

#[cfg(feature = "widget")]
impl Node for wasm_bindgen::JsValue {
    fn get(&self, key: &str) -> Option<Self> {
        if !Node::is_object(self) {
            return None;
        }
        let value = js_sys::Reflect::get(self, &wasm_bindgen::JsValue::from_str(key)).ok()?;
        (!value.is_undefined()).then_some(value)
    }

    fn keys(&self) -> Option<Vec<String>> {
        use wasm_bindgen::JsCast;
        if !Node::is_object(self) {
            return None;
        }
        let mut names = Vec::new();
        for key in js_sys::Object::keys(self.unchecked_ref::<js_sys::Object>()).iter() {
            if let Some(name) = key.as_string() {
                names.push(name);
            }
        }
        Some(names)
    }

    fn elements(&self) -> Option<Vec<Self>> {
        use wasm_bindgen::JsCast;
        js_sys::Array::is_array(self).then(|| self.unchecked_ref::<js_sys::Array>().to_vec())
    }

    fn as_text(&self) -> Option<String> {
        self.as_string()
    }

    fn is_text(&self) -> bool {
        self.is_string()
    }

    fn number_text(&self) -> Option<String> {
        self.as_f64().and_then(format_number)
    }

    fn as_unsigned(&self) -> Option<u64> {
        let number = self.as_f64()?;
        // Safe integers convert exactly; -0 reads as 0.
        (js_sys::Number::is_safe_integer(self) && number >= 0.0).then_some(number as u64)
    }

    fn as_bool(&self) -> Option<bool> {
        wasm_bindgen::JsValue::as_bool(self)
    }

    fn is_null(&self) -> bool {
        self.is_null() || self.is_undefined()
    }

    fn is_number(&self) -> bool {
        self.as_f64().is_some()
    }

    fn is_object(&self) -> bool {
        wasm_bindgen::JsValue::is_object(self) && !js_sys::Array::is_array(self)
    }
}

/// A struct-shaped value, read the way serde's derive reads one: an object by field name,
/// or an array by field position (`fields` lists the names in order).
pub(crate) struct Record<N> {
    fields: &'static [&'static str],
    values: Values<N>,
}

enum Values<N> {
    Object(N),
    Array(Vec<N>),
}

impl<N: Node> Record<N> {
    /// A record whose every field has a default: an array may be shorter than `fields`.
    pub fn lenient(node: N, fields: &'static [&'static str]) -> Option<Self> {
        Self::new(node, fields, |length| length <= fields.len())
    }

    /// A record without defaults: an array must give exactly one value per field.
    pub fn strict(node: N, fields: &'static [&'static str]) -> Option<Self> {
        Self::new(node, fields, |length| length == fields.len())
    }

    fn new(node: N, fields: &'static [&'static str], fits: impl Fn(usize) -> bool) -> Option<Self> {
        let values = if node.is_object() {
            Values::Object(node)
        } else {
            Values::Array(node.elements().filter(|values| fits(values.len()))?)
        };
        Some(Record { fields, values })
    }

    /// The value of field `name` (one of `fields`), `None` when absent.
    pub fn get(&self, name: &str) -> Option<N> {
        match &self.values {
            Values::Object(node) => node.get(name),
            Values::Array(values) => {
                let index = self.fields.iter().position(|field| *field == name)?;
                values.get(index).cloned()
            }
        }
    }
}

/// The shortest decimal text that reads back as `value` ("1250.5", never "1250.4999999"),
/// and integers without a fraction ("1250"). In the browser this is JavaScript's own
/// `Number#toString`, which keeps Rust's float formatting out of the wasm.
#[cfg(all(target_arch = "wasm32", feature = "widget"))]
pub(crate) fn format_number(value: f64) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    js_sys::Number::from(value)
        .to_string_with_radix(10)
        .ok()
        .map(String::from)
}

/// The shortest decimal text that reads back as `value` ("1250.5", never "1250.4999999"),
/// and integers without a fraction ("1250").
#[cfg(not(all(target_arch = "wasm32", feature = "widget")))]
pub(crate) fn format_number(value: f64) -> Option<String> {
    value.is_finite().then(|| value.to_string())
}

/// `text` in lower case by Unicode's full mapping. In the browser this is JavaScript's
/// `String#toLowerCase`, which keeps Rust's Unicode case tables out of the wasm.
#[cfg(all(target_arch = "wasm32", feature = "widget"))]
pub(crate) fn lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

/// `text` in lower case by Unicode's full mapping.
#[cfg(not(all(target_arch = "wasm32", feature = "widget")))]
pub(crate) fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_shortest_text() {
        assert_eq!(format_number(1250.5).as_deref(), Some("1250.5"));
        assert_eq!(format_number(1250.0).as_deref(), Some("1250"));
        assert_eq!(
            format_number(0.1 + 0.2).as_deref(),
            Some("0.30000000000000004")
        );
    }
}
