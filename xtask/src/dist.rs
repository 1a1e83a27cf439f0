//! Builds a crate's wasm the way it ships (LTO'd release build, wasm-bindgen
//! `--target web` glue with TypeScript declarations, then `wasm-opt -Oz`), and
//! assembles the widget's deployable folder `www/pkg/`.
//!
//! `cargo rustc --crate-type cdylib` makes the wasm of the crate (an rlib in its
//! Cargo.toml); `wasm-pack build` would need both crate types there, and LTO is
//! silently skipped for such a crate. The output files are the same as wasm-pack's.
//!
//! The deployable folder holds `embed.js` (the only entry point, revalidated on
//! every load), the glue, the wasm and the stylesheet under content-hashed names
//! (cacheable forever), `labels/`, a Brotli and a gzip sibling of each of those,
//! and `manifest.json` naming the hashed files for a server that renders
//! preload hints. The npm package (`npm.rs`) is made from the same build (`widget.rs`).

use std::path::{Path, PathBuf};

use crate::cmd::{cargo_home, command, root, run, target_dir, Result};
use crate::compress;

pub struct Bundle {
    pub wasm: PathBuf,
    pub js: PathBuf,
}

/// The names `embed.js` and the glue use for their imports before hashing.
const GLUE: &str = "order_widget.js";
const WASM: &str = "order_widget_bg.wasm";
const STYLESHEET: &str = "order-widget.css";

/// Builds `package` into `out_dir`.
pub fn build(package: &str, out_dir: &Path) -> Result<Bundle> {
    run(command("cargo")
        .args([
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
        ])
        .env("CARGO_ENCODED_RUSTFLAGS", remapped_paths()))?;
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

/// Panic locations in the wasm name source files: named without this machine's
/// directories (cargo's home, the checkout), so the shipped files do not carry them.
/// `CARGO_ENCODED_RUSTFLAGS` separates flags with 0x1f, so paths may hold spaces.
fn remapped_paths() -> String {
    let mut flags = vec![format!(
        "--remap-path-prefix={}=/order-widget",
        root().display()
    )];
    if let Some(home) = cargo_home() {
        flags.push(format!("--remap-path-prefix={}=/cargo", home.display()));
    }
    flags.join("\x1f")
}

/// Writes the deployable folder from a fresh build and the sources in `www/`.
pub fn assemble(built: &Bundle, out: &Path) -> Result {
    let sources = root().join("www");
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cannot clear {out:?}: {e}"))?;
    }
    let labels = out.join("labels");
    std::fs::create_dir_all(&labels).map_err(|e| format!("cannot create {labels:?}: {e}"))?;

    let wasm = write_hashed(out, WASM, &read(&built.wasm)?)?;
    // The glue's default wasm URL, `new URL('order_widget_bg.wasm', import.meta.url)`.
    let glue_source = replace_once(&read_text(&built.js)?, &quoted(WASM), &quoted(&wasm))?;
    let glue = write_hashed(out, GLUE, glue_source.as_bytes())?;
    let stylesheet = write_hashed(out, STYLESHEET, &read(&sources.join(STYLESHEET))?)?;
    // The glue's TypeScript declarations, named after it.
    copy(
        &built.js.with_extension("d.ts"),
        &out.join(format!("{}.d.ts", stem(&glue))),
    )?;

    let embed = read_text(&sources.join("embed.js"))?;
    let embed = replace_once(
        &embed,
        &quoted(&format!("./{GLUE}")),
        &quoted(&format!("./{glue}")),
    )?;
    let embed = replace_once(
        &embed,
        &quoted(&format!("./{STYLESHEET}")),
        &quoted(&format!("./{stylesheet}")),
    )?;
    write(&out.join("embed.js"), embed.as_bytes())?;
    for entry in std::fs::read_dir(sources.join("labels")).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            copy(&path, &labels.join(path.file_name().unwrap_or_default()))?;
        }
    }

    let manifest = serde_json::json!({
        "entry": "embed.js",
        "glue": glue,
        "wasm": wasm,
        "stylesheet": stylesheet,
    });
    write(
        &out.join("manifest.json"),
        format!("{manifest:#}\n").as_bytes(),
    )?;
    compress::siblings(out)
}

/// Writes `bytes` as `<stem>-<hash>.<ext>` and returns that name. The hash is the
/// first 16 hex digits of the content's SHA-256: a new build with other bytes gets
/// a new name, so the old one can be cached forever.
fn write_hashed(out: &Path, name: &str, bytes: &[u8]) -> Result<String> {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let (stem, extension) = name.split_once('.').unwrap_or((name, ""));
    let hashed = format!("{stem}-{hash}.{extension}");
    write(&out.join(&hashed), bytes)?;
    Ok(hashed)
}

/// `order_widget-0123456789abcdef.js` → `order_widget-0123456789abcdef`.
fn stem(name: &str) -> String {
    name.split_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_owned()
}

fn quoted(text: &str) -> String {
    format!("'{text}'")
}

/// `text` with its only occurrence of `from` replaced; an error when there is not
/// exactly one (the build's output changed shape and the rewrite must be looked at).
fn replace_once(text: &str, from: &str, to: &str) -> Result<String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(format!(
            "expected {from} once in the file, found it {n} times"
        )),
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {path:?}: {e}"))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path:?}: {e}"))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {path:?}: {e}"))
}

pub fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {from:?} to {to:?}: {e}"))
}
