//! `cargo xtask bench [page] [--only TEXT]`: how soon a customer sees the order and can
//! use it, on each of the widget's pages ([`PAGES`]) against a hand-written page
//! (`www/bench/vanilla.html`) that fetches the same order through the same proxy and
//! renders status, items and masked codes with Reveal and Copy.
//!
//! All pages are served by one release `order-proxy serve --mock` in one run and loaded
//! in headless Chromium, each load in a new browser, throttled through the DevTools
//! protocol. Each page carries the same probe (injected before any of its scripts): on
//! every animation frame it looks for the status badge (`[part~=badge]`, in the widget's
//! shadow root or the page) and the code rows (`[part~=code]`), and notes
//! `performance.now()` (milliseconds since navigation start) when they are first on
//! screen; a `PerformanceObserver` adds up the layout shifts. The widget's own
//! performance marks (`order-widget:answer`, `order-widget:shown`) give the time until
//! its buttons work and the time its first render took.

use std::time::Duration;

use e2e::{cdp, Browser, Proxy, Session, Viewport};
use serde_json::{json, Value};

use crate::cmd::{self, command, output, target_dir, Result};
use crate::{docs, setup, widget};

/// The page the results are written into.
const PAGE: &str = "docs/performance.md";

/// Runs per measure and page; the table shows the median.
const RUNS: usize = 5;
/// A load that has not shown the status by then counts as a failure.
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long layout shifts are still counted after the status is on screen (and, on the
/// widget's pages, the widget has marked `order-widget:shown`).
const SETTLE: Duration = Duration::from_millis(500);

const DELIVERED: &str = "20250001";
/// The mock's bulk order: 500 codes, delivered ~3 s after its first request.
const BULK: &str = "20250500";
const BULK_CODES: usize = 500;

/// A page the benchmark loads.
struct BenchPage {
    name: &'static str,
    /// The page's path, `{order}` standing for the order id.
    path: &'static str,
    /// The target for this page's cold first status ÷ the hand-written page's,
    /// on both profiles.
    cold_status_target: Option<f64>,
}

impl BenchPage {
    fn url(&self, base: &str, order: &str) -> String {
        format!("{base}{}", self.path.replace("{order}", order))
    }
}

/// The widget's pages, each timed against [`HAND_WRITTEN`] in the same run.
static PAGES: [BenchPage; 2] = [
    BenchPage {
        name: "client-only embed",
        path: "/?order={order}&first-paint=0",
        cold_status_target: Some(1.3),
    },
    BenchPage {
        name: "server-rendered",
        path: "/?order={order}",
        cold_status_target: Some(0.8),
    },
];

/// The baseline: no framework, no wasm.
static HAND_WRITTEN: BenchPage = BenchPage {
    name: "hand-written page",
    path: "/www/bench/vanilla.html?order={order}",
    cold_status_target: None,
};

#[derive(Clone, Copy)]
struct Profile {
    name: &'static str,
    viewport: Viewport,
    /// Round-trip time, download and upload in bytes per second; None: unthrottled.
    network: Option<(u32, u32, u32)>,
    cpu_slowdown: u32,
    /// The target for the widget's `order-widget:answer` → `order-widget:shown`.
    answer_to_shown_ms: f64,
    /// The target for the time until Copy works ÷ the hand-written page's first
    /// status.
    copy_works_target: Option<f64>,
}

const DESKTOP: Profile = Profile {
    name: "desktop",
    viewport: Viewport::DESKTOP,
    network: None,
    cpu_slowdown: 1,
    answer_to_shown_ms: 30.0,
    copy_works_target: None,
};

/// Lighthouse's mobile profile: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower.
const PHONE: Profile = Profile {
    name: "phone",
    viewport: Viewport::PHONE,
    network: Some((150, 1_600_000 / 8, 750_000 / 8)),
    cpu_slowdown: 4,
    answer_to_shown_ms: 100.0,
    copy_works_target: Some(1.3),
};

#[derive(Clone, Copy, PartialEq)]
enum Cache {
    /// A first visit: nothing cached.
    Cold,
    /// A reload: the page was loaded once before in the same browser.
    Warm,
}

/// One kind of load: profile, cache and order.
struct Scenario {
    profile: Profile,
    cache: Cache,
    order: &'static str,
    /// Until the status is on screen, or until this many code rows are.
    codes: Option<usize>,
}

impl Scenario {
    fn label(&self) -> String {
        let what = match (self.codes, self.cache) {
            (Some(codes), Cache::Cold) => format!("{codes} codes, cold"),
            (Some(codes), Cache::Warm) => format!("{codes} codes, repeat view"),
            (None, Cache::Cold) => "cold".to_owned(),
            (None, Cache::Warm) => "repeat view".to_owned(),
        };
        format!("{what}, {}", self.profile.name)
    }

    /// A cold first visit to the delivered order: where every measure is taken.
    fn is_first_visit(&self) -> bool {
        self.cache == Cache::Cold && self.codes.is_none()
    }
}

static SCENARIOS: [Scenario; 6] = [
    Scenario {
        profile: DESKTOP,
        cache: Cache::Cold,
        order: DELIVERED,
        codes: None,
    },
    Scenario {
        profile: PHONE,
        cache: Cache::Cold,
        order: DELIVERED,
        codes: None,
    },
    Scenario {
        profile: DESKTOP,
        cache: Cache::Warm,
        order: DELIVERED,
        codes: None,
    },
    Scenario {
        profile: PHONE,
        cache: Cache::Warm,
        order: DELIVERED,
        codes: None,
    },
    Scenario {
        profile: DESKTOP,
        cache: Cache::Cold,
        order: BULK,
        codes: Some(BULK_CODES),
    },
    Scenario {
        profile: PHONE,
        cache: Cache::Cold,
        order: BULK,
        codes: Some(BULK_CODES),
    },
];

#[derive(Clone, Copy, PartialEq)]
enum Metric {
    /// Navigation start → the status badge (or the 500th code row) on screen.
    FirstStatus,
    /// Navigation start → `order-widget:shown`: the order on screen with the client's
    /// handlers live (checked once per page by a press on Copy), against the hand-written
    /// page's first status.
    CopyWorks,
    /// Cumulative layout shift until [`SETTLE`] after the status is on screen.
    LayoutShift,
    /// `order-widget:answer` → `order-widget:shown`: the widget's first render.
    AnswerToShown,
}

/// What a row is held to.
#[derive(Clone, Copy)]
enum Target {
    None,
    /// At most this many times the hand-written page's time.
    Ratio(f64),
    /// At most this many milliseconds.
    Millis(f64),
    /// No layout shift at all.
    NoShift,
}

/// One line of the table.
struct Row {
    page: &'static BenchPage,
    scenario: &'static Scenario,
    metric: Metric,
    target: Target,
}

impl Row {
    fn label(&self) -> String {
        let metric = match self.metric {
            Metric::FirstStatus => "first status".to_owned(),
            Metric::CopyWorks => "time until Copy works".to_owned(),
            Metric::LayoutShift => "layout shift".to_owned(),
            Metric::AnswerToShown => format!(
                "answer → shown ({}× CPU)",
                self.scenario.profile.cpu_slowdown
            ),
        };
        format!("{}: {metric}, {}", self.page.name, self.scenario.label())
    }

    /// Whether the row compares with the hand-written page's loads.
    fn needs_baseline(&self) -> bool {
        self.metric != Metric::AnswerToShown
    }
}

/// Every row: each page on each scenario's first status; on a cold first visit also the
/// time until Copy works, the layout shift and the widget's first render.
fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for page in &PAGES {
        for scenario in &SCENARIOS {
            let status_target = match (scenario.is_first_visit(), scenario.cache) {
                (true, _) => page.cold_status_target.map_or(Target::None, Target::Ratio),
                (false, Cache::Warm) if scenario.profile.name == PHONE.name => Target::Ratio(1.3),
                _ => Target::None,
            };
            let row = |metric, target| Row {
                page,
                scenario,
                metric,
                target,
            };
            rows.push(row(Metric::FirstStatus, status_target));
            if scenario.is_first_visit() {
                let copy_target = scenario
                    .profile
                    .copy_works_target
                    .map_or(Target::None, Target::Ratio);
                rows.push(row(Metric::CopyWorks, copy_target));
                rows.push(row(Metric::LayoutShift, Target::NoShift));
                rows.push(row(
                    Metric::AnswerToShown,
                    Target::Millis(scenario.profile.answer_to_shown_ms),
                ));
            }
        }
    }
    rows
}

