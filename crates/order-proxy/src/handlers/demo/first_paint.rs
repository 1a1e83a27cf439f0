//! The demo page of `/?order=<id>` as a shop's server renders its order page: the order
//! token minted here (no token request from the browser) and the widget's element with the
//! order's server-rendered first paint inside, at the page's marker. `&first-paint=0`, a
//! `?token=` of the visitor's, or an order the proxy cannot answer leave it to the browser
//! (`demo.js`), as before.

use order_widget::config::{RawConfig, Strings};
use serde::Deserialize;

use crate::app::AppState;
use crate::first_paint;
use crate::net::client::ClientKey;

/// The demo page's query (`demo.js` reads the same).
#[derive(Deserialize, Default)]
pub struct DemoQuery {
    order: Option<String>,
    provider: Option<String>,
    locale: Option<String>,
    live: Option<String>,
    token: Option<String>,
    #[serde(rename = "reveal-timeout")]
    reveal_timeout: Option<String>,
    #[serde(rename = "first-paint")]
    first_paint: Option<String>,
}

/// What this shop sells bdvoucher's variants as: `demo.js`'s `SHOP_ITEM_NAMES`, which the
/// client-only page (`&first-paint=0`) sets.
const SHOP_ITEM_NAMES: [(&str, &str); 2] = [
    ("22402", "Free Fire 100 Diamonds (top-up)"),
    ("22405", "Google Play gift card 500 BDT"),
];

/// `<order-widget …>` with the first paint of the query's order, or `None` for the
/// client-only page.
pub async fn widget_element(
    state: &AppState,
    client: ClientKey,
    query: DemoQuery,
) -> Option<String> {
    let id = query.order.filter(|id| !id.is_empty())?;
    if query.first_paint.as_deref() == Some("0") || query.token.is_some() {
        return None;
    }
    let locale = first_paint::locale(Some(query.locale.unwrap_or_else(|| "en".to_owned()))).ok()?;
    let token = super::mint_token(state, &id, query.provider.as_deref()).ok()?;
    let target = state
        .admit(client, &id, query.provider.as_deref(), Some(Ok(&token)))
        .ok()?;
    let (fetched, _) = state.orders.current(target, &id).await.ok()?;
    let item_labels = SHOP_ITEM_NAMES.map(|(id, name)| (id.to_owned(), name.to_owned()));
    let item_labels_json = serde_json::Value::from_iter(
        item_labels
            .iter()
            .map(|(id, name)| (id.clone(), serde_json::Value::from(name.as_str()))),
    )
    .to_string();
    let config = RawConfig {
        item_labels: Some(Strings(item_labels.to_vec())),
        ..first_paint::page_config(&id, locale.clone())
    };
    let fragment = first_paint::render(&fetched.order, config, &state.assets)
        .await
        .ok()?;

    let live = query.live.as_deref() != Some("0");
    let mut attributes = vec![
        ("order-id", id.as_str()),
        ("proxy", first_paint::PROXY),
        ("token", token.as_str()),
        ("locale", locale.as_ref().map_or("en", |tag| tag.0.as_str())),
        ("item-labels", item_labels_json.as_str()),
    ];
    if live {
        attributes.push(("events", "/api/orders/{id}/events"));
    }
    if let Some(seconds) = query.reveal_timeout.as_deref() {
        attributes.push(("reveal-timeout", seconds));
    }
    let attributes: String = attributes
        .into_iter()
        .map(|(name, value)| {
            format!(
                r#" {name}="{}""#,
                html_escape::encode_double_quoted_attribute(value)
            )
        })
        .collect();
    Some(format!(
        "<order-widget{attributes}>{fragment}</order-widget>"
    ))
}
