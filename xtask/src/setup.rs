//! Installs what the build and tests need, from the package registries only,
//! and skips whatever is already present at the right version.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{command, output, root, run, tools_dir, Result};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PACK_VERSION: &str = "0.15.1";
const BINARYEN_VERSION: &str = "132";
const GECKODRIVER_VERSION: &str = "0.37.1";
const AXE_CORE_VERSION: &str = "4.14.1";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const REDIS_SERVER: &str = "/usr/bin/redis-server";
const PROMETHEUS: &str = "/usr/bin/prometheus";
const OPENSSL: &str = "/usr/bin/openssl";
const PYTHON3: &str = "/usr/bin/python3";
const NODE: &str = "/usr/bin/node";
const JQ: &str = "/usr/bin/jq";
const NGINX: &str = "/usr/sbin/nginx";
const WRK: &str = "/usr/bin/wrk";
const FIREFOX: &str = "/usr/bin/firefox-esr";
const ZBARIMG: &str = "/usr/bin/zbarimg";

#[derive(Clone, Copy)]
pub struct Needs {
    /// Headless Chromium and chromedriver, Firefox ESR and geckodriver, axe-core and
    /// zbarimg (reads the QR codes back), for browser and end-to-end tests and the page
    /// benchmark.
    pub browser: bool,
    /// wasm-pack, for running the browser tests.
    pub wasm_pack: bool,
    /// What order-proxy's tests run besides the proxy: Debian's redis-server (started on
    /// a free port, with TLS certificates made by openssl), Debian's prometheus (scrapes
    /// `/metrics` on a free port), and python3, node, sh and jq for the docs' recipes.
    pub redis_server: bool,
}

impl Needs {
    pub const ALL: Needs = Needs {
        browser: true,
        wasm_pack: true,
        redis_server: true,
    };
    /// Enough to build the shipped wasm.
    pub const BUILD: Needs = Needs {
        browser: false,
        wasm_pack: false,
        redis_server: false,
    };
}

pub fn ensure(needs: Needs) -> Result {
    // Downloads and installs from apt and npm run while cargo compiles its tools.
    std::thread::scope(|scope| {
        let packages = scope.spawn(|| apt_and_npm_tools(needs));
        let compiled = cargo_tools(needs);
        let packages = packages
            .join()
            .unwrap_or_else(|_| Err("installing the apt and npm tools panicked".into()));
        compiled.and(packages)
    })
}

/// The rust target and the tools `cargo install` compiles.
fn cargo_tools(needs: Needs) -> Result {
    wasm_target()?;
    wasm_bindgen_cli()?;
    if needs.wasm_pack {
        wasm_pack()?;
    }
    if needs.browser {
        geckodriver()?;
    }
    Ok(())
}

/// Debian's packages first (npm itself may come from there), then the npm ones.
fn apt_and_npm_tools(needs: Needs) -> Result {
    let mut packages = Vec::new();
    if needs.browser {
        packages.extend([
            ("chromium", CHROMIUM),
            ("chromium-driver", CHROMEDRIVER),
            ("firefox-esr", FIREFOX),
            ("zbar-tools", ZBARIMG),
        ]);
    }
    if needs.redis_server {
        packages.extend([
            ("redis-server", REDIS_SERVER),
            ("prometheus", PROMETHEUS),
            ("openssl", OPENSSL),
            ("python3", PYTHON3),
            ("nodejs", NODE),
            ("jq", JQ),
        ]);
    }
    apt_tools(&packages)?;
    wasm_opt()?;
    if needs.browser {
        axe_core()?;
    }
    Ok(())
}

/// nginx (the baseline) and wrk (the load) for `cargo xtask bench proxy`.
pub fn bench_tools() -> Result {
    apt_tools(&[("nginx", NGINX), ("wrk", WRK)])
}

