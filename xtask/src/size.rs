//! `cargo xtask size`: the shipped wasm + JS glue, gzipped, against a hello-world
//! Yew app built the same way in the same run. Fails when over the budget.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::cmd::{target_dir, Result};
use crate::dist::{self, Bundle};
use crate::setup;

/// An alarm against accidents (a dependency pulled into the wasm by mistake), not a target:
/// the widget may weigh at most this many times the hello-world app (gzipped). No code is
/// shaped to save bytes while under it.
const BUDGET_RATIO: f64 = 3.5;

struct Sizes {
    wasm: usize,
    wasm_gz: usize,
    js: usize,
    js_gz: usize,
}

impl Sizes {
    fn total_gz(&self) -> usize {
        self.wasm_gz + self.js_gz
    }
}

/// `cargo xtask size`: builds the widget, prints the table, fails when it is over budget.
pub fn run() -> Result {
    setup::ensure(setup::Needs::BUILD)?;
    let widget = dist::build("order-widget", &target_dir().join("size").join("widget"))?;
    check(&widget)
}

/// The step of `cargo xtask test`: `widget` as this run's release build made it (the
/// same build `cargo xtask size` makes), against a fresh hello-world build.
pub fn check(widget: &Bundle) -> Result {
    let ratio = measure_and_print(widget)?;
    if ratio > BUDGET_RATIO {
        return Err(format!(
            "size budget exceeded: {ratio:.2}× > {BUDGET_RATIO:.1}×"
        ));
    }
    Ok(())
}

fn measure_and_print(widget: &Bundle) -> Result<f64> {
    let widget = measure(widget)?;
    let baseline = measure(&dist::build(
        "size-baseline",
        &target_dir().join("size").join("baseline"),
    )?)?;
    let ratio = widget.total_gz() as f64 / baseline.total_gz() as f64;

    println!();
    println!("| build | wasm | wasm gzip -9 | JS glue | JS gzip -9 | total gzip -9 |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, sizes) in [("hello-world Yew", &baseline), ("order-widget", &widget)] {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            sizes.wasm,
            sizes.wasm_gz,
            sizes.js,
            sizes.js_gz,
            sizes.total_gz()
        );
    }
    println!();
    println!(
        "size: order-widget is {ratio:.2}× hello-world (budget {BUDGET_RATIO:.1}×), bytes gzipped"
    );
    Ok(ratio)
}

fn measure(bundle: &Bundle) -> Result<Sizes> {
    let wasm = read(&bundle.wasm)?;
    let js = read(&bundle.js)?;
    Ok(Sizes {
        wasm: wasm.len(),
        wasm_gz: gzip_len(&wasm)?,
        js: js.len(),
        js_gz: gzip_len(&js)?,
    })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|compressed| compressed.len())
        .map_err(|e| format!("gzip failed: {e}"))
}
