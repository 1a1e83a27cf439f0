//! Who may do what: order tokens (a page may see one order), webhook signatures (a vendor
//! or the shop's backend says an order changed) and the memory of webhooks already seen.

pub mod order_token;
pub mod replays;
pub mod webhook_signature;