/// One load: when the status (or the codes) showed, what was fetched when, the widget's
/// marks and the layout shifts.
struct Load {
    ms: f64,
    timeline: Vec<(String, f64, f64)>,
    /// `order-widget:shown`, on the widget's pages.
    shown_ms: Option<f64>,
    /// `order-widget:answer` → `order-widget:shown`.
    answer_to_shown_ms: Option<f64>,
    /// Cumulative layout shift, and the part of it whose shifted nodes are the widget's.
    shift: f64,
    widget_shift: f64,
    /// The shifted nodes (`tag#id.class`), in the order they first shifted.
    shifted: Vec<String>,
}

/// The loads of one page in one scenario.
struct Loads {
    scenario: &'static Scenario,
    page: &'static BenchPage,
    loads: Vec<Load>,
}

/// `only`: run (and print) only the rows whose label contains it; the docs are written by
/// a full run only.
pub fn run(only: Option<&str>) -> Result {
    let rows: Vec<Row> = rows()
        .into_iter()
        .filter(|row| only.is_none_or(|text| contains(&row.label(), text)))
        .collect();
    if rows.is_empty() {
        let labels: Vec<String> = self::rows().iter().map(Row::label).collect();
        return Err(format!(
            "no row matches {only:?}; the rows:\n{}",
            labels.join("\n")
        ));
    }
    setup::ensure(setup::Needs::ALL)?;
    widget::build()?;
    cmd::run(command("cargo").args(["build", "--quiet", "--release", "-p", "order-proxy"]))?;
    let load_before = load_average();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    let (results, copies) = runtime.block_on(measure_all(&rows))?;
    let load_after = load_average();
    let report = report(&rows, &results, &copies, &load_before, &load_after);
    println!("\n{report}");
    if only.is_none() {
        docs::write_section(PAGE, "bench-page", &report)?;
        println!("bench: wrote the table into {PAGE}");
    }
    Ok(())
}

