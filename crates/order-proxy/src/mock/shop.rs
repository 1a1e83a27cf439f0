//! shop (`GET /api/developer/v1/orders/{orderId}`, `Authorization: Bearer <token>`), per spec 003.

use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use super::scenarios::{Phase, Scenario};
use super::{header_is, Credentials, CREATED_AT};

pub fn authorized(headers: &HeaderMap, credentials: &Credentials) -> bool {
    header_is(
        headers,
        "authorization",
        &format!("Bearer {}", credentials.api_key.expose()),
    )
}

pub fn order(scenario: &Scenario, phase: Phase) -> Value {
    let (key, title, role) = match phase {
        Phase::Initiated | Phase::Pending => ("pending", "Pending", "neutral"),
        Phase::Processing | Phase::NeedsAttention => ("processing", "Preparing", "info"),
        Phase::Delivered | Phase::PartiallyDelivered => {
            ("completed", "Ready for pickup", "success")
        }
        Phase::Failed | Phase::Refunded => ("rejected", "Rejected", "error"),
        Phase::Cancelled => ("cancelled", "Cancelled", "error"),
    };
    let seed = scenario.id.bytes().map(u32::from).sum::<u32>();
    let mut data = json!({
        "id": scenario.id,
        "service": "shop",
        "receipt_number": null,
        "cash_amount": 0,
        "subtotal": 45.5,
        "total": 50.5,
        "total_quantity": "2",
        "created_at": CREATED_AT,
        "currency": "LYD",
        "is_active": key != "cancelled",
        "delivery_charge": 0,
        "service_charge": 5,
        "status": {
            "key": key,
            "title": title,
            "created_at": null,
            "aliases": [],
            "decoration": {
                "background_color": null,
                "foreground_color": { "light_hex": "#1a7f37", "dark_hex": "#4ac26b", "role": role },
                "border_color": null,
                "border_radius": null,
                "featured_icon": null
            }
        },
        "customer": { "id": "CUST_1", "name": "Demo Customer" },
        "print_order_number": format!("#{}", 1000 + seed),
        "items": [
            {
                "id": "ITEM_1",
                "price": 20.5,
                "quantity": 1,
                "product": shop_product("PROD_1", "Gift box", 20.5),
                "customizations": null
            },
            {
                "id": "ITEM_2",
                "price": 25,
                "quantity": 1,
                "product": shop_product("PROD_2", "Coffee beans 1 kg", 25.0),
                "customizations": null
            }
        ],
        "payment_method": {
            "id": null, "key": "Cash", "title": "Cash", "sub_title": null,
            "payment_type": null, "featured_image": null, "form": null
        },
        "delivery_method": { "id": "pickup", "name": "Pickup", "featured_image": null },
        "is_pickup": true,
        "can_mark_as_ready": false,
        "vendor": { "id": "VENDOR_1", "name": "Demo Vendor", "featured_image": "" }
    });
    // The one-time codes are omitted (not null) until available, as the spec says.
    if key == "completed" {
        data["pickup_otp"] = Value::String(format!("{:06}", (seed * 7919) % 1_000_000));
        data["return_otp"] = Value::String(format!("{:06}", (seed * 104_729) % 1_000_000));
    }
    json!({ "data": data })
}

fn shop_product(id: &str, name: &str, price: f64) -> Value {
    json!({
        "id": id, "vendor_id": "VENDOR_1", "vendor_reference_id": null, "service": "shop",
        "name": name, "featured_image": "", "images": [], "barcode": null,
        "price": price, "original_price": null, "currency": "LYD", "is_available": true
    })
}

pub fn error(status: StatusCode) -> Value {
    let message = match status {
        StatusCode::UNAUTHORIZED => "Unauthenticated.",
        StatusCode::NOT_FOUND => "Order not found",
        StatusCode::TOO_MANY_REQUESTS => "Too Many Attempts.",
        _ => "Server Error",
    };
    json!({ "status": "error", "message": message })
}
