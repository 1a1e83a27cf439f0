//! order-widget: shows an order's status and its codes, safely, in any storefront page.
//!
//! The pure core (`model`, `providers`, `poll`, `error`, `labels`, `events`) compiles
//! natively and is used by `order-proxy`; everything that touches the browser is
//! behind the `widget` feature.
//!
//! From JavaScript: `const handle = mount(element, config)`, then `handle.refresh()` and
//! `handle.destroy()`. The configuration keys are documented in [`config`].

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod error;
pub mod events;
pub mod labels;
pub mod model;
mod node;
pub mod poll;
pub mod providers;

#[cfg(feature = "widget")]
mod clipboard;
#[cfg(feature = "widget")]
pub mod config;
#[cfg(feature = "widget")]
pub mod dom_events;
#[cfg(feature = "widget")]
pub mod expiry;
#[cfg(feature = "widget")]
pub mod fetch;
#[cfg(feature = "widget")]
pub mod intl;
#[cfg(feature = "widget")]
mod poller;
#[cfg(feature = "widget")]
pub mod state;
#[cfg(feature = "widget")]
pub mod ui;

#[cfg(feature = "widget")]
pub use entry::{mount, mount_with, WidgetHandle};

#[cfg(feature = "widget")]
mod entry {
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;
    use web_sys::Element;
    use yew::AppHandle;

    use crate::config::{Config, RawConfig};
    use crate::fetch::{FetchTransport, Transport};
    use crate::ui::{Remote, Widget, WidgetProps};

    /// A mounted widget. `destroy()` stops its timers and requests and empties the element.
    #[wasm_bindgen]
    pub struct WidgetHandle {
        app: Option<AppHandle<Widget>>,
        remote: Remote,
    }

    #[wasm_bindgen]
    impl WidgetHandle {
        /// Checks the order now (like the customer's "Check again").
        pub fn refresh(&self) {
            if self.app.is_some() {
                self.remote.refresh();
            }
        }

        /// Unmounts the widget. Nothing of it runs afterwards; calling it again does nothing.
        pub fn destroy(&mut self) {
            if let Some(app) = self.app.take() {
                app.destroy();
            }
        }
    }

    /// Mounts a widget into `element`. Throws when the configuration is invalid.
    #[wasm_bindgen]
    pub fn mount(element: Element, config: JsValue) -> Result<WidgetHandle, JsError> {
        let default_locale = web_sys::window()
            .and_then(|window| window.navigator().language())
            .unwrap_or_else(|| "en".to_owned());
        // `firstResponse`: the first request, already started by the page (see `config`).
        let first_response = js_sys::Reflect::get(&config, &JsValue::from_str("firstResponse"))
            .unwrap_or(JsValue::UNDEFINED);
        let config = RawConfig::from_js(&config)
            .and_then(|raw| raw.validate(&default_locale))
            .map_err(|error| JsError::new(&error.to_string()))?;
        let transport = if first_response.is_undefined() || first_response.is_null() {
            FetchTransport::default()
        } else {
            FetchTransport::with_first_response(&first_response)
        };
        Ok(mount_with(element, config, Rc::new(transport)))
    }

    /// Mounts a widget with any transport (tests serve bodies without a server).
    pub fn mount_with(
        element: Element,
        config: Config,
        transport: Rc<dyn Transport>,
    ) -> WidgetHandle {
        let remote = Remote::default();
        let props = WidgetProps {
            config: Rc::new(config),
            transport,
            host: element.clone(),
            remote: remote.clone(),
        };
        let app = yew::Renderer::<Widget>::with_root_and_props(element, props).render();
        WidgetHandle {
            app: Some(app),
            remote,
        }
    }
}
