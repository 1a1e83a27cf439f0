//! order-widget: shows an order's status and its codes, safely, in any storefront page.
//!
//! The pure core (the order model, vendor parsing, the polling schedule, labels) is the
//! `order-core` crate, shared with order-proxy. This crate is what runs in the browser:
//! the embedder's [`config`], the [`platform`] adapters (fetch, the event source, clock,
//! clipboard, `Intl`, events to the page), the [`runtime`] that drives the schedule, and
//! the [`ui`].
//!
//! From JavaScript: `const handle = mount(element, config)`, then `handle.refresh()` and
//! `handle.destroy()`. The configuration keys are documented in [`config`].

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod config;
pub mod platform;
mod runtime;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

pub use entry::{mount, mount_with, WidgetHandle};

mod entry {
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;
    use web_sys::Element;
    use yew::AppHandle;

    use crate::config::{Config, RawConfig};
    use crate::platform::clock::{BrowserClock, Clock, SharedClock};
    use crate::platform::event_source::{EventSourceStreams, Streams};
    use crate::platform::fetch::{FetchTransport, Transport};
    use crate::ui::{Remote, Widget, WidgetProps};

    /// A mounted widget. `destroy()` stops its timers, requests and event stream and empties
    /// the element.
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
    ///
    /// `first_response`, optional: a `Promise<Response>` for the widget's own first request
    /// (same URL, headers and credentials), which the page started before the wasm was
    /// ready; the widget reads it instead of sending that request (`embed.js` does this).
    #[wasm_bindgen]
    pub fn mount(
        element: Element,
        config: JsValue,
        first_response: Option<js_sys::Promise>,
    ) -> Result<WidgetHandle, JsError> {
        let default_locale = web_sys::window()
            .and_then(|window| window.navigator().language())
            .unwrap_or_else(|| "en".to_owned());
        let config = RawConfig::from_js(&config)
            .and_then(|raw| raw.validate(&default_locale))
            .map_err(|error| JsError::new(&error.to_string()))?;
        let transport = match first_response {
            Some(started) => FetchTransport::with_first_response(started),
            None => FetchTransport::default(),
        };
        Ok(mount_with(
            element,
            config,
            Rc::new(transport),
            Rc::new(EventSourceStreams),
            Rc::new(BrowserClock),
        ))
    }

    /// Mounts a widget with any transport, event streams and clock (tests serve bodies
    /// without a server, push events by hand and advance time by hand).
    pub fn mount_with(
        element: Element,
        config: Config,
        transport: Rc<dyn Transport>,
        streams: Rc<dyn Streams>,
        clock: Rc<dyn Clock>,
    ) -> WidgetHandle {
        let remote = Remote::default();
        let props = WidgetProps {
            config: Rc::new(config),
            transport,
            streams,
            clock: SharedClock(clock),
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
