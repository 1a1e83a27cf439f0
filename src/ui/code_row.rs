//! One code: masked or shown, with its Reveal/Hide and Copy buttons, its PIN (masked and
//! copied on its own), reference, serial, "Redeem" link and expiry. A plain view: the
//! list owns the state.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::codes::state::{visible_tail, CopySource, RevealState, Secret};
use super::codes::Actions;
use super::copy_button::CopyButton;
use crate::expiry::{Expiry, Timestamp};
use crate::intl;
use crate::labels::Labels;
use crate::model::{mask, Voucher, VoucherKind};
use crate::node::lowercase;

/// What every row needs from its list.
pub struct RowContext<'a> {
    pub labels: &'a Labels,
    pub locale: &'a str,
    pub state: &'a RevealState,
    pub actions: &'a Actions,
    /// Given to the text a failed copy left shown, so it can be selected.
    pub select: &'a NodeRef,
}

/// One voucher: `key` is its key in the list (kept in memory only), `number` its
/// 1-based position, to tell codes apart when the mask shows nothing of them.
pub fn code_row(voucher: &Voucher, key: &AttrValue, number: usize, row: &RowContext) -> Html {
    let RowContext {
        labels,
        locale,
        state,
        actions,
        select,
    } = row;
    let code_shown = state.code_shown(key);
    let pin_shown = state.pin_shown(key);
    let kind_label = labels.get(kind_key(voucher.kind));
    let context = match visible_tail(&voucher.code, voucher.kind) {
        Some(tail) => labels.fill("code_ending", &[("kind", kind_label), ("tail", &tail)]),
        None => labels.fill(
            "code_number",
            &[("kind", kind_label), ("number", &number.to_string())],
        ),
    };

    let reveal_button = |secret: Secret, shown: bool, context: &str| {
        html! {
            <button
                type="button"
                class="ow-button ow-reveal"
                part="button reveal-button"
                aria-pressed={if shown { "true" } else { "false" }}
                onclick={actions.reveal(key.clone(), secret, !shown)}
            >
                { labels.get(if shown { "hide" } else { "reveal" }) }
                <span class="ow-visually-hidden">{ format!(" ({context})") }</span>
            </button>
        }
    };
    let copy_button = |secret: Secret, text: &str, label: &str, context: &str| {
        let source = CopySource::One(key.clone(), secret);
        let button = CopyButton {
            label,
            context: Some(context),
            feedback: state.feedback_for(&source),
            class: "",
            part: "button copy-button",
        };
        button.view(labels, actions.copy(source, text.into(), voucher.kind, 1))
    };
    let secret_text = |secret: Secret, text: &str, part: &'static str| {
        let node_ref = if state.to_select(key, secret) {
            (*select).clone()
        } else {
            NodeRef::default()
        };
        html! {
            <span class="ow-code-text" {part} dir="ltr" ref={node_ref}>{ text.to_owned() }</span>
        }
    };

    let code_value = if code_shown {
        secret_text(Secret::Code, &voucher.code, "code-text")
    } else {
        let hidden = match visible_tail(&voucher.code, voucher.kind) {
            Some(tail) => labels.fill("masked_code", &[("tail", &tail)]),
            None => labels.get("masked_code_short").to_owned(),
        };
        masked(&mask(&voucher.code, voucher.kind), hidden)
    };

    let pin = voucher.pin.as_ref().map(|pin| {
        let pin_label = labels.get("pin");
        let pin_context = format!("{pin_label}, {context}");
        let value = if pin_shown {
            secret_text(Secret::Pin, pin, "pin-text")
        } else {
            masked(
                &mask(pin, VoucherKind::Credential),
                labels.get("masked_code_short").to_owned(),
            )
        };
        html! {
            <div class="ow-code-line ow-pin" part="pin">
                <span class="ow-code-kind">{ pin_label.to_owned() }</span>
                <span class="ow-code-value">{ value }</span>
                <span class="ow-code-buttons">
                    { reveal_button(Secret::Pin, pin_shown, &pin_context) }
                    { copy_button(Secret::Pin, pin, labels.get("copy_pin"), &pin_context) }
                </span>
            </div>
        }
    });

    let details = [
        ("reference", &voucher.reference),
        ("serial", &voucher.serial),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.as_ref().map(|value| (key, value)))
    .map(|(key, value)| {
        html! {
            <div class="ow-code-detail">
                <dt>{ labels.get(key).to_owned() }</dt>
                <dd dir="ltr">{ value.clone() }</dd>
            </div>
        }
    })
    .collect::<Vec<_>>();

    let redeem = voucher
        .claim_url
        .as_deref()
        .and_then(safe_link)
        // A URL that carries the code or PIN is the secret too: only while it is shown.
        .filter(|url| code_shown || !mentions_secret(url, voucher))
        .map(|url| {
            html! {
                <a
                    class="ow-redeem"
                    part="redeem-link"
                    href={url.to_owned()}
                    rel="noopener noreferrer"
                    target="_blank"
                >
                    { labels.get("redeem") }
                    <span class="ow-visually-hidden">{ format!(" ({context})") }</span>
                </a>
            }
        });

    html! {
        <li key={key.as_str()} class="ow-code" part="code" data-kind={kind_key(voucher.kind)}>
            <div class="ow-code-line">
                <span class="ow-code-kind">{ kind_label.to_owned() }</span>
                <span class="ow-code-value">{ code_value }</span>
                <span class="ow-code-buttons">
                    { reveal_button(Secret::Code, code_shown, &context) }
                    { copy_button(Secret::Code, &voucher.code, labels.get("copy"), &context) }
                </span>
            </div>
            // One slot each, present or not: `for` would splice them into this list,
            // and the redeem link appearing on reveal would shift every line onto
            // its neighbour's element, taking the keyboard focus along.
            { pin.unwrap_or_default() }
            if !details.is_empty() {
                <dl class="ow-code-details">{ for details }</dl>
            }
            { expiry(voucher.expires_at.as_deref(), labels, locale) }
            { redeem.unwrap_or_default() }
        </li>
    }
}

