//! The widget's views, one per file. They know only `Order`, never vendor fields.
//!
//! Components hold state (`Widget`: the order; `Codes`: what is revealed and copied);
//! everything else is a plain function from data to `Html`, which costs the wasm no
//! component machinery.

mod codes;
mod copy_button;
mod dom;
mod header;
mod items;
mod notice;
mod progress;
mod status_badge;
mod widget;

use std::rc::Rc;

use yew::AttrValue;

use crate::labels::Labels;

pub use codes::Codes;
pub use widget::{Remote, Widget, WidgetProps};

/// What every view needs to put text on screen: labels, locale and default currency.
#[derive(Clone, PartialEq)]
pub struct ViewContext {
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    pub currency: Option<AttrValue>,
}
