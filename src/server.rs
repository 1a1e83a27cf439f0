//! The server-rendered first paint (`ssr` feature, native): an order's card rendered by the
//! same Yew components as the client's, as the content of `<order-widget>`'s declarative
//! shadow root. The page shows it with its HTML, before (and without) any script; when the
//! wasm is ready, `embed.js` mounts the client's render into the same shadow root and
//! swaps it in (see docs/architecture.md).
//!
//! Give it the redacted order (codes withheld): a server render never holds a secret.

use std::rc::Rc;
use std::time::{SystemTime, UNIX_EPOCH};

use yew::ServerRenderer;

use crate::config::{ConfigError, RawConfig};
use crate::ui::{FirstPaint, FirstPaintProps};
use order_core::model::Order;

/// The locale of a configuration without one (the browser's own is not known here).
const DEFAULT_LOCALE: &str = "en";

/// `<template shadowrootmode="open">` holding the stylesheet link and, in
/// `<div class="ow-first-paint">` (what `embed.js` replaces), the card of `order` as
/// the widget configured with `config` (the embedder's keys: `proxy` and `orderId` are
/// required as in the page) first shows it, its buttons disabled until the wasm takes over.
/// The caller puts it first inside the page's `<order-widget …>` element.
///
/// Refused (with the key named, as the browser's widget would) when `config` is invalid.
pub async fn render_fragment(
    order: Order,
    config: RawConfig,
    stylesheet_href: &str,
) -> Result<String, ConfigError> {
    let now_unix_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |since| since.as_millis() as f64);
    render_fragment_at(order, config, stylesheet_href, now_unix_ms).await
}

/// [`render_fragment`] as at `now_unix_ms` ("expires in …" depends on it).
pub async fn render_fragment_at(
    order: Order,
    config: RawConfig,
    stylesheet_href: &str,
    now_unix_ms: f64,
) -> Result<String, ConfigError> {
    let config = config.validate(DEFAULT_LOCALE)?;
    // The renderer wants `Send` props: the `Rc`s are made on its own thread.
    let card = ServerRenderer::<FirstPaint>::with_props(move || FirstPaintProps {
        order: Rc::new(order),
        config: Rc::new(config),
        now_unix_ms,
    })
    .hydratable(false)
    .render()
    .await;
    Ok(format!(
        r#"<template shadowrootmode="open"><link rel="stylesheet" href="{}"><div class="ow-first-paint">{}</div></template>"#,
        html_escape::encode_double_quoted_attribute(stylesheet_href),
        inert_buttons(&card)
    ))
}

/// `html` with every `<button` disabled: the server's copy answers no press (the client's
/// render that replaces it has the working ones). Yew escapes `<` in text and attribute
/// values, so every `<button` in its output opens a button element.
fn inert_buttons(html: &str) -> String {
    html.replace("<button ", "<button disabled ")
        .replace("<button>", "<button disabled>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disables_every_button() {
        assert_eq!(
            inert_buttons(r#"<button type="button">Copy</button><button>Hide</button>"#),
            r#"<button disabled type="button">Copy</button><button disabled>Hide</button>"#
        );
    }
}
