//! Project automation: `cargo xtask <command>`.

mod poll_report;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("poll-report") => poll_report::run(&args[1..]),
        _ => Err("usage: cargo xtask poll-report".into()),
    };
    if let Err(message) = result {
        eprintln!("xtask: {message}");
        std::process::exit(1);
    }
}
