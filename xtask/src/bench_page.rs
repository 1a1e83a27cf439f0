//! `cargo xtask bench [page]`: how soon a customer sees the order, the widget's demo
//! against a hand-written page (`www/bench/vanilla.html`) that fetches the same
//! order through the same proxy and renders status, items and masked codes.
//!
//! Both pages are served by one release `order-proxy serve --mock` in one run and
//! loaded in headless Chromium, throttled through the DevTools protocol. Each page
//! carries the same probe (injected before any of its scripts): on every animation
//! frame it looks for the status badge (`[part~=badge]`, in the widget's shadow root
//! or the page) and the code rows (`[part~=code]`), and notes `performance.now()`
//! (milliseconds since navigation start) when they are first on screen.

use std::time::Duration;

use e2e::{cdp, Browser, Proxy, Session, Viewport};
use serde_json::{json, Value};

use crate::cmd::{self, command, output, target_dir, Result};
use crate::{dist, docs, setup};

/// The page the results are written into.
const PAGE: &str = "docs/performance.md";

/// Runs per measure and page; the table shows the median.
const RUNS: usize = 5;
/// A load that has not shown the status by then counts as a failure.
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);

const DELIVERED: &str = "20250001";
/// The mock's bulk order: 500 codes, delivered ~3 s after its first request.
const BULK: &str = "20250500";
const BULK_CODES: usize = 500;

#[derive(Clone, Copy)]
struct Profile {
    name: &'static str,
    viewport: Viewport,
    /// Round-trip time, download and upload in bytes per second; None: unthrottled.
    network: Option<(u32, u32, u32)>,
    cpu_slowdown: u32,
}

const DESKTOP: Profile = Profile {
    name: "desktop",
    viewport: Viewport::DESKTOP,
    network: None,
    cpu_slowdown: 1,
};

/// Lighthouse's mobile profile: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower.
const PHONE: Profile = Profile {
    name: "phone",
    viewport: Viewport::PHONE,
    network: Some((150, 1_600_000 / 8, 750_000 / 8)),
    cpu_slowdown: 4,
};

#[derive(Clone, Copy, PartialEq)]
enum Cache {
    /// A first visit: nothing cached.
    Cold,
    /// A reload: the page was loaded once before in the same browser.
    Warm,
}

#[derive(Clone, Copy)]
enum Page {
    Widget,
    Vanilla,
}

impl Page {
    fn path(self, order: &str) -> String {
        match self {
            Page::Widget => format!("/?order={order}&provider=bdvoucher"),
            Page::Vanilla => format!("/www/bench/vanilla.html?order={order}"),
        }
    }
}

struct Measure {
    label: &'static str,
    profile: Profile,
    cache: Cache,
    order: &'static str,
    /// Until the status is on screen, or until this many code rows are.
    codes: Option<usize>,
    /// The target for the widget ÷ vanilla ratio.
    target: Option<f64>,
}

const MEASURES: [Measure; 6] = [
    Measure {
        label: "first status, cold, desktop",
        profile: DESKTOP,
        cache: Cache::Cold,
        order: DELIVERED,
        codes: None,
        target: Some(1.3),
    },
    Measure {
        label: "first status, cold, phone",
        profile: PHONE,
        cache: Cache::Cold,
        order: DELIVERED,
        codes: None,
        target: Some(1.6),
    },
    Measure {
        label: "first status, repeat view, desktop",
        profile: DESKTOP,
        cache: Cache::Warm,
        order: DELIVERED,
        codes: None,
        target: None,
    },
    Measure {
        label: "first status, repeat view, phone",
        profile: PHONE,
        cache: Cache::Warm,
        order: DELIVERED,
        codes: None,
        target: Some(1.3),
    },
    Measure {
        label: "500 codes on screen, cold, desktop",
        profile: DESKTOP,
        cache: Cache::Cold,
        order: BULK,
        codes: Some(BULK_CODES),
        target: None,
    },
    Measure {
        label: "500 codes on screen, cold, phone",
        profile: PHONE,
        cache: Cache::Cold,
        order: BULK,
        codes: Some(BULK_CODES),
        target: None,
    },
];

/// One load: when the status (or the codes) showed, and what was fetched when.
struct Load {
    ms: f64,
    timeline: Vec<(String, f64, f64)>,
}

pub fn run() -> Result {
    setup::ensure(setup::Needs::ALL)?;
    dist::build_widget()?;
    cmd::run(command("cargo").args(["build", "--quiet", "--release", "-p", "order-proxy"]))?;
    let load_before = load_average();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    let results = runtime.block_on(measure_all())?;
    let load_after = load_average();
    let report = report(&results, &load_before, &load_after);
    println!("\n{report}");
    docs::write_section(PAGE, "bench-page", &report)?;
    println!("bench: wrote the table into {PAGE}");
    Ok(())
}

