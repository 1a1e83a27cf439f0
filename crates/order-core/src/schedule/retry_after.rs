//! `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3), parsed without a date crate.

use std::time::Duration;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const LONG_WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// How long to wait according to a `Retry-After` header received at `now_unix_ms`.
/// Accepts delay-seconds (`"120"`) and the three HTTP date forms: IMF-fixdate
/// (`"Sun, 06 Nov 1994 08:49:37 GMT"`), RFC 850 (`"Sunday, 06-Nov-94 08:49:37 GMT"`) and
/// asctime (`"Sun Nov  6 08:49:37 1994"`). A date in the past means "now" (`Duration::ZERO`).
/// Anything else is `None`.
pub fn parse_retry_after(header: &str, now_unix_ms: u64) -> Option<Duration> {
    let text = header.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
    }
    let at_ms = http_date_unix_secs(text)?.checked_mul(1000)?;
    Some(Duration::from_millis(at_ms.saturating_sub(now_unix_ms)))
}

fn http_date_unix_secs(text: &str) -> Option<u64> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    // Each form gives its day, month and time tokens and its year.
    let (day, month, year, time) = match tokens.as_slice() {
        [weekday, day, month, year, time, "GMT"] if is_weekday(weekday, &WEEKDAYS, true) => {
            (*day, *month, number(year, 4)?, *time)
        }
        [weekday, date, time, "GMT"] if is_weekday(weekday, &LONG_WEEKDAYS, true) => {
            let mut parts = date.split('-');
            let (day, month) = (parts.next()?, parts.next()?);
            let short_year = number(parts.next()?, 2)?;
            if parts.next().is_some() {
                return None;
            }
            let year = if short_year < 70 { 2000 } else { 1900 } + short_year;
            (day, month, year, *time)
        }
        [weekday, month, day, time, year] if is_weekday(weekday, &WEEKDAYS, false) => {
            (*day, *month, number(year, 4)?, *time)
        }
        _ => return None,
    };
    unix_secs(year, month_number(month)?, number_up_to(day, 2)?, time)
}

fn is_weekday(token: &str, names: &[&str], with_comma: bool) -> bool {
    let name = if with_comma {
        match token.strip_suffix(',') {
            Some(name) => name,
            None => return false,
        }
    } else {
        token
    };
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn month_number(token: &str) -> Option<u64> {
    let index = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(token))?;
    u64::try_from(index).ok().map(|i| i + 1)
}

/// Exactly `digits` ASCII digits.
fn number(token: &str, digits: usize) -> Option<u64> {
    if token.len() == digits && token.bytes().all(|b| b.is_ascii_digit()) {
        token.parse().ok()
    } else {
        None
    }
}

/// One to `digits` ASCII digits.
fn number_up_to(token: &str, digits: usize) -> Option<u64> {
    (1..=digits).find_map(|n| number(token, n))
}

fn unix_secs(year: u64, month: u64, day: u64, time: &str) -> Option<u64> {
    let mut parts = time.split(':');
    let hour = number(parts.next()?, 2)?;
    let minute = number(parts.next()?, 2)?;
    let second = number(parts.next()?, 2)?;
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if year < 1970 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_since_epoch(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

fn is_leap(year: u64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the given date (year ≥ 1970, date already validated).
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    let years: u64 = (1970..year)
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum();
    let months: u64 = (1..month).map(|m| days_in_month(year, m)).sum();
    years + months + day - 1
}
