//! The npm package as a storefront developer meets it. The tarball `cargo xtask dist`
//! packed holds what ships and nothing else; its TypeScript declarations say what the
//! widget's Rust types say (checked by tsc); and a real Vite + React + TypeScript app
//! (`e2e/vite-app/`), installed from its lock file plus the tarball, type-checks (a
//! wrong attribute does not), builds, and under `vite preview` with the demo's
//! Content-Security-Policy shows a delivered order from `order-proxy serve --mock`
//! in headless Chromium and Firefox.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use e2e::{http, in_both_browsers, proxy_binary, repo_root, Browser, Demo, Proxy, Session};
use e2e::{wait, Viewport, ViteApp, FAST_MOCK_ORDERS, ONE_AT_A_TIME};
use order_core::error::ErrorKind;
use order_core::host_events::HostEvent;
use order_core::model::{Status, VoucherKind};
use order_core::providers::Provider;
use order_widget::config::{Credentials, RawConfig};
use serde_aux::serde_introspection::serde_introspect;
use serde_json::Value;

in_both_browsers!(vite_app_shows_delivered_orders);

/// Config keys without an attribute: objects, set through the `config` property.
const NO_ATTRIBUTE: [&str; 2] = ["headers", "labels"];
/// `order-widget:error` types that `<order-widget>` (embed.js) adds to the widget's own.
const ELEMENT_ERRORS: [&str; 2] = ["config", "load"];
/// The mock bdvoucher order that starts `initiated` and is delivered after ~10 s (at the
/// test's mock speed, ~2.5 s): its
/// first status comes with `order-widget:ready`, so the page can only learn
/// `delivered` from an `order-widget:status` event.
const CHANGING_ORDER: &str = "20250010";
/// The mock voucher-api order delivered at once.
const INSTANT_ORDER: &str = "1001";

#[test]
fn tarball_holds_what_ships_and_nothing_else() {
    let tarball = e2e::vite_app::tarball().unwrap();
    let files = unpack(&tarball);
    let names: BTreeSet<&str> = files.iter().map(|file| file.name.as_str()).collect();

    let mut expected: BTreeSet<String> = [
        "package.json",
        "README.md",
        "order-widget.js",
        "order-widget.d.ts",
        "mount.js",
        "mount.d.ts",
        "react.d.ts",
        "order_widget.js",
        "order_widget_bg.wasm",
        "order-widget.css",
    ]
    .map(str::to_owned)
    .into();
    expected.extend(label_sets().into_iter().map(|set| format!("labels/{set}")));
    let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(names, expected, "the tarball's files");

    println!("{}:", tarball.display());
    for file in &files {
        println!("{:>9}  {}", file.bytes.len(), file.name);
        if file.name.ends_with(".js") || file.name.ends_with(".css") {
            let text = String::from_utf8_lossy(&file.bytes);
            assert!(
                !text.contains("sourceMappingURL"),
                "{} names a source map",
                file.name
            );
        }
        // No path of the machine that built it, in any file (the wasm's panic
        // locations included).
        for path in build_paths() {
            assert!(
                !contains(&file.bytes, path.as_bytes()),
                "{} holds the build path {path}",
                file.name
            );
        }
    }

    let manifest: Value = serde_json::from_slice(&file(&files, "package.json").bytes).unwrap();
    assert_eq!(manifest["name"], "order-widget");
    assert_eq!(manifest["version"].as_str(), Some(crate_version().as_str()));
    assert_eq!(manifest["type"], "module");
    assert_eq!(manifest["license"], "MIT OR Apache-2.0");
    assert_eq!(
        manifest["sideEffects"],
        serde_json::json!(["./order-widget.js", "./order-widget.css"])
    );
    // Every file the exports map names is in the tarball.
    let exports = manifest["exports"].as_object().unwrap();
    let keys: BTreeSet<&str> = exports.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            ".",
            "./mount",
            "./react",
            "./order-widget.css",
            "./labels/*.json",
            "./package.json"
        ])
    );
    let mut targets = Vec::new();
    for target in exports.values() {
        match target {
            Value::String(path) => targets.push(path.as_str()),
            Value::Object(conditions) => {
                targets.extend(conditions.values().filter_map(Value::as_str))
            }
            other => panic!("unexpected export {other}"),
        }
    }
    for target in targets.into_iter().filter(|target| !target.contains('*')) {
        let name = target.trim_start_matches("./");
        assert!(
            names.contains(name),
            "exports name {target}, not in the tarball"
        );
    }
}

