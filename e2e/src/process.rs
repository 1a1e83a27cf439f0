//! Child processes (the proxy, the WebDriver servers) on free loopback ports,
//! stopped when dropped.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;

/// Kills and reaps the process when dropped.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A process started as the leader of its own process group (see [`in_own_group`]),
/// with everything it started: when dropped, the whole group is killed. A WebDriver
/// server's browser would outlive the server otherwise, whenever a test panics
/// before it closes its session.
pub struct GroupGuard(pub Child);

/// Makes the command's process the leader of a new process group.
pub fn in_own_group(command: &mut Command) -> &mut Command {
    command.process_group(0)
}

/// The shell that runs a program for [`spawn_group_until_exit`]: the program in the
/// background, then `read` waits for the end of stdin, then the whole group is killed.
const KILL_GROUP_AT_END_OF_STDIN: &str = "\"$@\" & read -r end; kill -KILL 0";

/// Starts `program` in a process group of its own, like [`in_own_group`], that is also
/// killed when this process exits without dropping the guard (a browser kept open for the
/// next test of a test binary is still open when its last test ends): the group's shell
/// holds the read end of a pipe whose write end only this process has.
pub fn spawn_group_until_exit(program: &Path, args: &[String]) -> Result<GroupGuard> {
    let mut command = Command::new("sh");
    command
        .args(["-c", KILL_GROUP_AT_END_OF_STDIN, "sh"])
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    in_own_group(&mut command)
        .spawn()
        .map(GroupGuard)
        .map_err(|e| format!("cannot start {}: {e}", program.display()))
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        // `kill -KILL -- -<pgid>`: the driver, its browser and the browser's children.
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

pub fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port: {e}"))
}

pub async fn wait_for_port(port: u16, what: &str) -> Result {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("{what} did not listen on port {port} within 30 s"))
}
