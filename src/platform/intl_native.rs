//! The server's stand-in for the browser's `Intl` (see `intl`), for the server-rendered first
//! paint: the strings Chromium produces for English, in UTC. Other locales get the English
//! formats (the client's render, which replaces the server's, then shows the customer's
//! own), so a shop's page never waits on locale data the server does not carry.

use order_core::expiry::parse_timestamp;
use order_core::model::{is_decimal, Money};

use super::money_text::{amount_and_currency, plain_money};
use super::relative::relative_unit;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MS_PER_DAY: i64 = 86_400_000;

/// `money` as `Intl.NumberFormat("en", {style: "currency"})` writes it: `"$25.00"`,
/// `"BDT 1,500.00"` (a no-break space), `"¥1,501"`; without a currency, the amount grouped
/// with the vendor's decimals.
pub fn format_money(money: &Money, default_currency: Option<&str>, _locale: &str) -> String {
    let (amount, currency) = amount_and_currency(money, default_currency);
    if !is_decimal(amount) {
        return plain_money(amount, currency);
    }
    let Some(currency) = currency else {
        let decimals = amount.split_once('.').map_or(0, |(_, f)| f.len()).min(20);
        return grouped(amount, decimals, decimals.max(3));
    };
    let valid_code = currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_alphabetic());
    if !valid_code {
        // Intl throws a RangeError here; the browser's widget falls back the same way.
        return plain_money(amount, Some(currency));
    }
    let code = currency.to_ascii_uppercase();
    let digits = currency_digits(&code);
    let number = grouped(amount.trim_start_matches('-'), digits, digits);
    let sign = if amount.starts_with('-') && number.bytes().any(|b| b.is_ascii_digit() && b != b'0')
    {
        "-"
    } else {
        ""
    };
    match currency_symbol(&code) {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{code}\u{a0}{number}"),
    }
}

/// The symbols English uses for the common currencies; any other is written as its code.
fn currency_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "CNY" => "CN¥",
        "CAD" => "CA$",
        "AUD" => "A$",
        "NZD" => "NZ$",
        "HKD" => "HK$",
        "MXN" => "MX$",
        "BRL" => "R$",
        "TWD" => "NT$",
        "KRW" => "₩",
        "ILS" => "₪",
        "VND" => "₫",
        "PHP" => "₱",
        "XAF" => "FCFA",
        "XOF" => "F\u{202f}CFA",
        _ => return None,
    })
}

/// ISO 4217 minor units (what Intl rounds a currency to).
fn currency_digits(code: &str) -> usize {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// A plain decimal (`is_decimal`) rounded half away from zero to at most `max` and padded
/// to at least `min` decimals, its whole part grouped by thousands: `"1,234.57"`.
fn grouped(amount: &str, min: usize, max: usize) -> String {
    let negative = amount.starts_with('-');
    let unsigned = amount.trim_start_matches('-');
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut digits: Vec<u8> = whole
        .bytes()
        .chain(fraction.bytes())
        .map(|b| b - b'0')
        .collect();
    let mut whole_len = whole.len();
    let kept = whole_len + fraction.len().min(max);
    let round_up = digits.get(kept).is_some_and(|&d| d >= 5);
    digits.truncate(kept);
    if round_up {
        let mut at = kept;
        loop {
            if at == 0 {
                digits.insert(0, 1);
                whole_len += 1;
                break;
            }
            at -= 1;
            if digits[at] == 9 {
                digits[at] = 0;
            } else {
                digits[at] += 1;
                break;
            }
        }
    }
    let (whole, fraction) = digits.split_at(whole_len);
    let mut fraction: Vec<u8> = fraction.to_vec();
    while fraction.len() > min && fraction.last() == Some(&0) {
        fraction.pop();
    }
    fraction.resize(fraction.len().max(min), 0);
    let whole: Vec<u8> = match whole.iter().position(|&d| d != 0) {
        Some(first) => whole[first..].to_vec(),
        None => vec![0],
    };
    let mut text = String::new();
    let zero = whole == [0] && fraction.iter().all(|&d| d == 0);
    if negative && !zero {
        text.push('-');
    }
    for (i, digit) in whole.iter().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            text.push(',');
        }
        text.push(char::from(b'0' + digit));
    }
    if !fraction.is_empty() {
        text.push('.');
        text.extend(fraction.iter().map(|d| char::from(b'0' + d)));
    }
    text
}

/// `"Jan 10, 2025, 9:15 AM"` (UTC); a bare date as `"Jan 10, 2025"`.
pub fn format_date(iso: &str, _locale: &str) -> Option<String> {
    let at = parse_timestamp(iso)?;
    let day = day_text(at.unix_ms);
    if at.date_only {
        return Some(day);
    }
    let minutes = at.unix_ms.rem_euclid(MS_PER_DAY) / 60_000;
    let (hour, minute) = (minutes / 60, minutes % 60);
    let (hour12, half) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    Some(format!("{day}, {hour12}:{minute:02} {half}"))
}

/// `"Dec 31, 2027"` (UTC).
pub fn format_day(iso: &str, _locale: &str) -> Option<String> {
    parse_timestamp(iso).map(|at| day_text(at.unix_ms))
}

