//! Every text the widget shows comes from one label table: English by default,
//! Bengali and Arabic shipped, and any label overridable by the embedder.
//!
//! Placeholders are written `{name}` and filled with [`Labels::fill`].

mod ar;
mod bn;
mod en;

/// A resolved label set for one locale, with the embedder's overrides applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    language: Language,
    /// `(key, text)` pairs; the first of a key wins.
    overrides: Vec<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    En,
    Bn,
    Ar,
}

impl Language {
    fn from_locale(locale: &str) -> Language {
        let primary = locale.split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "bn" => Language::Bn,
            "ar" => Language::Ar,
            _ => Language::En,
        }
    }

    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Language::En => en::LABELS,
            Language::Bn => bn::LABELS,
            Language::Ar => ar::LABELS,
        }
    }
}

impl Labels {
    /// The label set for a BCP 47 locale (`"bn-BD"`, `"ar"`, …); unknown languages get English.
    pub fn new(locale: &str, overrides: Vec<(String, String)>) -> Labels {
        Labels {
            language: Language::from_locale(locale),
            overrides,
        }
    }

    /// The text for `key`: the embedder's override, else the locale's, else English,
    /// else the key itself (so a missing label is visible, never a panic).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        if let Some((_, text)) = self.overrides.iter().find(|(name, _)| name == key) {
            return text;
        }
        lookup(self.language.table(), key)
            .or_else(|| lookup(en::LABELS, key))
            .unwrap_or(key)
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
        match self.language {
            Language::Ar => "rtl",
            Language::En | Language::Bn => "ltr",
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

    #[test]
    fn every_shipped_label_set_names_only_english_keys() {
        for table in [bn::LABELS, ar::LABELS] {
            for (key, _) in table {
                assert!(lookup(en::LABELS, key).is_some(), "unknown key {key}");
            }
        }
    }

    #[test]
    fn bengali_and_arabic_translate_every_english_key() {
        for table in [bn::LABELS, ar::LABELS] {
            for (key, _) in en::LABELS {
                assert!(lookup(table, key).is_some(), "missing translation of {key}");
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
    fn overrides_then_locale_then_english_then_key() {
        let overrides = vec![("copy".to_owned(), "Kopieren".to_owned())];
        let labels = Labels::new("ar-LY", overrides);
        assert_eq!(labels.get("copy"), "Kopieren");
        assert_eq!(labels.dir(), "rtl");
        assert_eq!(labels.get("no-such-key"), "no-such-key");
        assert_eq!(Labels::new("fr", Vec::new()).get("copy"), "Copy");
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
