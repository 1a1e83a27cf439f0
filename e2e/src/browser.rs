//! A headless browser session through its WebDriver server: Chromium through
//! Debian's chromedriver, Firefox ESR through geckodriver (installed by
//! `cargo xtask setup` with `cargo install`). Both run on free loopback ports.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Map, Value};

use crate::cdp;
use crate::process::{free_port, in_own_group, wait_for_port, GroupGuard};
use crate::Result;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const FIREFOX: &str = "/usr/bin/firefox-esr";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
}

/// The page's viewport: its size in CSS pixels and the device pixels per CSS pixel.
#[derive(Clone, Copy, Debug)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    pub scale: u32,
}

impl Viewport {
    pub const DESKTOP: Viewport = Viewport {
        width: 1100,
        height: 1500,
        scale: 1,
    };
    /// A phone: narrower than either browser lets a desktop window be (500 CSS px),
    /// so Chromium emulates it (DevTools' device mode). Headless Firefox has no such
    /// emulation through WebDriver: a Firefox session refuses this viewport.
    pub const PHONE: Viewport = Viewport {
        width: 375,
        height: 740,
        scale: 2,
    };

    fn is_phone(self) -> bool {
        self.width < 500
    }
}

impl Browser {
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
        }
    }

    fn driver(self, port: u16) -> Result<Command> {
        let mut command = match self {
            Browser::Chromium => {
                let mut command = Command::new(CHROMEDRIVER);
                command.arg(format!("--port={port}"));
                command
            }
            Browser::Firefox => {
                let mut command = Command::new(geckodriver()?);
                command
                    .args(["--port", &port.to_string()])
                    // Its BiDi port defaults to 9222: one per run, like every other port.
                    .args(["--websocket-port", &free_port()?.to_string()]);
                command
            }
        };
        command.stdout(Stdio::null()).stderr(Stdio::null());
        Ok(command)
    }

    fn capabilities(self, viewport: Viewport) -> Map<String, Value> {
        let Viewport {
            width,
            height,
            scale,
        } = viewport;
        let mut capabilities = Map::new();
        match self {
            Browser::Chromium => {
                capabilities.insert(
                    "goog:chromeOptions".into(),
                    json!({
                        "binary": CHROMIUM,
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu",
                            "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", format!("--window-size={width},{height}"),
                        ]
                    }),
                );
            }
            Browser::Firefox => {
                capabilities.insert(
                    "moz:firefoxOptions".into(),
                    json!({
                        "binary": FIREFOX,
                        "args": ["-headless", format!("--width={width}"), format!("--height={height}")],
                        "prefs": { "layout.css.devPixelsPerPx": format!("{scale}.0") },
                    }),
                );
            }
        }
        capabilities
    }
}

/// geckodriver from cargo's bin directory (where `cargo install` puts it), else PATH.
fn geckodriver() -> Result<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let installed = cargo_home.map(|home| home.join("bin").join("geckodriver"));
    Ok(installed
        .filter(|path| path.exists())
        .unwrap_or_else(|| PathBuf::from("geckodriver")))
}

/// A browser session; the driver (and with it the browser) stops when dropped.
pub struct Session {
    pub browser: Browser,
    pub client: Client,
    _driver: GroupGuard,
}

impl Session {
    pub async fn start(browser: Browser, viewport: Viewport) -> Result<Session> {
        if browser == Browser::Firefox && viewport.is_phone() {
            return Err("headless Firefox cannot be narrower than 500 CSS px".into());
        }
        let port = free_port()?;
        let driver = in_own_group(&mut browser.driver(port)?)
            .spawn()
            .map_err(|e| format!("cannot start the {} driver: {e}", browser.name()))?;
        let driver = GroupGuard(driver);
        wait_for_port(port, "the WebDriver server").await?;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(browser.capabilities(viewport))
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| format!("cannot open a {} session: {e}", browser.name()))?;
        if browser == Browser::Chromium && viewport.is_phone() {
            cdp::execute(
                &client,
                "Emulation.setDeviceMetricsOverride",
                json!({
                    "width": viewport.width,
                    "height": viewport.height,
                    "deviceScaleFactor": viewport.scale,
                    "mobile": true,
                }),
            )
            .await?;
        }
        Ok(Session {
            browser,
            client,
            _driver: driver,
        })
    }

    pub async fn close(self) -> Result {
        self.client
            .close()
            .await
            .map_err(|e| format!("cannot close the session: {e}"))
    }
}
