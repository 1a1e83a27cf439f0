//! The browser, behind small seams the tests can replace: requests ([`fetch`], and the
//! reveal endpoints through it: [`reveal`]), the order's event stream ([`event_source`]),
//! time and timers ([`clock`]), the clipboard, saving a file ([`download`]), `Intl`
//! formatting (natively, for the server-rendered first paint, `intl_native`'s English
//! stand-in), and the events the widget sends to the page ([`host_events`]).

pub mod clipboard;
pub mod clock;
pub mod download;
pub mod event_source;
pub mod fetch;
pub mod host_events;
pub mod intl;
#[cfg(not(target_arch = "wasm32"))]
mod intl_native;
pub mod reveal;
