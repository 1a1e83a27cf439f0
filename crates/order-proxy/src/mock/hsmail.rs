//! hsmail (`GET /v1/order/{id}`, `Authorization: <key>`), per specs 000/001.

use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use super::scenarios::{code, Phase, Scenario};
use super::{delivered_codes, header_is, Credentials, CREATED_AT};

pub fn authorized(headers: &HeaderMap, credentials: &Credentials) -> bool {
    header_is(headers, "authorization", credentials.api_key.expose())
}

pub fn order(scenario: &Scenario, phase: Phase) -> Value {
    // The mock keys these hsmail variants off the scenario id (see the scenario table).
    let is_service = scenario.id.contains("SERVICE");
    let (status, message) = match phase {
        Phase::Initiated | Phase::Pending => {
            ("PENDING", "Order received. It will be processed shortly.")
        }
        Phase::Processing | Phase::NeedsAttention => (
            "PROCESSING",
            "Order is processing. Admin will complete it soon",
        ),
        Phase::Delivered | Phase::PartiallyDelivered => ("COMPLETED", "Order completed."),
        Phase::Failed | Phase::Refunded | Phase::Cancelled => {
            ("REFUNDED", "Order refunded to your balance.")
        }
    };
    let lines: Vec<String> = (0..delivered_codes(scenario, phase))
        .map(|n| {
            if n == 2 {
                format!(
                    "buyer{}@example.com:Pw-{}",
                    scenario.id,
                    code("X", scenario.id, n)
                )
            } else {
                code("HSM", scenario.id, n)
            }
        })
        .collect();
    let mut data = json!({
        "id": scenario.id,
        "productName": if is_service { "Account boosting (manual service)" } else { "Steam Wallet Code 20 USD" },
        "status": status,
        "statusMessage": message,
        "totalCost": if is_service { json!(1500) } else { json!(2450.5) },
        "isService": is_service,
        "deliveryData": null,
        "createdAt": CREATED_AT,
    });
    // The delayed order delivers through `items` (manual products), the others through
    // `deliveryData` (one per line, with the CRLF and trailing blank line seen in the wild).
    if !lines.is_empty() {
        if scenario.id.ends_with("10") {
            let items: Vec<Value> = lines
                .iter()
                .enumerate()
                .map(|(n, content)| json!({ "uid": format!("U{}{n}", scenario.id), "content": content }))
                .collect();
            data["items"] = Value::Array(items);
        } else {
            data["deliveryData"] = Value::String(format!("{}\r\n\r\n", lines.join("\r\n")));
        }
    }
    json!({ "status": "success", "data": data })
}

pub fn error(status: StatusCode) -> Value {
    let message = match status {
        StatusCode::UNAUTHORIZED => "Invalid API key",
        StatusCode::NOT_FOUND => "Order not found",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests, slow down",
        _ => "Internal server error",
    };
    json!({ "status": "error", "message": message })
}
