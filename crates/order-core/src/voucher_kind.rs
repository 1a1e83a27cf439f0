//! What kind of secret a delivered voucher holds: named by both the order [`crate::model`]
//! and the rules for showing a [`crate::secret`] (a credential is masked whole).

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

/// What a delivered secret is; the serialized name is also the kind's label key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[derive(Serialize, Deserialize, EnumString, IntoStaticStr, VariantArray)]
#[serde(into = "&'static str", try_from = "String")]
#[strum(serialize_all = "snake_case")]
pub enum VoucherKind {
    /// A gift-card or voucher code.
    Code,
    /// An account credential (`login:password`): masked whole.
    Credential,
    /// A one-time code the customer shows at pickup.
    PickupCode,
    /// A one-time code the customer gives for a return.
    ReturnCode,
}

crate::names::names!(VoucherKind);
crate::names::parsed_by_name!(VoucherKind);
