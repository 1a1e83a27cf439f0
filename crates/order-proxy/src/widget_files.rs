//! The widget's built files under `<assets>/www/pkg/`, by the names `cargo xtask dist` gave
//! them (`manifest.json`): the demo page's preload hints and the stylesheet a server-rendered
//! first paint links.

use std::path::Path;

use serde::Deserialize;

/// The URL of the widget's deployable folder, `<assets>/www/pkg/`.
pub const WIDGET_BASE: &str = "/www/pkg";
/// The stylesheet's unhashed name, before the first `cargo xtask dist`.
const STYLESHEET: &str = "order-widget.css";

/// The names `cargo xtask dist` gave the widget's files (`www/pkg/manifest.json`).
#[derive(Deserialize)]
pub struct Manifest {
    entry: String,
    glue: String,
    wasm: String,
    stylesheet: String,
}

impl Manifest {
    /// The current build's manifest; `None` before the first `cargo xtask dist`, or when a
    /// name is not a plain file name.
    pub async fn read(assets: &Path) -> Option<Manifest> {
        let json = tokio::fs::read(assets.join("www/pkg/manifest.json"))
            .await
            .ok()?;
        let manifest = serde_json::from_slice::<Manifest>(&json).ok()?;
        let all_plain = [
            &manifest.entry,
            &manifest.glue,
            &manifest.wasm,
            &manifest.stylesheet,
        ]
        .into_iter()
        .all(|name| plain(name));
        all_plain.then_some(manifest)
    }

    /// The `<link>`s that let the browser fetch the widget in parallel with the page,
    /// as a shop's backend renders them from the manifest.
    pub fn preload_hints(&self) -> String {
        [
            format!(r#"<link rel="modulepreload" href="{WIDGET_BASE}/{}">"#, self.entry),
            format!(r#"<link rel="modulepreload" href="{WIDGET_BASE}/{}">"#, self.glue),
            format!(
                r#"<link rel="preload" href="{WIDGET_BASE}/{}" as="fetch" type="application/wasm" crossorigin>"#,
                self.wasm
            ),
            format!(r#"<link rel="preload" href="{WIDGET_BASE}/{}" as="style">"#, self.stylesheet),
        ]
        .join("\n  ")
    }
}

/// The stylesheet's URL as `embed.js` links it (the same file: fetched once).
pub fn stylesheet_url(manifest: Option<&Manifest>) -> String {
    let name = manifest.map_or(STYLESHEET, |manifest| manifest.stylesheet.as_str());
    format!("{WIDGET_BASE}/{name}")
}

fn plain(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}
