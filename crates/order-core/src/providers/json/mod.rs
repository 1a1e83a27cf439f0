//! Reading JSON the same way natively and in the browser: the parsed [`document`],
//! records that must be [`object`]s, and the lenient [`fields`] every vendor wire struct
//! is made of.

pub mod document;
pub mod fields;
pub mod object;
