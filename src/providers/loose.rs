//! Field types that accept what vendors actually send: numbers as strings, strings as
//! numbers, nulls, and values of the wrong type (read as "absent", never as an error).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One JSON value reduced to what a scalar field can use.
enum Scalar {
    Text(String),
    /// A JSON number in its shortest decimal form ("1250", "1250.5").
    Number(String),
    Bool(bool),
    /// null, an array, an object: nothing a scalar field can take.
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(format_number(v).map_or(Scalar::Other, Scalar::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

/// The shortest decimal text that reads back as `value` ("1250.5", never "1250.4999999"),
/// and integers without a fraction ("1250"). In the browser this is JavaScript's own
/// `Number#toString`, which keeps Rust's float formatting out of the wasm.
#[cfg(all(target_arch = "wasm32", feature = "widget"))]
pub(super) fn format_number(value: f64) -> Option<String> {
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
pub(super) fn format_number(value: f64) -> Option<String> {
    value.is_finite().then(|| value.to_string())
}

/// Any string or number as text; absent for anything else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Text(pub Option<String>);

impl Text {
    /// The text trimmed, absent when blank.
    pub fn trimmed(self) -> Option<String> {
        self.0.and_then(|text| non_blank(&text))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Text(match Scalar::deserialize(deserializer)? {
            Scalar::Text(text) | Scalar::Number(text) => Some(text),
            Scalar::Bool(_) | Scalar::Other => None,
        }))
    }
}

/// A money amount as exact decimal text ("25.00", "-3", "1250.5"); anything that is not
/// plain decimal notation (e.g. "1,250", "abc") is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Amount(pub Option<String>);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Amount(match Scalar::deserialize(deserializer)? {
            Scalar::Text(text) | Scalar::Number(text) => {
                let text = text.trim();
                is_decimal(text).then(|| text.to_owned())
            }
            Scalar::Bool(_) | Scalar::Other => None,
        }))
    }
}

/// True for `-?digits(.digits)?`.
pub(super) fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// A non-negative whole count, from a number or numeric text; absent otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Count(pub Option<u32>);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Count(match Scalar::deserialize(deserializer)? {
            Scalar::Text(text) | Scalar::Number(text) => text.trim().parse().ok(),
            Scalar::Bool(_) | Scalar::Other => None,
        }))
    }
}

/// A boolean from `true`/`false`, `"true"`/`"false"` or `1`/`0`; absent otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Flag(pub Option<bool>);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Flag(match Scalar::deserialize(deserializer)? {
            Scalar::Bool(flag) => Some(flag),
            Scalar::Text(text) | Scalar::Number(text) => {
                match text.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => Some(true),
                    "false" | "0" => Some(false),
                    _ => None,
                }
            }
            Scalar::Other => None,
        }))
    }
}

/// A nested value that is absent when it has the wrong shape, instead of failing
/// the whole body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Loose<T>(pub Option<T>);

impl<T> Default for Loose<T> {
    fn default() -> Self {
        Loose(None)
    }
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum LooseRepr<T> {
    Value(T),
    Other(IgnoredAny),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Loose(match LooseRepr::<T>::deserialize(deserializer)? {
            LooseRepr::Value(value) => Some(value),
            LooseRepr::Other(_) => None,
        }))
    }
}

/// A list whose elements of the wrong shape are dropped; absent or not a list reads as empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Loose(elements) = Loose::<Vec<Loose<T>>>::deserialize(deserializer)?;
        Ok(List(
            elements
                .unwrap_or_default()
                .into_iter()
                .filter_map(|Loose(element)| element)
                .collect(),
        ))
    }
}

/// `text` trimmed, or `None` when it is blank.
pub(super) fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A vendor's status word in one comparable form: trimmed, upper case, `-` and spaces as `_`.
pub(super) fn status_key(raw: &str) -> String {
    raw.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
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

    #[test]
    fn decimal_text() {
        for ok in ["0", "25.00", "-3", "1250.5"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", "-", "1.", ".5", "1,250", "1e5", "abc", "+1", "1.2.3"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }

    #[test]
    fn status_keys_compare_loosely() {
        assert_eq!(status_key(" partially-delivered "), "PARTIALLY_DELIVERED");
        assert_eq!(status_key("Ready for pickup"), "READY_FOR_PICKUP");
    }
}