fn contains(label: &str, text: &str) -> bool {
    label.to_lowercase().contains(&text.to_lowercase())
}

/// The table, and the timelines of the median cold loads (desktop and phone), as Markdown.
fn report(
    rows: &[Row],
    results: &[Loads],
    copies: &[(&'static str, Result)],
    load_before: &str,
    load_after: &str,
) -> String {
    let mut out = format!(
        "Measured by `cargo xtask bench` (headless Chromium {}; load average {load_before} \
         before, {load_after} after, 2 cores). Median of {RUNS} loads each, the pages \
         alternating, each load in a new browser; times from navigation start until the \
         status badge (or the 500th code row) is on screen, until `order-widget:shown` for \
         Copy, and from `order-widget:answer` to `order-widget:shown` for the widget's \
         first render. Layout shift: the median load's cumulative layout shift until \
         {} ms after the status is on screen, with the part whose shifted nodes are in \
         the widget, and the nodes that moved.\n\n",
        chromium_version(),
        SETTLE.as_millis()
    );
    out.push_str("| measure | page | hand-written page | page ÷ hand-written | target | |\n");
    out.push_str("|---|---:|---:|---:|---:|---|\n");
    for row in rows {
        let page = loads_of(results, row.scenario, row.page);
        let baseline = loads_of(results, row.scenario, &HAND_WRITTEN);
        out.push_str(&format!(
            "| {} | {} |\n",
            row.label(),
            cells(row, page, baseline)
        ));
    }
    if !copies.is_empty() {
        out.push_str(
            "\nCopy checked once per page (desktop, unthrottled: a press on the first code's \
             Copy once `order-widget:shown` is marked, or the status is on the hand-written \
             page, then the clipboard read back): ",
        );
        let checks: Vec<String> = copies
            .iter()
            .map(|(page, result)| match result {
                Ok(()) => format!("{page} copied the code"),
                Err(error) => format!("{page} **did not copy**: {error}"),
            })
            .collect();
        out.push_str(&checks.join("; "));
        out.push_str(".\n");
    }
    for scenario in SCENARIOS.iter().filter(|s| s.is_first_visit()) {
        for page in PAGES.iter().chain([&HAND_WRITTEN]) {
            if let Some(loads) = loads_of(results, scenario, page) {
                out.push_str(&timeline_table(
                    scenario.profile.name,
                    page.name,
                    median_load(loads),
                ));
            }
        }
    }
    out
}

/// The row's cells after its label: page, hand-written page, ratio, target, met.
fn cells(row: &Row, page: Option<&[Load]>, baseline: Option<&[Load]>) -> String {
    let Some(page) = page else {
        return "— | — | — | — | not measured".to_owned();
    };
    let baseline_status = baseline.map(|loads| median(&times(loads)));
    let ms = |value: Option<f64>| value.map_or("—".to_owned(), |v| format!("{v:.0} ms"));
    let (value, shown, base, ratio) = match row.metric {
        Metric::FirstStatus | Metric::CopyWorks => {
            let value = if row.metric == Metric::FirstStatus {
                Some(median(&times(page)))
            } else {
                median_of(page.iter().map(|load| load.shown_ms))
            };
            let ratio = value.zip(baseline_status).map(|(v, b)| v / b);
            (value, ms(value), ms(baseline_status), ratio)
        }
        Metric::AnswerToShown => {
            let value = median_of(page.iter().map(|load| load.answer_to_shown_ms));
            (value, ms(value), "—".to_owned(), None)
        }
        Metric::LayoutShift => {
            let load = median_by(page, |load| load.shift);
            let base = baseline.map_or("—".to_owned(), |loads| {
                format!("{:.3}", median_by(loads, |load| load.shift).shift)
            });
            let shifted = if load.shifted.is_empty() {
                String::new()
            } else {
                format!("; shifted: `{}`", load.shifted.join("`, `"))
            };
            let shown = format!(
                "{:.3} (the widget's own: {:.3}{shifted})",
                load.shift, load.widget_shift
            );
            (Some(load.shift), shown, base, None)
        }
    };
    let ratio_cell = ratio.map_or("—".to_owned(), |r| format!("{r:.2}"));
    let (target, met) = match (row.target, value) {
        (Target::None, _) => ("—".to_owned(), String::new()),
        (_, None) => ("—".to_owned(), "**no value**".to_owned()),
        (Target::Ratio(limit), Some(_)) => (
            format!("≤ {limit:.1}×"),
            met_or_missed(ratio.is_some_and(|r| r <= limit)),
        ),
        (Target::Millis(limit), Some(value)) => {
            (format!("≤ {limit:.0} ms"), met_or_missed(value <= limit))
        }
        // Rounded as printed: a shift below 0.0005 shows as 0.000.
        (Target::NoShift, Some(value)) => ("0".to_owned(), met_or_missed(value < 0.0005)),
    };
    format!("{shown} | {base} | {ratio_cell} | {target} | {met}")
}

fn met_or_missed(met: bool) -> String {
    if met { "met" } else { "**missed**" }.to_owned()
}

fn loads_of<'a>(results: &'a [Loads], scenario: &Scenario, page: &BenchPage) -> Option<&'a [Load]> {
    results
        .iter()
        .find(|loads| std::ptr::eq(loads.scenario, scenario) && loads.page.name == page.name)
        .map(|loads| loads.loads.as_slice())
}

