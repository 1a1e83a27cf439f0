//! Each vendor's status vocabulary: the words it uses (upper case, `_` between words) and
//! the normalized [`Status`] each one means.

use crate::model::Status;

/// One vendor's status words and what each means.
pub type StatusWords = [(&'static str, Status)];

pub const HSMAIL: &StatusWords = &[
    ("PENDING", Status::Pending),
    ("PROCESSING", Status::Processing),
    ("COMPLETED", Status::Delivered),
    ("REFUNDED", Status::Refunded),
];

/// The status table is upper case, the example body lower case: both are read.
pub const VOUCHER_API: &StatusWords = &[
    ("PENDING", Status::Pending),
    ("PROCESSING", Status::Processing),
    ("DELIVERED", Status::Delivered),
    ("PARTIALLY_DELIVERED", Status::PartiallyDelivered),
    ("FAILED", Status::Failed),
    ("CANCELLED", Status::Cancelled),
    ("CANCELED", Status::Cancelled),
    ("REFUNDED", Status::Refunded),
];

/// Only `pending` and `cancelled` are documented; the rest are the keys such shops use.
/// `ready`/`ready_for_pickup` and on-the-way keys are `processing`, not `delivered`: the
/// customer still has to collect the order (with the pickup code), so polling goes on.
pub const SHOP: &StatusWords = &[
    ("PENDING", Status::Pending),
    ("NEW", Status::Pending),
    ("PLACED", Status::Pending),
    ("PROCESSING", Status::Processing),
    ("PREPARING", Status::Processing),
    ("ACCEPTED", Status::Processing),
    ("CONFIRMED", Status::Processing),
    ("IN_PROGRESS", Status::Processing),
    ("READY", Status::Processing),
    ("READY_FOR_PICKUP", Status::Processing),
    ("SHIPPED", Status::Processing),
    ("OUT_FOR_DELIVERY", Status::Processing),
    ("ON_THE_WAY", Status::Processing),
    ("COMPLETED", Status::Delivered),
    ("COMPLETE", Status::Delivered),
    ("DELIVERED", Status::Delivered),
    ("DONE", Status::Delivered),
    ("FULFILLED", Status::Delivered),
    ("PICKED_UP", Status::Delivered),
    ("REJECTED", Status::Failed),
    ("FAILED", Status::Failed),
    ("DECLINED", Status::Failed),
    ("CANCELLED", Status::Cancelled),
    ("CANCELED", Status::Cancelled),
    ("REFUNDED", Status::Refunded),
    ("RETURNED", Status::Refunded),
];

/// PENDING means *paid, fulfilment running* (INITIATED is "awaiting payment").
pub const BDVOUCHER: &StatusWords = &[
    ("INITIATED", Status::Initiated),
    ("PENDING", Status::Processing),
    ("CARRIER_AUTHORIZED", Status::Authorized),
    ("SUCCEEDED", Status::Delivered),
    ("NEEDS_ATTENTION", Status::NeedsAttention),
    ("FAILED", Status::Failed),
    ("CANCELLED", Status::Cancelled),
    ("CANCELED", Status::Cancelled),
];

/// The status the vendor's word `raw` names in `words`, and, when `words` does not know
/// it, the word itself as the label to show.
pub fn status(raw: Option<String>, words: &StatusWords) -> (Status, Option<String>) {
    let known = raw.as_deref().and_then(|raw| {
        words
            .iter()
            .find(|(word, _)| is_status_word(raw, word))
            .map(|&(_, status)| status)
    });
    match known {
        Some(status) => (status, None),
        None => (Status::Unknown, raw),
    }
}

/// True when the vendor's status `raw`, trimmed, with `-` and spaces as `_`, is `word` in
/// any ASCII case ("DONÉ" is not "DONE").
fn is_status_word(raw: &str, word: &str) -> bool {
    raw.trim()
        .replace(['-', ' '], "_")
        .eq_ignore_ascii_case(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_compare_loosely() {
        assert!(is_status_word(
            " partially-delivered ",
            "PARTIALLY_DELIVERED"
        ));
        assert!(is_status_word("Ready for pickup", "READY_FOR_PICKUP"));
        assert!(!is_status_word("Ready  for pickup", "READY_FOR_PICKUP"));
        assert!(!is_status_word("DONÉ", "DONE"));
    }

    #[test]
    fn an_unknown_word_is_kept_as_the_label() {
        assert_eq!(
            status(Some("paid".into()), HSMAIL),
            (Status::Unknown, Some("paid".into()))
        );
        assert_eq!(
            status(Some("completed".into()), HSMAIL),
            (Status::Delivered, None)
        );
        assert_eq!(status(None, HSMAIL), (Status::Unknown, None));
    }
}
