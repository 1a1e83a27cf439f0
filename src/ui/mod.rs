//! Yew function components, one per file. They know only `Order`, never vendor fields.

mod code_row;
mod codes;
mod copy_button;

pub use codes::Codes;
