//! The order's items: name, quantity, unit price and each item's fulfilment state.

use std::rc::Rc;

use yew::prelude::*;

use super::ViewContext;
use crate::platform::intl;
use order_core::model::{Item, Order};

/// The fulfilment state shown for an item: (CSS modifier, label key).
pub fn item_state(item: &Item) -> Option<(&'static str, &'static str)> {
    if item.failed() {
        Some(("failed", "item_failed"))
    } else if item.fulfilled == Some(true) {
        Some(("delivered", "item_delivered"))
    } else if item.fulfilled == Some(false) || item.fulfillment_status.is_some() {
        Some(("in-progress", "item_in_progress"))
    } else {
        None
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ItemsProps {
    pub order: Rc<Order>,
    pub view: ViewContext,
}

#[component]
pub fn Items(props: &ItemsProps) -> Html {
    let ItemsProps { order, view } = props;
    let ViewContext {
        labels,
        locale,
        currency,
    } = view;
    if order.items.is_empty() {
        return html! {};
    }
    let rows = order.items.iter().enumerate().map(|(index, item)| {
        let name = item.name.as_deref().unwrap_or_else(|| labels.get("item_unnamed"));
        let quantity = item
            .quantity
            .map(|count| labels.fill("quantity", &[("count", &count.to_string())]));
        let price = item.unit_price.as_ref().map(|money| {
            let price = intl::format_money(money, currency.as_deref(), locale);
            labels.fill("unit_price", &[("price", &price)])
        });
        let state = item_state(item);
        html! {
            <li key={index} class="ow-item" part="item" data-state={state.map(|(modifier, _)| modifier)}>
                <span class="ow-item-name" dir="auto">{ name.to_owned() }</span>
                <span class="ow-item-details">
                    if let Some(quantity) = quantity {
                        <span class="ow-item-quantity">{ quantity }</span>
                    }
                    if let Some(price) = price {
                        <span class="ow-item-price">{ price }</span>
                    }
                </span>
                if let Some((modifier, key)) = state {
                    <span class="ow-item-state" data-state={modifier}>
                        { labels.get(key) }
                    </span>
                }
            </li>
        }
    });
    html! {
        <section class="ow-items" part="items">
            <h3 class="ow-section-heading">{ labels.get("items_heading") }</h3>
            <ul class="ow-item-list">{ for rows }</ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(fulfilled: Option<bool>, status: Option<&str>) -> Item {
        Item {
            id: None,
            name: None,
            quantity: None,
            unit_price: None,
            fulfilled,
            fulfillment_status: status.map(str::to_owned),
        }
    }

    #[test]
    fn failed_items_say_so() {
        assert_eq!(
            item_state(&item(Some(false), Some("dispatch_failed"))),
            Some(("failed", "item_failed"))
        );
        assert_eq!(
            item_state(&item(Some(true), Some("succeeded"))),
            Some(("delivered", "item_delivered"))
        );
        assert_eq!(
            item_state(&item(None, Some("queued"))),
            Some(("in-progress", "item_in_progress"))
        );
        assert_eq!(item_state(&item(None, None)), None);
    }
}
