//! An order's server-rendered first paint (`order_widget::server`) as this proxy's pages
//! get it: `GET /api/orders/{id}/view` and the demo page. Always from the redacted order:
//! no code or PIN is ever in the HTML.

use std::path::Path;

use order_core::model::Order;
use order_widget::config::{Locale, RawConfig, Strings, Text};
use order_widget::server::render_fragment;

use crate::codes::redacted;
use crate::error::ProxyError;
use crate::widget_files::{stylesheet_url, Manifest};

/// The order API the widget in the page asks (its `proxy`).
pub const PROXY: &str = "/api/orders/{id}";
/// The label sets the widget ships (`www/labels/<language>.json`, which `embed.js` loads).
const TRANSLATED: [&str; 2] = ["bn", "ar"];

/// The configuration of the widget in a page that asks this proxy for order `id`.
pub fn page_config(id: &str, locale: Option<Locale>) -> RawConfig {
    RawConfig {
        proxy: Some(Text(PROXY.to_owned())),
        order_id: Some(Text(id.to_owned())),
        locale,
        ..RawConfig::default()
    }
}

/// `?locale=`, checked as the widget checks it.
pub fn locale(tag: Option<String>) -> Result<Option<Locale>, ProxyError> {
    tag.map(|tag| Locale::try_from(Text(tag)).map_err(|_| ProxyError::InvalidLocale))
        .transpose()
}

/// The fragment of `order` (as kept, secrets included) rendered from its redacted copy, in
/// the labels `embed.js` would load for the locale, linking the built stylesheet.
pub async fn render(
    order: &Order,
    mut config: RawConfig,
    assets: &Path,
) -> Result<String, ProxyError> {
    if config.labels.is_none() {
        let tag = config
            .locale
            .as_ref()
            .map_or("en", |Locale(tag)| tag.as_str());
        config.labels = shipped_labels(assets, tag).await.map(Strings);
    }
    let stylesheet = stylesheet_url(Manifest::read(assets).await.as_ref());
    // The rest of the configuration is ours and the locale was checked: only the id could
    // be refused.
    render_fragment(redacted(order), config, &stylesheet)
        .await
        .map_err(|_| ProxyError::InvalidOrderId)
}

/// The shipped label set of `locale`'s language, `None` for English (built in) and others.
async fn shipped_labels(assets: &Path, locale: &str) -> Option<Vec<(String, String)>> {
    let language = locale.split(['-', '_']).next()?.to_ascii_lowercase();
    let language = TRANSLATED.into_iter().find(|known| *known == language)?;
    let path = assets.join(format!("www/labels/{language}.json"));
    let json = tokio::fs::read(path).await.ok()?;
    let labels: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&json).ok()?;
    Some(
        labels
            .into_iter()
            .filter_map(|(key, text)| Some((key, text.as_str()?.to_owned())))
            .collect(),
    )
}
