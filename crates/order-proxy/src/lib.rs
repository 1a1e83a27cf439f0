//! `order-proxy`: the server piece between a storefront's order page and the order vendor.
//!
//! It holds the vendor credentials, checks signed order tokens, validates ids,
//! rate-limits and caches before the vendor is touched, and (with `--mock`) runs
//! in-process mock vendors and the demo. `main.rs` is a thin CLI over [`serve`].

pub mod block;
pub mod cache;
pub mod cli;
pub mod client;
pub mod config;
pub mod deadlines;
pub mod demo;
pub mod error;
pub mod events;
pub mod flight;
pub mod hooks;
pub mod hub;
pub mod ids;
pub mod limits;
pub mod listener;
pub mod mock;
pub mod normalize;
pub mod orders;
pub mod routes;
pub mod schedule;
pub mod seal;
pub mod secret;
pub mod server;
pub mod shared;
pub mod slots;
pub mod static_files;
pub mod token;
pub mod upstream;
pub mod vendor;
pub mod webhook;

pub use config::{
    Config, ConnectionLimits, Limits, RedisConfig, ScheduleConfig, StreamLimits, UpstreamConfig,
};
pub use server::{serve, Server};
