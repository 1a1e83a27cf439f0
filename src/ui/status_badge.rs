//! The status badge: icon, label and the vendor's status message, in the shop's
//! decoration colours when it sent valid ones.

use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

use order_core::labels::Labels;
use order_core::model::{Order, Status, StatusColors};

/// The colour family of a status; the stylesheet maps it to theme colours.
pub fn tone(status: Status) -> &'static str {
    match status {
        Status::Delivered => "success",
        Status::PartiallyDelivered | Status::NeedsAttention => "warning",
        Status::Failed | Status::Cancelled => "danger",
        Status::Refunded | Status::Unknown => "neutral",
        Status::Initiated | Status::Pending | Status::Authorized | Status::Processing => "progress",
    }
}

fn icon(status: Status) -> &'static str {
    match tone(status) {
        "success" => "✓",
        "warning" => "!",
        "danger" => "✕",
        "neutral" => "•",
        _ => "…",
    }
}

/// The status label key (`status_delivered`, …).
pub fn label_key(status: Status) -> String {
    format!("status_{}", status.as_str())
}

/// Colours come from the vendor: the model checked them, this checks again before
/// they reach CSS.
fn is_hex_colour(value: &str) -> bool {
    let digits = value.strip_prefix('#').unwrap_or_default();
    matches!(digits.len(), 3 | 6) && digits.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Paints the badge in the vendor's colours, through the CSSOM: an inline `style`
/// attribute would be blocked by a strict CSP. Colours the vendor did not send (or sent
/// invalid) are removed, so an update never keeps a stale one.
pub fn apply_colors(badge: &NodeRef, colors: Option<&StatusColors>) {
    let Some(element) = badge.cast::<HtmlElement>() else {
        return;
    };
    let style = element.style();
    let colors = colors.cloned().unwrap_or_default();
    for (property, value) in [
        ("--ow-badge-bg", colors.background),
        ("--ow-badge-fg", colors.foreground),
        ("--ow-badge-border", colors.border),
    ] {
        let _ = match value.filter(|v| is_hex_colour(v)) {
            Some(colour) => style.set_property(property, &colour),
            None => style.remove_property(property).map(|_| ()),
        };
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct StatusBadgeProps {
    pub order: Rc<Order>,
    pub labels: Rc<Labels>,
    /// The element [`apply_colors`] paints.
    pub badge: NodeRef,
}

/// The status badge.
#[component]
pub fn StatusBadge(props: &StatusBadgeProps) -> Html {
    let StatusBadgeProps {
        order,
        labels,
        badge,
    } = props;
    let status = order.status;
    let label = match (&order.status_label, status) {
        (Some(vendor), Status::Unknown) => vendor.clone(),
        _ => labels.get(&label_key(status)).to_owned(),
    };
    html! {
        <div class="ow-status" part="status">
            <span
                ref={badge.clone()}
                class="ow-badge"
                data-tone={tone(status)}
                part="badge"
                data-status={status.as_str()}
            >
                <span class="ow-badge-icon" aria-hidden="true">{ icon(status) }</span>
                <span class="ow-badge-label">{ label }</span>
            </span>
            if let Some(message) = &order.status_message {
                // The vendor's own words, in the vendor's language: their direction is their own.
                <p class="ow-status-message" part="status-message" dir="auto">{ message.clone() }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_colours_reach_css() {
        assert!(is_hex_colour("#fff") && is_hex_colour("#A1b2C3"));
        for bad in [
            "",
            "fff",
            "#ffff",
            "red",
            "#12345g",
            "#fff;background:url(x)",
        ] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }

    #[test]
    fn every_status_has_an_english_label() {
        let labels = Labels::new("en", Default::default());
        for &status in Status::ALL {
            let key = label_key(status);
            assert_ne!(labels.get(&key), key);
        }
    }
}
