//! A real `redis-server` (the Debian package `cargo xtask setup` installs) on a free
//! loopback port, in its own temporary directory, stopped and removed on drop; plain, or
//! TLS-only with a throwaway CA and server certificate made by `openssl` for the test.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
    dir: PathBuf,
    tls: bool,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        Self::start_with(false)
    }

    /// TLS only (`--port 0 --tls-port P`), its certificate for `127.0.0.1` signed by a CA
    /// of its own: [`RedisServer::ca_certificate`].
    pub fn start_tls() -> RedisServer {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let dir =
            std::env::temp_dir().join(format!("order-proxy-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let mut server = RedisServer {
            child: None,
            port,
            dir,
            tls,
        };
        if tls {
            server.make_certificates();
        }
        server.restart();
        server
    }

    pub fn url(&self) -> String {
        let scheme = if self.tls { "rediss" } else { "redis" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The PEM of the CA that signed a TLS server's certificate.
    pub fn ca_certificate(&self) -> Vec<u8> {
        std::fs::read(self.dir.join("ca.pem")).expect("a TLS server's CA")
    }

    /// A CA, and a server certificate for 127.0.0.1 and localhost signed by it (rustls
    /// checks the subject alternative name and refuses a CA certificate as the server's).
    fn make_certificates(&self) {
        let openssl = |args: &[&str]| {
            let status = Command::new("openssl")
                .args(args)
                .current_dir(&self.dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("openssl runs");
            assert!(status.success(), "openssl {args:?}");
        };
        let new_key = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        openssl(
            &[
                &[
                    "req",
                    "-x509",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=order-proxy test CA",
                ][..],
                &new_key,
                &["-keyout", "ca.key", "-out", "ca.pem"],
            ]
            .concat(),
        );
        openssl(
            &[
                &["req", "-x509", "-days", "1", "-subj", "/CN=localhost"][..],
                &["-CA", "ca.pem", "-CAkey", "ca.key"],
                &["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                &["-addext", "basicConstraints=critical,CA:FALSE"],
                &new_key,
                &["-keyout", "server.key", "-out", "server.pem"],
            ]
            .concat(),
        );
    }

    /// Kills the server (as a crash would) and waits until it is gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it (again) on the same port, empty, and waits until it answers PING.
    pub fn restart(&mut self) {
        self.stop();
        let mut command = Command::new("redis-server");
        if self.tls {
            command
                .args(["--port", "0", "--tls-port", &self.port.to_string()])
                .args([
                    "--tls-cert-file",
                    "server.pem",
                    "--tls-key-file",
                    "server.key",
                ])
                .args(["--tls-ca-cert-file", "ca.pem", "--tls-auth-clients", "no"]);
        } else {
            command.args(["--port", &self.port.to_string()]);
        }
        let child = command
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts (install it with `cargo xtask setup`: Debian package redis-server)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.pings() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not answer on port {}", self.port);
    }

    /// Answers PING in plain text; a TLS server only has to accept connections (the
    /// instances under test make the handshake).
    fn pings(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        if self.tls {
            return true;
        }
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let mut reply = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG\r\n"
    }
}

/// Every key in the Redis at `url` and every value under it (strings and sorted-set
/// members), as text (lossy: sealed values are binary).
pub async fn dump(url: &str) -> (Vec<String>, String) {
    let client = redis::Client::open(url).expect("url");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("connects");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut connection)
        .await
        .expect("keys");
    let mut stored = String::new();
    for key in &keys {
        stored.push_str(key);
        let kind: String = redis::cmd("TYPE")
            .arg(key)
            .query_async(&mut connection)
            .await
            .expect("type");
        let values: Vec<Vec<u8>> = match kind.as_str() {
            "string" => vec![redis::cmd("GET")
                .arg(key)
                .query_async(&mut connection)
                .await
                .expect("get")],
            "zset" => redis::cmd("ZRANGE")
                .arg(key)
                .arg(0)
                .arg(-1)
                .query_async(&mut connection)
                .await
                .expect("zrange"),
            other => panic!("unexpected redis type {other} at {key}"),
        };
        for value in values {
            stored.push_str(&String::from_utf8_lossy(&value));
        }
    }
    (keys, stored)
}

/// Every message published on order-proxy's channel while it lives.
pub struct Published {
    messages: std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Published {
    /// Subscribed (to the Redis at `url`) when this returns.
    pub async fn record(url: &str) -> Published {
        use futures_util::StreamExt;
        let client = redis::Client::open(url).expect("url");
        let mut pubsub = client.get_async_pubsub().await.expect("subscribes");
        pubsub
            .subscribe(order_proxy::redis::pubsub::CHANNEL)
            .await
            .expect("subscribed");
        let messages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = messages.clone();
        let task = tokio::spawn(async move {
            let mut stream = pubsub.into_on_message();
            while let Some(message) = stream.next().await {
                sink.lock()
                    .unwrap()
                    .push(message.get_payload_bytes().to_vec());
            }
        });
        Published { messages, task }
    }

    pub fn messages(&self) -> Vec<Vec<u8>> {
        self.messages.lock().unwrap().clone()
    }
}

impl Drop for Published {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