async fn measure_all(rows: &[Row]) -> Result<(Vec<Loads>, Vec<(&'static str, Result)>)> {
    // No client-IP limit: the benchmark asks for the same orders a hundred times.
    let binary = target_dir().join("release").join("order-proxy");
    let proxy = Proxy::start(&binary, &["--limit-per-ip-per-minute", "100000"]).await?;
    if rows.iter().any(|row| row.scenario.order == BULK) {
        warm_up_bulk_order(&proxy).await?;
    }
    let mut results: Vec<Loads> = Vec::new();
    for scenario in &SCENARIOS {
        let in_scenario: Vec<&Row> = rows
            .iter()
            .filter(|row| std::ptr::eq(row.scenario, scenario))
            .collect();
        let mut pages = pages_of(in_scenario.iter().copied());
        if in_scenario.iter().any(|row| row.needs_baseline()) {
            pages.push(&HAND_WRITTEN);
        }
        let start = results.len();
        for page in &pages {
            results.push(Loads {
                scenario,
                page,
                loads: Vec::new(),
            });
        }
        for run in 0..RUNS {
            println!("bench: {} ({}/{RUNS})", scenario.label(), run + 1);
            for (index, page) in pages.iter().enumerate() {
                let loaded = load(&proxy, scenario, page).await?;
                results[start + index].loads.push(loaded);
            }
        }
    }
    let mut copy_pages = pages_of(rows.iter().filter(|row| row.metric == Metric::CopyWorks));
    if !copy_pages.is_empty() {
        copy_pages.push(&HAND_WRITTEN);
    }
    let mut copies = Vec::new();
    for page in copy_pages {
        println!("bench: a press on Copy, {}", page.name);
        copies.push((page.name, copy_works(&proxy, page).await));
    }
    Ok((results, copies))
}

/// The pages `rows` are about, each once, in their order.
fn pages_of<'a>(rows: impl Iterator<Item = &'a Row>) -> Vec<&'static BenchPage> {
    let mut pages: Vec<&'static BenchPage> = Vec::new();
    for row in rows {
        if !pages.iter().any(|page| page.name == row.page.name) {
            pages.push(row.page);
        }
    }
    pages
}

