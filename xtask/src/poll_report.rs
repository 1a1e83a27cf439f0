//! `cargo xtask poll-report`: placeholder until the poll simulation lands.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("poll-report is not implemented yet".into())
}
