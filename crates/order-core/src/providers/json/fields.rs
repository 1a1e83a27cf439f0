//! The field types of vendor wire structs.
//!
//! Vendors send numbers as strings, strings as numbers, nulls, and now and then a value of
//! another type altogether. None of these types ever fails to read: a value it cannot use
//! reads as absent, so one odd field never costs the customer the whole order. A wire
//! struct is `#[derive(Default, Deserialize)] #[serde(default)]` with fields of these types.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess};

use super::object::Object;
use crate::model::is_decimal;

/// A string or a number, as trimmed text; `None` when blank or of another type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text(pub Option<String>);

/// Whether a string or a number is there at all (even a blank one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Present(pub bool);

/// A money amount as exact decimal text ("25.00", "-3", "1250.5"); anything that is not
/// plain decimal notation ("1,250", "abc") is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Amount(pub Option<String>);

/// A whole count from a number or numeric text (`7`, `"7"`, `"+7"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count(pub Option<u32>);

/// A boolean from `true`/`false`, `"true"`/`"false"` (any case) or `1`/`0`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub Option<bool>);

/// A list of codes: the elements that are non-blank strings or numbers, as trimmed text.
/// Anything but a list reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Codes(pub Vec<String>);

/// A nested record: `T` when the value is an object `T` can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record<T>(pub Option<T>);

/// A list of records: the elements that are objects `T` can read. Anything but a list
/// reads as empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Records<T>(pub Vec<T>);

/// A value vendors send either as a string or as an object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TextOrRecord<T> {
    Text(String),
    Record(T),
    /// Absent, or of another type (an object `T` cannot read too).
    #[default]
    Neither,
}

impl<T> Default for Record<T> {
    fn default() -> Self {
        Record(None)
    }
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records(Vec::new())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Text(Loose::read(d).text()))
    }
}

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Present(Loose::read(d).scalar_text().is_some()))
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Loose::read(d).scalar_text();
        Ok(Amount(
            text.as_deref()
                .map(str::trim)
                .filter(|text| is_decimal(text))
                .map(str::to_owned),
        ))
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Loose::read(d).scalar_text();
        Ok(Count(text.and_then(|text| text.trim().parse().ok())))
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Loose::read(d);
        if let Loose::Bool(flag) = value {
            return Ok(Flag(Some(flag)));
        }
        let text = value.scalar_text();
        Ok(Flag(match text.as_deref().map(str::trim) {
            Some("1") => Some(true),
            Some("0") => Some(false),
            Some(word) if word.eq_ignore_ascii_case("true") => Some(true),
            Some(word) if word.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }))
    }
}

impl<'de> Deserialize<'de> for Codes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let codes = d.deserialize_any(ListVisitor::<Loose>(PhantomData));
        Ok(Codes(codes.unwrap_or_default()))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Record<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Record(
            Object::<T>::deserialize(d).ok().map(|object| object.0),
        ))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Records<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let records = d.deserialize_any(ListVisitor::<Record<T>>(PhantomData));
        Ok(Records(records.unwrap_or_default()))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for TextOrRecord<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> de::Visitor<'de> for Visitor<T> {
            type Value = TextOrRecord<T>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a string or an object")
            }

            fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
                Ok(TextOrRecord::Text(value.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(TextOrRecord::Record)
            }
        }

        Ok(d.deserialize_any(Visitor(PhantomData)).unwrap_or_default())
    }
}

/// One JSON value, read without ever failing: strings, numbers as their shortest decimal
/// text, booleans, and only the kind of anything else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Loose {
    Text(String),
    /// `25`, `-3`, `1250.5`: the number as decimal text, never in exponent form.
    Number(String),
    Bool(bool),
    Array,
    Object,
    /// `null`, or a key that is not there.
    #[default]
    Absent,
}

impl Loose {
    /// Never fails: what cannot be read is `Absent`.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Loose {
        Loose::deserialize(deserializer).unwrap_or_default()
    }

    /// A string as it is, or a number as text.
    fn scalar_text(self) -> Option<String> {
        match self {
            Loose::Text(text) | Loose::Number(text) => Some(text),
            _ => None,
        }
    }

    /// A string or number, trimmed; `None` when blank.
    pub fn text(self) -> Option<String> {
        non_blank(&self.scalar_text()?)
    }
}

