//! `cargo xtask bench proxy`: order-proxy serving a cached order against nginx serving the
//! same body from a file, measured in one run with the same load (wrk, loopback, fixed
//! duration and connection count, each server on one core, wrk on the other), in
//! alternating rounds whose best is kept (other work on the machine only ever slows a
//! round down); then 10,000 open event streams on one instance and the memory each costs.
//!
//! Besides requests/s, each round counts the server's own CPU time (from /proc), so that
//! requests per CPU-second compares the two servers' work per request even when other
//! processes share the cores; the 0.75× floor applies to that measure (nginx serves a file
//! and checks nothing; order-proxy verifies a token, limits, caches and counts metrics).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::{command, root, run as run_command, target_dir, Result};
use crate::setup;

const WARM_UP: &str = "2s";
const DURATION: &str = "4s";
const ROUNDS: usize = 5;
const CONNECTIONS: u32 = 64;
const STREAMS: usize = 10_000;
/// Delivered at once: a terminal order, served from the cache for 10 minutes.
const CACHED_ORDER: &str = "1001";
/// Pending for 30 s, then processing until 2 min: its streams stay open.
const LIVE_ORDER: &str = "1002";
/// Below this share of nginx's requests per CPU-second the bench fails: the hardening and
/// the metrics may cost a little, not more.
const MIN_RATIO: f64 = 0.75;
const SERVER_CORE: &str = "0";
const LOAD_CORE: &str = "1";

pub fn run() -> Result {
    setup::bench_tools()?;
    run_command(command("cargo").args(["build", "--release", "--quiet", "-p", "order-proxy"]))?;
    let work = target_dir().join("bench-proxy");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {work:?}: {e}"))?;
    rlimit::increase_nofile_limit(u64::MAX)
        .map_err(|e| format!("cannot raise the file-handle limit: {e}"))?;

    let cached = bench_cached_order(&work)?;
    let streams = bench_streams()?;
    println!("\n{}", cached.table());
    println!("{}", streams.line());
    if cached.ratio() < MIN_RATIO {
        return Err(format!(
            "order-proxy serves {:.2}× nginx's requests per CPU-second, under {MIN_RATIO}×",
            cached.ratio()
        ));
    }
    Ok(())
}

struct Load {
    requests_per_sec: f64,
    p99_ms: f64,
    requests_per_cpu_sec: f64,
    rss_kb: u64,
}

impl Load {
    /// Each measure at its best over `rounds`.
    fn best(rounds: &[Load]) -> Option<Load> {
        let max = |measure: fn(&Load) -> f64| rounds.iter().map(measure).fold(f64::NAN, f64::max);
        let min = |measure: fn(&Load) -> f64| rounds.iter().map(measure).fold(f64::NAN, f64::min);
        (!rounds.is_empty()).then(|| Load {
            requests_per_sec: max(|load| load.requests_per_sec),
            p99_ms: min(|load| load.p99_ms),
            requests_per_cpu_sec: max(|load| load.requests_per_cpu_sec),
            rss_kb: rounds.iter().map(|load| load.rss_kb).max().unwrap_or(0),
        })
    }
}

struct Cached {
    nginx: Load,
    proxy: Load,
}

impl Cached {
    /// order-proxy's requests per CPU-second over nginx's: the measure the floor applies to.
    fn ratio(&self) -> f64 {
        self.proxy.requests_per_cpu_sec / self.nginx.requests_per_cpu_sec
    }

    fn table(&self) -> String {
        let row = |name: &str, load: &Load| {
            format!(
                "| {name} | {:.0} | {:.2} ms | {:.0} | {:.1} MB |\n",
                load.requests_per_sec,
                load.p99_ms,
                load.requests_per_cpu_sec,
                load.rss_kb as f64 / 1024.0
            )
        };
        format!(
            "Cached order ({CACHED_ORDER}, {} bytes of JSON), wrk -t1 -c{CONNECTIONS} -d{DURATION} on loopback, \
             each server pinned to core {SERVER_CORE}, wrk to core {LOAD_CORE}, no access logs, \
             best of {ROUNDS} alternating rounds (each measure on its own):\n\n\
             | server | requests/s | p99 latency | requests per CPU-second | memory (RSS) |\n\
             |---|---:|---:|---:|---:|\n{}{}\n\
             order-proxy / nginx: {:.2}× the requests per CPU-second, {:.2}× the requests/s, \
             {:.2}× the p99 latency\n",
            self.body_len(),
            row("nginx (one process, the body as a file)", &self.nginx),
            row("order-proxy serve (cached order)", &self.proxy),
            self.ratio(),
            self.proxy.requests_per_sec / self.nginx.requests_per_sec,
            self.proxy.p99_ms / self.nginx.p99_ms
        )
    }

    fn body_len(&self) -> usize {
        std::fs::metadata(
            target_dir()
                .join("bench-proxy/www/api/orders")
                .join(CACHED_ORDER),
        )
        .map_or(0, |meta| meta.len() as usize)
    }
}

