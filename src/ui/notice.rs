//! Errors as states, and what to expect when there are no codes to show.

use std::rc::Rc;

use yew::prelude::*;

use crate::platform::intl;
use crate::ui::widget_state::Stopped;
use order_core::error::{ErrorKind, FetchError};
use order_core::labels::Labels;
use order_core::model::{Order, Status};
use order_core::schedule::StopReason;

pub fn error_key(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Network => "error_network",
        ErrorKind::Timeout => "error_timeout",
        ErrorKind::NotAllowed => "error_not_allowed",
        ErrorKind::NotFound => "error_not_found",
        ErrorKind::RateLimit => "error_rate_limit",
        ErrorKind::Server => "error_server",
        ErrorKind::BadResponse => "error_bad_response",
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ErrorNoticeProps {
    pub error: FetchError,
    pub labels: Rc<Labels>,
    /// An order is still shown beside the error.
    pub stale: bool,
}

/// A failed check. Before any order it is the whole widget; after one (`stale`: an order
/// is still shown) a small, polite note.
#[component]
pub fn ErrorNotice(props: &ErrorNoticeProps) -> Html {
    let ErrorNoticeProps {
        error,
        labels,
        stale,
    } = props;
    let stale = *stale;
    let explanation = labels.get(error_key(error.kind)).to_owned();
    // The message is ours, or the vendor's own error message: never body content.
    let detail = (error.kind == ErrorKind::BadResponse).then(|| error.message.clone());
    if stale {
        html! {
            <div class="ow-notice ow-notice-stale" part="notice" role="status" data-error={error.kind.as_str()}>
                <p>{ labels.get("stale_notice") }{ " " }{ explanation }</p>
            </div>
        }
    } else {
        html! {
            <div class="ow-notice ow-notice-error" part="notice error" role="alert" data-error={error.kind.as_str()}>
                <h2 class="ow-notice-title">{ labels.get("error_title") }</h2>
                <p>{ explanation }</p>
                if let Some(detail) = detail {
                    <p class="ow-notice-detail">{ detail }</p>
                }
            </div>
        }
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct PollNoticeProps {
    pub stopped: Option<Stopped>,
    /// A "Check again" must wait this long for the request budget.
    pub deferred_ms: Option<u64>,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
}

/// "This is taking longer than usual" after the maximum wait, and when a "Check again"
/// must wait for the request budget.
#[component]
pub fn PollNotice(props: &PollNoticeProps) -> Html {
    let PollNoticeProps {
        stopped,
        deferred_ms,
        labels,
        locale,
    } = props;
    let (stopped, deferred_ms) = (*stopped, *deferred_ms);
    let slow = stopped
        .filter(|s| s.reason == StopReason::MaxWait)
        .map(|s| {
            s.last_checked_unix_ms.and_then(|ms| {
                let iso =
                    js_sys::Date::new(&wasm_bindgen::JsValue::from(ms as f64)).to_iso_string();
                intl::format_date(&String::from(iso), locale)
            })
        });
    let deferred = deferred_ms.map(|wait| {
        let now = js_sys::Date::now();
        let when = intl::format_relative(now + wait as f64, now, locale);
        labels.fill("next_check_possible", &[("when", &when)])
    });
    html! {
        <>
            if let Some(last_checked) = slow {
                <div class="ow-notice ow-notice-slow" part="notice" role="status">
                    <p>{ labels.get("taking_longer") }</p>
                    if let Some(time) = last_checked {
                        <p class="ow-notice-detail">{ labels.fill("last_checked", &[("time", &time)]) }</p>
                    }
                </div>
            }
            if let Some(text) = deferred {
                <p class="ow-deferred" part="deferred" role="status">{ text }</p>
            }
        </>
    }
}

/// What the customer should expect instead of codes, if anything.
pub fn expectation_key(order: &Order) -> Option<&'static str> {
    let has_codes = !order.vouchers.is_empty();
    match order.status {
        Status::NeedsAttention => Some("expect_attention"),
        Status::Failed | Status::Cancelled | Status::Refunded => {
            (!has_codes).then_some("expect_ended")
        }
        _ if order.is_service => Some("expect_service"),
        Status::Initiated | Status::Authorized => (!has_codes).then_some("expect_unpaid"),
        Status::Pending | Status::Processing | Status::Unknown => {
            (!has_codes).then_some("expect_codes")
        }
        Status::PartiallyDelivered => Some("expect_codes"),
        Status::Delivered => (!has_codes).then_some("expect_no_codes"),
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ExpectationProps {
    pub order: Rc<Order>,
    pub labels: Rc<Labels>,
}

#[component]
pub fn Expectation(props: &ExpectationProps) -> Html {
    let ExpectationProps { order, labels } = props;
    match expectation_key(order) {
        Some(key) => html! {
            <p class="ow-expect" part="expect" data-expect={key}>{ labels.get(key) }</p>
        },
        None => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_core::model::{Vendor, Voucher, VoucherKind};

    fn order(status: Status, service: bool, codes: usize) -> Order {
        let mut order = Order::new(Vendor::Hsmail, "1".into(), "1".into(), status);
        order.is_service = service;
        order.vouchers = (0..codes)
            .map(|n| Voucher::new(format!("CODE-{n}"), VoucherKind::Code))
            .collect();
        order
    }

    #[test]
    fn every_state_without_codes_says_what_to_expect() {
        assert_eq!(
            expectation_key(&order(Status::Pending, false, 0)),
            Some("expect_codes")
        );
        assert_eq!(
            expectation_key(&order(Status::Processing, true, 0)),
            Some("expect_service")
        );
        assert_eq!(
            expectation_key(&order(Status::Delivered, true, 0)),
            Some("expect_service")
        );
        assert_eq!(
            expectation_key(&order(Status::Initiated, false, 0)),
            Some("expect_unpaid")
        );
        assert_eq!(
            expectation_key(&order(Status::Delivered, false, 0)),
            Some("expect_no_codes")
        );
        assert_eq!(
            expectation_key(&order(Status::Cancelled, false, 0)),
            Some("expect_ended")
        );
        assert_eq!(
            expectation_key(&order(Status::NeedsAttention, false, 3)),
            Some("expect_attention")
        );
        assert_eq!(
            expectation_key(&order(Status::PartiallyDelivered, false, 1)),
            Some("expect_codes")
        );
        assert_eq!(expectation_key(&order(Status::Delivered, false, 2)), None);
    }

    #[test]
    fn every_key_has_an_english_label() {
        let labels = Labels::new("en", Default::default());
        for &kind in ErrorKind::ALL {
            assert_ne!(labels.get(error_key(kind)), error_key(kind));
        }
    }
}
