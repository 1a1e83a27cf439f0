//! The page's `Intl` formatters, kept by what they were built from, so a render asks for
//! a formatter instead of constructing one (a constructor costs far more than a
//! `format` call). Pure: the values are whatever the caller builds; tested natively.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};

/// How many formatters are kept; the oldest is dropped first. A page needs a handful
/// (money, dates and relative times, in one or two locales).
pub const CAPACITY: usize = 64;

/// Which `Intl` constructor builds the formatter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// Named as `Intl`'s constructors, which all end in `Format`.
#[allow(clippy::enum_variant_names)]
pub enum Kind {
    NumberFormat,
    DateTimeFormat,
    RelativeTimeFormat,
}

impl Kind {
    /// The constructor's name on `Intl`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::NumberFormat => "NumberFormat",
            Kind::DateTimeFormat => "DateTimeFormat",
            Kind::RelativeTimeFormat => "RelativeTimeFormat",
        }
    }
}

/// An option's value: `Intl`'s options are text or small numbers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OptionValue {
    Text(String),
    Number(u32),
}

/// A formatter's options, in the order they were set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Options(Vec<(&'static str, OptionValue)>);

impl Options {
    pub fn text(mut self, name: &'static str, value: &str) -> Options {
        self.0.push((name, OptionValue::Text(value.to_owned())));
        self
    }

    pub fn number(mut self, name: &'static str, value: u32) -> Options {
        self.0.push((name, OptionValue::Number(value)));
        self
    }

    pub fn entries(&self) -> &[(&'static str, OptionValue)] {
        &self.0
    }
}

/// Everything a formatter is built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub kind: Kind,
    pub locale: String,
    pub options: Options,
}

/// At most `capacity` values by key; inserting into a full cache drops the oldest entry.
pub struct Cache<V> {
    capacity: usize,
    values: HashMap<Key, V>,
    /// Keys from the oldest insertion to the newest.
    order: VecDeque<Key>,
}

impl<V: Clone> Cache<V> {
    pub fn new(capacity: usize) -> Cache<V> {
        Cache {
            capacity,
            values: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    pub fn get(&self, key: &Key) -> Option<V> {
        self.values.get(key).cloned()
    }

    pub fn insert(&mut self, key: Key, value: V) {
        match self.values.entry(key) {
            Entry::Occupied(mut kept) => {
                kept.insert(value);
            }
            Entry::Vacant(free) => {
                self.order.push_back(free.key().clone());
                free.insert(value);
                if self.order.len() > self.capacity {
                    if let Some(oldest) = self.order.pop_front() {
                        self.values.remove(&oldest);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: Kind, locale: &str, options: Options) -> Key {
        Key {
            kind,
            locale: locale.to_owned(),
            options,
        }
    }

    fn usd() -> Options {
        Options::default()
            .text("style", "currency")
            .text("currency", "USD")
    }

    #[test]
    fn the_same_kind_locale_and_options_find_the_same_value() {
        let mut cache = Cache::new(CAPACITY);
        cache.insert(key(Kind::NumberFormat, "en", usd()), 1);
        assert_eq!(cache.get(&key(Kind::NumberFormat, "en", usd())), Some(1));
        assert_eq!(cache.values.len(), 1);
    }

    #[test]
    fn any_difference_in_the_key_is_another_formatter() {
        let mut cache = Cache::new(CAPACITY);
        cache.insert(key(Kind::NumberFormat, "en", usd()), 1);
        let eur = Options::default()
            .text("style", "currency")
            .text("currency", "EUR");
        let digits = |n| Options::default().number("minimumFractionDigits", n);
        for other in [
            key(Kind::DateTimeFormat, "en", usd()),
            key(Kind::NumberFormat, "bn", usd()),
            key(Kind::NumberFormat, "en", eur),
            key(Kind::NumberFormat, "en", Options::default()),
            key(Kind::NumberFormat, "en", digits(2)),
        ] {
            assert_eq!(cache.get(&other), None, "{other:?}");
        }
        cache.insert(key(Kind::NumberFormat, "en", digits(2)), 2);
        assert_eq!(cache.get(&key(Kind::NumberFormat, "en", digits(3))), None);
        assert_eq!(
            cache.get(&key(Kind::NumberFormat, "en", digits(2))),
            Some(2)
        );
    }

    #[test]
    fn a_full_cache_drops_its_oldest_entry() {
        let mut cache = Cache::new(CAPACITY);
        let locale = |n: usize| format!("x-{n}");
        for n in 0..CAPACITY {
            cache.insert(key(Kind::NumberFormat, &locale(n), usd()), n);
        }
        assert_eq!(cache.values.len(), CAPACITY);
        // Inserting a key already there replaces its value and drops nothing.
        cache.insert(key(Kind::NumberFormat, &locale(0), usd()), 100);
        assert_eq!(cache.values.len(), CAPACITY);
        assert_eq!(
            cache.get(&key(Kind::NumberFormat, &locale(0), usd())),
            Some(100)
        );

        cache.insert(key(Kind::NumberFormat, "one more", usd()), 64);
        assert_eq!(cache.values.len(), CAPACITY);
        assert_eq!(cache.get(&key(Kind::NumberFormat, &locale(0), usd())), None);
        assert_eq!(
            cache.get(&key(Kind::NumberFormat, &locale(1), usd())),
            Some(1)
        );
        assert_eq!(
            cache.get(&key(Kind::NumberFormat, "one more", usd())),
            Some(64)
        );
    }
}
