//! The shop's names for the vendor's items (`itemLabels`): a vendor that names its items
//! only by product or variant id (bdvoucher) gets the name the shop sells them under.

use std::rc::Rc;

use crate::config::ItemLabels;
use order_core::model::{Item, Order};

/// `order` with the shop's names on the items they apply to: items the vendor left
/// unnamed, and every named one too when `override_vendor` is set. The same `Rc` when no
/// name changes, so nothing below re-renders for it.
pub fn with_item_labels(order: Rc<Order>, labels: &ItemLabels) -> Rc<Order> {
    let changes = |item: &Item| {
        shop_name(item, labels).is_some_and(|name| item.name.as_deref() != Some(name))
    };
    if !order.items.iter().any(changes) {
        return order;
    }
    let mut named = (*order).clone();
    for item in &mut named.items {
        if let Some(name) = shop_name(item, labels) {
            item.name = Some(name.to_owned());
        }
    }
    Rc::new(named)
}

/// The shop's name for `item`, where it applies.
fn shop_name<'a>(item: &Item, labels: &'a ItemLabels) -> Option<&'a str> {
    let id = item.id.as_deref()?;
    let name = labels
        .names
        .iter()
        .find(|(labelled, _)| labelled == id)
        .map(|(_, name)| name.trim())
        .filter(|name| !name.is_empty())?;
    let unnamed = item
        .name
        .as_deref()
        .is_none_or(|name| name.trim().is_empty());
    (unnamed || labels.override_vendor).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_core::model::{Status, Vendor};

    fn item(id: Option<&str>, name: Option<&str>) -> Item {
        Item {
            id: id.map(str::to_owned),
            name: name.map(str::to_owned),
            quantity: Some(1),
            unit_price: None,
            fulfilled: None,
            fulfillment_status: None,
        }
    }

    fn order(items: Vec<Item>) -> Rc<Order> {
        let mut order = Order::new(Vendor::Bdvoucher, "1".into(), "1".into(), Status::Delivered);
        order.items = items;
        Rc::new(order)
    }

    fn labels(override_vendor: bool) -> ItemLabels {
        ItemLabels {
            names: vec![
                ("22402".into(), "Netflix 500 BDT".into()),
                ("22405".into(), " Spotify 1 month ".into()),
                ("9".into(), "  ".into()),
            ],
            override_vendor,
        }
    }

    fn names(order: &Order) -> Vec<Option<&str>> {
        order
            .items
            .iter()
            .map(|item| item.name.as_deref())
            .collect()
    }

    #[test]
    fn unnamed_items_get_the_shop_name_and_named_ones_keep_the_vendor_name() {
        let order = order(vec![
            item(Some("22402"), None),
            item(Some("22405"), Some("Spotify Premium")),
            item(Some("77"), None),
            item(None, None),
            item(Some("22405"), Some(" ")),
            item(Some("9"), None),
        ]);
        let named = with_item_labels(order, &labels(false));
        assert_eq!(
            names(&named),
            [
                Some("Netflix 500 BDT"),
                Some("Spotify Premium"),
                None,
                None,
                Some("Spotify 1 month"),
                None
            ]
        );
    }

    #[test]
    fn override_replaces_the_vendor_names_too() {
        let order = order(vec![
            item(Some("22405"), Some("Spotify Premium")),
            item(Some("1"), Some("Kept")),
        ]);
        let named = with_item_labels(order, &labels(true));
        assert_eq!(names(&named), [Some("Spotify 1 month"), Some("Kept")]);
    }

    #[test]
    fn nothing_to_rename_keeps_the_same_order() {
        let order = order(vec![
            item(Some("22402"), Some("Netflix 500 BDT")),
            item(None, None),
        ]);
        let same = with_item_labels(order.clone(), &labels(true));
        assert!(Rc::ptr_eq(&order, &same));
        let none = with_item_labels(order.clone(), &ItemLabels::default());
        assert!(Rc::ptr_eq(&order, &none));
    }
}
