//! Arabic (right to left).

pub(super) const LABELS: &[(&str, &str)] = &[
    ("codes_heading", "رموزك"),
    ("copy", "نسخ"),
    ("copied", "تم النسخ"),
    ("reveal", "إظهار"),
    ("hide", "إخفاء"),
];