/// Starts the bulk order's clock and waits until it is delivered, so every load
/// sees its 500 codes.
async fn warm_up_bulk_order(proxy: &Proxy) -> Result {
    let session = Session::start(Browser::Chromium, Viewport::DESKTOP).await?;
    session
        .client
        .goto(&HAND_WRITTEN.url(&proxy.base, BULK))
        .await
        .map_err(|e| format!("cannot open the bulk order: {e}"))?;
    tokio::time::sleep(Duration::from_secs(4)).await;
    session.close().await
}

/// One page load in a new browser, throttled as the profile says.
async fn load(proxy: &Proxy, scenario: &Scenario, page: &BenchPage) -> Result<Load> {
    let profile = scenario.profile;
    let session = Session::start(Browser::Chromium, profile.viewport).await?;
    let client = &session.client;
    cdp::execute(client, "Network.enable", json!({})).await?;
    cdp::execute(
        client,
        "Network.setCacheDisabled",
        json!({ "cacheDisabled": scenario.cache == Cache::Cold }),
    )
    .await?;
    let (latency, download, upload) = profile.network.unwrap_or((0, 0, 0));
    cdp::execute(
        client,
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": latency,
            // 0: no limit.
            "downloadThroughput": if download == 0 { -1 } else { download as i64 },
            "uploadThroughput": if upload == 0 { -1 } else { upload as i64 },
        }),
    )
    .await?;
    cdp::execute(
        client,
        "Emulation.setCPUThrottlingRate",
        json!({ "rate": profile.cpu_slowdown }),
    )
    .await?;
    cdp::execute(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": probe(scenario.codes) }),
    )
    .await?;

    let url = page.url(&proxy.base, scenario.order);
    let widget = page.name != HAND_WRITTEN.name;
    if scenario.cache == Cache::Warm {
        // The first visit fills the cache; the measured load is the second.
        visit(&session, &url, widget).await?;
    }
    let loaded = visit(&session, &url, widget).await?;
    session.close().await?;
    Ok(loaded)
}

