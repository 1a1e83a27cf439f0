//! One naming policy for the enums whose names are a contract (statuses, code kinds,
//! vendors, error kinds): strum names each variant by the enum's case rule
//! (`PartiallyDelivered` → `partially_delivered`), serde reads and writes those same names
//! (`#[serde(into = "&'static str", try_from = "String")]`), and [`names!`] gives each enum
//! its `ALL` and `as_str`.

/// `ALL` (every variant, in declaration order) and `as_str` (the name) for enums that
/// derive `strum::IntoStaticStr` and `strum::VariantArray`.
macro_rules! names {
    ($($name:ident),*) => {$(
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = <$name as strum::VariantArray>::VARIANTS;

            /// The serialized name.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }
    )*};
}

/// `TryFrom<String>` by name, for serde's `try_from = "String"`: an unknown name is refused.
macro_rules! parsed_by_name {
    ($($name:ident),*) => {$(
        impl TryFrom<String> for $name {
            type Error = strum::ParseError;

            fn try_from(name: String) -> Result<Self, Self::Error> {
                name.parse()
            }
        }
    )*};
}

pub(crate) use {names, parsed_by_name};
