//! `cargo xtask demo`: the README's demo command.

use crate::cmd::{command, root, run, Result};
use crate::widget;

pub fn run_demo(listen: &str) -> Result {
    widget::build()?;
    println!("\ndemo: open http://{listen}/ (Ctrl-C stops it)\n");
    run(command("cargo")
        .args([
            "run",
            "--quiet",
            "-p",
            "order-proxy",
            "--",
            "serve",
            "--mock",
        ])
        .args(["--listen", listen, "--assets"])
        .arg(root()))
}
