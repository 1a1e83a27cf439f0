//! A bound on nesting. serde's buffering of loosely typed fields recurses once per level,
//! and in wasm a stack overflow is not a recoverable error: bodies nested deeper than any
//! vendor's (a handful of levels) are refused before decoding.

/// Deepest array/object nesting accepted; serde_json's own limit is 128.
pub(super) const MAX_DEPTH: usize = 64;

/// True when no array or object in the JSON `text` nests deeper than `MAX_DEPTH`.
/// Brackets inside strings do not count.
pub(super) fn within_limit(text: &str) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_structural_brackets() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(!within_limit(&deep));
        assert!(within_limit(&"[".repeat(MAX_DEPTH)));
        let in_string = format!(r#"{{"a": "{}\"[{{"}}"#, "[".repeat(500));
        assert!(within_limit(&in_string));
        assert!(within_limit(r#"{"a": [[1], {"b": [2]}], "c": "\\"}"#));
    }
}
