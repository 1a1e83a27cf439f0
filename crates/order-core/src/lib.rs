//! order-core: what order-widget (in the browser) and order-proxy (on the server) share,
//! with no web dependency: the order [`model`], vendor parsing ([`providers`]), the polling
//! [`schedule`], the widget's [`labels`], how a check fails ([`error`]), code [`expiry`],
//! and the payloads of the events the widget sends the page ([`host_events`]).
//!
//! Everything here is a plain function or a value, tested natively.

pub mod error;
pub mod expiry;
pub mod host_events;
pub mod labels;
pub mod model;
mod names;
pub mod providers;
pub mod schedule;
pub mod secret;
mod voucher_kind;
