//! Vendor error envelopes: `{status: "error", message}` (hsmail, shop),
//! `{error, message}` (voucher-api) and `{success: false, message}`.

use super::detect::Keys;
use super::json::fields::Loose;

/// Longest vendor message kept, in characters.
const MAX_MESSAGE: usize = 200;

/// The vendor's error message when `top` is an error envelope ("" when it gives none).
pub(super) fn vendor_error(top: &Keys) -> Option<String> {
    let message = top.text("message").map(clean_message);
    if top.says("status", "error") || *top.get("success") == Loose::Bool(false) {
        return Some(message.unwrap_or_default());
    }
    // `error` holds a code ("not_found") or details; `false`, null or "" mean no error.
    let code = match top.get("error") {
        Loose::Text(code) if !code.trim().is_empty() => Some(clean_message(code)),
        Loose::Object | Loose::Array | Loose::Number(_) | Loose::Bool(true) => None,
        _ => return None,
    };
    Some(
        message
            .filter(|message| !message.is_empty())
            .or(code)
            .unwrap_or_default(),
    )
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
