//! Builds a crate's wasm the way it ships: LTO'd release build, wasm-bindgen
//! `--target web` glue with TypeScript declarations, then `wasm-opt -Oz`.
//!
//! `cargo rustc --crate-type cdylib` is used instead of `wasm-pack build`
//! because LTO is silently skipped for a `["cdylib", "rlib"]` crate otherwise;
//! the output files are the same as wasm-pack's.

use std::path::{Path, PathBuf};

use crate::cmd::{command, root, run, target_dir, Result};
use crate::setup;

pub struct Bundle {
    pub wasm: PathBuf,
    pub js: PathBuf,
}

/// The widget's distributable in `www/pkg/`.
pub fn build_widget() -> Result<Bundle> {
    setup::ensure(setup::Needs::BUILD)?;
    let bundle = build("order-widget", &root().join("www").join("pkg"))?;
    println!("dist: {}", bundle.wasm.display());
    Ok(bundle)
}

/// Builds `package` into `out_dir`.
pub fn build(package: &str, out_dir: &Path) -> Result<Bundle> {
    run(command("cargo").args([
        "rustc",
        "--quiet",
        "-p",
        package,
        "--lib",
        "--crate-type",
        "cdylib",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let stem = package.replace('-', "_");
    let raw = target_dir()
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join(format!("{stem}.wasm"));
    run(command("wasm-bindgen")
        .args(["--target", "web", "--remove-name-section", "--out-dir"])
        .arg(out_dir)
        .arg(&raw))?;
    let wasm = out_dir.join(format!("{stem}_bg.wasm"));
    run(command("wasm-opt")
        .args([
            "-Oz",
            "--converge",
            "--strip-debug",
            "--strip-producers",
            "-o",
        ])
        .arg(&wasm)
        .arg(&wasm))?;
    Ok(Bundle {
        wasm,
        js: out_dir.join(format!("{stem}.js")),
    })
}
