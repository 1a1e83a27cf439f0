//! How the proxy delivers the widget's files, over real HTTP on loopback: the
//! precompressed sibling the client accepts, content-hashed files cached forever,
//! fixed names and the demo page revalidated, orders never stored nor compressed.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use order_proxy::handlers::static_files::{IMMUTABLE, REVALIDATE};
use reqwest::header::HeaderMap;

const WASM: &str = "order_widget_bg-0123456789abcdef.wasm";
const GLUE: &str = "order_widget-fedcba9876543210.js";
const STYLESHEET: &str = "order-widget-00112233445566ff.css";

/// A deployable folder as `cargo xtask dist` writes it, with marked bodies so a test
/// can tell which sibling it was served.
struct Assets(PathBuf);

impl Assets {
    fn new(name: &str) -> Assets {
        let dir = std::env::temp_dir().join(format!(
            "order-proxy-static-{name}-{}-{}",
            std::process::id(),
            order_proxy::auth::order_token::now_unix()
        ));
        let pkg = dir.join("www/pkg");
        std::fs::create_dir_all(pkg.join("labels")).expect("temp dir");
        write(
            &dir.join("index.html"),
            "<!doctype html><head>\n  <!-- order-widget:preload -->\n</head><title>demo page</title>",
        );
        for file in [WASM, GLUE, STYLESHEET, "embed.js", "labels/bn.json"] {
            write(&pkg.join(file), &format!("plain {file}"));
            write(&pkg.join(format!("{file}.br")), &format!("brotli {file}"));
            write(&pkg.join(format!("{file}.gz")), &format!("gzip {file}"));
        }
        let manifest = serde_json::json!({
            "entry": "embed.js", "glue": GLUE, "wasm": WASM, "stylesheet": STYLESHEET,
        });
        write(&pkg.join("manifest.json"), &manifest.to_string());
        Assets(dir)
    }
}

impl Drop for Assets {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write a test asset");
}

async fn serve(assets: &Assets) -> order_proxy::Server {
    let mut config = mock_config();
    config.assets = assets.0.clone();
    start(config).await
}

async fn get(
    server: &order_proxy::Server,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, HeaderMap, String) {
    let mut request = client().get(format!("{}{path}", server.url()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the proxy answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("a body"))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn the_accepted_precompressed_sibling_is_served() {
    let assets = Assets::new("negotiation");
    let server = serve(&assets).await;
    let path = format!("/www/pkg/{WASM}");

    for (accept, body, encoding) in [
        ("gzip, deflate, br, zstd", "brotli", Some("br")),
        ("gzip", "gzip", Some("gzip")),
        ("identity", "plain", None),
        ("", "plain", None),
    ] {
        let (status, headers, text) = get(&server, &path, &[("accept-encoding", accept)]).await;
        assert_eq!(status, 200, "{accept:?}");
        assert_eq!(text, format!("{body} {WASM}"), "{accept:?}");
        assert_eq!(header(&headers, "content-encoding"), encoding, "{accept:?}");
        assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
        assert_eq!(header(&headers, "vary"), Some("Accept-Encoding"));
    }
    let (_, headers, _) = get(&server, "/www/pkg/embed.js", &[("accept-encoding", "br")]).await;
    assert_eq!(header(&headers, "content-encoding"), Some("br"));
    assert_eq!(header(&headers, "content-type"), Some("text/javascript"));
}

#[tokio::test]
async fn content_hashed_files_are_cached_forever_fixed_names_are_revalidated() {
    let assets = Assets::new("caching");
    let server = serve(&assets).await;

    // The values the README tells a shop's CDN to send.
    assert_eq!(IMMUTABLE, "public, max-age=31536000, immutable");
    assert_eq!(REVALIDATE, "no-cache");

    for file in [WASM, GLUE, STYLESHEET] {
        let (status, headers, _) = get(&server, &format!("/www/pkg/{file}"), &[]).await;
        assert_eq!(status, 200, "{file}");
        assert_eq!(header(&headers, "cache-control"), Some(IMMUTABLE), "{file}");
    }
    for file in ["embed.js", "labels/bn.json", "manifest.json"] {
        let path = format!("/www/pkg/{file}");
        let (status, headers, _) = get(&server, &path, &[("accept-encoding", "br")]).await;
        assert_eq!(status, 200, "{file}");
        assert_eq!(
            header(&headers, "cache-control"),
            Some(REVALIDATE),
            "{file}"
        );
        let last_modified = header(&headers, "last-modified")
            .unwrap_or_else(|| panic!("{file} has no Last-Modified"))
            .to_owned();
        let (status, headers, body) = get(
            &server,
            &path,
            &[
                ("accept-encoding", "br"),
                ("if-modified-since", &last_modified),
            ],
        )
        .await;
        assert_eq!((status, body.as_str()), (304, ""), "{file} revalidated");
        assert_eq!(
            header(&headers, "cache-control"),
            Some(REVALIDATE),
            "{file}"
        );
    }

    let (status, headers, _) = get(&server, "/www/pkg/order_widget-0000000000000000.js", &[]).await;
    assert_eq!(status, 404);
    assert_eq!(
        header(&headers, "cache-control"),
        Some("no-store"),
        "a missing file is never cached, whatever its name"
    );
}

#[tokio::test]
async fn the_demo_page_carries_preload_hints_and_is_revalidated_by_etag() {
    let assets = Assets::new("page");
    let server = serve(&assets).await;

    let (status, headers, page) = get(&server, "/?order=1001", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "cache-control"), Some(REVALIDATE));
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    for hint in [
        r#"<link rel="modulepreload" href="/www/pkg/embed.js">"#.to_owned(),
        format!(r#"<link rel="modulepreload" href="/www/pkg/{GLUE}">"#),
        format!(
            r#"<link rel="preload" href="/www/pkg/{WASM}" as="fetch" type="application/wasm" crossorigin>"#
        ),
        format!(r#"<link rel="preload" href="/www/pkg/{STYLESHEET}" as="style">"#),
    ] {
        assert!(page.contains(&hint), "missing {hint} in {page}");
    }
    assert!(!page.contains("order-widget:preload"));

    let etag = header(&headers, "etag").expect("an ETag").to_owned();
    let (status, headers, body) = get(&server, "/", &[("if-none-match", &etag)]).await;
    assert_eq!((status, body.as_str()), (304, ""));
    assert_eq!(header(&headers, "etag"), Some(etag.as_str()));
    assert_eq!(header(&headers, "cache-control"), Some(REVALIDATE));
    let (status, _, _) = get(&server, "/", &[("if-none-match", "\"stale\"")]).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn orders_are_never_stored_nor_compressed() {
    let assets = Assets::new("orders");
    let server = serve(&assets).await;
    // Delivered at once, with codes: the body a compression side channel would target.
    let id = "1001";
    let token = token_for(id);
    let (status, headers, body) = get(
        &server,
        &format!("/api/orders/{id}"),
        &[
            ("x-order-token", &token),
            ("accept-encoding", "gzip, deflate, br, zstd"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with('{'), "a plain JSON body: {body}");
    assert_eq!(header(&headers, "content-encoding"), None);
    assert_eq!(header(&headers, "cache-control"), Some("no-store"));

    for path in ["/demo/token/1001", "/api/orders/1001", "/demo/scenarios"] {
        let (_, headers, _) = get(&server, path, &[("accept-encoding", "br")]).await;
        assert_eq!(
            header(&headers, "cache-control"),
            Some("no-store"),
            "{path}"
        );
        assert_eq!(header(&headers, "content-encoding"), None, "{path}");
    }
}
