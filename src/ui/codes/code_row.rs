//! One code: masked or shown, with its Reveal/Hide and Copy buttons, its PIN (masked and
//! copied on its own), reference, serial, "Redeem" link, expiry and, while shown, its QR
//! code. The list owns the reveal state: a row gets what it shows and callbacks that take
//! its key, so a reveal re-renders only the row it changed. A withheld code is fetched
//! by the list when a button asks for it; the row says how that goes.

use std::rc::Rc;

use yew::prelude::*;

use super::copy_button::CopyButton;
use super::qr_code::QrCode;
use super::reveal_state::{known, Fetch, RowSecret};
use crate::platform::intl;
use crate::ui::dom::{mentions_secret, safe_link};
use order_core::error::ErrorKind;
use order_core::expiry::{Expiry, Timestamp};
use order_core::labels::Labels;
use order_core::model::{Order, VoucherKind};
use order_core::secret::Revealed;

/// Show (`shown`) or hide one code's `secret`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    pub key: AttrValue,
    pub secret: RowSecret,
    pub shown: bool,
    /// The voucher's `ref` when its secrets are withheld and not in memory: fetch first.
    pub fetch: Option<AttrValue>,
    /// Show the QR code with it (a code meant for a shop counter).
    pub qr: bool,
}

/// Copy one code's `secret`, pressed on `near` (inside the click).
#[derive(Clone, Debug, PartialEq)]
pub struct CopyRequest {
    pub key: AttrValue,
    pub secret: RowSecret,
    pub kind: VoucherKind,
    /// The text, when it is in memory.
    pub text: Option<AttrValue>,
    /// Else the voucher's `ref`, to fetch it.
    pub fetch: Option<AttrValue>,
    pub near: web_sys::Element,
}

/// The row's buttons' fetches (`RevealState::fetch_of`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RowFetches {
    pub reveal_code: Option<Fetch>,
    pub reveal_pin: Option<Fetch>,
    pub copy_code: Option<Fetch>,
    pub copy_pin: Option<Fetch>,
}

impl RowFetches {
    /// Why the row's last fetch failed, if one did.
    fn failure(&self) -> Option<ErrorKind> {
        [
            self.reveal_code,
            self.reveal_pin,
            self.copy_code,
            self.copy_pin,
        ]
        .into_iter()
        .find_map(|fetch| match fetch {
            Some(Fetch::Failed(kind)) => Some(kind),
            _ => None,
        })
    }
}

/// The label key of what a failed fetch of `kind` tells the customer.
pub fn failure_label(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::RateLimit => "reveal_rate_limited",
        ErrorKind::NotAllowed => "error_not_allowed",
        _ => "reveal_failed",
    }
}

/// Codes the customer shows at a shop counter: their QR code comes with them.
pub fn for_the_counter(kind: VoucherKind) -> bool {
    matches!(kind, VoucherKind::PickupCode | VoucherKind::ReturnCode)
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
    /// What the proxy revealed of a withheld code, while it is shown.
    pub revealed: Option<Rc<Revealed>>,
    pub qr_shown: bool,
    pub fetches: RowFetches,
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
    pub on_copy: Callback<CopyRequest>,
    /// Show (`true`) or hide the QR code of the row with this key.
    pub on_qr: Callback<(AttrValue, bool)>,
}

