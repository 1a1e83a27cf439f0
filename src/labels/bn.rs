//! Bengali (Bangladesh).

pub(super) const LABELS: &[(&str, &str)] = &[
    ("codes_heading", "আপনার কোড"),
    ("copy", "কপি করুন"),
    ("copied", "কপি হয়েছে"),
    ("reveal", "দেখান"),
    ("hide", "লুকান"),
];
