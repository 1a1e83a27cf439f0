//! Localized money, dates and relative times through the browser's `Intl`, so the wasm
//! carries no locale data and no float formatting.
//!
//! Everything goes through `Reflect` so that a `RangeError` (an unknown currency, a
//! malformed locale) is caught and answered with a plainer format instead of a panic.

#[cfg(target_arch = "wasm32")]
use js_sys::{Array, Date, Function, Object, Reflect};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::{JsCast, JsValue};

#[cfg(not(target_arch = "wasm32"))]
pub use super::intl_native::{format_date, format_day, format_money, format_relative};
#[cfg(target_arch = "wasm32")]
use order_core::expiry::parse_timestamp;
#[cfg(any(target_arch = "wasm32", test))]
use order_core::model::is_decimal;
#[cfg(target_arch = "wasm32")]
use order_core::model::Money;

#[cfg(target_arch = "wasm32")]
/// `money` in `locale`, e.g. `"৳1,500.00"`, `"LYD 25.000"`, `"$25.00"`. The amount is
/// handed to `Intl` as text, so the vendor's decimal is never re-rounded by a float.
/// Without a currency (its own or `default_currency`) the amount is shown as a number.
pub fn format_money(money: &Money, default_currency: Option<&str>, locale: &str) -> String {
    let amount = money.amount.trim();
    let currency = money
        .currency
        .as_deref()
        .or(default_currency)
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if !is_decimal(amount) {
        return plain_money(amount, currency);
    }
    let options = Object::new();
    if let Some(currency) = currency {
        set(&options, "style", "currency");
        set(&options, "currency", currency);
    } else {
        // Without a currency Intl drops trailing zeros ("25.00" → "25"): keep the vendor's.
        let decimals = amount
            .split_once('.')
            .map_or(0, |(_, fraction)| fraction.len());
        let decimals = JsValue::from(decimals.min(20) as u32);
        let _ = Reflect::set(&options, &"minimumFractionDigits".into(), &decimals);
    }
    formatter("NumberFormat", locale, &options)
        .and_then(|number_format| call_format(&number_format, &JsValue::from_str(amount)))
        .unwrap_or_else(|| plain_money(amount, currency))
}

#[cfg(target_arch = "wasm32")]
/// `amount` as written, followed by its currency code when there is one: "25.00 USD".
fn plain_money(amount: &str, currency: Option<&str>) -> String {
    let mut text = amount.to_owned();
    if let Some(currency) = currency {
        text.push(' ');
        text.push_str(currency);
    }
    text
}

#[cfg(target_arch = "wasm32")]
/// A timestamp as a medium date and short time (`"Jan 10, 2025, 9:15 AM"`), in the
/// customer's time zone. `None` when `iso` is not a timestamp.
pub fn format_date(iso: &str, locale: &str) -> Option<String> {
    let at = parse_timestamp(iso)?;
    let options = Object::new();
    set(&options, "dateStyle", "medium");
    if at.date_only {
        set(&options, "timeZone", "UTC");
    } else {
        set(&options, "timeStyle", "short");
    }
    format_instant(at.unix_ms, locale, &options)
}

#[cfg(target_arch = "wasm32")]
/// A timestamp as a medium date only (`"Dec 31, 2027"`).
pub fn format_day(iso: &str, locale: &str) -> Option<String> {
    let at = parse_timestamp(iso)?;
    let options = Object::new();
    set(&options, "dateStyle", "medium");
    // A bare date names a calendar day: showing it in the local zone could move it a day.
    if at.date_only {
        set(&options, "timeZone", "UTC");
    }
    format_instant(at.unix_ms, locale, &options)
}

#[cfg(target_arch = "wasm32")]
/// `target_ms` relative to `now_ms`: "in 5 days", "3 hours ago", "tomorrow".
pub fn format_relative(target_ms: f64, now_ms: f64, locale: &str) -> String {
    let (value, unit) = relative_unit(target_ms - now_ms);
    let options = Object::new();
    set(&options, "numeric", "auto");
    formatter("RelativeTimeFormat", locale, &options)
        .and_then(|relative| {
            let format = Reflect::get(&relative, &"format".into())
                .ok()?
                .dyn_into::<Function>()
                .ok()?;
            format
                .call2(
                    &relative,
                    &JsValue::from_f64(value),
                    &JsValue::from_str(unit),
                )
                .ok()?
                .as_string()
        })
        .unwrap_or_else(|| format!("{value} {unit}"))
}

