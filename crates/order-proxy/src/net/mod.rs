//! Connections and who is on the other end: the listener (caps, timeouts, graceful
//! shutdown), connection slots per address, client addresses behind trusted proxies, and
//! the deadlines hyper does not keep.

pub mod client;
pub mod deadlines;
pub mod listener;
pub mod slots;
