//! What the widget tells the host page. Each variant becomes a `CustomEvent` named
//! `order-widget:<name>` on the host element, its fields the event's `detail` (serialized
//! as they are named here). No variant can carry a code.

use serde::Serialize;

use crate::error::ErrorKind;
use crate::model::{Status, VoucherKind};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum HostEvent {
    /// The first order was rendered.
    Ready { status: Status },
    /// The normalized status changed (fired once per change); `previous` is `null` when
    /// there was none.
    Status {
        status: Status,
        previous: Option<Status>,
    },
    /// The order reached `delivered` (fired once).
    Delivered { codes: usize },
    /// The customer revealed `count` codes.
    Reveal { count: usize },
    /// A copy was attempted; `ok` says whether it reached the clipboard.
    Copy {
        kind: VoucherKind,
        count: usize,
        ok: bool,
    },
    /// A check failed.
    Error {
        #[serde(rename = "type")]
        kind: ErrorKind,
    },
}

impl HostEvent {
    /// The event name without the `order-widget:` prefix.
    pub fn name(&self) -> &'static str {
        match self {
            HostEvent::Ready { .. } => "ready",
            HostEvent::Status { .. } => "status",
            HostEvent::Delivered { .. } => "delivered",
            HostEvent::Reveal { .. } => "reveal",
            HostEvent::Copy { .. } => "copy",
            HostEvent::Error { .. } => "error",
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use serde_json::json;

    use super::*;

    /// The details as the README documents them.
    #[test]
    fn details_have_the_documented_shape() {
        let detail = |event: HostEvent| serde_json::to_value(event).unwrap();
        assert_eq!(
            detail(HostEvent::Ready {
                status: Status::Pending
            }),
            json!({"status": "pending"})
        );
        assert_eq!(
            detail(HostEvent::Status {
                status: Status::PartiallyDelivered,
                previous: None
            }),
            json!({"status": "partially_delivered", "previous": null})
        );
        assert_eq!(
            detail(HostEvent::Delivered { codes: 3 }),
            json!({"codes": 3})
        );
        assert_eq!(detail(HostEvent::Reveal { count: 2 }), json!({"count": 2}));
        assert_eq!(
            detail(HostEvent::Copy {
                kind: VoucherKind::PickupCode,
                count: 1,
                ok: false
            }),
            json!({"kind": "pickup_code", "count": 1, "ok": false})
        );
        assert_eq!(
            detail(HostEvent::Error {
                kind: ErrorKind::RateLimit
            }),
            json!({"type": "rate_limit"})
        );
    }
}
