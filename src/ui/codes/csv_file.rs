//! The bulk order's CSV file ("Download CSV"): one row per code with its item, kind, code,
//! PIN, expiry and redeem URL, quoted by `csv-core` (RFC 4180), made in the browser from
//! the one reveal answer and never stored anywhere. Pure, tested natively (and read back
//! with the `csv` crate).
//!
//! Why `csv-core` and not the `csv` crate on top of it: measured with `cargo xtask size`,
//! the `csv` crate's writer added 21.8 KB gzipped to the wasm (it links Rust's float
//! parser and its tables, which this file never uses), `csv-core` a few hundred bytes.

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

/// `order-<id>-codes.csv`, with anything but letters, digits, `-` and `_` in the id
/// replaced by `_` (an id is outside data; a file name must not climb or hide).
pub fn file_name(order_id: &str) -> String {
    let id: String = order_id
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
    let mut csv = Csv::new();
    let header = [
        "csv_item",
        "csv_kind",
        "code",
        "pin",
        "csv_expiry",
        "csv_redeem_url",
    ]
    .map(|key| labels.get(key));
    csv.record(header)?;
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
        csv.record([
            item.unwrap_or_default(),
            labels.get(voucher.kind.as_str()),
            secrets.map(|known| known.code).unwrap_or_default(),
            secrets.and_then(|known| known.pin).unwrap_or_default(),
            voucher.expires_at.as_deref().unwrap_or_default(),
            secrets
                .and_then(|known| known.claim_url)
                .unwrap_or_default(),
        ])?;
    }
    csv.finish()
}

/// A CSV file being written: a UTF-8 byte-order mark, then records ending in CRLF.
struct Csv {
    writer: csv_core::Writer,
    bytes: Vec<u8>,
}

impl Csv {
    fn new() -> Csv {
        Csv {
            writer: csv_core::WriterBuilder::new()
                .terminator(csv_core::Terminator::CRLF)
                .build(),
            bytes: "\u{feff}".as_bytes().to_vec(),
        }
    }

    /// One record, each cell quoted where it must be and neutralised; `None` if the
    /// writer wanted more room than it says it ever needs.
    fn record<const N: usize>(&mut self, cells: [&str; N]) -> Option<()> {
        for (index, cell) in cells.into_iter().enumerate() {
            if index > 0 {
                self.step(|writer, out| writer.delimiter(out))?;
            }
            let cell = neutralised(cell);
            // A field takes at most 2 + 2 × its length (every byte a doubled quote).
            let mut out = vec![0; 2 + 2 * cell.len()];
            let (result, read, written) = self.writer.field(cell.as_bytes(), &mut out);
            if result != csv_core::WriteResult::InputEmpty || read != cell.len() {
                return None;
            }
            self.bytes.extend_from_slice(&out[..written]);
        }
        self.step(|writer, out| writer.terminator(out))
    }

    fn finish(mut self) -> Option<String> {
        self.step(|writer, out| writer.finish(out))?;
        String::from_utf8(self.bytes).ok()
    }

    /// A delimiter, terminator or end: at most a closing quote and two bytes.
    fn step(
        &mut self,
        write: impl FnOnce(&mut csv_core::Writer, &mut [u8]) -> (csv_core::WriteResult, usize),
    ) -> Option<()> {
        let mut out = [0; 4];
        let (result, written) = write(&mut self.writer, &mut out);
        self.bytes.extend_from_slice(out.get(..written)?);
        (result == csv_core::WriteResult::InputEmpty).then_some(())
    }
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
