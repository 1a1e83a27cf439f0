//! The demo under test: `order-proxy serve --mock` serving the built widget, and a
//! browser session on it; the widget is read through its shadow root.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::key::Key;
use fantoccini::Client;
use serde_json::{json, Value};

use crate::browser::{Browser, Session, Viewport};
use crate::process::{free_port, repo_root, target_dir, wait_for_port, ChildGuard};
use crate::{cdp, http};
use crate::{wait, Result};

/// Only one demo runs at a time: every test starts its own proxy and browser,
/// and two browsers on a two-core machine make the timings meaningless.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct Demo {
    pub base: String,
    pub session: Session,
    _proxy: Proxy,
    /// What the page received so far, as far as `received` has read it.
    received: std::sync::Mutex<Vec<String>>,
}

/// `order-proxy serve --mock` serving the repository's demo on a free port.
pub struct Proxy {
    pub base: String,
    _child: ChildGuard,
}

impl Proxy {
    /// Starts `binary` with `extra` flags after the demo's own.
    pub async fn start(binary: &Path, extra: &[&str]) -> Result<Proxy> {
        Proxy::serving(binary, &repo_root(), extra).await
    }

    /// Starts `binary` serving `assets` (its `index.html` and `www/`).
    pub async fn serving(binary: &Path, assets: &Path, extra: &[&str]) -> Result<Proxy> {
        if !assets.join("www/pkg/manifest.json").exists() {
            return Err("www/pkg/ is missing: build the widget first (cargo xtask dist)".into());
        }
        let port = free_port()?;
        let child = Command::new(binary)
            .args(["serve", "--mock", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--assets")
            .arg(assets)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start order-proxy: {e}"))?;
        let child = ChildGuard(child);
        wait_for_port(port, "order-proxy").await?;
        Ok(Proxy {
            base: format!("http://127.0.0.1:{port}"),
            _child: child,
        })
    }
}

/// The debug proxy binary, built (a no-op when fresh) by the first test that asks.
pub fn proxy_binary() -> Result<PathBuf> {
    static BUILT: OnceLock<Result<PathBuf>> = OnceLock::new();
    BUILT.get_or_init(build_proxy).clone()
}

fn build_proxy() -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(is_set_for_this_test) {
            command.env_remove(name);
        }
    }
    let status = command
        .args(["build", "--quiet", "-p", "order-proxy"])
        .current_dir(repo_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building order-proxy failed".into());
    }
    Ok(target_dir().join("debug").join("order-proxy"))
}

/// `--mock-speed` for tests that wait for an order to change but do not time the change.
pub const FAST_MOCK_ORDERS: [&str; 2] = ["--mock-speed", "4"];

/// The variables `cargo test` sets for the test itself (its package's name, version,
/// directory…). Build scripts watch some of them (ring's does): a build that inherits them
/// and `cargo test`'s own would each find ring changed and rebuild it and all above it.
fn is_set_for_this_test(name: &str) -> bool {
    ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        || [
            "CARGO_CRATE_NAME",
            "CARGO_PRIMARY_PACKAGE",
            "CARGO_TARGET_TMPDIR",
        ]
        .contains(&name)
}

impl Demo {
    /// The demo served by the debug proxy, in `browser` at `viewport`.
    pub async fn start(browser: Browser, viewport: Viewport) -> Result<Demo> {
        Demo::start_with(browser, viewport, &[]).await
    }

    /// The demo with its mock orders' lifecycles [`FAST_MOCK_ORDERS`].
    pub async fn start_fast(browser: Browser, viewport: Viewport) -> Result<Demo> {
        Demo::start_with(browser, viewport, &FAST_MOCK_ORDERS).await
    }

    /// The demo served with extra `order-proxy serve` flags.
    pub async fn start_with(browser: Browser, viewport: Viewport, flags: &[&str]) -> Result<Demo> {
        let proxy = Proxy::start(&proxy_binary()?, flags).await?;
        let session = Session::for_test(browser, viewport).await?;
        Ok(Demo {
            base: proxy.base.clone(),
            session,
            _proxy: proxy,
            received: Default::default(),
        })
    }

    /// The widget on a page that another server serves at `base` (a storefront app
    /// whose `/api` goes to `proxy`), in `session`.
    pub fn on_page(base: String, proxy: Proxy, session: Session) -> Demo {
        Demo {
            base,
            session,
            _proxy: proxy,
            received: Default::default(),
        }
    }

