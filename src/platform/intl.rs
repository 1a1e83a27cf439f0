//! Localized money, dates and relative times through the browser's `Intl`, so the wasm
//! carries no locale data and no float formatting.
//!
//! Everything goes through `Reflect` so that a `RangeError` (an unknown currency, a
//! malformed locale) is caught and answered with a plainer format instead of a panic.
//! Formatters are built once per page and kept ([`super::intl_cache`]): renders only call `format`.

use std::cell::RefCell;

use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::intl_cache::{Cache, Key, OptionValue, CAPACITY};
pub use super::intl_cache::{Kind, Options};
use super::money_text::{amount_and_currency, plain_money};
use super::relative::relative_unit;

use order_core::expiry::parse_timestamp;
use order_core::model::{is_decimal, Money};

/// `money` in `locale`, e.g. `"৳1,500.00"`, `"LYD 25.000"`, `"$25.00"`. The amount is
/// handed to `Intl` as text, so the vendor's decimal is never re-rounded by a float.
/// Without a currency (its own or `default_currency`) the amount is shown as a number.
pub fn format_money(money: &Money, default_currency: Option<&str>, locale: &str) -> String {
    let (amount, currency) = amount_and_currency(money, default_currency);
    if !is_decimal(amount) {
        return plain_money(amount, currency);
    }
    let options = if let Some(currency) = currency {
        Options::default()
            .text("style", "currency")
            .text("currency", currency)
    } else {
        // Without a currency Intl drops trailing zeros ("25.00" → "25"): keep the vendor's.
        let decimals = amount
            .split_once('.')
            .map_or(0, |(_, fraction)| fraction.len());
        Options::default().number("minimumFractionDigits", decimals.min(20) as u32)
    };
    formatter(Kind::NumberFormat, locale, options)
        .and_then(|number_format| call_format(&number_format, &JsValue::from_str(amount)))
        .unwrap_or_else(|| plain_money(amount, currency))
}

/// A timestamp as a medium date and short time (`"Jan 10, 2025, 9:15 AM"`), in the
/// customer's time zone. `None` when `iso` is not a timestamp.
pub fn format_date(iso: &str, locale: &str) -> Option<String> {
    let at = parse_timestamp(iso)?;
    let options = Options::default().text("dateStyle", "medium");
    let options = if at.date_only {
        options.text("timeZone", "UTC")
    } else {
        options.text("timeStyle", "short")
    };
    format_instant(at.unix_ms, locale, options)
}

/// A timestamp as a medium date only (`"Dec 31, 2027"`).
pub fn format_day(iso: &str, locale: &str) -> Option<String> {
    let at = parse_timestamp(iso)?;
    let mut options = Options::default().text("dateStyle", "medium");
    // A bare date names a calendar day: showing it in the local zone could move it a day.
    if at.date_only {
        options = options.text("timeZone", "UTC");
    }
    format_instant(at.unix_ms, locale, options)
}

/// `target_ms` relative to `now_ms`: "in 5 days", "3 hours ago", "tomorrow".
pub fn format_relative(target_ms: f64, now_ms: f64, locale: &str) -> String {
    let (value, unit) = relative_unit(target_ms - now_ms);
    let options = Options::default().text("numeric", "auto");
    formatter(Kind::RelativeTimeFormat, locale, options)
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

fn format_instant(unix_ms: i64, locale: &str, options: Options) -> Option<String> {
    // Exact: every parsed timestamp is far below 2^53 ms.
    let date = Date::new(&JsValue::from_f64(unix_ms as f64));
    formatter(Kind::DateTimeFormat, locale, options)
        .and_then(|date_format| call_format(&date_format, &date))
}

thread_local! {
    static FORMATTERS: RefCell<Cache<Object>> = RefCell::new(Cache::new(CAPACITY));
}

/// The page's `new Intl[kind]([locale], options)`: built on the first call with these
/// arguments, the same object afterwards. `None` when `Intl[kind]` is missing or rejects
/// the options (not kept: the next call tries again).
pub fn formatter(kind: Kind, locale: &str, options: Options) -> Option<Object> {
    let key = Key {
        kind,
        locale: locale.to_owned(),
        options,
    };
    if let Some(kept) = FORMATTERS.with(|formatters| formatters.borrow().get(&key)) {
        return Some(kept);
    }
    let built = build(&key)?;
    FORMATTERS.with(|formatters| formatters.borrow_mut().insert(key, built.clone()));
    Some(built)
}

/// A new formatter for `key`, retried with the browser's default locale when its locale
/// is rejected.
fn build(key: &Key) -> Option<Object> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor = Reflect::get(&intl, &key.kind.name().into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let options = Object::new();
    for (name, value) in key.options.entries() {
        let value = match value {
            OptionValue::Text(text) => JsValue::from_str(text),
            OptionValue::Number(number) => JsValue::from(*number),
        };
        let _ = Reflect::set(&options, &(*name).into(), &value);
    }
    let construct = |locales: Array| {
        Reflect::construct(&constructor, &Array::of2(&locales, &options))
            .ok()
            .and_then(|value| value.dyn_into::<Object>().ok())
    };
    let tag = key.locale.trim().replace('_', "-");
    let requested = if tag.is_empty() {
        None
    } else {
        construct(Array::of1(&JsValue::from_str(&tag)))
    };
    requested.or_else(|| construct(Array::new()))
}

/// `formatter.format(value)`, `None` if it throws or returns no text.
fn call_format(formatter: &Object, value: &JsValue) -> Option<String> {
    let format = Reflect::get(formatter, &"format".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    format.call1(formatter, value).ok()?.as_string()
}
