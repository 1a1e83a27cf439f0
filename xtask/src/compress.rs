//! Brotli and gzip siblings of the deployable files, made once at build time at
//! the highest levels, so a server only picks a file (`Accept-Encoding`) and
//! never compresses on the fly.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::cmd::Result;

/// The kinds of file worth compressing: everything the browser downloads.
const COMPRESSIBLE: [&str; 4] = ["js", "wasm", "css", "json"];

/// Writes `<file>.br` and `<file>.gz` beside every compressible file under `dir`
/// (recursively) and prints their sizes.
pub fn siblings(dir: &Path) -> Result {
    let mut files = compressible_files(dir)?;
    files.sort();
    println!("| file | bytes | brotli | gzip |");
    println!("|---|---:|---:|---:|");
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {file:?}: {e}"))?;
        let br = brotli(&bytes)?;
        let gz = gzip(&bytes)?;
        write(&sibling(&file, "br"), &br)?;
        write(&sibling(&file, "gz"), &gz)?;
        let name = file.strip_prefix(dir).unwrap_or(&file).display();
        println!("| {name} | {} | {} | {} |", bytes.len(), br.len(), gz.len());
    }
    Ok(())
}

fn compressible_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("cannot list {dir:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            files.extend(compressible_files(&path)?);
        } else if path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| COMPRESSIBLE.contains(&ext))
            && !path.ends_with("manifest.json")
        {
            files.push(path);
        }
    }
    Ok(files)
}

/// `a/b.wasm` → `a/b.wasm.br`.
fn sibling(file: &Path, encoding: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(encoding);
    PathBuf::from(name)
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .map_err(|e| format!("brotli failed: {e}"))?;
    Ok(out)
}

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| format!("gzip failed: {e}"))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {path:?}: {e}"))
}
