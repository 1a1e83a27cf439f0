//! bdvoucher (`GET /api/v1/orders/{id}`, `Authorization: Bearer <token>`), per spec 004.
//! The spec shows no envelope; the mock wraps the order in `data`.

use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use super::scenarios::{code, Phase, Scenario};
use super::{delivered_codes, header_is, Credentials, CREATED_AT};

pub fn authorized(headers: &HeaderMap, credentials: &Credentials) -> bool {
    header_is(
        headers,
        "authorization",
        &format!("Bearer {}", credentials.api_key.expose()),
    )
}

/// The variants the mock's items are (the spec's example): bdvoucher names no item, so a
/// shop names them by these ids (the widget's `itemLabels`).
pub const VARIANT_IDS: [u64; 2] = [22402, 22405];

/// The bulk order whose last code starts with `=`.
const BULK_ORDER: &str = "20250500";

/// Code number `n` of `scenario`. The bulk order's last one starts with `=`, as a careless
/// vendor's might: a spreadsheet would run it as a formula, so the widget's CSV neutralises it.
fn voucher_code(scenario: &Scenario, n: usize) -> String {
    let code = code("BDV", scenario.id, n);
    if scenario.id == BULK_ORDER && n + 1 == scenario.codes {
        format!("={code}")
    } else {
        code
    }
}

pub fn order(scenario: &Scenario, phase: Phase) -> Value {
    let (status, label, message) = match phase {
        Phase::Initiated => ("INITIATED", "Awaiting payment", "We are waiting for your payment to be confirmed."),
        Phase::Pending | Phase::Processing => ("PENDING", "Processing", "Payment received. Your vouchers are on their way."),
        Phase::Delivered => ("SUCCEEDED", "Delivered", "Your vouchers have been delivered."),
        // bdvoucher has no partial status: fulfilment is still running, item by item.
        Phase::PartiallyDelivered => (
            "PENDING",
            "Partly delivered",
            "Some of your vouchers are delivered; the rest are on their way.",
        ),
        Phase::NeedsAttention => (
            "NEEDS_ATTENTION",
            "Needs attention",
            "We received your payment but could not deliver your vouchers. Our team has been notified.",
        ),
        Phase::Failed | Phase::Refunded => ("FAILED", "Payment failed", "Your payment failed or was declined."),
        Phase::Cancelled => ("CANCELLED", "Cancelled", "This order was cancelled before payment."),
    };
    // The codes split over two items: the first gets two thirds, the second the rest.
    let second = scenario.codes / 3;
    let quantities: Vec<usize> = if second == 0 {
        vec![scenario.codes.max(1)]
    } else {
        vec![scenario.codes - second, second]
    };
    let delivered = delivered_codes(scenario, phase);
    let all_codes: Vec<String> = (0..delivered).map(|n| voucher_code(scenario, n)).collect();
    let mut start = 0;
    let items: Vec<Value> = quantities
        .iter()
        .zip(VARIANT_IDS)
        .enumerate()
        .map(|(index, (&quantity, variant_id))| {
            let codes: Vec<&String> = all_codes.iter().skip(start).take(quantity).collect();
            start += quantity;
            let fulfilled = delivered > 0 && codes.len() == quantity;
            let fulfillment_status = match phase {
                Phase::NeedsAttention => json!("DISPATCH_FAILED"),
                _ if fulfilled => json!("SUCCEEDED"),
                _ => Value::Null,
            };
            let voucher = codes.first().map_or(Value::Null, |first| {
                json!({
                    "code": first,
                    "status": "DELIVERED",
                    "serial_number": format!("SN-{}-{}", scenario.id, index + 1),
                    "expires_at": "2027-06-30T23:59:59Z",
                })
            });
            json!({
                "variant_id": variant_id,
                "quantity": quantity,
                "unit_price": if index == 0 { json!(500) } else { json!(250.5) },
                "fulfilled": fulfilled,
                "fulfilled_at": if fulfilled { json!(CREATED_AT) } else { Value::Null },
                "fulfillment_status": fulfillment_status,
                "voucher_codes": codes,
                "voucher": voucher,
            })
        })
        .collect();
    let total: f64 = quantities
        .iter()
        .enumerate()
        .map(|(index, &quantity)| quantity as f64 * if index == 0 { 500.0 } else { 250.5 })
        .sum();
    let internal_id: u64 = scenario
        .id
        .parse::<u64>()
        .map_or(0, |n| n % 100_000 + 50_000);
    json!({
        "data": {
            "id": internal_id,
            "order_number": scenario.id,
            "status": status,
            "status_label": label,
            "status_message": message,
            "total_amount": total,
            "currency": "BDT",
            "discount_code": null,
            "discount_amount": null,
            "voucher_codes": all_codes,
            "dispatched_email": if delivered > 0 { json!("customer@example.com") } else { Value::Null },
            "email_sent_at": if delivered > 0 { json!(CREATED_AT) } else { Value::Null },
            "items": items,
            "payments": [{ "status": "SUCCEEDED", "transaction_id": format!("TXN{}", scenario.id), "payment_method": "bkash" }],
            "created_at": CREATED_AT,
            "updated_at": CREATED_AT,
        }
    })
}

pub fn error(status: StatusCode) -> Value {
    let message = match status {
        StatusCode::UNAUTHORIZED => "Unauthorized",
        StatusCode::NOT_FOUND => "Order not found",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests",
        _ => "Internal server error",
    };
    json!({ "status": "error", "message": message })
}
