//! Sends [`HostEvent`]s to the host page as `order-widget:<name>` `CustomEvent`s that
//! bubble out of the shadow root. Details hold counts, kinds and statuses, never a code.

use serde::Serialize;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

use order_core::host_events::HostEvent;

pub const PREFIX: &str = "order-widget:";

/// Dispatches `event` on `target`. A host page listener that throws cannot break the
/// widget: failures are ignored.
pub fn dispatch(target: &EventTarget, event: &HostEvent) {
    // `None` becomes `null`, as the README documents (`previous: null`), not `undefined`.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    let Ok(detail) = event.serialize(&serializer) else {
        return;
    };
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    let name = format!("{PREFIX}{}", event.name());
    if let Ok(custom) = CustomEvent::new_with_event_init_dict(&name, &init) {
        let _ = target.dispatch_event(&custom);
    }
}
