//! A harness for end-to-end tests and the page benchmark: starts
//! `order-proxy serve --mock` and a headless browser (Chromium or Firefox) on free
//! loopback ports, and reads the widget through its shadow root; builds and serves the
//! Vite app that installs the npm package. Everything is stopped when dropped.

pub mod axe;
pub mod browser;
pub mod cdp;
mod demo;
pub mod http;
pub mod process;
pub mod vite_app;
pub mod wait;

pub use browser::{Browser, Session, Viewport};
pub use demo::{proxy_binary, Demo, Proxy, FAST_MOCK_ORDERS, ONE_AT_A_TIME};
pub use process::repo_root;
pub use vite_app::{Preview, ViteApp};

pub type Result<T = ()> = std::result::Result<T, String>;

/// Runs each named scenario, an `async fn(Browser)`, as two tests:
/// `<scenario>::chromium` and `<scenario>::firefox`.
#[macro_export]
macro_rules! in_both_browsers {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[tokio::test]
            async fn chromium() {
                super::$scenario($crate::Browser::Chromium).await
            }

            #[tokio::test]
            async fn firefox() {
                super::$scenario($crate::Browser::Firefox).await
            }
        }
    )*};
}