#[component]
pub fn CodeRow(props: &CodeRowProps) -> Html {
    let Some(voucher) = props.order.vouchers.get(props.index) else {
        return html! {};
    };
    let labels = &props.labels;
    let key = &props.row_key;
    let secrets = known(voucher, props.revealed.as_deref());
    // Withheld and not in memory: a press fetches it through its `ref`.
    let to_fetch = voucher
        .secret_ref
        .as_ref()
        .filter(|_| secrets.is_none())
        .map(|secret_ref| AttrValue::from(secret_ref.clone()));
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
    let code_shown = props.code_shown && secrets.is_some();

    let reveal_button = |secret: RowSecret, shown: bool, fetch: Option<Fetch>, context: &str| {
        let on_reveal = props.on_reveal.clone();
        let key = key.clone();
        let to_fetch = to_fetch.clone().filter(|_| !shown);
        let qr = secret == RowSecret::Code && for_the_counter(voucher.kind);
        let busy = fetch == Some(Fetch::Pending);
        let onclick = Callback::from(move |_: MouseEvent| {
            if !busy {
                on_reveal.emit(Reveal {
                    key: key.clone(),
                    secret,
                    shown: !shown,
                    fetch: to_fetch.clone(),
                    qr,
                })
            }
        });
        let label = match fetch {
            Some(Fetch::Pending) => "revealing",
            Some(Fetch::Failed(_)) => "try_again",
            None if shown => "hide",
            None => "reveal",
        };
        html! {
            <button
                type="button"
                class="ow-button ow-reveal"
                part="button reveal-button"
                aria-pressed={if shown { "true" } else { "false" }}
                aria-busy={busy.then_some("true")}
                {onclick}
            >
                { labels.get(label) }
                <span class="ow-visually-hidden">{ format!(" ({context})") }</span>
            </button>
        }
    };
    let copy_button = |secret: RowSecret, text: Option<&str>, label: &str, context: &str| {
        let (feedback, fetch) = match secret {
            RowSecret::Code => (props.code_feedback, props.fetches.copy_code),
            RowSecret::Pin => (props.pin_feedback, props.fetches.copy_pin),
        };
        let on_press = {
            let on_copy = props.on_copy.clone();
            let key = key.clone();
            let kind = voucher.kind;
            let text = text.map(|text| AttrValue::from(text.to_owned()));
            let fetch = to_fetch.clone();
            Callback::from(move |near| {
                on_copy.emit(CopyRequest {
                    key: key.clone(),
                    secret,
                    kind,
                    text: text.clone(),
                    fetch: fetch.clone(),
                    near,
                })
            })
        };
        html! {
            <CopyButton
                label={AttrValue::from(label.to_owned())}
                context={AttrValue::from(context.to_owned())}
                {feedback}
                {fetch}
                part="button copy-button"
                labels={labels.clone()}
                {on_press}
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

    let code_value = match secrets.filter(|_| code_shown) {
        Some(secrets) => secret_text(RowSecret::Code, secrets.code, "code-text"),
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
        let pin_text = secrets.and_then(|secrets| secrets.pin);
        let pin_shown = props.pin_shown && pin_text.is_some();
        let value = match pin_text.filter(|_| pin_shown) {
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
                    { reveal_button(RowSecret::Pin, pin_shown, props.fetches.reveal_pin, &pin_context) }
                    { copy_button(RowSecret::Pin, pin_text, labels.get("copy_pin"), &pin_context) }
                </span>
            </div>
        }
    });

    let qr_button = code_shown.then(|| {
        let on_qr = props.on_qr.clone();
        let key = key.clone();
        let shown = props.qr_shown;
        let onclick = Callback::from(move |_: MouseEvent| on_qr.emit((key.clone(), !shown)));
        html! {
            <button
                type="button"
                class="ow-button ow-qr-toggle"
                part="button qr-button"
                aria-pressed={if shown { "true" } else { "false" }}
                {onclick}
            >
                { labels.get(if shown { "hide_qr" } else { "show_qr" }) }
                <span class="ow-visually-hidden">{ format!(" ({context})") }</span>
            </button>
        }
    });
    let qr = secrets
        .filter(|_| code_shown && props.qr_shown)
        .map(|secrets| {
            html! {
                <div class="ow-qr-box">
                    <QrCode
                        text={AttrValue::from(secrets.code.to_owned())}
                        label={AttrValue::from(labels.fill("qr_label", &[("kind", kind_label)]))}
                    />
                </div>
            }
        });

    let failure = props.fetches.failure().map(|kind| {
        html! {
            <p class="ow-code-error" part="code-error">{ labels.get(failure_label(kind)) }</p>
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

    // A URL that carries the code or PIN is the secret too: only while the code is shown
    // (a redacted order leaves it out; the reveal answer brings it).
    let claim_url = if code_shown {
        secrets.and_then(|secrets| secrets.claim_url)
    } else {
        voucher
            .claim_url
            .as_deref()
            .filter(|url| !mentions_secret(url, voucher))
    };
    let redeem = claim_url.and_then(safe_link).map(|url| {
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
                    { reveal_button(RowSecret::Code, code_shown, props.fetches.reveal_code, &context) }
                    { copy_button(RowSecret::Code, secrets.map(|secrets| secrets.code), labels.get("copy"), &context) }
                    { qr_button.unwrap_or_default() }
                </span>
            </div>
            // One slot each, present or not: `for` would splice them into this list,
            // and the redeem link appearing on reveal would shift every line onto
            // its neighbour's element, taking the keyboard focus along.
            { failure.unwrap_or_default() }
            { qr.unwrap_or_default() }
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