#[test]
fn declarations_match_the_widget() {
    let app = app();
    let generated = app.path("generated");
    std::fs::create_dir_all(&generated).unwrap();
    std::fs::write(generated.join("contract.ts"), contract()).unwrap();
    let checked = app.type_check("tsconfig.contract.json").unwrap();
    assert!(
        checked.status.success(),
        "the declarations disagree with the widget (e2e/vite-app/generated/contract.ts):\n{}",
        String::from_utf8_lossy(&checked.stdout)
    );
}

#[test]
fn app_type_checks_and_a_wrong_attribute_does_not() {
    let app = app();
    let checked = app.type_check("tsconfig.json").unwrap();
    assert!(
        checked.status.success(),
        "tsc --noEmit failed:\n{}",
        String::from_utf8_lossy(&checked.stdout)
    );

    let refused = app.type_check("tsconfig.type-errors.json").unwrap();
    let output = String::from_utf8_lossy(&refused.stdout);
    assert!(!refused.status.success(), "a wrong attribute type-checked");
    let errors: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("error TS"))
        .collect();
    assert_eq!(errors.len(), 1, "expected one error, got:\n{output}");
    assert!(
        errors[0].starts_with("type-errors/wrong-attribute.tsx(")
            && output.contains("Property 'orderId' does not exist on type 'OrderWidgetProps'"),
        "not the wrong attribute's error:\n{output}"
    );
}

async fn vite_app_shows_delivered_orders(browser: Browser) {
    let app = built_app();
    let _turn = ONE_AT_A_TIME.lock().await;
    // The page must learn of the change, whenever it comes.
    let proxy = Proxy::start(&proxy_binary().unwrap(), &FAST_MOCK_ORDERS)
        .await
        .unwrap();
    // The demo's policy, as order-proxy sends it with every response.
    let csp = http::get(&format!("{}/healthz", proxy.base))
        .await
        .unwrap()
        .header("content-security-policy")
        .to_owned();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    let preview = app.preview(&csp, &proxy.base).await.unwrap();
    let page = http::get(&format!("{}/", preview.base)).await.unwrap();
    assert_eq!(page.header("content-security-policy"), csp);
    let changing_token = demo_token(&proxy, CHANGING_ORDER).await;
    let instant_token = demo_token(&proxy, INSTANT_ORDER).await;

    let session = Session::for_test(browser, Viewport::DESKTOP).await.unwrap();
    let demo = Demo::on_page(preview.base.clone(), proxy, session);

    // <order-widget> in a React component.
    demo.open(&format!("/?order={CHANGING_ORDER}&token={changing_token}"))
        .await
        .unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(45))
        .await
        .unwrap();
    // The component's typed listener saw the change to `delivered`.
    wait_for(&demo, SHOP_STATUS, "Order status: delivered").await;
    let loaded = demo
        .in_widget(
            &format!(
                "return {{ names: {RESOURCES}, radius: {RADIUS}(root.querySelector('.ow')) }};"
            ),
            vec![],
        )
        .await
        .unwrap();
    // The wasm and the stylesheet came from Vite's hashed copies, and the stylesheet
    // applies in the shadow root (a refused one would leave the card unstyled).
    for (stem, extension) in [("order_widget_bg-", ".wasm"), ("order-widget-", ".css")] {
        assert!(
            loaded["names"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .any(|name| {
                    name.starts_with(&format!("/assets/{stem}")) && name.ends_with(extension)
                }),
            "no /assets/{stem}<hash>{extension} loaded: {loaded}"
        );
    }
    assert_eq!(
        loaded["radius"], "12px",
        "the widget's stylesheet did not apply: {loaded}"
    );
    demo.screenshot(&format!("vite-app-{}.png", browser.name()))
        .await
        .unwrap();

    // A Bengali page: the label set Vite copied loads under the CSP.
    demo.open(&format!(
        "/?order={INSTANT_ORDER}&token={instant_token}&locale=bn"
    ))
    .await
    .unwrap();
    demo.wait_for_text("আপনার কোড", Duration::from_secs(20))
        .await
        .unwrap();

    // The same through `mount()` from `order-widget/mount`, its stylesheet imported.
    demo.open(&format!(
        "/?order={INSTANT_ORDER}&token={instant_token}&api=mount"
    ))
    .await
    .unwrap();
    wait_for(&demo, BADGE_STATUS, "delivered").await;
    wait_for(&demo, SHOP_STATUS, "Order status: delivered").await;
    let radius = demo
        .client()
        .execute(
            &format!("return {RADIUS}(document.querySelector('.ow'));"),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(radius, "12px", "order-widget.css did not apply");
    demo.close().await.unwrap();
    drop(preview);
}

/// The page's own line about the order, from the widget's events.
const SHOP_STATUS: &str = "document.querySelector('#shop-status')?.textContent";
/// The status on the badge of a widget mounted into the page itself.
const BADGE_STATUS: &str = "document.querySelector('[part~=badge]')?.dataset.status";
/// The paths of everything the page loaded.
const RESOURCES: &str =
    "performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname)";
/// An element's corner radius: the theme's 12px once order-widget.css applies.
const RADIUS: &str = "((element) => element && getComputedStyle(element).borderTopLeftRadius)";

async fn demo_token(proxy: &Proxy, order: &str) -> String {
    let answer = http::get(&format!("{}/demo/token/{order}", proxy.base))
        .await
        .unwrap();
    let token: Value = serde_json::from_str(&answer.body).unwrap();
    token["token"].as_str().unwrap().to_owned()
}

/// Waits until the page's `expression` gives `expected`.
async fn wait_for(demo: &Demo, expression: &str, expected: &str) {
    let what = format!("{expression} being {expected:?}");
    wait::until(&what, Duration::from_secs(20), || async {
        let value = demo
            .client()
            .execute(&format!("return {expression} ?? null;"), vec![])
            .await
            .unwrap();
        if value == expected {
            Ok(())
        } else {
            Err(value)
        }
    })
    .await
    .unwrap();
}

/// The app installed once for every test of this file.
fn app() -> &'static ViteApp {
    static APP: OnceLock<Result<ViteApp, String>> = OnceLock::new();
    match APP.get_or_init(ViteApp::install) {
        Ok(app) => app,
        Err(message) => panic!("{message}"),
    }
}

