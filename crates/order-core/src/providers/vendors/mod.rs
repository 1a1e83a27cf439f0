//! One file per vendor format: its wire structs as the vendor's spec shows them, and the
//! one function that maps them into an [`Order`](crate::model::Order). `canonical` reads
//! the project's own `Order` JSON back.

pub mod bdvoucher;
pub mod canonical;
pub mod hsmail;
pub mod shop;
pub mod voucher_api;
