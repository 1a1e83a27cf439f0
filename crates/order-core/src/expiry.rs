//! Timestamps and expiry: RFC 3339 / ISO 8601 text to unix milliseconds, and where an
//! expiry stands relative to now. Pure; tested natively. Hand-parsed because vendors send
//! more than RFC 3339 allows (no seconds, no offset) and `Date.parse` reads these forms
//! differently (see the README's "Reading vendor bodies").

/// A parsed timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub unix_ms: i64,
    /// The calendar year as written (before applying the offset).
    pub year: i32,
    /// `2027-12-31` without a time: a calendar day, not an instant in any time zone.
    pub date_only: bool,
}

const MS_PER_DAY: i64 = 86_400_000;
/// Within this much of its expiry a code gets a warning.
pub const SOON_MS: i64 = 7 * MS_PER_DAY;
/// Vendors write "never expires" as a date in the far future (`9999-12-31`, `3000-01-01`).
const NO_EXPIRY_FROM_YEAR: i32 = 3000;

/// Parses `YYYY-MM-DD`, optionally followed by `T` (or a space) and `hh:mm[:ss[.fff]]`
/// and an offset (`Z`, `±hh:mm`, `±hhmm`, `±hh`). A time without an offset is read as
/// UTC: vendors that omit the offset send UTC, and a guess is better than nothing.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let year = digits(bytes, 0, 4)?;
    let month = digits(bytes, 5, 2)?;
    let day = digits(bytes, 8, 2)?;
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(year).ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let rest = bytes.get(10..)?;
    if rest.is_empty() {
        return Some(Timestamp {
            unix_ms: days * MS_PER_DAY,
            year,
            date_only: true,
        });
    }
    if !matches!(rest.first(), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (time_ms, rest) = parse_time(rest.get(1..)?)?;
    let offset_ms = parse_offset(rest)?;
    Some(Timestamp {
        unix_ms: days * MS_PER_DAY + time_ms - offset_ms,
        year,
        date_only: false,
    })
}

/// Where a code's expiry stands at `now_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// The vendor gave no expiry.
    None,
    /// The vendor gave text that is not a date: show it as it is.
    Unreadable,
    /// A far-future sentinel: the code does not expire.
    Never,
    /// Expires more than 7 days from now.
    Valid(Timestamp),
    /// Expires within 7 days: warn.
    Soon(Timestamp),
    Expired(Timestamp),
}

impl Expiry {
    pub fn classify(expires_at: Option<&str>, now_ms: i64) -> Expiry {
        let Some(text) = expires_at else {
            return Expiry::None;
        };
        let Some(at) = parse_timestamp(text) else {
            return Expiry::Unreadable;
        };
        // A date-only expiry lasts through that day.
        let end_ms = if at.date_only {
            at.unix_ms + MS_PER_DAY
        } else {
            at.unix_ms
        };
        let left_ms = end_ms - now_ms;
        if at.year >= NO_EXPIRY_FROM_YEAR {
            Expiry::Never
        } else if left_ms <= 0 {
            Expiry::Expired(at)
        } else if left_ms <= SOON_MS {
            Expiry::Soon(at)
        } else {
            Expiry::Valid(at)
        }
    }
}

/// The number at `bytes[start..start + len]`, all ASCII digits.
fn digits(bytes: &[u8], start: usize, len: usize) -> Option<u32> {
    let field = bytes.get(start..start + len)?;
    if !field.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(field).ok()?.parse().ok()
}

/// `hh:mm[:ss[.fraction]]`; returns milliseconds into the day and what follows.
fn parse_time(bytes: &[u8]) -> Option<(i64, &[u8])> {
    let hour = digits(bytes, 0, 2)?;
    let minute = digits(bytes, 3, 2)?;
    if bytes.get(2) != Some(&b':') || hour > 23 || minute > 59 {
        return None;
    }
    let mut ms = i64::from(hour * 3600 + minute * 60) * 1000;
    let mut rest = bytes.get(5..)?;
    if rest.first() == Some(&b':') {
        let second = digits(rest, 1, 2)?;
        // 60 is a leap second: count it as the last second of the minute.
        if second > 60 {
            return None;
        }
        ms += i64::from(second.min(59)) * 1000;
        rest = rest.get(3..)?;
        if matches!(rest.first(), Some(b'.' | b',')) {
            let fraction = rest.get(1..)?;
            let length = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if length == 0 {
                return None;
            }
            ms += fraction_millis(fraction);
            rest = fraction.get(length..)?;
        }
    }
    Some((ms, rest))
}

/// The first three digits of a second's fraction as milliseconds ("5" is 500, "1234" is 123).
fn fraction_millis(digits: &[u8]) -> i64 {
    let mut millis = 0;
    let mut digits = digits.iter().take_while(|b| b.is_ascii_digit());
    for _ in 0..3 {
        let digit = digits.next().map_or(0, |b| b - b'0');
        millis = millis * 10 + i64::from(digit);
    }
    millis
}

