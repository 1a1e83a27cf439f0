//! order-widget: shows an order's status and its codes, safely, in any storefront page.
//!
//! The pure core (`model`, `providers`, `poll`, `error`, `labels`, `events`) compiles
//! natively and is used by `order-proxy`; everything that touches the browser is
//! behind the `widget` feature.

pub mod error;
pub mod events;
pub mod labels;
pub mod model;
pub mod poll;
pub mod providers;

#[cfg(feature = "widget")]
mod clipboard;
#[cfg(feature = "widget")]
pub mod expiry;
#[cfg(feature = "widget")]
pub mod intl;
#[cfg(feature = "widget")]
pub mod ui;
