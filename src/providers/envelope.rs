//! Vendor error envelopes: `{status: "error", message}` (hsmail, shop),
//! `{error, message}` (voucher-api) and `{success: false, message}`.

use super::detect::{Keys, Shape};
use crate::node::Node;

/// Longest vendor message kept, in characters.
const MAX_MESSAGE: usize = 200;

/// The vendor's error message when `top` is an error envelope ("" when it gives none).
pub(super) fn vendor_error<N: Node>(top: &Keys<N>) -> Option<String> {
    let message = top.text("message").map(|text| clean_message(&text));
    let status_error = top
        .text("status")
        .is_some_and(|status| status.trim().eq_ignore_ascii_case("error"));
    let error = match top.get("error") {
        Some(Shape::Text) => top
            .text("error")
            .filter(|text| !text.trim().is_empty())
            .map(|text| Some(clean_message(&text))),
        Some(Shape::Object | Shape::Array | Shape::Number | Shape::Bool(true)) => Some(None),
        _ => None,
    };
    let unsuccessful = top.get("success") == Some(Shape::Bool(false));
    if status_error || unsuccessful {
        return Some(message.unwrap_or_default());
    }
    error.map(|code| {
        message
            .filter(|m| !m.is_empty())
            .or(code)
            .unwrap_or_default()
    })
}

/// The message on one line, without control characters, at most `MAX_MESSAGE` characters.
fn clean_message(raw: &str) -> String {
    // The words of `raw`, one space between two words.
    let mut line = String::new();
    let mut gap = false;
    for c in raw.chars() {
        if c.is_whitespace() || c.is_control() {
            gap = !line.is_empty();
            continue;
        }
        if gap {
            line.push(' ');
            gap = false;
        }
        line.push(c);
    }
    if let Some((cut, _)) = line.char_indices().nth(MAX_MESSAGE) {
        line.truncate(cut);
        line.push('…');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let long = "ü".repeat(500);
        let cut = clean_message(&long);
        assert_eq!(cut.chars().count(), MAX_MESSAGE + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(clean_message(" a\r\n\tb\u{0} "), "a b");
        assert_eq!(clean_message("\n one  two\u{7}three \t"), "one two three");
        let exact = "x".repeat(MAX_MESSAGE);
        assert_eq!(clean_message(&exact), exact);
    }
}