fn masked(mask: &str, description: String) -> Html {
    html! {
        <>
            <span class="ow-code-mask" aria-hidden="true">{ mask.to_owned() }</span>
            <span class="ow-visually-hidden">{ description }</span>
        </>
    }
}

fn expiry(expires_at: Option<&str>, labels: &Labels, locale: &str) -> Html {
    let now = intl::now_ms();
    let raw = expires_at.unwrap_or_default();
    let relative = |at: &Timestamp| {
        // Exact: any parsed timestamp is far below 2^53 ms.
        let when = intl::format_relative(at.unix_ms as f64, now, locale);
        labels.fill("expires_in", &[("when", &when)])
    };
    let day = || {
        let text = intl::format_day(raw, locale).unwrap_or_else(|| raw.to_owned());
        html! { <time class="ow-code-expiry-date" datetime={raw.to_owned()}>{ text }</time> }
    };
    // Compare in whole ms; the clock's fraction does not matter here.
    match Expiry::classify(expires_at, now as i64) {
        Expiry::None => html! {},
        Expiry::Unreadable => html! {
            <p class="ow-code-expiry" data-expiry="unknown">
                { labels.fill("expires_in", &[("when", raw)]) }
            </p>
        },
        Expiry::Never => html! {
            <p class="ow-code-expiry" data-expiry="never">{ labels.get("no_expiry") }</p>
        },
        Expiry::Valid(at) => html! {
            <p class="ow-code-expiry" data-expiry="valid">
                { relative(&at) }{ " · " }{ day() }
            </p>
        },
        Expiry::Soon(at) => html! {
            <p class="ow-code-expiry ow-code-expiry-soon" data-expiry="soon">
                <span class="ow-badge ow-badge-warning" part="expiry-badge">{ labels.get("expires_soon") }</span>
                { " " }{ relative(&at) }{ " · " }{ day() }
            </p>
        },
        Expiry::Expired(_) => html! {
            <p class="ow-code-expiry ow-code-expiry-expired" data-expiry="expired">
                <span class="ow-badge ow-badge-danger" part="expiry-badge">{ labels.get("expired") }</span>
                { " " }{ day() }
            </p>
        },
    }
}

fn kind_key(kind: VoucherKind) -> &'static str {
    match kind {
        VoucherKind::Code => "code",
        VoucherKind::Credential => "credential",
        VoucherKind::PickupCode => "pickup_code",
        VoucherKind::ReturnCode => "return_code",
    }
}

/// `url` if it is an absolute `http:`/`https:` URL a browser reads exactly as written.
/// Providers already drop anything else; this is the second lock on the door.
pub fn safe_link(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    // Browsers silently strip tabs, newlines and edge spaces from URLs: refuse them all.
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (web && plain).then_some(url)
}

/// Whether `url` contains the voucher's code or PIN, as written or percent-encoded.
pub fn mentions_secret(url: &str, voucher: &Voucher) -> bool {
    let url = lowercase(url);
    let decoded = lowercase(&percent_decode(&url));
    let plus_decoded = decoded.replace('+', " ");
    std::iter::once(&voucher.code)
        .chain(voucher.pin.as_ref())
        .map(|secret| lowercase(secret))
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