/// `text` trimmed, or `None` when it is blank.
pub fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> de::Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Loose, E> {
        Ok(Loose::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Loose, E> {
        Ok(Loose::Number(value.to_string()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Loose, E> {
        Ok(Loose::Number(value.to_string()))
    }

    /// Rust prints the shortest text that reads back as `value`, without an exponent
    /// ("1250.5", "100" for `1e2`), exactly as for a number `JSON.parse` gave the browser.
    fn visit_f64<E>(self, value: f64) -> Result<Loose, E> {
        Ok(if value.is_finite() {
            Loose::Number(value.to_string())
        } else {
            Loose::Absent
        })
    }

    fn visit_str<E>(self, value: &str) -> Result<Loose, E> {
        Ok(Loose::Text(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Loose, E> {
        Ok(Loose::Text(value))
    }

    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Absent)
    }

    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::Absent)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Loose, D::Error> {
        Loose::deserialize(deserializer)
    }

    // The elements and entries are skipped without looking inside (serde_json wants every
    // one consumed; neither deserializer recurses into an ignored value).
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Object)
    }
}

/// A list element that may be of no use: [`ListVisitor`] keeps the useful ones.
trait ListElement {
    type Useful;
    fn useful(self) -> Option<Self::Useful>;
}

impl ListElement for Loose {
    type Useful = String;

    fn useful(self) -> Option<String> {
        self.text()
    }
}

impl<T> ListElement for Record<T> {
    type Useful = T;

    fn useful(self) -> Option<T> {
        self.0
    }
}

/// The useful elements of a JSON array, each read as `E` (which never fails).
struct ListVisitor<E>(PhantomData<E>);

impl<'de, E: Deserialize<'de> + ListElement> de::Visitor<'de> for ListVisitor<E> {
    type Value = Vec<E::Useful>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut useful = Vec::new();
        while let Some(element) = seq.next_element::<E>()? {
            useful.extend(element.useful());
        }
        Ok(useful)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use serde_json::json;

    use super::*;

    fn read<T: for<'de> Deserialize<'de>>(value: serde_json::Value) -> T {
        T::deserialize(&value).expect("the field types never fail")
    }

    #[test]
    fn text_takes_strings_and_numbers() {
        let text = |value| read::<Text>(value).0;
        assert_eq!(text(json!("  A1 ")).as_deref(), Some("A1"));
        assert_eq!(text(json!(12345)).as_deref(), Some("12345"));
        assert_eq!(text(json!(-3)).as_deref(), Some("-3"));
        assert_eq!(text(json!(1250.5)).as_deref(), Some("1250.5"));
        for absent in [
            json!("  "),
            json!(null),
            json!(true),
            json!([1]),
            json!({"a": 1}),
        ] {
            assert_eq!(text(absent.clone()), None, "{absent}");
        }
        assert!(read::<Present>(json!("")).0);
        assert!(read::<Present>(json!(0)).0);
        assert!(!read::<Present>(json!(null)).0);
        assert!(!read::<Present>(json!({})).0);
    }

    #[test]
    fn amounts_are_plain_decimals() {
        let amount = |value| read::<Amount>(value).0;
        assert_eq!(amount(json!(" 25.00 ")).as_deref(), Some("25.00"));
        assert_eq!(amount(json!(1250.0)).as_deref(), Some("1250"));
        assert_eq!(amount(json!(1e2)).as_deref(), Some("100"));
        assert_eq!(
            amount(json!(0.1 + 0.2)).as_deref(),
            Some("0.30000000000000004")
        );
        for absent in [json!("1,250"), json!("1e5"), json!(""), json!(false)] {
            assert_eq!(amount(absent.clone()), None, "{absent}");
        }
    }

    #[test]
    fn counts_read_as_str_parse_does() {
        let count = |value| read::<Count>(value).0;
        assert_eq!(count(json!(7)), Some(7));
        assert_eq!(count(json!(" +7 ")), Some(7));
        assert_eq!(count(json!(7.0)), Some(7));
        for absent in [json!(-1), json!("1.5"), json!(4_294_967_296u64), json!("x")] {
            assert_eq!(count(absent.clone()), None, "{absent}");
        }
    }

    #[test]
    fn flags_accept_words_and_digits() {
        let flag = |value| read::<Flag>(value).0;
        assert_eq!(flag(json!(true)), Some(true));
        assert_eq!(flag(json!(" TRUE ")), Some(true));
        assert_eq!(flag(json!(1)), Some(true));
        assert_eq!(flag(json!("0")), Some(false));
        assert_eq!(flag(json!("False")), Some(false));
        assert_eq!(flag(json!("yes")), None);
        assert_eq!(flag(json!(2)), None);
    }

    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    #[serde(default)]
    struct Code {
        code: Text,
    }

    #[test]
    fn lists_keep_what_they_can_read() {
        let codes: Records<Code> = read(json!([{"code": "A"}, null, "x", [1], {"code": 5}]));
        let codes: Vec<_> = codes.0.into_iter().map(|c| c.code.0).collect();
        assert_eq!(codes, [Some("A".to_owned()), Some("5".to_owned())]);
        assert!(read::<Records<Code>>(json!({"code": "A"})).0.is_empty());
        assert_eq!(
            read::<Codes>(json!(["A", " ", 7, null, {"a": 1}, true])).0,
            ["A", "7"]
        );
        assert!(read::<Codes>(json!("A")).0.is_empty());
    }

    #[test]
    fn a_record_is_an_object_only() {
        assert_eq!(
            read::<Record<Code>>(json!({"code": 1})).0.map(|c| c.code.0),
            Some(Some("1".into()))
        );
        assert_eq!(read::<Record<Code>>(json!(["x"])).0, None);
        match read::<TextOrRecord<Code>>(json!("key")) {
            TextOrRecord::Text(text) => assert_eq!(text, "key"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read::<TextOrRecord<Code>>(json!(3)),
            TextOrRecord::Neither
        ));
    }
}
