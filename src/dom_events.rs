//! Sends [`WidgetEvent`]s to the host page as `order-widget:<name>` `CustomEvent`s that
//! bubble out of the shadow root. Details hold counts, kinds and statuses, never a code.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

use crate::events::WidgetEvent;
use crate::model::VoucherKind;

pub const PREFIX: &str = "order-widget:";

/// Dispatches `event` on `target`. A host page listener that throws cannot break the
/// widget: failures are ignored.
pub fn dispatch(target: &EventTarget, event: &WidgetEvent) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail(event));
    let name = [PREFIX, event.name()].concat();
    if let Ok(custom) = CustomEvent::new_with_event_init_dict(&name, &init) {
        let _ = target.dispatch_event(&custom);
    }
}

fn detail(event: &WidgetEvent) -> JsValue {
    let detail = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&detail, &JsValue::from_str(key), &value);
    };
    let count = |n: usize| JsValue::from(u32::try_from(n).unwrap_or(u32::MAX));
    match event {
        WidgetEvent::Ready { status } => set("status", status.as_str().into()),
        WidgetEvent::Status { status, previous } => {
            set("status", status.as_str().into());
            set(
                "previous",
                previous.map_or(JsValue::NULL, |p| p.as_str().into()),
            );
        }
        WidgetEvent::Delivered { codes } => set("codes", count(*codes)),
        WidgetEvent::Reveal { count: n } => set("count", count(*n)),
        WidgetEvent::Copy { kind, count: n, ok } => {
            let kind = match kind {
                VoucherKind::Code => "code",
                VoucherKind::Credential => "credential",
                VoucherKind::PickupCode => "pickup_code",
                VoucherKind::ReturnCode => "return_code",
            };
            set("kind", kind.into());
            set("count", count(*n));
            set("ok", JsValue::from_bool(*ok));
        }
        WidgetEvent::Error { kind } => set("type", kind.as_str().into()),
    }
    detail.into()
}
