//! Field types that accept what vendors actually send: numbers as strings, strings as
//! numbers, nulls, and values of the wrong type (read as "absent", never as an error).

use crate::node::Node;

/// A string, or a number as its shortest decimal text; absent for anything else.
fn scalar_text<N: Node>(node: Option<N>) -> Option<String> {
    let node = node?;
    node.as_text().or_else(|| node.number_text())
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

impl Text {
    pub fn read<N: Node>(node: Option<N>) -> Self {
        Text(scalar_text(node))
    }
}

/// A money amount as exact decimal text ("25.00", "-3", "1250.5"); anything that is not
/// plain decimal notation (e.g. "1,250", "abc") is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Amount(pub Option<String>);

impl Amount {
    pub fn read<N: Node>(node: Option<N>) -> Self {
        Amount(scalar_text(node).and_then(|text| {
            let text = text.trim();
            is_decimal(text).then(|| text.to_owned())
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

impl Count {
    pub fn read<N: Node>(node: Option<N>) -> Self {
        Count(scalar_text(node).and_then(|text| text.trim().parse().ok()))
    }
}

/// A boolean from `true`/`false`, `"true"`/`"false"` or `1`/`0`; absent otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Flag(pub Option<bool>);

impl Flag {
    pub fn read<N: Node>(node: Option<N>) -> Self {
        let Some(node) = node else {
            return Flag(None);
        };
        if let Some(flag) = node.as_bool() {
            return Flag(Some(flag));
        }
        Flag(scalar_text(Some(node)).and_then(
            |text| match text.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
        ))
    }
}

/// The elements of a list that `read` accepts; absent or not a list reads as empty.
pub(super) fn list<N: Node, T>(node: Option<N>, read: impl FnMut(N) -> Option<T>) -> Vec<T> {
    node.and_then(|node| node.elements())
        .unwrap_or_default()
        .into_iter()
        .filter_map(read)
        .collect()
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