/// `Z`, `±hh:mm`, `±hhmm`, `±hh`, or nothing (UTC). Returns the offset in milliseconds.
fn parse_offset(bytes: &[u8]) -> Option<i64> {
    let sign = match bytes.first() {
        None => return Some(0),
        Some(b'Z' | b'z') => return (bytes.len() == 1).then_some(0),
        Some(b'+') => 1,
        Some(b'-') => -1,
        Some(_) => return None,
    };
    let hours = digits(bytes, 1, 2)?;
    let minutes = match bytes.len() {
        3 => 0,
        5 => digits(bytes, 3, 2)?,
        6 if bytes.get(3) == Some(&b':') => digits(bytes, 4, 2)?,
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * i64::from(hours * 60 + minutes) * 60_000)
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> Option<i64> {
        parse_timestamp(text).map(|t| t.unix_ms)
    }

    #[test]
    fn parses_rfc3339_forms() {
        assert_eq!(ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(ms("2025-01-10T09:15:00.000Z"), Some(1_736_500_500_000));
        assert_eq!(ms("2025-01-10T09:15:00.5Z"), Some(1_736_500_500_500));
        assert_eq!(ms("2025-01-10T09:15:00.123456Z"), Some(1_736_500_500_123));
        assert_eq!(ms("2025-01-01T00:00:00+00:00"), Some(1_735_689_600_000));
        assert_eq!(ms("2025-01-01T06:00:00+06:00"), Some(1_735_689_600_000));
        assert_eq!(ms("2025-01-01T06:00:00+0600"), Some(1_735_689_600_000));
        assert_eq!(ms("2025-01-01T02:00+02"), Some(1_735_689_600_000));
        assert_eq!(ms("2024-12-31T22:00:00-02:00"), Some(1_735_689_600_000));
        assert_eq!(ms("2025-01-01 00:00:00"), Some(1_735_689_600_000));
        assert_eq!(ms(" 2025-01-01t00:00:00z "), Some(1_735_689_600_000));
        assert_eq!(ms("2016-12-31T23:59:60Z"), ms("2016-12-31T23:59:59Z"));
    }

    #[test]
    fn parses_dates_and_marks_them_date_only() {
        let day = parse_timestamp("2024-02-29").unwrap();
        assert_eq!(day.unix_ms, 1_709_164_800_000);
        assert!(day.date_only);
        assert_eq!(day.year, 2024);
        assert!(!parse_timestamp("2024-02-29T00:00Z").unwrap().date_only);
        assert_eq!(ms("1969-12-31"), Some(-MS_PER_DAY));
        assert_eq!(ms("2000-03-01"), Some(951_868_800_000));
        assert_eq!(ms("9999-12-31"), Some(253_402_214_400_000));
    }

    #[test]
    fn rejects_what_is_not_a_timestamp() {
        for text in [
            "",
            "5",
            "2025",
            "2025-1-01",
            "2025-13-01",
            "2025-00-10",
            "2025-02-29",
            "2024-04-31",
            "2025-01-01T",
            "2025-01-01T24:00:00Z",
            "2025-01-01T10:60Z",
            "2025-01-01T10:00:61Z",
            "2025-01-01T10:00:00.Z",
            "2025-01-01T10:00:00ZZ",
            "2025-01-01T10:00:00+2",
            "2025-01-01T10:00:00+24:00",
            "2025-01-01X10:00:00Z",
            "2025/01/01",
            "tomorrow",
            "２０２５-01-01",
            "2025-01-01T10:00:00 UTC",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text:?}");
        }
    }

    const NOW: i64 = 1_735_689_600_000; // 2025-01-01T00:00:00Z

    #[test]
    fn classifies_expiry() {
        assert_eq!(Expiry::classify(None, NOW), Expiry::None);
        assert_eq!(Expiry::classify(Some("next year"), NOW), Expiry::Unreadable);
        assert!(matches!(
            Expiry::classify(Some("2025-03-01T00:00:00Z"), NOW),
            Expiry::Valid(_)
        ));
        assert!(matches!(
            Expiry::classify(Some("2025-01-08T00:00:00Z"), NOW),
            Expiry::Soon(_)
        ));
        assert!(matches!(
            Expiry::classify(Some("2025-01-08T00:00:01Z"), NOW),
            Expiry::Valid(_)
        ));
        assert!(matches!(
            Expiry::classify(Some("2025-01-01T00:00:00Z"), NOW),
            Expiry::Expired(_)
        ));
        assert!(matches!(
            Expiry::classify(Some("2024-06-01T00:00:00Z"), NOW),
            Expiry::Expired(_)
        ));
    }

    #[test]
    fn a_date_only_expiry_lasts_through_its_day() {
        assert!(matches!(
            Expiry::classify(Some("2025-01-01"), NOW + 1000),
            Expiry::Soon(_)
        ));
        assert!(matches!(
            Expiry::classify(Some("2024-12-31"), NOW),
            Expiry::Expired(_)
        ));
    }

    #[test]
    fn far_future_sentinels_mean_no_expiry() {
        for text in ["3000-01-01T00:00:00Z", "9999-12-31", "9999-12-31T23:59:59Z"] {
            assert_eq!(Expiry::classify(Some(text), NOW), Expiry::Never, "{text}");
        }
        assert!(matches!(
            Expiry::classify(Some("2999-12-31T23:59:59Z"), NOW),
            Expiry::Valid(_)
        ));
    }
}
