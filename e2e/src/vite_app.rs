//! The storefront app of `e2e/vite-app/` (Vite, React, TypeScript): installed from its
//! lock file plus the npm package `cargo xtask dist` packed, type-checked with `tsc`,
//! built with `vite build` and served by `vite preview`.
//!
//! The package is installed after `npm ci` with `npm install --no-save <tarball>`: a
//! lock file entry for a local tarball pins its hash, which changes with every build,
//! so `npm ci` would refuse it; everything else comes from the lock file as it is.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::process::{free_port, in_own_group, repo_root, target_dir, wait_for_port, GroupGuard};
use crate::Result;

/// Vite 8 runs on Node 20.19 and later.
const NODE_AT_LEAST: (u32, u32) = (20, 19);

pub struct ViteApp {
    pub dir: PathBuf,
}

/// `vite preview` serving the built app; stopped when dropped.
pub struct Preview {
    pub base: String,
    _server: GroupGuard,
}

/// The tarball `cargo xtask dist` packed: the only `*.tgz` in `target/npm/`.
pub fn tarball() -> Result<PathBuf> {
    let dir = target_dir().join("npm");
    let tarballs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("no {dir:?} ({e}): build the package first (cargo xtask dist)"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "tgz"))
        .collect();
    match tarballs.as_slice() {
        [one] => Ok(one.clone()),
        other => Err(format!("expected one tarball in {dir:?}, found {other:?}")),
    }
}

impl ViteApp {
    /// `npm ci` from the app's lock file, then the package from its tarball.
    pub fn install() -> Result<ViteApp> {
        check_node()?;
        let app = ViteApp {
            dir: repo_root().join("e2e").join("vite-app"),
        };
        app.npm(&["ci"], None)?;
        app.npm(&["install", "--no-save"], Some(&tarball()?))?;
        Ok(app)
    }

    /// `tsc --noEmit -p <project>`: its output, whether or not it passed.
    pub fn type_check(&self, project: &str) -> Result<Output> {
        self.command(&bin("tsc"))
            .args(["--noEmit", "--pretty", "false", "-p", project])
            .output()
            .map_err(|e| format!("cannot run tsc: {e}"))
    }

    /// `vite build` into `dist/`.
    pub fn build(&self) -> Result {
        succeed(
            self.command(&bin("vite"))
                .args(["build", "--logLevel", "warn"]),
            "vite build",
        )
    }

    /// `vite preview` on a free port: `csp` as every file's Content-Security-Policy,
    /// `/api` proxied to `order_proxy` (vite.config.ts reads both).
    pub async fn preview(&self, csp: &str, order_proxy: &str) -> Result<Preview> {
        let port = free_port()?;
        let mut command = self.command(&bin("vite"));
        command
            .args(["preview", "--strictPort", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .env("ORDER_WIDGET_CSP", csp)
            .env("ORDER_PROXY_URL", order_proxy)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let server = in_own_group(&mut command)
            .spawn()
            .map_err(|e| format!("cannot start vite preview: {e}"))?;
        let server = GroupGuard(server);
        wait_for_port(port, "vite preview").await?;
        Ok(Preview {
            base: format!("http://127.0.0.1:{port}"),
            _server: server,
        })
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// `npm <args> [package]`, without install scripts (none of the app's packages needs one).
    fn npm(&self, args: &[&str], package: Option<&Path>) -> Result {
        let mut command = self.command("npm");
        command
            .args(args)
            .args(["--no-audit", "--no-fund", "--ignore-scripts"]);
        if let Some(package) = package {
            command.arg(package);
        }
        succeed(&mut command, &format!("npm {}", args.join(" ")))
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.dir);
        command
    }
}

/// The app's own copy of a tool (`node_modules/.bin/<name>`), as its scripts run it.
fn bin(name: &str) -> String {
    Path::new("node_modules")
        .join(".bin")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn succeed(command: &mut Command, what: &str) -> Result {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

fn check_node() -> Result {
    let output = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|e| format!("node is missing ({e}): the Vite app needs Node.js"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut numbers = text
        .trim()
        .trim_start_matches('v')
        .split('.')
        .map(|part| part.parse::<u32>().unwrap_or(0));
    let version = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    if version < NODE_AT_LEAST {
        return Err(format!(
            "node {} is too old for Vite 8: it needs {}.{} or later",
            text.trim(),
            NODE_AT_LEAST.0,
            NODE_AT_LEAST.1
        ));
    }
    Ok(())
}