struct Streams {
    rss_before_kb: u64,
    rss_after_kb: u64,
    opened: usize,
}

impl Streams {
    fn line(&self) -> String {
        let per_stream = (self.rss_after_kb.saturating_sub(self.rss_before_kb)) as f64 * 1024.0
            / self.opened.saturating_sub(1).max(1) as f64;
        format!(
            "Event streams: {} open on one order-proxy (one live order), RSS {:.1} MB → {:.1} MB: \
             {:.1} KB per stream",
            self.opened,
            self.rss_before_kb as f64 / 1024.0,
            self.rss_after_kb as f64 / 1024.0,
            per_stream / 1024.0
        )
    }
}

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn proxy(extra: &[&str]) -> Result<(Running, SocketAddr)> {
    let binary = target_dir().join("release").join("order-proxy");
    let mut child = Command::new("taskset")
        .args(["-c", SERVER_CORE])
        .arg(&binary)
        .args(["serve", "--mock", "--listen", "127.0.0.1:0"])
        .args(["--limit-per-ip-per-minute", "1000000000"])
        .args(extra)
        .arg("--assets")
        .arg(root())
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {binary:?}: {e}"))?;
    let mut line = String::new();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("order-proxy did not start: {e}"))?;
    let addr = line
        .split_whitespace()
        .last()
        .and_then(|url| url.strip_prefix("http://"))
        .and_then(|rest| rest.trim_end_matches('/').parse().ok())
        .ok_or_else(|| format!("no address in {line:?}"))?;
    Ok((Running(child), addr))
}

fn bench_cached_order(work: &Path) -> Result<Cached> {
    let (proxy, proxy_addr) = proxy(&[])?;
    let token = demo_token(proxy_addr, CACHED_ORDER)?;
    let path = format!("/api/orders/{CACHED_ORDER}");
    let body = http_get(proxy_addr, &path, &[("X-Order-Token", &token)])?;

    let www = work.join("www");
    let file = www.join("api/orders").join(CACHED_ORDER);
    std::fs::create_dir_all(file.parent().ok_or("no parent")?).map_err(|e| e.to_string())?;
    std::fs::write(&file, &body).map_err(|e| e.to_string())?;
    let nginx_port = free_port()?;
    let config = work.join("nginx.conf");
    std::fs::write(&config, nginx_config(work, nginx_port)).map_err(|e| e.to_string())?;
    let nginx = Running(
        Command::new("taskset")
            .args(["-c", SERVER_CORE, "nginx", "-p"])
            .arg(work)
            .arg("-c")
            .arg(&config)
            .spawn()
            .map_err(|e| format!("cannot start nginx: {e}"))?,
    );
    let nginx_addr = SocketAddr::from(([127, 0, 0, 1], nginx_port));
    wait_until_listening(nginx_addr)?;
    if http_get(nginx_addr, &path, &[])? != body {
        return Err("nginx does not serve the proxy's body".into());
    }

    // One process (`master_process off`): it serves, and killing it leaves nothing behind.
    let nginx_worker = nginx.0.id();
    wrk(proxy_addr, &path, &token, WARM_UP)?;
    wrk(nginx_addr, &path, &token, WARM_UP)?;
    let mut proxy_rounds = Vec::new();
    let mut nginx_rounds = Vec::new();
    for round in 1..=ROUNDS {
        for (name, addr, pid, rounds) in [
            ("order-proxy", proxy_addr, proxy.0.id(), &mut proxy_rounds),
            ("nginx", nginx_addr, nginx_worker, &mut nginx_rounds),
        ] {
            let cpu_before = cpu_seconds(pid).ok_or("no CPU time in /proc")?;
            let (mut load, requests) = wrk(addr, &path, &token, DURATION)?;
            let cpu = cpu_seconds(pid).ok_or("no CPU time in /proc")? - cpu_before;
            load.requests_per_cpu_sec = requests / cpu.max(0.01);
            load.rss_kb = rss_kb(pid).unwrap_or(0);
            println!(
                "round {round}: {name:<11} {:>8.0} requests/s, p99 {:>7.2} ms, {:>8.0} requests per CPU-second",
                load.requests_per_sec, load.p99_ms, load.requests_per_cpu_sec
            );
            rounds.push(load);
        }
    }
    Ok(Cached {
        nginx: Load::best(&nginx_rounds).ok_or("no nginx round")?,
        proxy: Load::best(&proxy_rounds).ok_or("no order-proxy round")?,
    })
}

fn nginx_config(work: &Path, port: u16) -> String {
    let www = work.join("www");
    format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {pid};\nerror_log {error} warn;\n\
         events {{ worker_connections 4096; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {tmp};\n  proxy_temp_path {tmp};\n\
           fastcgi_temp_path {tmp};\n  uwsgi_temp_path {tmp};\n  scgi_temp_path {tmp};\n\
           server {{\n    listen 127.0.0.1:{port};\n    root {root};\n\
             location /api/orders/ {{\n      default_type application/json;\n\
               add_header Cache-Control no-store;\n      add_header X-Content-Type-Options nosniff;\n\
               add_header Referrer-Policy no-referrer;\n    }}\n  }}\n}}\n",
        pid = work.join("nginx.pid").display(),
        error = work.join("nginx-error.log").display(),
        tmp = work.display(),
        root = www.display(),
    )
}

