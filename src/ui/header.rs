//! The order's number, placed date, total and status.

use std::rc::Rc;

use yew::prelude::*;

use super::status_badge::StatusBadge;
use crate::intl;
use crate::labels::Labels;
use crate::model::Order;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub order: Rc<Order>,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    pub currency: Option<AttrValue>,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let HeaderProps {
        order,
        labels,
        locale,
        currency,
    } = props;
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
            <StatusBadge
                status={order.status}
                vendor_label={order.status_label.clone().map(AttrValue::from)}
                message={order.status_message.clone().map(AttrValue::from)}
                colors={order.status_colors.clone()}
                labels={labels.clone()}
            />
        </header>
    }
}