    pub fn client(&self) -> &Client {
        &self.session.client
    }

    /// Opens a page of the demo; a server-rendered order page (`/?order=…`) once the
    /// client's render has taken the server's card's place.
    pub async fn open(&self, path_and_query: &str) -> Result {
        self.goto(path_and_query).await?;
        self.wait_for_take_over().await
    }

    /// Opens a page of the demo and returns at once.
    pub async fn goto(&self, path_and_query: &str) -> Result {
        self.session
            .client
            .goto(&format!("{}{path_and_query}", self.base))
            .await
            .map_err(|e| format!("cannot open {path_and_query}: {e}"))
    }

    /// Waits until no widget on the page shows a server-rendered card
    /// (`.ow-first-paint`) any more.
    pub async fn wait_for_take_over(&self) -> Result {
        wait::until(
            "the client's render taking over the server's",
            Duration::from_secs(30),
            || async {
                let left = self
                    .client()
                    .execute(
                        "return [...document.querySelectorAll('order-widget')]\
                           .some((w) => w.shadowRoot && w.shadowRoot.querySelector('.ow-first-paint'));",
                        vec![],
                    )
                    .await
                    .map_err(|e| format!("script failed: {e}"))?;
                if left == json!(false) {
                    Ok(())
                } else {
                    Err("the server's card is still shown".to_owned())
                }
            },
        )
        .await
    }

    /// Runs a script with `root` bound to the widget's shadow root (or null).
    pub async fn in_widget(&self, body: &str, args: Vec<Value>) -> Result<Value> {
        let script = format!(
            "const host = document.querySelector('order-widget');\n\
             const root = host && host.shadowRoot;\n{body}"
        );
        self.session
            .client
            .execute(&script, args)
            .await
            .map_err(|e| format!("script failed: {e}"))
    }

