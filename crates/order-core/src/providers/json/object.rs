//! Reading a `#[derive(Deserialize)]` struct from a JSON object, and only from one, the same
//! way with serde_json (natively) and serde-wasm-bindgen (in the browser).
//!
//! serde's derive also accepts an array for a struct: serde_json reads it by position,
//! serde-wasm-bindgen looks up the field names on the array. Going through `visit_map` gives
//! both one behaviour: an object is read by key (unknown keys seen, so `deny_unknown_fields`
//! works in the browser too), anything else is refused.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, value::MapAccessDeserializer, Deserialize, Deserializer, MapAccess};

/// A `T` that was a JSON object.
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(ObjectVisitor(PhantomData))
            .map(Object)
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    #[serde(default)]
    struct Pair {
        a: Option<u32>,
        b: Option<u32>,
    }

    fn read(json: &str) -> Option<Pair> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        Object::<Pair>::deserialize(&value)
            .ok()
            .map(|object| object.0)
    }

    #[test]
    fn only_objects_are_read() {
        assert_eq!(
            read(r#"{"b": 2, "c": [1]}"#),
            Some(Pair {
                a: None,
                b: Some(2)
            })
        );
        assert_eq!(
            read("[1, 2]"),
            None,
            "serde's derive would read it by position"
        );
        assert_eq!(read("[]"), None);
        assert_eq!(read("3"), None);
        assert_eq!(read("null"), None);
    }
}
