//! DOM-facing helpers of the codes list: which links are safe to render, whether a link
//! carries a secret, and selecting a text for Ctrl+C.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use order_core::model::Voucher;
use order_core::secret::url_mentions;

/// `url` if it is an absolute `http:`/`https:` URL a browser reads exactly as written.
/// Providers already drop anything else; this is the second lock on the door.
pub fn safe_link(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    // Browsers silently strip tabs, newlines and edge spaces from URLs: refuse them all.
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (web && plain).then_some(url)
}

/// Whether `url` contains the voucher's code or PIN (as far as they are known here), as
/// written or percent-encoded, in any ASCII case.
pub fn mentions_secret(url: &str, voucher: &Voucher) -> bool {
    let secrets: Vec<_> = std::iter::once(&voucher.code).chain(&voucher.pin).collect();
    url_mentions(url, &secrets)
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
            ..Voucher::new(code, VoucherKind::Code)
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
}