/// The value and `Intl.RelativeTimeFormat` unit that read naturally for `delta_ms`.
pub fn relative_unit(delta_ms: f64) -> (f64, &'static str) {
    const SECOND: f64 = 1000.0;
    const MINUTE: f64 = 60.0 * SECOND;
    const HOUR: f64 = 60.0 * MINUTE;
    const DAY: f64 = 24.0 * HOUR;
    let size = delta_ms.abs();
    let (unit_ms, unit) = if size < MINUTE {
        (SECOND, "second")
    } else if size < HOUR {
        (MINUTE, "minute")
    } else if size < DAY {
        (HOUR, "hour")
    } else if size < 60.0 * DAY {
        (DAY, "day")
    } else if size < 730.0 * DAY {
        (30.436_875 * DAY, "month")
    } else {
        (365.2425 * DAY, "year")
    };
    // `+ 0.0` turns a rounded -0 into 0, which Intl would print as "0 seconds ago".
    ((delta_ms / unit_ms).round() + 0.0, unit)
}

#[cfg(target_arch = "wasm32")]
fn format_instant(unix_ms: i64, locale: &str, options: &Object) -> Option<String> {
    // Exact: every parsed timestamp is far below 2^53 ms.
    let date = Date::new(&JsValue::from_f64(unix_ms as f64));
    formatter("DateTimeFormat", locale, options)
        .and_then(|date_format| call_format(&date_format, &date))
}

#[cfg(target_arch = "wasm32")]
/// `new Intl[name]([locale], options)`, retried with the browser's default locale when
/// `locale` is rejected; `None` when `Intl[name]` is missing or rejects the options.
fn formatter(name: &str, locale: &str, options: &Object) -> Option<Object> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor = Reflect::get(&intl, &name.into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let construct = |locales: Array| {
        Reflect::construct(&constructor, &Array::of2(&locales, options))
            .ok()
            .and_then(|value| value.dyn_into::<Object>().ok())
    };
    let tag = locale.trim().replace('_', "-");
    let requested = if tag.is_empty() {
        None
    } else {
        construct(Array::of1(&JsValue::from_str(&tag)))
    };
    requested.or_else(|| construct(Array::new()))
}

#[cfg(target_arch = "wasm32")]
/// `formatter.format(value)`, `None` if it throws or returns no text.
fn call_format(formatter: &Object, value: &JsValue) -> Option<String> {
    let format = Reflect::get(formatter, &"format".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    format.call1(formatter, value).ok()?.as_string()
}

#[cfg(target_arch = "wasm32")]
fn set(object: &Object, key: &str, value: &str) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: f64 = 60_000.0;
    const DAY: f64 = 24.0 * 60.0 * MINUTE;

    #[test]
    fn picks_a_natural_unit() {
        assert_eq!(relative_unit(0.0), (0.0, "second"));
        assert_eq!(relative_unit(-400.0), (0.0, "second"));
        assert_eq!(relative_unit(30_000.0), (30.0, "second"));
        assert_eq!(relative_unit(-5.0 * MINUTE), (-5.0, "minute"));
        assert_eq!(relative_unit(90.0 * MINUTE), (2.0, "hour"));
        assert_eq!(relative_unit(DAY), (1.0, "day"));
        assert_eq!(relative_unit(5.4 * DAY), (5.0, "day"));
        assert_eq!(relative_unit(-3.0 * DAY), (-3.0, "day"));
        assert_eq!(relative_unit(90.0 * DAY), (3.0, "month"));
        assert_eq!(relative_unit(3.0 * 365.0 * DAY), (3.0, "year"));
    }

    #[test]
    fn recognises_plain_decimals() {
        for text in ["0", "25", "25.00", "-3.5", "1500.000"] {
            assert!(is_decimal(text), "{text}");
        }
        for text in [
            "", "-", ".5", "5.", "1e3", "1,500", "NaN", "Infinity", "25.0.0", "+1",
        ] {
            assert!(!is_decimal(text), "{text}");
        }
    }
}
