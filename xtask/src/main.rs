//! Project automation: `cargo xtask <command>`. Every command installs the tools
//! it needs from the package registries first and skips what is already there.

mod bench_page;
mod bench_proxy;
mod cmd;
mod compress;
mod demo;
mod dist;
mod docs;
mod fuzz;
mod npm;
mod poll_report;
mod setup;
mod size;
mod test;
mod widget;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "order-widget automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install what is missing: wasm target, wasm-bindgen-cli, wasm-pack, wasm-opt,
    /// chromium + chromedriver, firefox-esr + geckodriver, axe-core.
    Setup,
    /// The whole check: fmt, clippy, native, property, proxy, browser and end-to-end tests, size.
    Test,
    /// Build the widget in release mode and serve the demo with mock vendors.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Build the distributable widget (wasm + JS glue + .d.ts) into www/pkg/, and its
    /// npm package into target/npm/.
    Dist,
    /// Measure the shipped wasm + JS against a hello-world Yew app; fail over the guard (4.75×).
    Size,
    /// Run generated bodies (fixture mutations, random JSON) through the native parser;
    /// fail on any panic.
    Fuzz {
        #[arg(long, default_value_t = fuzz::DEFAULT_CASES)]
        cases: u64,
    },
    /// Simulate polling strategies and write the efficiency table and plot.
    PollReport {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Benchmarks: `page` (the default) times the widget's pages against a hand-written
    /// page in throttled headless Chromium; `proxy` measures order-proxy against nginx
    /// and holds 10,000 event streams.
    Bench {
        which: Option<String>,
        /// `page` only: run only the rows whose label contains this text (case-insensitive),
        /// and leave the docs as they are.
        #[arg(long)]
        only: Option<String>,
    },
}

fn main() {
    let result = match Cli::parse().command {
        Command::Setup => setup::ensure(setup::Needs::ALL),
        Command::Test => test::run_all(),
        Command::Demo { listen } => demo::run_demo(&listen),
        Command::Dist => widget::build().map(|_| ()),
        Command::Size => size::run(),
        Command::Fuzz { cases } => fuzz::run_cases(cases),
        Command::PollReport { args } => poll_report::run(&args),
        Command::Bench { which, only } => match which.as_deref() {
            Some("proxy") => bench_proxy::run(),
            None | Some("page") => bench_page::run(only.as_deref()),
            Some(other) => Err(format!("unknown benchmark {other:?}: page or proxy")),
        },
    };
    if let Err(message) = result {
        eprintln!("xtask: {message}");
        std::process::exit(1);
    }
}
