//! The npm package: the widget's files under their source names, for bundlers, which
//! hash, compress and copy them themselves (the deployable folder `www/pkg/` is the
//! same files hashed and precompressed, for servers).
//!
//! The package is staged in `target/npm/package/` from the fresh build and the
//! sources (`www/embed.js` as the element module, `www/mount.js`, the stylesheet and
//! labels, `npm/` for package.json, the declarations and the package's README), given
//! the crate's version and packed by `npm pack` into `target/npm/order-widget-<version>.tgz`.

use std::path::{Path, PathBuf};

use crate::cmd::{command, root, run, target_dir, Result};
use crate::dist::{copy, Bundle};
use crate::setup;

/// Files taken as they are: (source under the repository root, name in the package).
const SOURCES: [(&str, &str); 8] = [
    ("npm/package.json", "package.json"),
    ("npm/README.md", "README.md"),
    ("www/embed.js", "order-widget.js"),
    ("npm/order-widget.d.ts", "order-widget.d.ts"),
    ("www/mount.js", "mount.js"),
    ("npm/mount.d.ts", "mount.d.ts"),
    ("npm/react.d.ts", "react.d.ts"),
    ("www/order-widget.css", "order-widget.css"),
];

/// Stages the package from `built` (wasm-bindgen's unhashed glue and wasm) and packs it;
/// returns the tarball.
pub fn pack(built: &Bundle) -> Result<PathBuf> {
    let out = target_dir().join("npm");
    let package = out.join("package");
    clear(&out)?;
    let labels = package.join("labels");
    std::fs::create_dir_all(&labels).map_err(|e| format!("cannot create {labels:?}: {e}"))?;

    let root = root();
    for (source, name) in SOURCES {
        copy(&root.join(source), &package.join(name))?;
    }
    // The glue finds the wasm as `new URL('order_widget_bg.wasm', import.meta.url)`.
    copy(&built.js, &package.join("order_widget.js"))?;
    copy(&built.wasm, &package.join("order_widget_bg.wasm"))?;
    for label_set in json_files(&root.join("www").join("labels"))? {
        copy(
            &label_set,
            &labels.join(label_set.file_name().unwrap_or_default()),
        )?;
    }

    let version = setup::locked_version("order-widget")?;
    run(command("npm")
        .current_dir(&package)
        .args(["pkg", "set", &format!("version={version}")]))?;
    run(command("npm")
        .current_dir(&package)
        .args(["pack", "--ignore-scripts", "--pack-destination"])
        .arg(&out))?;
    let tarball = out.join(format!("order-widget-{version}.tgz"));
    if !tarball.exists() {
        return Err(format!("npm pack did not write {tarball:?}"));
    }
    println!("npm package: {}", tarball.display());
    Ok(tarball)
}

/// Empties `dir` (the previous package and tarball), keeping nothing stale.
fn clear(dir: &Path) -> Result {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {dir:?}: {e}"))?;
    }
    Ok(())
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("cannot list {dir:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
