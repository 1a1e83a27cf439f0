//! `order-proxy`: the server piece between a storefront's order page and the order vendor.
//!
//! It holds the vendor credentials, checks signed order tokens, validates ids,
//! rate-limits and caches before the vendor is touched, and (with `--mock`) runs
//! in-process mock vendors and the demo. `main.rs` is a thin CLI over [`serve`].

pub mod cache;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod ids;
pub mod limits;
pub mod mock;
pub mod normalize;
pub mod routes;
pub mod secret;
pub mod server;
pub mod static_files;
pub mod token;
pub mod upstream;
pub mod vendor;

pub use config::{Config, Limits, UpstreamConfig};
pub use server::{serve, Server};