/// The app built once (`vite build`), with Vite's hashed copies of the package's files.
fn built_app() -> &'static ViteApp {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let app = app();
    if let Err(message) = BUILT.get_or_init(|| app.build()) {
        panic!("{message}");
    }
    let assets: Vec<String> = std::fs::read_dir(app.path("dist/assets"))
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    for stem in ["order_widget_bg-", "order-widget-"] {
        assert!(
            assets.iter().any(|name| name.starts_with(stem)),
            "vite build did not copy {stem}*: {assets:?}"
        );
    }
    for set in label_sets() {
        let stem = set.trim_end_matches(".json");
        assert!(
            assets
                .iter()
                .any(|name| name.starts_with(&format!("{stem}-")) && name.ends_with(".json")),
            "vite build did not copy labels/{set}: {assets:?}"
        );
    }
    app
}

/// TypeScript that compiles only if the package's declarations say what the widget's
/// Rust types say: config keys and attributes, events and their details, statuses,
/// providers, code kinds and error types.
fn contract() -> String {
    let keys: Vec<&str> = serde_introspect::<RawConfig>().to_vec();
    let attributes: Vec<String> = keys
        .iter()
        .filter(|key| !NO_ATTRIBUTE.contains(key))
        .map(|key| kebab_case(key))
        .collect();
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|status| {
            serde_json::to_value(status)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let providers: Vec<&str> = Provider::ALL
        .iter()
        .map(|provider| provider.as_str())
        .collect();
    let mut errors: Vec<&str> = ErrorKind::ALL.iter().map(|kind| kind.as_str()).collect();
    errors.extend(ELEMENT_ERRORS);

    let mut ts = String::from(
        "// Generated by e2e/tests/npm_package.rs from the widget's Rust types: do not edit.\n\
         import type {\n  OrderStatus, OrderWidgetAttributes, OrderWidgetCodeKind, OrderWidgetConfig,\n  \
         OrderWidgetErrorType, OrderWidgetEventMap, OrderWidgetProvider,\n} from 'order-widget';\n\n\
         type Within<A, B> = [A] extends [B] ? true : false;\n\
         type Same<A, B> = Within<A, B> extends true ? Within<B, A> : false;\n\n",
    );
    let check = |ts: &mut String, name: &str, assertion: String| {
        ts.push_str(&format!("export const {name}: {assertion} = true;\n"));
    };
    check(
        &mut ts,
        "everyConfigKeyDeclared",
        format!("Within<{}, keyof OrderWidgetConfig>", union(&keys)),
    );
    check(
        &mut ts,
        "onlyConfigKeysDeclared",
        format!("Within<keyof OrderWidgetConfig, {}>", union(&keys)),
    );
    check(
        &mut ts,
        "everyAttributeDeclared",
        format!(
            "Within<{}, keyof OrderWidgetAttributes>",
            union(&attributes)
        ),
    );
    check(
        &mut ts,
        "onlyAttributesDeclared",
        format!(
            "Within<keyof OrderWidgetAttributes, {}>",
            union(&attributes)
        ),
    );
    check(
        &mut ts,
        "credentials",
        format!(
            "Same<NonNullable<OrderWidgetConfig['credentials']>, {}>",
            union(
                &<Credentials as strum::VariantArray>::VARIANTS
                    .iter()
                    .map(|&credentials| <&str>::from(credentials))
                    .collect::<Vec<_>>()
            )
        ),
    );
    check(
        &mut ts,
        "statuses",
        format!("Same<OrderStatus, {}>", union(&statuses)),
    );
    check(
        &mut ts,
        "providers",
        format!("Same<OrderWidgetProvider, {}>", union(&providers)),
    );
    check(
        &mut ts,
        "codeKinds",
        format!(
            "Same<OrderWidgetCodeKind, {}>",
            union(
                &VoucherKind::ALL
                    .iter()
                    .map(|kind| kind.as_str())
                    .collect::<Vec<_>>()
            )
        ),
    );
    check(
        &mut ts,
        "errorTypes",
        format!("Same<OrderWidgetErrorType, {}>", union(&errors)),
    );

    let events = one_event_of_each_kind();
    let names: Vec<String> = events
        .iter()
        .map(|event| format!("order-widget:{}", event.name()))
        .collect();
    check(
        &mut ts,
        "events",
        format!("Same<keyof OrderWidgetEventMap, {}>", union(&names)),
    );
    for (event, name) in events.iter().zip(&names) {
        let detail = serde_json::to_value(event).unwrap();
        let fields: Vec<&str> = detail
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let declared = format!("OrderWidgetEventMap['{name}']['detail']");
        let stem = event.name();
        check(
            &mut ts,
            &format!("{stem}Fields"),
            format!("Same<keyof {declared}, {}>", union(&fields)),
        );
        // The widget's own detail, as it serializes it, is a value of the declared type.
        ts.push_str(&format!(
            "export const {stem}Detail: {declared} = {detail};\n"
        ));
    }
    ts
}

/// One event of each kind the widget sends; the match fails to compile when a kind is added.
fn one_event_of_each_kind() -> Vec<HostEvent> {
    let events = vec![
        HostEvent::Ready {
            status: Status::Pending,
        },
        HostEvent::Status {
            status: Status::Delivered,
            previous: Some(Status::Processing),
        },
        HostEvent::Delivered { codes: 3 },
        HostEvent::Reveal { count: 2 },
        HostEvent::Copy {
            kind: VoucherKind::PickupCode,
            count: 1,
            ok: true,
        },
        HostEvent::Error {
            kind: ErrorKind::RateLimit,
        },
    ];
    for event in &events {
        match event {
            HostEvent::Ready { .. }
            | HostEvent::Status { .. }
            | HostEvent::Delivered { .. }
            | HostEvent::Reveal { .. }
            | HostEvent::Copy { .. }
            | HostEvent::Error { .. } => {}
        }
    }
    events
}

/// `'a' | 'b'` (TypeScript string literal union); `never` for none.
fn union(names: &[impl AsRef<str>]) -> String {
    if names.is_empty() {
        return "never".into();
    }
    names
        .iter()
        .map(|name| serde_json::to_string(name.as_ref()).unwrap())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// `revealTimeout` → `reveal-timeout`.
fn kebab_case(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

struct PackedFile {
    name: String,
    bytes: Vec<u8>,
}

/// The tarball's files, named without npm's `package/` prefix.
fn unpack(tarball: &Path) -> Vec<PackedFile> {
    let gzip = flate2::read::GzDecoder::new(std::fs::File::open(tarball).unwrap());
    let mut archive = tar::Archive::new(gzip);
    let mut files = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let name = path
            .strip_prefix("package/")
            .unwrap_or_else(|| panic!("{path} is outside package/"))
            .to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.push(PackedFile { name, bytes });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn file<'a>(files: &'a [PackedFile], name: &str) -> &'a PackedFile {
    files
        .iter()
        .find(|file| file.name == name)
        .unwrap_or_else(|| panic!("no {name} in the tarball"))
}

/// The shipped label sets, `www/labels/*.json`.
fn label_sets() -> Vec<String> {
    let mut sets: Vec<String> = std::fs::read_dir(repo_root().join("www").join("labels"))
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    sets.sort();
    sets
}

/// Where this machine keeps the sources the build read: the repository and cargo's home.
fn build_paths() -> Vec<String> {
    let mut paths = vec![repo_root().to_string_lossy().into_owned()];
    let cargo_home = std::env::var("CARGO_HOME").ok().or_else(|| {
        std::env::var("HOME")
            .ok()
            .map(|home| format!("{home}/.cargo"))
    });
    paths.extend(cargo_home);
    paths
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The widget crate's version, from the root Cargo.toml's `[package]`.
fn crate_version() -> String {
    let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let package = manifest.split("[package]").nth(1).unwrap();
    package
        .lines()
        .find_map(|line| line.trim().strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap()
        .to_owned()
}