/// The table, and the timelines of the median cold loads (desktop and phone), as Markdown.
fn report(results: &Results, load_before: &str, load_after: &str) -> String {
    let mut out = format!(
        "Measured by `cargo xtask bench` (headless Chromium {}; load average {load_before} \
         before, {load_after} after, 2 cores). Median of {RUNS} loads each, widget and \
         vanilla page alternating, each load in a new browser; times from navigation start \
         until the status badge (or the 500th code row) is on screen.\n\n",
        chromium_version()
    );
    out.push_str("| measure | widget | vanilla page | widget ÷ vanilla | target |\n");
    out.push_str("|---|---:|---:|---:|---:|\n");
    for (measure, widget, vanilla) in results {
        let (widget_ms, vanilla_ms) = (median(&times(widget)), median(&times(vanilla)));
        let ratio = widget_ms / vanilla_ms;
        let target = match measure.target {
            Some(target) if ratio <= target => format!("≤ {target:.1} ✓"),
            Some(target) => format!("≤ {target:.1}: **missed by {:.2}**", ratio - target),
            None => "—".to_owned(),
        };
        out.push_str(&format!(
            "| {} | {widget_ms:.0} ms | {vanilla_ms:.0} ms | {ratio:.2} | {target} |\n",
            measure.label
        ));
    }
    for (measure, widget, vanilla) in results {
        if measure.cache == Cache::Cold && measure.codes.is_none() {
            let profile = measure.profile.name;
            out.push_str(&timeline_table(profile, "widget", median_load(widget)));
            out.push_str(&timeline_table(
                profile,
                "vanilla page",
                median_load(vanilla),
            ));
        }
    }
    out
}

type Results = Vec<(&'static Measure, Vec<Load>, Vec<Load>)>;

async fn measure_all() -> Result<Results> {
    // No client-IP limit: the benchmark asks for the same orders a hundred times.
    let binary = target_dir().join("release").join("order-proxy");
    let proxy = Proxy::start(&binary, &["--limit-per-ip-per-minute", "100000"]).await?;
    warm_up_bulk_order(&proxy).await?;
    let mut results = Vec::new();
    for measure in &MEASURES {
        let (mut widget, mut vanilla) = (Vec::new(), Vec::new());
        for run in 0..RUNS {
            println!("bench: {} ({}/{RUNS})", measure.label, run + 1);
            widget.push(load(&proxy, measure, Page::Widget).await?);
            vanilla.push(load(&proxy, measure, Page::Vanilla).await?);
        }
        results.push((measure, widget, vanilla));
    }
    Ok(results)
}

/// Starts the bulk order's clock and waits until it is delivered, so every load
/// sees its 500 codes.
async fn warm_up_bulk_order(proxy: &Proxy) -> Result {
    let session = Session::start(Browser::Chromium, Viewport::DESKTOP).await?;
    session
        .client
        .goto(&format!("{}{}", proxy.base, Page::Vanilla.path(BULK)))
        .await
        .map_err(|e| format!("cannot open the bulk order: {e}"))?;
    tokio::time::sleep(Duration::from_secs(4)).await;
    session.close().await
}

/// One page load in a new browser, throttled as the profile says.
async fn load(proxy: &Proxy, measure: &Measure, page: Page) -> Result<Load> {
    let profile = measure.profile;
    let session = Session::start(Browser::Chromium, profile.viewport).await?;
    let client = &session.client;
    cdp::execute(client, "Network.enable", json!({})).await?;
    cdp::execute(
        client,
        "Network.setCacheDisabled",
        json!({ "cacheDisabled": measure.cache == Cache::Cold }),
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
        json!({ "source": probe(measure.codes) }),
    )
    .await?;

    let url = format!("{}{}", proxy.base, page.path(measure.order));
    if measure.cache == Cache::Warm {
        // The first visit fills the cache; the measured load is the second.
        visit(&session, &url).await?;
    }
    let loaded = visit(&session, &url).await?;
    session.close().await?;
    Ok(loaded)
}

/// Navigates and waits for the probe's mark.
async fn visit(session: &Session, url: &str) -> Result<Load> {
    let client = &session.client;
    client
        .goto(url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let seen = client
            .execute(
                "return window.__benchDone === undefined ? null : {\n\
                   ms: window.__benchDone,\n\
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
        if let Some(ms) = seen["ms"].as_f64() {
            return Ok(Load {
                ms,
                timeline: timeline(&seen["timeline"]),
            });
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{url} showed nothing within {PAGE_TIMEOUT:?}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The script both pages get before their own: marks the first frame in which the
/// status badge (or `codes` code rows) is laid out on screen.
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
