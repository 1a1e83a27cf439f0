//! A real Prometheus (the Debian package `cargo xtask setup` installs) on a free loopback
//! port, scraping one target every second, its data in a temporary directory; stopped and
//! removed on drop. Read back through its HTTP API.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BINARY: &str = "/usr/bin/prometheus";
/// Checks rule files; from the same package.
pub const PROMTOOL: &str = "/usr/bin/promtool";

pub struct Prometheus {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Prometheus {
    /// Scrapes `http://{target}/metrics` as job `job` every second.
    pub fn scraping(job: &str, target: SocketAddr) -> Prometheus {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let dir = std::env::temp_dir().join(format!(
            "order-proxy-prometheus-{}-{port}",
            std::process::id()
        ));
        std::fs::create_dir_all(dir.join("data")).expect("a temporary directory");
        let config = format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n\
             scrape_configs:\n  - job_name: {job}\n    metrics_path: /metrics\n    \
             static_configs:\n      - targets: ['{target}']\n"
        );
        std::fs::write(dir.join("prometheus.yml"), config).expect("the config is written");
        let child = Command::new(BINARY)
            .arg(format!("--config.file={}", dir.join("prometheus.yml").display()))
            .arg(format!("--storage.tsdb.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus starts (install it with `cargo xtask setup`: Debian package prometheus)");
        Prometheus { child, port, dir }
    }

    /// The result vector of an instant query (`/api/v1/query`); empty while Prometheus is
    /// not answering yet or has no such series.
    pub async fn query(&self, expression: &str) -> Vec<serde_json::Value> {
        let answer = super::client()
            .get(format!("http://127.0.0.1:{}/api/v1/query", self.port))
            .query(&[("query", expression)])
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        let Ok(answer) = answer else {
            return Vec::new();
        };
        let Ok(body) = answer.json::<serde_json::Value>().await else {
            return Vec::new();
        };
        body["data"]["result"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The value of the first series an instant query returns.
    pub async fn value(&self, expression: &str) -> Option<f64> {
        let result = self.query(expression).await;
        result.first()?["value"][1].as_str()?.parse().ok()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
