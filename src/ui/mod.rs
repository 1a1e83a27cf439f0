//! The widget's views: function components with Props, one per file (or folder, for the
//! codes list). They know only `Order`, never vendor fields.
//!
//! State lives in two reducers, each next to its state: the widget's (`widget_state`: the
//! order, errors, polling) and the codes list's (`codes::reveal_state`: what is revealed
//! and copied). Everything below them gets values and callbacks as props, so a change
//! re-renders only the components whose props changed.

mod card;
mod check_again;
mod codes;
mod dom;
#[cfg(feature = "ssr")]
mod first_paint;
mod header;
mod item_names;
mod items;
mod marks;
mod notice;
mod progress;
mod status_badge;
mod widget;
pub(crate) mod widget_state;

use std::rc::Rc;

use yew::AttrValue;

use order_core::labels::Labels;

pub use codes::Codes;
#[cfg(feature = "ssr")]
pub use first_paint::{FirstPaint, FirstPaintProps};
pub use widget::{Remote, Widget, WidgetProps};

/// What every view needs to put text on screen: labels, locale and default currency.
#[derive(Clone, PartialEq)]
pub struct ViewContext {
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    pub currency: Option<AttrValue>,
}
