//! What the widget tells the host page. Each variant becomes a `CustomEvent`
//! named `order-widget:<name>` on the host element. No variant can carry a code.

use crate::error::ErrorKind;
use crate::model::{Status, VoucherKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WidgetEvent {
    /// The first order was rendered.
    Ready { status: Status },
    /// The normalized status changed (fired once per change).
    Status {
        status: Status,
        previous: Option<Status>,
    },
    /// The order reached `delivered` (fired once).
    Delivered { codes: usize },
    /// The customer revealed codes (`count` codes, by kind of the first one).
    Reveal { count: usize },
    /// A copy was attempted; `ok` says whether it reached the clipboard.
    Copy {
        kind: VoucherKind,
        count: usize,
        ok: bool,
    },
    /// A check failed.
    Error { kind: ErrorKind },
}

impl WidgetEvent {
    /// The event name without the `order-widget:` prefix.
    pub fn name(&self) -> &'static str {
        match self {
            WidgetEvent::Ready { .. } => "ready",
            WidgetEvent::Status { .. } => "status",
            WidgetEvent::Delivered { .. } => "delivered",
            WidgetEvent::Reveal { .. } => "reveal",
            WidgetEvent::Copy { .. } => "copy",
            WidgetEvent::Error { .. } => "error",
        }
    }
}