/// `Intl.RelativeTimeFormat("en", {numeric: "auto"})`: "in 5 days", "3 hours ago", "tomorrow".
pub fn format_relative(target_ms: f64, now_ms: f64, _locale: &str) -> String {
    let (value, unit) = relative_unit(target_ms - now_ms);
    let named = match (value as i64, unit) {
        (0, "second") => Some("now".to_owned()),
        (0, "day") => Some("today".to_owned()),
        (1, "day") => Some("tomorrow".to_owned()),
        (-1, "day") => Some("yesterday".to_owned()),
        (0, unit) => Some(format!("this {unit}")),
        (1, unit) => Some(format!("next {unit}")).filter(|_| matches!(unit, "month" | "year")),
        (-1, unit) => Some(format!("last {unit}")).filter(|_| matches!(unit, "month" | "year")),
        _ => None,
    };
    named.unwrap_or_else(|| {
        let count = value.abs() as i64;
        let plural = if count == 1 { "" } else { "s" };
        if value < 0.0 {
            format!("{count} {unit}{plural} ago")
        } else {
            format!("in {count} {unit}{plural}")
        }
    })
}

/// The UTC calendar day of `unix_ms`: `"Jan 10, 2025"`.
fn day_text(unix_ms: i64) -> String {
    let (year, month, day) = civil_from_days(unix_ms.div_euclid(MS_PER_DAY));
    let month = MONTHS[usize::try_from(month - 1).unwrap_or(0).min(11)];
    format!("{month} {day}, {year}")
}

/// Year, month (1–12) and day of the `days`-th day since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: &str, currency: Option<&str>) -> String {
        let money = Money {
            amount: amount.into(),
            currency: currency.map(Into::into),
        };
        format_money(&money, None, "en")
    }

    /// Every expected string is what Chromium 156 printed for the same call.
    #[test]
    fn money_as_chromium_writes_it_in_english() {
        assert_eq!(money("1500", Some("BDT")), "BDT\u{a0}1,500.00");
        assert_eq!(money("25", Some("LYD")), "LYD\u{a0}25.000");
        assert_eq!(money("1500.5", Some("JPY")), "¥1,501");
        assert_eq!(money("-3.505", Some("USD")), "-$3.51");
        assert_eq!(money("12", Some("XYZ")), "XYZ\u{a0}12.00");
        assert_eq!(money("1500", Some("EUR")), "€1,500.00");
        assert_eq!(money("1500", Some("GBP")), "£1,500.00");
        assert_eq!(money("1500", Some("INR")), "₹1,500.00");
        assert_eq!(money("1500", Some("CAD")), "CA$1,500.00");
        assert_eq!(money("999.995", Some("USD")), "$1,000.00");
        assert_eq!(money("1234.5600", None), "1,234.5600");
        assert_eq!(money("1234", None), "1,234");
        assert_eq!(money("1,5", Some("USD")), "1,5 USD");
        assert_eq!(money("5", Some("US$")), "5 US$");
    }

    #[test]
    fn rounds_and_groups() {
        assert_eq!(grouped("1234.56789", 4, 4), "1,234.5679");
        assert_eq!(grouped("1234.56789", 0, 3), "1,234.568");
        assert_eq!(grouped("0.004", 2, 2), "0.00");
        assert_eq!(grouped("-0.004", 2, 2), "0.00");
        assert_eq!(grouped("1234567", 0, 3), "1,234,567");
        assert_eq!(grouped("007", 0, 3), "7");
    }

    #[test]
    fn dates_as_chromium_writes_them_in_utc() {
        let date = |iso| format_date(iso, "en").unwrap();
        assert_eq!(date("2025-01-10T09:15:00Z"), "Jan 10, 2025, 9:15 AM");
        assert_eq!(date("2025-12-01T00:05:00Z"), "Dec 1, 2025, 12:05 AM");
        assert_eq!(date("2024-02-29T12:30:00Z"), "Feb 29, 2024, 12:30 PM");
        assert_eq!(date("2025-01-10T23:59:00+01:00"), "Jan 10, 2025, 10:59 PM");
        assert_eq!(date("2027-12-31"), "Dec 31, 2027");
        assert_eq!(
            format_day("2025-01-10T09:15:00Z", "en").unwrap(),
            "Jan 10, 2025"
        );
        assert_eq!(format_date("yesterday", "en"), None);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn relative_times_as_chromium_writes_them() {
        const DAY: f64 = 86_400_000.0;
        assert_eq!(format_relative(0.0, 0.0, "en"), "now");
        assert_eq!(format_relative(DAY, 0.0, "en"), "tomorrow");
        assert_eq!(format_relative(-DAY, 0.0, "en"), "yesterday");
        assert_eq!(format_relative(-3_600_000.0, 0.0, "en"), "1 hour ago");
        assert_eq!(format_relative(5.0 * DAY, 0.0, "en"), "in 5 days");
        assert_eq!(format_relative(-3.0 * DAY, 0.0, "en"), "3 days ago");
        assert_eq!(format_relative(-70.0 * DAY, 0.0, "en"), "2 months ago");
        assert_eq!(format_relative(366.0 * DAY, 0.0, "en"), "in 12 months");
        assert_eq!(format_relative(800.0 * DAY, 0.0, "en"), "in 2 years");
    }
}