    /// The widget's visible text (shadow root), or "" before it rendered.
    pub async fn text(&self) -> Result<String> {
        let value = self
            .in_widget("return root ? root.textContent : '';", vec![])
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// The widget's whole markup, attributes included.
    pub async fn html(&self) -> Result<String> {
        let value = self
            .in_widget("return root ? root.innerHTML : '';", vec![])
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Waits until the widget's text contains `needle`.
    pub async fn wait_for_text(&self, needle: &str, timeout: Duration) -> Result<String> {
        let what = format!("the widget showing {needle:?}");
        wait::until(&what, timeout, || async {
            let text = self.text().await?;
            if text.contains(needle) {
                Ok(text)
            } else {
                Err(text)
            }
        })
        .await
    }

    /// The normalized status on the widget's badge, or "" before it rendered.
    pub async fn status(&self) -> Result<String> {
        let value = self
            .in_widget(
                "const badge = root && root.querySelector('[part~=badge]');\n\
                 return badge ? badge.dataset.status : '';",
                vec![],
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Waits until the badge shows `status`.
    pub async fn wait_for_status(&self, status: &str, timeout: Duration) -> Result {
        let what = format!("the badge showing {status:?}");
        wait::until(&what, timeout, || async {
            let shown = self.status().await?;
            if shown == status {
                Ok(())
            } else {
                Err(format!("badge {shown:?}, text {:?}", self.text().await?))
            }
        })
        .await
    }

    /// The `data-error` kind of the notice the widget shows, if any.
    pub async fn error_kind(&self) -> Result<Option<String>> {
        let value = self
            .in_widget(
                "const notice = root && root.querySelector('[data-error]');\n\
                 return notice ? notice.dataset.error : null;",
                vec![],
            )
            .await?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// The `data-state` of every item row, in order ("" when it has none).
    pub async fn item_states(&self) -> Result<Vec<String>> {
        let value = self
            .in_widget(
                "return root ? [...root.querySelectorAll('[part~=item]')]\
                   .map((item) => item.dataset.state || '') : [];",
                vec![],
            )
            .await?;
        Ok(value
            .as_array()
            .map(|states| {
                states
                    .iter()
                    .map(|s| s.as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The order token the demo mints for `order` (`/demo/token/{id}`), asked by the test
    /// itself: the page's network log stays the widget's.
    pub async fn token(&self, order: &str) -> Result<String> {
        let answer = http::get(&format!("{}/demo/token/{order}", self.base)).await?;
        let body: Value = serde_json::from_str(&answer.body)
            .map_err(|e| format!("/demo/token/{order}: {e}: {}", answer.body))?;
        body["token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("/demo/token/{order} gave no token: {body}"))
    }

    /// Every code of `order` as order-proxy's reveal endpoint answers (`POST
    /// /api/orders/{id}/codes`: `{ref, code, pin, claim_url}` each), asked by the test
    /// itself, never by the page.
    pub async fn codes(&self, order: &str) -> Result<Vec<Value>> {
        let token = self.token(order).await?;
        let url = format!("{}/api/orders/{order}/codes", self.base);
        let answer = http::post(&url, &[("X-Order-Token", &token)]).await?;
        if !answer.status.is_success() {
            return Err(format!("POST {url}: {}: {}", answer.status, answer.body));
        }
        let body: Value =
            serde_json::from_str(&answer.body).map_err(|e| format!("POST {url}: {e}"))?;
        body["codes"]
            .as_array()
            .cloned()
            .ok_or_else(|| format!("POST {url}: no codes in {body}"))
    }

    /// Opens the demo on `order` with everything the page receives recorded from before
    /// the widget's first request (see [`Demo::received`]). Chromium: the demo page as a
    /// customer opens it, its DevTools Network events read from the session's log.
    /// Firefox: the scenario picker, a recorder of every `fetch` answer and event-stream
    /// message put into the page, then the widget made as the demo page makes it.
    pub async fn open_recording(&self, order: &str, provider: &str) -> Result {
        self.received_lock()?.clear();
        match self.session.browser {
            Browser::Chromium => {
                // Whatever an earlier page received is not this page's.
                cdp::events(self.client()).await?;
                self.open(&format!("/?order={order}&provider={provider}"))
                    .await
            }
            Browser::Firefox => {
                self.open("/").await?;
                self.client()
                    .execute(RECORDER, vec![])
                    .await
                    .map_err(|e| format!("cannot install the recorder: {e}"))?;
                let mounted = self
                    .client()
                    .execute_async(MOUNT, vec![json!(order), json!(provider)])
                    .await
                    .map_err(|e| format!("cannot mount the widget: {e}"))?;
                if mounted == json!(true) {
                    Ok(())
                } else {
                    Err(format!("cannot mount the widget: {mounted}"))
                }
            }
        }
    }

    /// Everything the page opened with [`Demo::open_recording`] received so far: each
    /// response's URL and text body, each event-stream message's data.
    pub async fn received(&self) -> Result<Vec<String>> {
        let new = match self.session.browser {
            Browser::Chromium => cdp::received(self.client()).await?,
            Browser::Firefox => {
                let value = self
                    .client()
                    .execute("return (window.__owReceived || []).splice(0);", vec![])
                    .await
                    .map_err(|e| format!("cannot read the recorder: {e}"))?;
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|text| text.as_str().unwrap_or_default().to_owned())
                    .collect()
            }
        };
        let mut received = self.received_lock()?;
        received.extend(new);
        Ok(received.clone())
    }

    fn received_lock(&self) -> Result<std::sync::MutexGuard<'_, Vec<String>>> {
        self.received
            .lock()
            .map_err(|_| "the network log's lock is poisoned".to_owned())
    }

    /// Waits until an element in the widget matches `selector`.
    pub async fn wait_for_element(&self, selector: &str, timeout: Duration) -> Result {
        let what = format!("{selector:?} in the widget");
        wait::until(&what, timeout, || async {
            let found = self
                .in_widget(
                    "return !!(root && root.querySelector(arguments[0]));",
                    vec![json!(selector)],
                )
                .await?;
            if found == json!(true) {
                Ok(())
            } else {
                Err(self.text().await?)
            }
        })
        .await
    }

    /// The first element in the widget matching `selector`, for WebDriver commands.
    pub async fn element(&self, selector: &str) -> Result<Element> {
        let element = self
            .in_widget(
                "return root ? root.querySelector(arguments[0]) : null;",
                vec![json!(selector)],
            )
            .await?;
        if element.is_null() {
            return Err(format!("nothing matches {selector:?} in the widget"));
        }
        Ok(Element::from_element_id(
            self.session.client.clone(),
            element_id(&element)?,
        ))
    }

    /// Clicks the first element in the widget matching `selector`, as a user
    /// would (a real WebDriver click on the element).
    pub async fn click(&self, selector: &str) -> Result {
        self.element(selector)
            .await?
            .click()
            .await
            .map_err(|e| format!("cannot click {selector:?}: {e}"))
    }

    /// The text of the first element in the widget matching `selector`.
    pub async fn text_of(&self, selector: &str) -> Result<String> {
        let value = self
            .in_widget(
                "const element = root && root.querySelector(arguments[0]);\n\
                 return element ? element.textContent : '';",
                vec![json!(selector)],
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().trim().to_owned())
    }

    /// Records the widget's events to `window.__events` from now on.
    pub async fn record_events(&self) -> Result {
        self.in_widget(
            "window.__events = [];\n\
             for (const name of ['ready','status','delivered','reveal','copy','error']) {\n\
               host.addEventListener('order-widget:' + name, (e) =>\n\
                 window.__events.push({name, detail: e.detail}));\n\
             }\n\
             return null;",
            vec![],
        )
        .await
        .map(|_| ())
    }

    pub async fn events(&self) -> Result<Vec<Value>> {
        let value = self
            .session
            .client
            .execute(
                "return JSON.parse(JSON.stringify(window.__events || []));",
                vec![],
            )
            .await
            .map_err(|e| format!("cannot read events: {e}"))?;
        Ok(value.as_array().cloned().unwrap_or_default())
    }

    /// Saves a PNG of the page under `target/`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self
            .session
            .client
            .screenshot()
            .await
            .map_err(|e| format!("screenshot failed: {e}"))?;
        let dir = target_dir().join("e2e");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let path = dir.join(name);
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Presses and releases `key` where the focus is, as a keyboard would.
    pub async fn press(&self, key: Key) -> Result {
        let key = char::from(key);
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.session
            .client
            .perform_actions(actions)
            .await
            .map_err(|e| format!("cannot press a key: {e}"))
    }

    /// Stops the proxy and hands the browser back for the next test.
    pub async fn close(self) -> Result {
        self.session.hand_back().await
    }
}

/// The WebDriver reference in a script's element result.
fn element_id(value: &Value) -> Result<ElementRef> {
    value
        .get("element-6066-11e4-a52e-4f735466cecf")
        .and_then(Value::as_str)
        .map(|id| ElementRef::from(id.to_owned()))
        .ok_or_else(|| format!("the script did not return an element: {value}"))
}

/// Keeps what the page receives through `fetch` (each answer's URL and body) and
/// `EventSource` (each stream's URL and every message's data) in `window.__owReceived`.
const RECORDER: &str = "\
window.__owReceived = [];\n\
const record = (text) => window.__owReceived.push(String(text ?? ''));\n\
const pageFetch = window.fetch;\n\
window.fetch = function (...args) {\n\
  return pageFetch.apply(window, args).then((response) => {\n\
    record(response.url);\n\
    response.clone().text().then(record, () => {});\n\
    return response;\n\
  });\n\
};\n\
window.EventSource = class extends window.EventSource {\n\
  constructor(...args) { super(...args); record(this.url); }\n\
  addEventListener(type, listener, options) {\n\
    super.addEventListener(type, (event) => { record(event.data); listener.call(this, event); }, options);\n\
  }\n\
};\n\
return null;";

/// Makes the widget for `arguments[0]` (an order of vendor `arguments[1]`) as the demo
/// page does: its token from `/demo/token/{id}`, the order and its event stream.
const MOUNT: &str = "\
const [id, provider, done] = arguments;\n\
fetch(`/demo/token/${id}?provider=${provider}`).then((r) => r.json()).then(({ token }) => {\n\
  const widget = document.createElement('order-widget');\n\
  widget.setAttribute('order-id', id);\n\
  widget.setAttribute('proxy', '/api/orders/{id}');\n\
  widget.setAttribute('events', '/api/orders/{id}/events');\n\
  widget.setAttribute('token', token);\n\
  document.getElementById('widget-slot').replaceChildren(widget);\n\
  document.getElementById('thank-you').hidden = false;\n\
  done(true);\n\
}, (error) => done(String(error)));";
