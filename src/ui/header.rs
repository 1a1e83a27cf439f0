//! The order's number, placed date, total and status.

use std::rc::Rc;

use yew::prelude::*;

use super::status_badge::StatusBadge;
use super::ViewContext;
use crate::platform::intl;
use order_core::model::Order;

#[derive(Properties, PartialEq, Clone)]
pub struct HeaderProps {
    pub order: Rc<Order>,
    pub view: ViewContext,
    /// The badge element, which the widget paints in the vendor's colours.
    pub badge: NodeRef,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let HeaderProps { order, view, badge } = props;
    let ViewContext {
        labels,
        locale,
        currency,
    } = view;
    let placed = order
        .created_at
        .as_deref()
        .and_then(|iso| intl::format_date(iso, locale));
    let total = order
        .total
        .as_ref()
        .map(|money| intl::format_money(money, currency.as_deref(), locale));

    html! {
        <header class="ow-header" part="header">
            <div class="ow-heading">
                <h2 class="ow-number" part="number">
                    { labels.fill("order_number", &[("number", &order.number)]) }
                </h2>
                if let Some(date) = placed {
                    <p class="ow-placed">{ labels.fill("placed_on", &[("date", &date)]) }</p>
                }
            </div>
            if let Some(total) = total {
                <p class="ow-total" part="total">
                    <span class="ow-total-label">{ labels.get("total") }</span>
                    <span class="ow-amount">{ total }</span>
                </p>
            }
            <StatusBadge order={order.clone()} labels={labels.clone()} badge={badge.clone()} />
        </header>
    }
}
