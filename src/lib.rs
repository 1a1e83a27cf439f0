//! order-widget: shows an order's status and its codes, safely, in any storefront page.
//!
//! The pure core (`model`, `providers`, `poll`, `error`) compiles natively and is used
//! by `order-proxy`; everything that touches the browser is behind the `widget` feature.

pub mod error;
pub mod model;
pub mod providers;
