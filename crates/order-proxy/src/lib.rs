//! `order-proxy`: the server piece between a storefront's order page and the order vendor.
//!
//! It holds the vendor credentials, checks signed order tokens, validates ids,
//! rate-limits and caches before the vendor is touched, keeps each live order's vendor
//! schedule, and (with `--mock`) runs in-process mock vendors and the demo. `main.rs` is a
//! thin CLI over [`serve`].
//!
//! - [`app`]: the state every handler shares, and the checks every order route makes;
//! - [`handlers`]: one file per route (its router in `handlers/mod.rs`);
//! - [`auth`]: order tokens, webhook signatures, replays;
//! - [`codes`]: redacted orders, refs, the audit trail of reveals;
//! - [`first_paint`]: an order's server-rendered first paint, as the pages get it;
//! - [`orders`]: the one way to an order (cache, single flight, the vendor, its schedule);
//! - [`redis`]: what instances share through Redis;
//! - [`net`]: connections, client addresses, deadlines;
//! - [`metrics`]: the series of `GET /metrics` and the one call each event makes;
//! - [`widget_files`]: the widget's built files, as the pages name them;
//! - [`server`]: assembles the above and runs it.

pub mod app;
pub mod auth;
pub mod cli;
pub mod codes;
pub mod error;
pub mod first_paint;
pub mod handlers;
pub mod metrics;
pub mod mock;
pub mod net;
pub mod normalize;
pub mod orders;
pub mod rate_limits;
pub mod redis;
pub mod secret;
pub mod server;
pub mod settings;
pub mod widget_files;

pub use server::{serve, Server};
pub use settings::{
    Config, ConnectionLimits, Limits, RedisConfig, ScheduleConfig, StreamLimits, UpstreamConfig,
};
