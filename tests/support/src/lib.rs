//! Test helpers shared by berth's crates: the provider contract's test kit
//! ([`stack`], with [`respell`] for the spellings AWS stores alike), a
//! fault-injecting proxy ([`proxy`]) and a moto server per test: `tests/moto/serve.py` from the venv made by
//! `tests/moto/start.sh --install`, on a free port of 127.0.0.1, killed on
//! drop (and by itself when this process dies: it exits when its stdin
//! closes).

pub mod containers;
pub mod named;
pub mod proxy;
pub mod respell;
pub mod stack;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

static INSTALLED: OnceLock<bool> = OnceLock::new();
static INSTALLED_FAST: OnceLock<bool> = OnceLock::new();

/// The HTTP server moto's application runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    /// moto's own (`ThreadedMotoServer`: werkzeug's development server),
    /// what the tests use unless `BERTH_MOTO_SERVER=fast`.
    Stock,
    /// granian, with two of moto's per-request lookups computed once
    /// (`tests/moto/fast_app.py`): the same answers at about three times
    /// the calls a second (docs/performance.md), for benchmarks that would
    /// otherwise time the server.
    Fast,
}

/// A running moto server.
pub struct Moto {
    child: Child,
    pub endpoint: String,
}

/// The repository root: the nearest ancestor of the running test's package
/// (cargo and nextest set `CARGO_MANIFEST_DIR` at run time) that holds
/// `tests/moto`. Not this crate's compile-time directory: with a shared
/// `CARGO_TARGET_DIR`, a build made in another clone is reused unchanged and
/// would point there.
fn repo_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    start
        .ancestors()
        .find(|dir| dir.join("tests/moto/serve.py").is_file())
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."),
            PathBuf::from,
        )
}

/// The Python of the moto venv (it has boto3), for tests that check AWS
/// from outside berth.
pub fn venv_python() -> PathBuf {
    let cache = std::env::var_os("BERTH_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/berth")))
        .unwrap_or_else(|| PathBuf::from(".cache/berth"));
    cache.join("moto-venv/bin/python")
}

/// Whether moto tests were explicitly turned off (`BERTH_SKIP_MOTO=1`).
pub fn skipped() -> bool {
    std::env::var("BERTH_SKIP_MOTO").is_ok_and(|v| v == "1")
}

impl Moto {
    /// Starts a server, installing moto first if needed. Panics with a
    /// clear message when that is impossible; returns `None` only when
    /// `BERTH_SKIP_MOTO=1`.
    /// The server is moto's own unless `BERTH_MOTO_SERVER=fast`.
    pub fn start() -> Option<Moto> {
        let fast = std::env::var("BERTH_MOTO_SERVER").is_ok_and(|v| v == "fast");
        Moto::start_on(if fast { Server::Fast } else { Server::Stock })
    }

    /// [`Moto::start`] under `server`.
    pub fn start_on(server: Server) -> Option<Moto> {
        if skipped() {
            eprintln!("BERTH_SKIP_MOTO=1: moto test skipped");
            return None;
        }
        let root = repo_root();
        let python = venv_python();
        // Once per test process (tests of one binary start together):
        // `start.sh --install` makes the venv if missing, else checks it;
        // `--install-fast` adds granian.
        let (flag, once) = match server {
            Server::Stock => ("--install", &INSTALLED),
            Server::Fast => ("--install-fast", &INSTALLED_FAST),
        };
        let installed = *once.get_or_init(|| {
            Command::new("bash")
                .arg(root.join("tests/moto/start.sh"))
                .arg(flag)
                .status()
                .is_ok_and(|s| s.success())
        });
        assert!(
            installed && python.exists(),
            "moto is not installed and `tests/moto/start.sh {flag}` failed: \
             install it (python3 -m venv + pip install 'moto[server]', and granian for the benchmarks) \
             or set BERTH_SKIP_MOTO=1"
        );
        let mut command = Command::new(&python);
        command.arg(root.join("tests/moto/serve.py"));
        if server == Server::Fast {
            command.arg("--fast");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto with {}: {e}", python.display()));
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let endpoint = line.trim().to_owned();
        if !endpoint.starts_with("http://127.0.0.1:") {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "moto server did not start (first line: {endpoint:?}); is moto[server] installed in the venv?"
            );
        }
        Some(Moto { child, endpoint })
    }

    /// Runs `script` with the venv's Python (boto3 at hand) against this
    /// server, as a user checking from outside would; returns its stdout.
    /// Panics with its stderr if it fails.
    pub fn python(&self, script: &str) -> String {
        let out = Command::new(venv_python())
            .arg("-c")
            .arg(script)
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .output()
            .unwrap_or_else(|e| panic!("cannot run python: {e}"));
        assert!(
            out.status.success(),
            "python failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
