//! Every text the widget shows comes from one label table: English built in, and any
//! label overridable by the embedder.
//!
//! The Bengali and Arabic sets ship as `www/labels/bn.json` and `www/labels/ar.json`:
//! `<order-widget>` fetches the one its locale needs and passes it as overrides, so a
//! page in English never downloads them. The locale still decides the text direction.
//!
//! Placeholders are written `{name}` and filled with [`Labels::fill`].

mod en;

/// Languages written right to left (ISO 639-1 codes).
const RIGHT_TO_LEFT: [&str; 8] = ["ar", "dv", "fa", "he", "ku", "ps", "ur", "yi"];

/// A resolved label set for one locale, with the embedder's overrides applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    right_to_left: bool,
    /// `(key, text)` pairs; the first of a key wins.
    overrides: Vec<(String, String)>,
}

impl Labels {
    /// English with `overrides` (the locale's label set and the embedder's own), for a
    /// BCP 47 locale (`"bn-BD"`, `"ar"`, …) that decides the text direction.
    pub fn new(locale: &str, overrides: Vec<(String, String)>) -> Labels {
        let language = locale.split(['-', '_']).next().unwrap_or_default();
        Labels {
            right_to_left: RIGHT_TO_LEFT
                .iter()
                .any(|rtl| rtl.eq_ignore_ascii_case(language)),
            overrides,
        }
    }

    /// The text for `key`: the override (the embedder's, or the locale's label set),
    /// else English, else the key itself (so a missing label is visible, never a panic).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        if let Some((_, text)) = self.overrides.iter().find(|(name, _)| name == key) {
            return text;
        }
        lookup(en::LABELS, key).unwrap_or(key)
    }

    /// `get(key)` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// Text direction for the `dir` attribute.
    pub fn dir(&self) -> &'static str {
        if self.right_to_left {
            "rtl"
        } else {
            "ltr"
        }
    }
}

fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table
        .iter()
        .find_map(|(name, text)| (*name == key).then_some(*text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The label sets `www/labels/` ships, as `(language, key → text)`.
    fn shipped() -> Vec<(&'static str, serde_json::Map<String, serde_json::Value>)> {
        [
            ("bn", include_str!("../../../../www/labels/bn.json")),
            ("ar", include_str!("../../../../www/labels/ar.json")),
        ]
        .into_iter()
        .map(|(language, json)| match serde_json::from_str(json) {
            Ok(serde_json::Value::Object(set)) => (language, set),
            other => panic!("www/labels/{language}.json is not an object: {other:?}"),
        })
        .collect()
    }

    /// `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_shipped_label_set_translates_exactly_the_english_keys() {
        for (language, set) in shipped() {
            for (key, text) in &set {
                let english = lookup(en::LABELS, key);
                assert!(english.is_some(), "{language}: unknown key {key}");
                let text = text.as_str().unwrap_or_default();
                assert!(!text.trim().is_empty(), "{language}: empty {key}");
                assert_eq!(
                    placeholders(text),
                    placeholders(english.unwrap_or_default()),
                    "{language}: placeholders of {key}"
                );
            }
            for (key, _) in en::LABELS {
                assert!(set.contains_key(*key), "{language}: missing {key}");
            }
        }
    }

    #[test]
    fn english_keys_are_unique() {
        let mut keys: Vec<_> = en::LABELS.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let count = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), count);
    }

    #[test]
    fn overrides_then_english_then_key() {
        let overrides = vec![("copy".to_owned(), "Kopieren".to_owned())];
        let labels = Labels::new("ar-LY", overrides);
        assert_eq!(labels.get("copy"), "Kopieren");
        assert_eq!(labels.get("copied"), "Copied");
        assert_eq!(labels.get("no-such-key"), "no-such-key");
        assert_eq!(Labels::new("fr", Vec::new()).get("copy"), "Copy");
    }

    #[test]
    fn arabic_is_right_to_left_whatever_the_labels() {
        assert_eq!(Labels::new("ar-LY", Vec::new()).dir(), "rtl");
        assert_eq!(Labels::new("AR", Vec::new()).dir(), "rtl");
        assert_eq!(Labels::new("bn-BD", Vec::new()).dir(), "ltr");
        assert_eq!(Labels::new("en", Vec::new()).dir(), "ltr");
        assert_eq!(Labels::new("he_IL", Vec::new()).dir(), "rtl");
        assert_eq!(Labels::new("", Vec::new()).dir(), "ltr");
    }

    #[test]
    fn fill_replaces_placeholders() {
        let labels = Labels::new("en", Vec::new());
        assert_eq!(
            labels.fill("expires_in", &[("when", "in 5 days")]),
            "Expires in 5 days"
        );
    }
}
