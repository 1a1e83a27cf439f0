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
#[cfg(target_arch = "wasm32")]
pub mod intl;
// Only the browser's `intl` keeps formatters; the cache is pure and tested natively.
/// Natively (the server-rendered first paint), the same functions in English formats.
#[cfg(not(target_arch = "wasm32"))]
#[path = "intl_native.rs"]
pub mod intl;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod intl_cache;
mod money_text;
mod relative;
pub mod reveal;
