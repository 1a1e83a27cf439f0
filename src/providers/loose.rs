//! How vendor wire structs read their fields: `#[serde(deserialize_with = "loose::…")]`.
//!
//! Vendors send numbers as strings, strings as numbers, nulls, and now and then a value of
//! another type altogether. None of these readers ever fails: a value they cannot use reads
//! as absent, so one odd field never costs the customer the whole order.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess};

use crate::model::{is_decimal, Status};
use crate::object::Object;

/// One JSON value, read without ever failing: strings, numbers as their shortest decimal
/// text, booleans, and only the kind of anything else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) enum Loose {
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

/// Never fails: what `read` cannot use is `Loose::Absent`.
fn loose<'de, D: Deserializer<'de>>(deserializer: D) -> Loose {
    Loose::deserialize(deserializer).unwrap_or_default()
}

/// A string or number as text, trimmed; `None` when blank or of another type.
pub(super) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(loose(d).text())
}

/// A string or number as text, as it is (even blank); `None` for another type.
pub(super) fn raw_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(loose(d).scalar_text())
}

/// A money amount as exact decimal text ("25.00", "-3", "1250.5"); anything that is not
/// plain decimal notation (e.g. "1,250", "abc") is absent.
pub(super) fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = loose(d).scalar_text();
    Ok(text
        .as_deref()
        .map(str::trim)
        .filter(|text| is_decimal(text))
        .map(str::to_owned))
}

/// A whole count from a number or numeric text (`7`, `"7"`, `"+7"`).
pub(super) fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(loose(d)
        .scalar_text()
        .and_then(|text| text.trim().parse().ok()))
}

/// A boolean from `true`/`false`, `"true"`/`"false"` (any case) or `1`/`0`.
pub(super) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let value = loose(d);
    if let Loose::Bool(flag) = value {
        return Ok(Some(flag));
    }
    let text = value.scalar_text();
    let word = text.as_deref().map(str::trim);
    Ok(match word {
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(word) if word.eq_ignore_ascii_case("true") => Some(true),
        Some(word) if word.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

/// A nested record: `T` when the value is an object `T` can read, else `None`.
pub(super) fn record<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Object::<T>::deserialize(d).ok().map(|object| object.0))
}

/// A list of records: the elements that are objects `T` can read. Anything but a list
/// reads as empty.
pub(super) fn records<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(d.deserialize_any(ListVisitor::<Element<T>>(PhantomData))
        .unwrap_or_default())
}

/// A list of codes: the elements that are non-blank strings or numbers, as trimmed text.
/// Anything but a list reads as empty.
pub(super) fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(d.deserialize_any(ListVisitor::<Loose>(PhantomData))
        .unwrap_or_default())
}

/// A value vendors send either as a string or as an object.
#[derive(Debug, Default)]
pub(super) enum TextOrRecord<T> {
    Text(String),
    Record(T),
    /// Absent, or of another type.
    #[default]
    Neither,
}

/// See [`TextOrRecord`]; an object `T` cannot read is `Neither`.
pub(super) fn text_or_record<'de, D, T>(d: D) -> Result<TextOrRecord<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
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

/// One element of a list of records: `None` when it is not an object `T` can read.
struct Element<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Element<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        record(deserializer).map(Element)
    }
}

impl<T> ListElement for Element<T> {
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

/// One vendor's status words (upper case, `_` between words) and what each means.
pub(super) type StatusWords = [(&'static str, Status)];

/// The status the vendor's word `raw` names in `words`, and, when `words` does not know
/// it, the word itself as the label to show.
pub(super) fn status(raw: Option<String>, words: &StatusWords) -> (Status, Option<String>) {
    let known = raw.as_deref().and_then(|raw| {
        words
            .iter()
            .find(|(word, _)| is_status_word(raw, word))
            .map(|&(_, status)| status)
    });
    match known {
        Some(status) => (status, None),
        None => (Status::Unknown, raw),
    }
}

/// `text` trimmed, or `None` when it is blank.
pub(super) fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// True when the vendor's status `raw`, trimmed, with `-` and spaces as `_`, is `word` in
/// any ASCII case ("DONÉ" is not "DONE").
fn is_status_word(raw: &str, word: &str) -> bool {
    raw.trim()
        .replace(['-', ' '], "_")
        .eq_ignore_ascii_case(word)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use serde_json::json;

    use super::*;

    /// Runs a reader on `value`; the readers never fail.
    macro_rules! read {
        ($reader:expr, $value:expr) => {
            $reader(&$value).expect("loose readers never fail")
        };
    }

    #[test]
    fn text_takes_strings_and_numbers() {
        let text = |value: serde_json::Value| read!(text, value);
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
    }

    #[test]
    fn amounts_are_plain_decimals() {
        let amount = |value: serde_json::Value| read!(amount, value);
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
        let count = |value: serde_json::Value| read!(count, value);
        assert_eq!(count(json!(7)), Some(7));
        assert_eq!(count(json!(" +7 ")), Some(7));
        assert_eq!(count(json!(7.0)), Some(7));
        for absent in [json!(-1), json!("1.5"), json!(4_294_967_296u64), json!("x")] {
            assert_eq!(count(absent.clone()), None, "{absent}");
        }
    }

    #[test]
    fn flags_accept_words_and_digits() {
        let flag = |value: serde_json::Value| read!(flag, value);
        assert_eq!(flag(json!(true)), Some(true));
        assert_eq!(flag(json!(" TRUE ")), Some(true));
        assert_eq!(flag(json!(1)), Some(true));
        assert_eq!(flag(json!("0")), Some(false));
        assert_eq!(flag(json!("False")), Some(false));
        assert_eq!(flag(json!("yes")), None);
        assert_eq!(flag(json!(2)), None);
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Code {
        #[serde(default, deserialize_with = "text")]
        code: Option<String>,
    }

    #[test]
    fn lists_keep_what_they_can_read() {
        let codes: Vec<Code> = read!(records, json!([{"code": "A"}, null, "x", [1], {"code": 5}]));
        let codes: Vec<_> = codes.into_iter().map(|c| c.code).collect();
        assert_eq!(codes, [Some("A".to_owned()), Some("5".to_owned())]);
        assert!(read!(records::<_, Code>, json!({"code": "A"})).is_empty());
        assert_eq!(
            read!(texts, json!(["A", " ", 7, null, {"a": 1}, true])),
            ["A", "7"]
        );
        assert!(read!(texts, json!("A")).is_empty());
    }

    #[test]
    fn status_words_compare_loosely() {
        assert!(is_status_word(
            " partially-delivered ",
            "PARTIALLY_DELIVERED"
        ));
        assert!(is_status_word("Ready for pickup", "READY_FOR_PICKUP"));
        assert!(!is_status_word("Ready  for pickup", "READY_FOR_PICKUP"));
        assert!(!is_status_word("DONÉ", "DONE"));
    }
}
