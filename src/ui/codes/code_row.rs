//! One code: masked or shown, with its Reveal/Hide and Copy buttons, its PIN (masked and
//! copied on its own), reference, serial, "Redeem" link and expiry. The list owns the
//! reveal state: a row gets what it shows and callbacks that take its key, so a reveal
//! re-renders only the row it changed.

use std::rc::Rc;

use yew::prelude::*;

use super::copy_button::{Copied, CopyButton};
use super::reveal_state::{CopySource, RowSecret};
use crate::platform::intl;
use crate::ui::dom::{mentions_secret, safe_link};
use order_core::expiry::{Expiry, Timestamp};
use order_core::labels::Labels;
use order_core::model::{Order, VoucherKind};

/// Show (`shown`) or hide one code's `secret`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    pub key: AttrValue,
    pub secret: RowSecret,
    pub shown: bool,
}

#[derive(Properties, PartialEq, Clone)]
pub struct CodeRowProps {
    pub order: Rc<Order>,
    /// Which of `order.vouchers`.
    pub index: usize,
    /// Its key in the list (kept in memory only).
    pub row_key: AttrValue,
    pub code_shown: bool,
    pub pin_shown: bool,
    /// What the code's and the PIN's copy buttons say (`RevealState::feedback_for`).
    pub code_feedback: Option<bool>,
    pub pin_feedback: Option<bool>,
    /// The secret a failed copy left shown, selected so Ctrl+C copies it; it gets `select`.
    pub selected: Option<RowSecret>,
    pub select: NodeRef,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    /// Now, to the minute, for "expires in …" (minutes since 1970).
    pub now_minute: i64,
    pub on_reveal: Callback<Reveal>,
    pub on_copied: Callback<Copied>,
}

#[component]
pub fn CodeRow(props: &CodeRowProps) -> Html {
    let Some(voucher) = props.order.vouchers.get(props.index) else {
        return html! {};
    };
    let labels = &props.labels;
    let key = &props.row_key;
    let kind_label = labels.get(voucher.kind.as_str());
    // Tells codes apart for screen readers, saying no more than the mask shows.
    let context = match voucher.code.visible_tail(voucher.kind) {
        Some(tail) => labels.fill("code_ending", &[("kind", kind_label), ("tail", &tail)]),
        None => labels.fill(
            "code_number",
            &[
                ("kind", kind_label),
                ("number", &(props.index + 1).to_string()),
            ],
        ),
    };

    let reveal_button = |secret: RowSecret, shown: bool, context: &str| {
        let on_reveal = props.on_reveal.clone();
        let key = key.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            on_reveal.emit(Reveal {
                key: key.clone(),
                secret,
                shown: !shown,
            })
        });
        html! {
            <button
                type="button"
                class="ow-button ow-reveal"
                part="button reveal-button"
                aria-pressed={if shown { "true" } else { "false" }}
                {onclick}
            >
                { labels.get(if shown { "hide" } else { "reveal" }) }
                <span class="ow-visually-hidden">{ format!(" ({context})") }</span>
            </button>
        }
    };
    let copy_button = |secret: RowSecret, text: &str, label: &str, context: &str| {
        let feedback = match secret {
            RowSecret::Code => props.code_feedback,
            RowSecret::Pin => props.pin_feedback,
        };
        html! {
            <CopyButton
                text={AttrValue::from(text.to_owned())}
                source={CopySource::One(key.clone(), secret)}
                kind={voucher.kind}
                count={1}
                label={AttrValue::from(label.to_owned())}
                context={AttrValue::from(context.to_owned())}
                {feedback}
                part="button copy-button"
                labels={labels.clone()}
                on_copied={props.on_copied.clone()}
            />
        }
    };
    let secret_text = |secret: RowSecret, text: &str, part: &'static str| {
        let node_ref = if props.selected == Some(secret) {
            props.select.clone()
        } else {
            NodeRef::default()
        };
        html! {
            <span class="ow-code-text" {part} dir="ltr" ref={node_ref}>{ text.to_owned() }</span>
        }
    };

    let code_value = match voucher.code.value().filter(|_| props.code_shown) {
        Some(code) => secret_text(RowSecret::Code, code, "code-text"),
        None => {
            let hidden = match voucher.code.visible_tail(voucher.kind) {
                Some(tail) => labels.fill("masked_code", &[("tail", &tail)]),
                None => labels.get("masked_code_short").to_owned(),
            };
            masked(&voucher.code.mask(voucher.kind), hidden)
        }
    };

    let pin = voucher.pin.as_ref().map(|pin| {
        let pin_label = labels.get("pin");
        let pin_context = format!("{pin_label}, {context}");
        let value = match pin.value().filter(|_| props.pin_shown) {
            Some(pin) => secret_text(RowSecret::Pin, pin, "pin-text"),
            None => masked(
                &pin.mask(VoucherKind::Credential),
                labels.get("masked_code_short").to_owned(),
            ),
        };
        html! {
            <div class="ow-code-line ow-pin" part="pin">
                <span class="ow-code-kind">{ pin_label.to_owned() }</span>
                <span class="ow-code-value">{ value }</span>
                <span class="ow-code-buttons">
                    { reveal_button(RowSecret::Pin, props.pin_shown, &pin_context) }
                    { copy_button(RowSecret::Pin, pin.value().unwrap_or_default(), labels.get("copy_pin"), &pin_context) }
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
        .filter(|url| props.code_shown || !mentions_secret(url, voucher))
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
    let now_ms = props.now_minute as f64 * 60_000.0;

    html! {
        <li class="ow-code" part="code" data-kind={voucher.kind.as_str()}>
            <div class="ow-code-line">
                <span class="ow-code-kind">{ kind_label.to_owned() }</span>
                <span class="ow-code-value">{ code_value }</span>
                <span class="ow-code-buttons">
                    { reveal_button(RowSecret::Code, props.code_shown, &context) }
                    { copy_button(RowSecret::Code, voucher.code.value().unwrap_or_default(), labels.get("copy"), &context) }
                </span>
            </div>
            // One slot each, present or not: `for` would splice them into this list,
            // and the redeem link appearing on reveal would shift every line onto
            // its neighbour's element, taking the keyboard focus along.
            { pin.unwrap_or_default() }
            if !details.is_empty() {
                <dl class="ow-code-details">{ for details }</dl>
            }
            { expiry(voucher.expires_at.as_deref(), labels, &props.locale, now_ms) }
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

fn expiry(expires_at: Option<&str>, labels: &Labels, locale: &str, now: f64) -> Html {
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
                <span class="ow-badge" data-tone="warning" part="expiry-badge">{ labels.get("expires_soon") }</span>
                { " " }{ relative(&at) }{ " · " }{ day() }
            </p>
        },
        Expiry::Expired(_) => html! {
            <p class="ow-code-expiry ow-code-expiry-expired" data-expiry="expired">
                <span class="ow-badge" data-tone="danger" part="expiry-badge">{ labels.get("expired") }</span>
                { " " }{ day() }
            </p>
        },
    }
}
