//! DOM-facing helpers of the codes list: which links are safe to render, whether a link
//! carries a secret, and selecting a text for Ctrl+C.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use order_core::model::Voucher;

/// `url` if it is an absolute `http:`/`https:` URL a browser reads exactly as written.
/// Providers already drop anything else; this is the second lock on the door.
pub fn safe_link(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    // Browsers silently strip tabs, newlines and edge spaces from URLs: refuse them all.
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (web && plain).then_some(url)
}

/// Whether `url` contains the voucher's code or PIN, as written or percent-encoded, in any
/// ASCII case.
pub fn mentions_secret(url: &str, voucher: &Voucher) -> bool {
    let url = url.to_ascii_lowercase();
    let decoded = percent_decode(&url).to_ascii_lowercase();
    let plus_decoded = decoded.replace('+', " ");
    std::iter::once(&voucher.code)
        .chain(voucher.pin.as_ref())
        .map(|secret| secret.to_ascii_lowercase())
        .filter(|secret| !secret.is_empty())
        .any(|secret| {
            url.contains(&secret) || decoded.contains(&secret) || plus_decoded.contains(&secret)
        })
}

/// `%XX` sequences decoded (invalid ones kept as they are); lossy for invalid UTF-8.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                index += 3;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `getSelection().selectAllChildren(node)`, so Ctrl+C copies exactly that text.
pub fn select_contents(node: &web_sys::Node) {
    let window = js_sys::global();
    let selection = Reflect::get(&window, &"getSelection".into())
        .ok()
        .and_then(|get| get.dyn_into::<Function>().ok())
        .and_then(|get| get.call0(&window).ok())
        .filter(|selection| selection.is_object());
    if let Some(selection) = selection {
        if let Some(select) = Reflect::get(&selection, &"selectAllChildren".into())
            .ok()
            .and_then(|select| select.dyn_into::<Function>().ok())
        {
            let _ = select.call1(&selection, &JsValue::from(node));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_core::model::VoucherKind;

    fn voucher(code: &str, pin: Option<&str>) -> Voucher {
        Voucher {
            pin: pin.map(Into::into),
            ..Voucher::new(code.into(), VoucherKind::Code)
        }
    }

    #[test]
    fn only_plain_web_urls_become_links() {
        assert_eq!(
            safe_link("https://redeem.example/a?x=1"),
            Some("https://redeem.example/a?x=1")
        );
        assert_eq!(
            safe_link("HTTP://redeem.example/"),
            Some("HTTP://redeem.example/")
        );
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/redeem/abc",
            "//evil.example/",
            "https://ok.example/\nx",
            " https://ok.example/",
            "https:/x",
            "",
            "é",
        ] {
            assert_eq!(safe_link(url), None, "{url:?}");
        }
    }

    #[test]
    fn finds_the_code_or_pin_in_a_url() {
        let v = voucher("AB CD-1234", Some("9876"));
        assert!(mentions_secret("https://r.example/?c=ab%20cd-1234", &v));
        assert!(mentions_secret("https://r.example/?c=AB+CD-1234", &v));
        assert!(mentions_secret("https://r.example/AB CD-1234", &v));
        assert!(mentions_secret("https://r.example/?pin=9876", &v));
        assert!(!mentions_secret("https://r.example/redeem", &v));
        assert!(!mentions_secret(
            "https://r.example/%zz%",
            &voucher("", None)
        ));
    }

    #[test]
    fn percent_decoding_keeps_invalid_sequences() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("%zz%2"), "%zz%2");
        assert_eq!(percent_decode("%e2%80%a2"), "•");
    }
}
