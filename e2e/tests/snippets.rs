//! The README's embed snippet, as written, on a page of its own: only the hashed names
//! (from `www/pkg/manifest.json`), the folder, the order and the token are filled in, as a
//! shop's backend would. The widget shows the order, in Chromium and Firefox.

use std::path::{Path, PathBuf};
use std::time::Duration;

use e2e::{http, in_both_browsers, proxy_binary, repo_root, Browser, Demo, Proxy, Session};
use e2e::{Viewport, ONE_AT_A_TIME};
use serde_json::Value;

in_both_browsers!(the_readmes_embed_snippet_shows_the_order);

/// A mock order delivered at once (hsmail, like the snippet's example id).
const ORDER: &str = "HSM000000001";

/// The code block after `<!-- snippet:<name> -->` in README.md.
fn snippet(name: &str) -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let marker = format!("<!-- snippet:{name} -->");
    let after = &readme[readme.find(&marker).expect("the marker") + marker.len()..];
    let block = &after[after.find("```").expect("a code block") + 3..];
    let block = &block[block.find('\n').expect("a fence line") + 1..];
    block[..block.find("```").expect("the end of the block")].to_owned()
}

/// A folder with the page and a link to the repository's `www/`, for `--assets`.
fn site_with(page: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("order-widget-snippet-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    std::fs::write(dir.join("index.html"), page).expect("the page");
    std::os::unix::fs::symlink(repo_root().join("www"), dir.join("www")).expect("www/");
    dir
}

/// The snippet with this build's file names, the demo's folder, a mock order and its token.
fn filled_in(snippet: &str, token: &str) -> String {
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("www/pkg/manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    let mut page = snippet.to_owned();
    for (key, example) in [
        ("glue", "order_widget-6a9c7e341ebe3b46.js"),
        ("wasm", "order_widget_bg-3d7efc82e5ae8be1.wasm"),
        ("stylesheet", "order-widget-c58e7d1dc8f98bad.css"),
    ] {
        assert!(page.contains(example), "the snippet names {example}");
        page = page.replace(example, manifest[key].as_str().expect("a name"));
    }
    let example_token = page
        .split("token=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a token attribute")
        .to_owned();
    page.replace("/order-widget/", "/www/pkg/")
        .replace("A1B2C3D4E5F6", ORDER)
        .replace(&example_token, token)
}

async fn the_readmes_embed_snippet_shows_the_order(browser: Browser) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let binary = proxy_binary().unwrap();
    // A first proxy mints the token; the page's own proxy shares no secret with it, so the
    // token comes from the page's proxy: started first on the repository, then on the site.
    let site = site_with("<!doctype html>\n<html lang=\"en\">\n</html>\n");
    let proxy = Proxy::serving(&binary, &site, &[]).await.unwrap();
    let answer = http::get(&format!("{}/demo/token/{ORDER}", proxy.base))
        .await
        .unwrap();
    let token: Value = serde_json::from_str(&answer.body).unwrap();
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n{}</html>\n",
        filled_in(&snippet("embed"), token["token"].as_str().unwrap())
    );
    std::fs::write(site.join("index.html"), page).unwrap();

    let session = Session::for_test(browser, Viewport::DESKTOP).await.unwrap();
    let demo = Demo::on_page(proxy.base.clone(), proxy, session);
    demo.open("/").await.unwrap();
    demo.wait_for_status("delivered", Duration::from_secs(30))
        .await
        .unwrap();
    assert!(demo.text().await.unwrap().contains("Order"));
    demo.close().await.unwrap();
    let _ = std::fs::remove_dir_all(Path::new(&site));
}
