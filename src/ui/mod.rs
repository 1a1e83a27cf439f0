//! Yew function components, one per file. They know only `Order`, never vendor fields.

mod code_row;
mod codes;
mod copy_button;
mod header;
mod items;
mod notice;
mod progress;
mod status_badge;
mod widget;

pub use codes::Codes;
pub use widget::{Remote, Widget, WidgetProps};
