//! The canonical `Order` JSON (what `order-proxy normalize` prints), read back through the
//! model's own serde derive. It passes the same border checks as vendor bodies: a proxy is
//! outside data too.

use crate::model::{Order, StatusColors};
use crate::providers::checks::{hex_color, http_url};

/// `order` with every claim it makes re-checked.
pub fn to_order(mut order: Order) -> Order {
    order.terminal = order.status.is_terminal();
    order.status_colors = order.status_colors.and_then(|colors| {
        let colors = StatusColors {
            background: hex_color(colors.background),
            foreground: hex_color(colors.foreground),
            border: hex_color(colors.border),
        };
        (colors != StatusColors::default()).then_some(colors)
    });
    // A code pointing past the item list would be an out-of-range index in the UI.
    let items = order.items.len();
    for voucher in &mut order.vouchers {
        voucher.claim_url = http_url(voucher.claim_url.take());
        voucher.item = voucher.item.filter(|&index| index < items);
    }
    order
}
