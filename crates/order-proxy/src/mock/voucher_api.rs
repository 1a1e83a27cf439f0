//! voucher-api (`GET /api/v1/orders/{id}`, `X-API-Key` + `X-API-Secret`), per spec 002.

use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use super::scenarios::{code, Phase, Scenario};
use super::{delivered_codes, header_is, Credentials, CREATED_AT};

pub fn authorized(headers: &HeaderMap, credentials: &Credentials) -> bool {
    let secret = credentials
        .api_secret
        .as_ref()
        .map_or("", |secret| secret.expose());
    header_is(headers, "x-api-key", credentials.api_key.expose())
        && header_is(headers, "x-api-secret", secret)
}

pub fn order(scenario: &Scenario, phase: Phase) -> Value {
    let status = match phase {
        Phase::Initiated | Phase::Pending => "pending",
        Phase::Processing | Phase::NeedsAttention => "processing",
        Phase::Delivered => "delivered",
        Phase::PartiallyDelivered => "partially_delivered",
        Phase::Failed | Phase::Refunded => "failed",
        Phase::Cancelled => "cancelled",
    };
    let id: u64 = scenario.id.parse().unwrap_or(0);
    let quantity = scenario.codes.max(1);
    let vouchers: Vec<Value> = (0..delivered_codes(scenario, phase))
        .map(|n| {
            let card = code("VA", scenario.id, n);
            json!({
                "claim_url": format!("https://redeem.example.com/{card}"),
                "card_number": card,
                "voucher_reference_number": format!("REF-{}-{}", scenario.id, n + 1),
                "pin_code": format!("{:04}", (n * 37 + id as usize * 7 + 4321) % 10_000),
                "expires_at": "2027-12-31T23:59:59Z",
            })
        })
        .collect();
    json!({
        "id": id,
        "reference_code": format!("ORD-{}", scenario.id),
        "transaction_id": 7000 + id,
        "amount": format!("{}.00", 25 * quantity),
        "product_id": 1001,
        "denomination": "25.00",
        "quantity": quantity,
        "discount": "0.00",
        "vouchers": vouchers,
        "status": status,
        "placed_at": CREATED_AT,
    })
}

pub fn error(status: StatusCode) -> Value {
    let (kind, message) = match status {
        StatusCode::UNAUTHORIZED => ("unauthorized", "Invalid or expired access token"),
        StatusCode::NOT_FOUND => ("not_found", "No Matching Result Found!"),
        StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "Too many requests"),
        _ => ("internal_error", "Failed to retrieve order"),
    };
    json!({ "error": kind, "message": message })
}
