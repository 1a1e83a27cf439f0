//! The `order-proxy` binary as a subprocess: its commands, and `serve` with the test set's
//! secrets and its stderr (JSON log lines, at `trace`) collected.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{API_KEY, API_SECRET, TOKEN_SECRET, WEBHOOK_SECRET};

pub const BIN: &str = env!("CARGO_BIN_EXE_order-proxy");

/// The binary with none of order-proxy's variables from this environment.
pub fn command() -> Command {
    let mut command = Command::new(BIN);
    command
        .env_remove("ORDER_PROXY_API_KEY")
        .env_remove("ORDER_PROXY_API_SECRET")
        .env_remove("ORDER_PROXY_TOKEN_SECRET")
        .env_remove("ORDER_PROXY_TOKEN_SECRET_PREVIOUS")
        .env_remove("ORDER_PROXY_WEBHOOK_SECRET")
        .env_remove("ORDER_PROXY_REDIS_URL")
        .env_remove("ORDER_PROXY_CACHE_KEY")
        .env_remove("ORDER_PROXY_REDIS_CA_FILE")
        .env_remove("RUST_LOG");
    command
}

/// The mock instance's own token for `id` (`GET /demo/token/{id}`).
pub async fn demo_token(url: &str, id: &str) -> String {
    let answer: serde_json::Value = super::client()
        .get(format!("{url}/demo/token/{id}"))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    answer["token"].as_str().expect("a token").to_owned()
}

/// A `serve` subprocess; its stderr is collected by a thread. Killed when dropped.
pub struct Served {
    pub child: Child,
    pub url: String,
    pub log: Arc<Mutex<String>>,
    pub reader: Option<JoinHandle<()>>,
}

/// `serve` with every secret of the test set in its environment.
pub fn serve(args: &[&str]) -> Served {
    serve_with_env(args, &[])
}

/// `serve` with every secret of the test set and `env` in its environment.
pub fn serve_with_env(args: &[&str], env: &[(&str, &str)]) -> Served {
    let mut child = command()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env("ORDER_PROXY_API_KEY", API_KEY)
        .env("ORDER_PROXY_API_SECRET", API_SECRET)
        .env("ORDER_PROXY_TOKEN_SECRET", TOKEN_SECRET)
        .env("ORDER_PROXY_WEBHOOK_SECRET", WEBHOOK_SECRET)
        .env("RUST_LOG", "trace")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let log = Arc::new(Mutex::new(String::new()));
    let mut stderr = child.stderr.take().expect("stderr");
    let sink = log.clone();
    let reader = std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(read) = stderr.read(&mut buffer) {
            if read == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..read]));
        }
    });
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first_line)
        .expect("listening line");
    let url = first_line
        .split_whitespace()
        .last()
        .expect("a URL")
        .trim_end_matches('/')
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first_line}");
    Served {
        child,
        url,
        log,
        reader: Some(reader),
    }
}

impl Served {
    /// SIGTERM, then the whole log once the process is gone.
    pub fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        self.log()
    }

    /// The whole log, once the process has exited.
    pub fn log(&mut self) -> String {
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let log = self.log.lock().unwrap().clone();
        log
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
