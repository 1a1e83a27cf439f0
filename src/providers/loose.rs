//! Field readers that accept what vendors actually send: numbers as strings, strings as
//! numbers, nulls, and values of the wrong type (read as "absent", never as an error).

use crate::model::{is_decimal, Status};
use crate::node::{Node, Record};

/// A vendor record whose fields are read loosely. Every reader answers `None` for an
/// absent field and for a value of the wrong type.
pub(super) struct Fields<N>(Record<N>);

impl<N: Node> Fields<N> {
    /// The record in `node` (an object, or an array of at most `names.len()` values in
    /// that order); `None` for anything else.
    pub fn of(node: N, names: &'static [&'static str]) -> Option<Self> {
        Record::lenient(node, names).map(Fields)
    }

    /// The raw value of field `name`.
    pub fn get(&self, name: &str) -> Option<N> {
        self.0.get(name)
    }

    /// A string or number field as text, trimmed; `None` when blank.
    #[inline(never)]
    pub fn text(&self, name: &str) -> Option<String> {
        text(self.get(name)?)
    }

    /// True when field `name` is a string (even a blank one) or a number.
    pub fn has_scalar(&self, name: &str) -> bool {
        self.get(name).and_then(scalar_text).is_some()
    }

    /// A money amount as exact decimal text ("25.00", "-3", "1250.5"); anything that is
    /// not plain decimal notation (e.g. "1,250", "abc") is absent.
    #[inline(never)]
    pub fn amount(&self, name: &str) -> Option<String> {
        let text = scalar_text(self.get(name)?)?;
        let text = text.trim();
        is_decimal(text).then(|| text.to_owned())
    }

    /// A non-negative whole count, from a number or numeric text.
    #[inline(never)]
    pub fn count(&self, name: &str) -> Option<u32> {
        whole_number(scalar_text(self.get(name)?)?.trim())
    }

    /// A boolean from `true`/`false`, `"true"`/`"false"` or `1`/`0`.
    #[inline(never)]
    pub fn flag(&self, name: &str) -> Option<bool> {
        let node = self.get(name)?;
        if let Some(flag) = node.as_bool() {
            return Some(flag);
        }
        let text = scalar_text(node)?;
        let word = text.trim();
        if word == "1" || word.eq_ignore_ascii_case("true") {
            Some(true)
        } else if word == "0" || word.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    }

    /// The elements of a list field; absent or not a list reads as empty.
    pub fn elements(&self, name: &str) -> Vec<N> {
        elements(self.get(name))
    }
}

/// The elements of a list; absent or not a list reads as empty.
pub(super) fn elements<N: Node>(node: Option<N>) -> Vec<N> {
    node.and_then(|node| node.elements()).unwrap_or_default()
}

/// A string, or a number as its shortest decimal text; absent for anything else.
fn scalar_text<N: Node>(node: N) -> Option<String> {
    node.as_text().or_else(|| node.number_text())
}

/// A string or number as text, trimmed; `None` when blank or of another type.
pub(super) fn text<N: Node>(node: N) -> Option<String> {
    non_blank(&scalar_text(node)?)
}

/// One vendor's status words (trimmed, upper case, `_` between words) and what each means.
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

/// `[+]digits` as a `u32`, as `str::parse` reads it; `None` when it does not fit.
fn whole_number(text: &str) -> Option<u32> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u32, |total, byte| {
        let digit = byte.is_ascii_digit().then(|| u32::from(byte - b'0'))?;
        total.checked_mul(10)?.checked_add(digit)
    })
}

/// `text` trimmed, or `None` when it is blank.
pub(super) fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// True when the vendor's status `raw`, trimmed, in upper case and with `-` and spaces as
/// `_`, is `word` (ASCII). Compared byte by byte: no byte of a non-ASCII character matches.
fn is_status_word(raw: &str, word: &str) -> bool {
    let raw = raw.trim();
    raw.len() == word.len()
        && raw.bytes().zip(word.bytes()).all(|(byte, expected)| {
            let byte = match byte {
                b'-' | b' ' => b'_',
                byte => byte.to_ascii_uppercase(),
            };
            byte == expected
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn whole_numbers_read_as_str_parse_does() {
        for text in [
            "0",
            "7",
            "+7",
            "007",
            "4294967295",
            "4294967296",
            "",
            "+",
            "-1",
            "-0",
            "1.0",
            "1e3",
            " 1",
            "++1",
            "99999999999",
        ] {
            assert_eq!(whole_number(text), text.parse::<u32>().ok(), "{text:?}");
        }
    }

    #[test]
    fn status_keys_compare_loosely() {
        assert!(is_status_word(
            " partially-delivered ",
            "PARTIALLY_DELIVERED"
        ));
        assert!(is_status_word("Ready for pickup", "READY_FOR_PICKUP"));
        assert!(!is_status_word("Ready  for pickup", "READY_FOR_PICKUP"));
        assert!(!is_status_word("DONÉ", "DONE"));
    }
}