/// Installs the `(package, file it installs)` pairs whose file is missing, with one
/// `apt-get update` and one `apt-get install`.
fn apt_tools(packages: &[(&str, &str)]) -> Result {
    let mut missing = Vec::new();
    for &(package, binary) in packages {
        if Path::new(binary).exists() {
            skip(package, binary)?;
        } else {
            missing.push(package);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(&missing)
}

fn wasm_target() -> Result {
    let installed =
        output(command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return skip("rust target", WASM_TARGET);
    }
    run(command("rustup").args(["target", "add", WASM_TARGET]))
}

/// wasm-bindgen-cli must match the library version in Cargo.lock exactly.
fn wasm_bindgen_cli() -> Result {
    let version = locked_version("wasm-bindgen")?;
    let installed = output(command("wasm-bindgen").arg("--version")).unwrap_or_default();
    if installed == format!("wasm-bindgen {version}") {
        return skip("wasm-bindgen-cli", &version);
    }
    // No `--locked`: installing with it fails against the crates.io registry we build from.
    run(command("cargo").args([
        "install",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &version,
    ]))
}

fn wasm_pack() -> Result {
    let installed = output(command("wasm-pack").arg("--version")).unwrap_or_default();
    if installed.starts_with("wasm-pack ") {
        return skip("wasm-pack", &installed);
    }
    run(command("cargo").args(["install", "wasm-pack", "--version", WASM_PACK_VERSION]))
}

/// Debian's binaryen is too old for wasm-bindgen's output; npm has the current one.
fn wasm_opt() -> Result {
    let installed = output(command("wasm-opt").arg("--version")).unwrap_or_default();
    if installed.contains(&format!("version {BINARYEN_VERSION}")) {
        return skip("wasm-opt", &installed);
    }
    npm_install(&format!("binaryen@{BINARYEN_VERSION}.0.0"))
}

/// `npm install <package>` into the project's tool directory.
fn npm_install(package: &str) -> Result {
    if output(command("npm").arg("--version")).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let prefix = tools_dir();
    std::fs::create_dir_all(&prefix).map_err(|e| format!("cannot create {prefix:?}: {e}"))?;
    run(command("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--save-exact",
            "--prefix",
        ])
        .arg(&prefix)
        .arg(package))
}

/// geckodriver as `cargo install` puts it: in cargo's bin directory.
pub fn geckodriver_path() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default();
    cargo_home.join("bin").join("geckodriver")
}

/// Mozilla's WebDriver server for Firefox: from crates.io (it downloads nothing).
/// Built unoptimized (`--debug`): it only relays WebDriver commands to Firefox, and
/// skipping the optimizer shortens a cold CI run.
fn geckodriver() -> Result {
    let installed = output(Command::new(geckodriver_path()).arg("--version")).unwrap_or_default();
    if installed.starts_with(&format!("geckodriver {GECKODRIVER_VERSION}")) {
        return skip("geckodriver", GECKODRIVER_VERSION);
    }
    // No `--locked`: installing with it fails against the crates.io registry we build from.
    run(command("cargo").args([
        "install",
        "--debug",
        "--force",
        "geckodriver",
        "--version",
        GECKODRIVER_VERSION,
    ]))
}

/// The accessibility engine the end-to-end tests inject, from the npm registry.
fn axe_core() -> Result {
    let manifest = tools_dir().join("node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&manifest).unwrap_or_default();
    if installed.contains(&format!("\"version\": \"{AXE_CORE_VERSION}\"")) {
        return skip("axe-core", AXE_CORE_VERSION);
    }
    npm_install(&format!("axe-core@{AXE_CORE_VERSION}"))
}

fn apt_install(packages: &[&str]) -> Result {
    run(command("apt-get").arg("update").arg("-qq"))?;
    run(command("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-qq"])
        .args(packages))
}

/// The version of a package as resolved in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

fn skip(what: &str, detail: &str) -> Result {
    println!("setup: {what} present ({detail})");
    Ok(())
}