/// Navigates, waits for the probe's mark (and on a widget's page for
/// `order-widget:shown`), then [`SETTLE`] more for layout shifts.
async fn visit(session: &Session, url: &str, widget: bool) -> Result<Load> {
    let client = &session.client;
    client
        .goto(url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    let done = if widget {
        "window.__benchDone !== undefined && \
         performance.getEntriesByName('order-widget:shown', 'mark').length > 0"
    } else {
        "window.__benchDone !== undefined"
    };
    loop {
        let seen = client
            .execute(&format!("return {done};"), vec![])
            .await
            .map_err(|e| format!("cannot read the probe: {e}"))?;
        if seen.as_bool() == Some(true) {
            break;
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{url} showed nothing within {PAGE_TIMEOUT:?}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(SETTLE).await;
    let seen = client
        .execute(
            "const mark = (name) => {\n\
               const found = performance.getEntriesByName(name, 'mark');\n\
               return found.length ? found[0].startTime : null;\n\
             };\n\
             return {\n\
               ms: window.__benchDone,\n\
               answer: mark('order-widget:answer'),\n\
               shown: mark('order-widget:shown'),\n\
               shift: window.__benchShift.total,\n\
               widgetShift: window.__benchShift.widget,\n\
               shifted: window.__benchShift.nodes,\n\
               timeline: [\n\
                 ...performance.getEntriesByType('resource').map((entry) =>\n\
                   ['`' + new URL(entry.name).pathname + '`', entry.startTime, entry.responseEnd]),\n\
                 ...performance.getEntriesByType('mark').map((mark) =>\n\
                   ['mark ' + mark.name, mark.startTime, mark.startTime]),\n\
               ].sort((a, b) => a[2] - b[2]) };",
            vec![],
        )
        .await
        .map_err(|e| format!("cannot read the probe: {e}"))?;
    let (answer, shown) = (seen["answer"].as_f64(), seen["shown"].as_f64());
    Ok(Load {
        ms: seen["ms"].as_f64().unwrap_or(f64::NAN),
        timeline: timeline(&seen["timeline"]),
        shown_ms: shown,
        answer_to_shown_ms: answer.zip(shown).map(|(answer, shown)| shown - answer),
        shift: seen["shift"].as_f64().unwrap_or(f64::NAN),
        widget_shift: seen["widgetShift"].as_f64().unwrap_or(f64::NAN),
        shifted: seen["shifted"]
            .as_array()
            .map(|nodes| {
                nodes
                    .iter()
                    .filter_map(|node| node.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Loads `page` unthrottled with the clipboard allowed, waits until it says its order is
/// usable (`order-widget:shown`, or the hand-written page's status), presses the first
/// code's Copy as a user does (a mouse click through the DevTools protocol) and reads the
/// clipboard back: the order's first code, or an error saying what it held.
async fn copy_works(proxy: &Proxy, page: &BenchPage) -> Result {
    let session = Session::start(Browser::Chromium, Viewport::DESKTOP).await?;
    let checked = press_copy(&session, proxy, page).await;
    session.close().await?;
    checked
}

async fn press_copy(session: &Session, proxy: &Proxy, page: &BenchPage) -> Result {
    let client = &session.client;
    cdp::execute(
        client,
        "Browser.grantPermissions",
        json!({
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
            "origin": proxy.base,
        }),
    )
    .await?;
    let url = page.url(&proxy.base, DELIVERED);
    client
        .goto(&url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let find = "const host = document.querySelector('order-widget');\n\
                const root = host ? host.shadowRoot : document;\n\
                const ready = host\n\
                  ? performance.getEntriesByName('order-widget:shown', 'mark').length > 0\n\
                  : !!document.querySelector('[part~=badge]');\n\
                const button = ready && root && root.querySelector('[part~=code] [part~=copy-button]');\n\
                if (!button) return null;\n\
                button.scrollIntoView({ block: 'center' });\n\
                const box = button.getBoundingClientRect();\n\
                return [box.x + box.width / 2, box.y + box.height / 2];";
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    let (x, y) = loop {
        let found = client
            .execute(find, vec![])
            .await
            .map_err(|e| format!("cannot look for Copy: {e}"))?;
        if let (Some(x), Some(y)) = (found[0].as_f64(), found[1].as_f64()) {
            break (x, y);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{url} showed no Copy within {PAGE_TIMEOUT:?}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for kind in ["mousePressed", "mouseReleased"] {
        cdp::execute(
            client,
            "Input.dispatchMouseEvent",
            json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
        )
        .await?;
    }
    // What the clipboard holds within 5 s of the press, and the order's first code.
    let read = client
        .execute_async(
            "const [order, done] = arguments;\n\
             const code = fetch(`/demo/token/${order}`).then((r) => r.json())\n\
               .then(({ token }) => fetch(`/api/orders/${order}/codes`,\n\
                 { method: 'POST', headers: { 'X-Order-Token': token } }))\n\
               .then((r) => r.json()).then((all) => all.codes[0].code);\n\
             const until = Date.now() + 5000;\n\
             const poll = async () => {\n\
               const [expected, held] = [await code, await navigator.clipboard.readText()];\n\
               if (held === expected || Date.now() > until) done({ copied: held === expected, held: held.length });\n\
               else setTimeout(poll, 50);\n\
             };\n\
             poll().catch((error) => done({ copied: false, error: String(error) }));",
            vec![json!(DELIVERED)],
        )
        .await
        .map_err(|e| format!("cannot read the clipboard: {e}"))?;
    if read["copied"].as_bool() == Some(true) {
        Ok(())
    } else {
        // Never the clipboard's text: it may be a code.
        Err(format!(
            "the clipboard did not hold the first code ({})",
            read["error"]
                .as_str()
                .map_or_else(|| format!("{} characters", read["held"]), str::to_owned)
        ))
    }
}

/// The script every page gets before its own: marks the first frame in which the
/// status badge (or `codes` code rows) is laid out on screen, and adds up layout shifts
/// (all, and those of nodes in the widget).
fn probe(codes: Option<usize>) -> String {
    let wanted = codes.map_or("null".to_owned(), |n| n.to_string());
    format!(
        "(() => {{\n\
           const wanted = {wanted};\n\
           const shown = (root) => {{\n\
             if (!root) return false;\n\
             if (wanted === null) {{\n\
               const badge = root.querySelector('[part~=badge]');\n\
               return !!badge && badge.getClientRects().length > 0;\n\
             }}\n\
             const rows = root.querySelectorAll('[part~=code]');\n\
             return rows.length >= wanted && rows[wanted - 1].getClientRects().length > 0;\n\
           }};\n\
           const frame = () => {{\n\
             const widget = document.querySelector('order-widget');\n\
             if (shown(widget && widget.shadowRoot) || shown(document)) {{\n\
               window.__benchDone = performance.now();\n\
             }} else {{\n\
               requestAnimationFrame(frame);\n\
             }}\n\
           }};\n\
           requestAnimationFrame(frame);\n\
           window.__benchShift = {{ total: 0, widget: 0, nodes: [] }};\n\
           const inWidget = (node) => {{\n\
             for (let at = node; at; at = at.parentNode || at.host) {{\n\
               if (at.localName === 'order-widget') return true;\n\
             }}\n\
             return false;\n\
           }};\n\
           const describe = (node) => node.nodeType !== 1 ? node.nodeName\n\
             : node.localName + (node.id ? '#' + node.id : '')\n\
               + (node.classList.length ? '.' + [...node.classList].join('.') : '');\n\
           new PerformanceObserver((list) => {{\n\
             for (const entry of list.getEntries()) {{\n\
               if (entry.hadRecentInput) continue;\n\
               window.__benchShift.total += entry.value;\n\
               const nodes = entry.sources.map((source) => source.node).filter(Boolean);\n\
               if (nodes.some(inWidget)) window.__benchShift.widget += entry.value;\n\
               for (const node of nodes) {{\n\
                 const name = describe(node);\n\
                 if (!window.__benchShift.nodes.includes(name)) window.__benchShift.nodes.push(name);\n\
               }}\n\
             }}\n\
           }}).observe({{ type: 'layout-shift', buffered: true }});\n\
         }})();"
    )
}

fn timeline(value: &Value) -> Vec<(String, f64, f64)> {
    value
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|entry| {
                    Some((
                        entry[0].as_str()?.to_owned(),
                        entry[1].as_f64()?,
                        entry[2].as_f64()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn times(loads: &[Load]) -> Vec<f64> {
    loads.iter().map(|load| load.ms).collect()
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// The median of the values present; None when none is.
fn median_of(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let present: Vec<f64> = values.flatten().collect();
    (!present.is_empty()).then(|| median(&present))
}

/// The load with the median `value`.
fn median_by(loads: &[Load], value: impl Fn(&Load) -> f64) -> &Load {
    let mut sorted: Vec<&Load> = loads.iter().collect();
    sorted.sort_by(|a, b| value(a).total_cmp(&value(b)));
    sorted[sorted.len() / 2]
}

fn median_load(loads: &[Load]) -> &Load {
    let middle = median(&times(loads));
    loads
        .iter()
        .find(|load| load.ms == middle)
        .unwrap_or(&loads[0])
}

fn timeline_table(profile: &str, page: &str, load: &Load) -> String {
    let mut out = format!(
        "\nTimeline of the median cold {profile} load, {page} (ms from navigation start; \
         requests and the widget's performance marks, by end):\n\n\
         | request or mark | start | end |\n|---|---:|---:|\n"
    );
    for (what, start, end) in &load.timeline {
        out.push_str(&format!("| {what} | {start:.0} | {end:.0} |\n"));
    }
    out.push_str(&format!(
        "| **status on screen** | | **{:.0}** |\n",
        load.ms
    ));
    out
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn chromium_version() -> String {
    output(command("chromium").arg("--version"))
        .and_then(|text| text.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}
