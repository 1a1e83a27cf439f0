//! A headless browser session through its WebDriver server: Chromium through
//! Debian's chromedriver, Firefox ESR through geckodriver (installed by
//! `cargo xtask setup` with `cargo install`). Both run on free loopback ports.

use std::path::PathBuf;
use std::sync::Mutex;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Map, Value};

use crate::cdp;
use crate::process::{free_port, spawn_group_until_exit, wait_for_port, GroupGuard};
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// The WebDriver server's program and arguments, listening on `port`.
    fn driver(self, port: u16) -> Result<(PathBuf, Vec<String>)> {
        Ok(match self {
            Browser::Chromium => (CHROMEDRIVER.into(), vec![format!("--port={port}")]),
            Browser::Firefox => {
                let port = port.to_string();
                // Its BiDi port defaults to 9222: one per run, like every other port.
                let bidi_port = free_port()?.to_string();
                let args: [&str; 4] = ["--port", &port, "--websocket-port", &bidi_port];
                (geckodriver()?, args.map(str::to_owned).to_vec())
            }
        })
    }

    fn capabilities(self, viewport: Viewport, javascript: bool) -> Map<String, Value> {
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
                        ],
                        // The Network domain's events, for `cdp::received`.
                        "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false },
                    }),
                );
                capabilities.insert("goog:loggingPrefs".into(), json!({ "performance": "ALL" }));
            }
            Browser::Firefox => {
                capabilities.insert(
                    "moz:firefoxOptions".into(),
                    json!({
                        "binary": FIREFOX,
                        "args": ["-headless", format!("--width={width}"), format!("--height={height}")],
                        "prefs": {
                            "layout.css.devPixelsPerPx": format!("{scale}.0"),
                            // Lets a test read the clipboard back without a paste prompt.
                            "dom.events.testing.asyncClipboard": true,
                            "javascript.enabled": javascript,
                        },
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
    viewport: Viewport,
    webdriver: String,
    driver: GroupGuard,
}

/// A browser that a test handed back, waiting for the next test of the same test binary.
struct Idle {
    browser: Browser,
    viewport: Viewport,
    webdriver: String,
    session_id: String,
    driver: GroupGuard,
}

/// Every test runs on a runtime of its own, and a client lives on the runtime that made
/// it: an idle browser is kept as its WebDriver session, which the next test reconnects to.
static IDLE: Mutex<Vec<Idle>> = Mutex::new(Vec::new());

impl Session {
    /// A new browser, with a WebDriver server of its own, for this session alone.
    pub async fn start(browser: Browser, viewport: Viewport) -> Result<Session> {
        Session::started(browser, viewport, true).await
    }

    /// A new Firefox with JavaScript off (`javascript.enabled`: pages run no script), for
    /// one test: close it, never hand it back. (Chromium turns scripts off per page:
    /// `Emulation.setScriptExecutionDisabled`.)
    pub async fn firefox_without_javascript(viewport: Viewport) -> Result<Session> {
        Session::started(Browser::Firefox, viewport, false).await
    }

    async fn started(browser: Browser, viewport: Viewport, javascript: bool) -> Result<Session> {
        if browser == Browser::Firefox && viewport.is_phone() {
            return Err("headless Firefox cannot be narrower than 500 CSS px".into());
        }
        let port = free_port()?;
        let (program, args) = browser.driver(port)?;
        let driver = spawn_group_until_exit(&program, &args)?;
        wait_for_port(port, "the WebDriver server").await?;
        let webdriver = format!("http://127.0.0.1:{port}");
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(browser.capabilities(viewport, javascript))
            .connect(&webdriver)
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
            viewport,
            webdriver,
            driver,
        })
    }

    /// A browser for one test: the one an earlier test of this test binary handed back
    /// (starting a browser takes seconds, Firefox's the most), else a new one.
    pub async fn for_test(browser: Browser, viewport: Viewport) -> Result<Session> {
        match take_idle(browser, viewport)? {
            Some(idle) => idle.resume().await,
            None => Session::start(browser, viewport).await,
        }
    }

    /// Leaves the browser open on a blank page for the next test of this test binary.
    /// A test that fails before this drops its session, and with it its browser.
    pub async fn hand_back(self) -> Result {
        let failed = |e: fantoccini::error::CmdError| format!("cannot hand the browser back: {e}");
        self.client.goto("about:blank").await.map_err(failed)?;
        let session_id = self
            .client
            .session_id()
            .await
            .map_err(failed)?
            .ok_or("the browser has no WebDriver session")?;
        // Dropping the client must not end the WebDriver session.
        self.client.persist().await.map_err(failed)?;
        let idle = Idle {
            browser: self.browser,
            viewport: self.viewport,
            webdriver: self.webdriver,
            session_id,
            driver: self.driver,
        };
        IDLE.lock()
            .map_err(|_| "the idle browsers' lock is poisoned")?
            .push(idle);
        Ok(())
    }

    pub async fn close(self) -> Result {
        self.client
            .close()
            .await
            .map_err(|e| format!("cannot close the session: {e}"))
    }
}

fn take_idle(browser: Browser, viewport: Viewport) -> Result<Option<Idle>> {
    let mut idle_browsers = IDLE
        .lock()
        .map_err(|_| "the idle browsers' lock is poisoned")?;
    let found = idle_browsers
        .iter()
        .position(|idle| idle.browser == browser && idle.viewport == viewport);
    Ok(found.map(|index| idle_browsers.swap_remove(index)))
}

impl Idle {
    async fn resume(self) -> Result<Session> {
        let client =
            Client::with_existing_session(&self.webdriver, &self.session_id, HttpConnector::new())
                .await
                .map_err(|e| format!("cannot resume the {} session: {e}", self.browser.name()))?;
        Ok(Session {
            browser: self.browser,
            client,
            viewport: self.viewport,
            webdriver: self.webdriver,
            driver: self.driver,
        })
    }
}
