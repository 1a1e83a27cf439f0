//! The bulk order's CSV file ("Download CSV"): one row per code with its item, kind, code,
//! PIN, expiry and redeem URL, quoted by the `csv` crate (RFC 4180), made in the browser
//! from the one reveal answer and never stored anywhere. Pure, tested natively.
//!
//! What it costs (`cargo xtask size`, docs/performance.md): about 21 KB of the gzipped
//! wasm, most of it Rust's float parser and its tables, which `csv-core`'s writer links
//! for its `NonNumeric` quote style (unused here; `wasm-opt --print-call-graph` shows the
//! call).

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::reveal_state::known;
use order_core::labels::Labels;
use order_core::model::Order;
use order_core::secret::Revealed;

/// Orders with more codes than this offer "Download CSV".
pub const BULK: usize = 5;

/// The file's type: spreadsheet apps open it as CSV, in UTF-8.
pub const MIME: &str = "text/csv;charset=utf-8";

/// `order-<number>-codes.csv`, with anything but letters, digits, `-` and `_` in the
/// order number replaced by `_` (it is outside data; a file name must not climb or hide).
pub fn file_name(order_number: &str) -> String {
    let id: String = order_number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("order-{id}-codes.csv")
}

/// The CSV of every code of `order`: its own values, else the proxy's answer for its
/// `ref`. Starts with a UTF-8 byte-order mark, so spreadsheet apps read non-Latin item
/// names right; rows end in CRLF. `None` when the CSV writer failed.
pub fn codes_csv(order: &Order, revealed: &[Revealed], labels: &Labels) -> Option<String> {
    let by_ref: BTreeMap<&str, &Revealed> = revealed
        .iter()
        .map(|revealed| (revealed.secret_ref.as_str(), revealed))
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let header = [
        "csv_item",
        "csv_kind",
        "code",
        "pin",
        "csv_expiry",
        "csv_redeem_url",
    ]
    .map(|key| labels.get(key));
    writer
        .write_record(header.map(|cell| neutralised(cell).into_owned()))
        .ok()?;
    for voucher in &order.vouchers {
        let fetched = voucher
            .secret_ref
            .as_deref()
            .and_then(|secret_ref| by_ref.get(secret_ref).copied());
        let secrets = known(voucher, fetched);
        let item = voucher
            .item
            .and_then(|index| order.items.get(index))
            .map(|item| item.name.as_deref().unwrap_or(labels.get("item_unnamed")));
        let row = [
            item.unwrap_or_default(),
            labels.get(voucher.kind.as_str()),
            secrets.map(|known| known.code).unwrap_or_default(),
            secrets.and_then(|known| known.pin).unwrap_or_default(),
            voucher.expires_at.as_deref().unwrap_or_default(),
            secrets
                .and_then(|known| known.claim_url)
                .unwrap_or_default(),
        ];
        writer
            .write_record(row.map(|cell| neutralised(cell).into_owned()))
            .ok()?;
    }
    String::from_utf8(writer.into_inner().ok()?).ok()
}

/// A cell that a spreadsheet app would run as a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, which makes it text (OWASP's
/// advice on CSV injection). Codes come from vendors and names from the shop: either may.
fn neutralised(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_core::model::{Item, Status, Vendor, Voucher, VoucherKind};

    fn item(name: Option<&str>) -> Item {
        Item {
            id: None,
            name: name.map(str::to_owned),
            quantity: Some(1),
            unit_price: None,
            fulfilled: None,
            fulfillment_status: None,
        }
    }

    fn read(csv: &str) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        reader
            .records()
            .map(|record| record.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn every_code_becomes_a_row_that_reads_back() {
        let mut order = Order::new(Vendor::Bdvoucher, "7".into(), "7".into(), Status::Delivered);
        order.items = vec![item(Some("Netflix, \"500\" BDT")), item(None)];
        let mut inline = Voucher::new("INLINE-0001", VoucherKind::Code);
        inline.item = Some(0);
        inline.pin = Some("1234".into());
        inline.expires_at = Some("2027-01-31".into());
        let mut withheld = Voucher::new("=HYPERLINK(\"x\")", VoucherKind::PickupCode);
        withheld.item = Some(1);
        withheld.claim_url = Some("https://r.example/redeem?c=%3DHYPERLINK".into());
        let revealed = withheld.revealed("r2").unwrap();
        let withheld = withheld.redacted("r2".into());
        let lost = Voucher::new("LOST-0003", VoucherKind::Code).redacted("r3".into());
        order.vouchers = vec![inline, withheld, lost];

        let labels = Labels::new("en", Vec::new());
        let csv = codes_csv(&order, &[revealed], &labels).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.ends_with("\r\n"));
        assert_eq!(
            read(&csv),
            [
                ["Item", "Kind", "Code", "PIN", "Expires", "Redeem URL"],
                [
                    "Netflix, \"500\" BDT",
                    "Code",
                    "INLINE-0001",
                    "1234",
                    "2027-01-31",
                    ""
                ],
                [
                    "Item",
                    "Pickup code",
                    "'=HYPERLINK(\"x\")",
                    "",
                    "",
                    "https://r.example/redeem?c=%3DHYPERLINK"
                ],
                ["", "Code", "", "", "", ""],
            ]
        );
    }

    #[test]
    fn formulas_are_neutralised_and_other_text_kept() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralised(cell), format!("'{cell}"));
        }
        for cell in ["A=1", "", "1-2", "'quoted", "ক-১"] {
            assert_eq!(neutralised(cell), cell);
        }
    }

    #[test]
    fn file_names_keep_to_safe_characters() {
        assert_eq!(file_name("20250500"), "order-20250500-codes.csv");
        assert_eq!(file_name("../a b/ক"), "order-___a_b__-codes.csv");
    }
}
