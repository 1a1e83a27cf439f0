//! `cargo xtask test`: the README's test command and what CI runs.

use std::time::Instant;

use crate::cmd::{command, root, run, Result};
use crate::{fuzz, setup, size, widget};

pub fn run_all() -> Result {
    let started = Instant::now();
    setup::ensure(setup::Needs::ALL)?;
    step("format", || {
        run(command("cargo").args(["fmt", "--all", "--check"]))
    })?;
    step("clippy (native)", || {
        run(command("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("clippy (wasm)", || {
        run(command("cargo").args([
            "clippy",
            "-p",
            "order-core",
            "-p",
            "order-widget",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    // The end-to-end tests serve the built widget and install its npm package, so
    // build both first.
    let widget = step("widget release build and npm package", widget::build)?;
    // A quick check first: the size guard catches an accident (a dependency pulled into
    // the wasm by mistake) before the long steps.
    step("size (guard: 4.75× the hello-world Yew app)", || {
        size::check(&widget)
    })?;
    // In this (unoptimized) build: an optimized one would compile xtask's whole
    // dependency tree again for a few seconds of cases.
    step("fuzz (20,000 cases)", || fuzz::fuzz(20_000))?;
    step("native, property, proxy and end-to-end tests", || {
        run(command("cargo").args(["test", "--workspace"]))
    })?;
    step("browser tests (headless Chromium)", || {
        browser_tests(Browser::Chromium)
    })?;
    step("browser tests (headless Firefox)", || {
        browser_tests(Browser::Firefox)
    })?;
    println!(
        "xtask test: all steps passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

enum Browser {
    Chromium,
    Firefox,
}

/// Every `tests/browser_*.rs` through wasm-pack in a headless browser.
fn browser_tests(browser: Browser) -> Result {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests"))
        .map_err(|e| format!("cannot list tests/: {e}"))?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".rs").map(str::to_owned))
        .filter(|name| name.starts_with("browser_"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err("no tests/browser_*.rs found".into());
    }
    let mut wasm_pack = command("wasm-pack");
    wasm_pack.args(["test", "--headless"]);
    match browser {
        Browser::Chromium => wasm_pack
            .args(["--chrome", "--chromedriver"])
            .arg(setup::CHROMEDRIVER),
        Browser::Firefox => wasm_pack
            .args(["--firefox", "--geckodriver"])
            .arg(setup::geckodriver_path()),
    };
    wasm_pack
        .args(["--mode", "no-install", "--"])
        .env("WASM_BINDGEN_TEST_TIMEOUT", "180");
    for name in &names {
        wasm_pack.args(["--test", name]);
    }
    run(&mut wasm_pack)
}

fn step<T>(name: &str, action: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\n==> {name}");
    let started = Instant::now();
    let done = action().map_err(|e| format!("{name}: {e}"))?;
    println!("==> {name}: ok ({:.0} s)", started.elapsed().as_secs_f64());
    Ok(done)
}