/// One wrk run of `duration`, and how many requests it completed (the CPU time and RSS
/// are filled in by the caller).
fn wrk(addr: SocketAddr, path: &str, token: &str, duration: &str) -> Result<(Load, f64)> {
    let url = format!("http://{addr}{path}");
    let output = Command::new("taskset")
        .args(["-c", LOAD_CORE, "wrk", "-t1"])
        .arg(format!("-c{CONNECTIONS}"))
        .arg(format!("-d{duration}"))
        .args(["--latency", "-H", &format!("X-Order-Token: {token}"), &url])
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    if report.contains("Non-2xx") || report.contains("Socket errors") {
        return Err(format!("wrk saw errors against {url}:\n{report}"));
    }
    let requests_per_sec = report
        .lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|value| value.trim().parse().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk's report:\n{report}"))?;
    let p99_ms = report
        .lines()
        .find_map(|line| line.trim().strip_prefix("99%"))
        .and_then(|value| millis(value.trim()))
        .ok_or_else(|| format!("no 99% latency in wrk's report:\n{report}"))?;
    let requests = report
        .lines()
        .find_map(|line| line.trim().split_once(" requests in "))
        .and_then(|(count, _)| count.trim().parse().ok())
        .ok_or_else(|| format!("no request count in wrk's report:\n{report}"))?;
    let load = Load {
        requests_per_sec,
        p99_ms,
        requests_per_cpu_sec: 0.0,
        rss_kb: 0,
    };
    Ok((load, requests))
}

/// wrk's `850.00us`, `1.20ms`, `1.01s` in milliseconds.
fn millis(value: &str) -> Option<f64> {
    let (number, scale) = if let Some(n) = value.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * scale)
}

fn bench_streams() -> Result<Streams> {
    let streams = STREAMS.to_string();
    let connections = (STREAMS + 1_000).to_string();
    let (proxy, addr) = proxy(&[
        "--max-connections",
        &connections,
        "--max-connections-per-ip",
        &connections,
        "--max-streams",
        &streams,
        "--max-streams-per-ip",
        &streams,
        "--max-streams-per-order",
        &streams,
    ])?;
    let token = demo_token(addr, LIVE_ORDER)?;
    let request = format!(
        "GET /api/orders/{LIVE_ORDER}/events?token={token} HTTP/1.1\r\nHost: {addr}\r\n\
         Accept: text/event-stream\r\n\r\n"
    );
    let mut open = Vec::with_capacity(STREAMS);
    open.push(open_stream(addr, &request)?);
    std::thread::sleep(Duration::from_millis(500));
    let rss_before_kb = rss_kb(proxy.0.id()).unwrap_or(0);
    let started = Instant::now();
    while open.len() < STREAMS {
        open.push(open_stream(addr, &request)?);
    }
    std::thread::sleep(Duration::from_secs(1));
    let rss_after_kb = rss_kb(proxy.0.id()).unwrap_or(0);
    println!(
        "opened {} event streams in {:.1} s",
        open.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(Streams {
        rss_before_kb,
        rss_after_kb,
        opened: open.len(),
    })
}

/// Connects and reads until the first `order` event has arrived.
fn open_stream(addr: SocketAddr, request: &str) -> Result<TcpStream> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("write: {e}"))?;
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = stream.read(&mut buffer).map_err(|e| format!("read: {e}"))?;
        if read == 0 {
            return Err(format!(
                "a stream closed early: {}",
                String::from_utf8_lossy(&received)
            ));
        }
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received);
        if !text.starts_with("HTTP/1.1 200") {
            return Err(format!("a stream was refused: {text}"));
        }
        if let Some(at) = text.find("event: order") {
            if text[at..].contains("\n\n") {
                return Ok(stream);
            }
        }
    }
}

fn demo_token(addr: SocketAddr, id: &str) -> Result<String> {
    let body = http_get(addr, &format!("/demo/token/{id}"), &[])?;
    let json: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("token JSON: {e}"))?;
    json["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "no token".into())
}

/// One GET with `Connection: close`; the body of a 200.
fn http_get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or("no response head")?;
    let head = String::from_utf8_lossy(&response[..split]);
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("GET {path}: {head}"));
    }
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err(format!("GET {path}: chunked answers are not read here"));
    }
    Ok(response[split + 4..].to_vec())
}

fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn wait_until_listening(addr: SocketAddr) -> Result {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(addr).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("nothing listens on {addr}"))
}

/// User + system CPU time of a process (all its threads) so far, in seconds.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / clock_ticks_per_second())
}

fn clock_ticks_per_second() -> f64 {
    crate::cmd::output(Command::new("getconf").arg("CLK_TCK"))
        .and_then(|ticks| ticks.parse().ok())
        .unwrap_or(100.0)
}

/// VmRSS of a process, in KB.
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
