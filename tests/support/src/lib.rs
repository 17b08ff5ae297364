//! Test helpers shared by berth's crates: the provider contract's test kit
//! ([`stack`], with [`respell`] for the spellings AWS stores alike), a
//! fault-injecting proxy ([`proxy`]) and a moto server per test: `tests/moto/serve.py` from the venv made by
//! `tests/moto/start.sh --install`, on a free port of 127.0.0.1, killed on
//! drop (and by itself when this process dies: it exits when its stdin
//! closes); or, under `scripts/test.sh`, the same server forked already
//! warm from the run's `tests/moto/forkserver.py`, which ends the same ways.

pub mod containers;
pub mod named;
pub mod proxy;
pub mod respell;
pub mod stack;
pub mod taken_over;

use std::io::{BufRead, BufReader};
use std::net::Shutdown;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

/// The environment variable naming the run's moto fork server socket.
const FORKSERVER: &str = "BERTH_MOTO_FORKSERVER";

static INSTALLED: OnceLock<bool> = OnceLock::new();
static INSTALLED_FAST: OnceLock<bool> = OnceLock::new();

/// The HTTP server moto's application runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    /// moto's own (`ThreadedMotoServer`: werkzeug's development server),
    /// what the tests use.
    Stock,
    /// granian, with two of moto's per-request lookups computed once
    /// (`tests/moto/fast_app.py`): the same answers at about three times
    /// the calls a second (docs/performance.md), for benchmarks that would
    /// otherwise time the server.
    Fast,
}

/// The venv's Python with moto (and granian for [`Server::Fast`]) in it,
/// installed first if missing: once per test process (tests of one binary
/// start together), `start.sh --install` makes the venv if missing, else
/// checks it; `--install-fast` adds granian. Panics when that fails.
fn install(server: Server) -> PathBuf {
    let python = venv_python();
    let (flag, once) = match server {
        Server::Stock => ("--install", &INSTALLED),
        Server::Fast => ("--install-fast", &INSTALLED_FAST),
    };
    let installed = *once.get_or_init(|| {
        Command::new("bash")
            .arg(repo_root().join("tests/moto/start.sh"))
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
    python
}

/// A running moto server.
pub struct Moto {
    server: Running,
    pub endpoint: String,
}

/// How a [`Moto`] runs, and so how it is stopped.
enum Running {
    /// A `serve.py` of this test's own, killed on drop.
    Process(Child),
    /// A child of the run's fork server (`tests/moto/forkserver.py`): it
    /// exits when this connection closes, on drop or when the test's
    /// process dies.
    Forked(UnixStream),
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
    /// Starts a server of moto's own, installing moto first if needed.
    /// Panics with a clear message when that is impossible; returns `None`
    /// only when `BERTH_SKIP_MOTO=1`. Forked from the fork server
    /// `BERTH_MOTO_FORKSERVER` names when set (by `tests/moto/start.sh
    /// --forked`, which `scripts/test.sh` runs the tests under).
    pub fn start() -> Option<Moto> {
        if !skipped()
            && let Some(socket) = std::env::var_os(FORKSERVER)
        {
            return Some(Moto::forked(Path::new(&socket)));
        }
        Moto::start_on(Server::Stock)
    }

    /// A server forked, already warm, by the fork server listening on
    /// `socket` (`scripts/test.sh` starts one per run): the same moto as
    /// [`Moto::start_on`]'s, without the seconds of start-up each test
    /// would spend.
    fn forked(socket: &Path) -> Moto {
        let stream = UnixStream::connect(socket).unwrap_or_else(|e| {
            panic!(
                "{FORKSERVER}={} but its fork server does not answer ({e}): \
                 unset it, or run the tests with scripts/test.sh",
                socket.display()
            )
        });
        let mut line = String::new();
        if let Ok(reader) = stream.try_clone() {
            let _ = BufReader::new(reader).read_line(&mut line);
        }
        let endpoint = line.trim().to_owned();
        assert!(
            endpoint.starts_with("http://127.0.0.1:"),
            "moto's fork server gave no endpoint (first line: {endpoint:?})"
        );
        Moto {
            server: Running::Forked(stream),
            endpoint,
        }
    }

    /// A `tests/moto/serve.py` of this test's own, under `server` (never
    /// forked: [`Moto::start`] is what forks).
    pub fn start_on(server: Server) -> Option<Moto> {
        if skipped() {
            eprintln!("BERTH_SKIP_MOTO=1: moto test skipped");
            return None;
        }
        let root = repo_root();
        let python = install(server);
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
        Some(Moto {
            server: Running::Process(child),
            endpoint,
        })
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
        match &mut self.server {
            Running::Process(child) => {
                let _ = child.kill();
                let _ = child.wait();
            }
            Running::Forked(stream) => {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    /// VPC ids in the server, default VPC included.
    fn vpcs(moto: &Moto) -> Vec<String> {
        let out = moto.python(
            "import boto3\n\
             for v in boto3.client('ec2').describe_vpcs()['Vpcs']: print(v['VpcId'])",
        );
        out.lines().map(str::to_owned).collect()
    }

    fn create_vpc(moto: &Moto) -> String {
        let out = moto.python(
            "import boto3\n\
             print(boto3.client('ec2').create_vpc(CidrBlock='10.9.0.0/16')['Vpc']['VpcId'])",
        );
        out.trim().to_owned()
    }

    #[test]
    fn forked_servers_share_nothing_and_end_with_their_connection() {
        if skipped() {
            return;
        }
        let python = install(Server::Stock);
        let dir = std::env::temp_dir().join(format!("berth-forkserver-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("moto.sock");
        let mut server = Command::new(python)
            .arg(repo_root().join("tests/moto/forkserver.py"))
            .arg(&socket)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut ready = String::new();
        BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(ready.trim(), "ready");

        let (a, b) = (Moto::forked(&socket), Moto::forked(&socket));
        assert_ne!(a.endpoint, b.endpoint);
        let (in_a, in_b) = (create_vpc(&a), create_vpc(&b));
        // Each child draws its own ids, as a server of its own would.
        assert_ne!(in_a, in_b);
        let (seen_a, seen_b) = (vpcs(&a), vpcs(&b));
        assert!(seen_a.contains(&in_a) && !seen_a.contains(&in_b), "{seen_a:?}");
        assert!(seen_b.contains(&in_b) && !seen_b.contains(&in_a), "{seen_b:?}");

        let address = a.endpoint.trim_start_matches("http://").to_owned();
        drop(a);
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(&address).is_ok() {
            assert!(
                Instant::now() < deadline,
                "{address} still answers after its test let go"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // The other server goes on.
        assert_eq!(vpcs(&b), seen_b);

        let _ = server.kill();
        let _ = server.wait();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
