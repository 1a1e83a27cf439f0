//! The widget as it ships: its deployable folder `www/pkg/` ([`dist`]) and its npm package
//! (`target/npm/`, [`npm`]), both from one build.

use crate::cmd::{root, target_dir, Result};
use crate::dist::{self, Bundle};
use crate::{npm, setup};

/// Builds the widget and makes both. Returns the build they were made from:
/// wasm-bindgen's unhashed glue and wasm.
pub fn build() -> Result<Bundle> {
    setup::ensure(setup::Needs::BUILD)?;
    let built = dist::build("order-widget", &target_dir().join("dist").join("widget"))?;
    let out = root().join("www").join("pkg");
    dist::assemble(&built, &out)?;
    println!("dist: {}", out.display());
    npm::pack(&built)?;
    Ok(built)
}
