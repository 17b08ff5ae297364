//! `berth --cloud aws` through a fault-injecting proxy in front of moto
//! (`berth_test_support::proxy`): lost answers, connection resets,
//! throttling, server errors and kills mid-apply. Every apply succeeds (or,
//! killed, the next one finishes), and no address ever exists twice. Time
//! limits here are generous ceilings against hangs, not measurements.

mod common;

use std::collections::BTreeMap;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use berth_test_support::Moto;
use berth_test_support::proxy::{FaultProxy, Faults};
use common::{Project, aws_env, example, poll};

/// The blog example on a moto server of its own, with a proxy in front.
struct Faulty {
    moto: Moto,
    proxy: FaultProxy,
    project: Project,
}

impl Faulty {
    fn start(name: &str, faults: Faults) -> Option<Faulty> {
        let moto = Moto::start()?;
        let proxy = FaultProxy::start(&moto.endpoint, faults).expect("proxy starts");
        Some(Faulty {
            moto,
            proxy,
            project: example(name),
        })
    }

    fn command(&self, endpoint: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_berth"));
        cmd.args(args)
            .arg(&self.project.dir)
            .envs(aws_env(endpoint))
            .env_remove("AWS_PROFILE");
        cmd
    }

    /// `berth ARGS DIR` through the proxy.
    fn berth(&self, args: &[&str]) -> Output {
        self.command(&self.proxy.endpoint, args)
            .output()
            .expect("berth runs")
    }

    /// `berth ARGS DIR` straight to moto, as a user would check.
    fn direct(&self, args: &[&str]) -> Output {
        self.command(&self.moto.endpoint, args)
            .output()
            .expect("berth runs")
    }

    fn spawn(&self, args: &[&str]) -> Child {
        self.command(&self.proxy.endpoint, args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("berth runs")
    }

    /// How many live resources carry each address, read straight from
    /// moto: the plan lists every one, a duplicate twice.
    fn live_addresses(&self) -> BTreeMap<String, usize> {
        let out = self.direct(&["plan", "--format", "json"]);
        assert!(out.status.success(), "plan failed:\n{}", stderr(&out));
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan JSON");
        let mut counts = BTreeMap::new();
        for change in plan["resource_changes"].as_array().expect("resource_changes") {
            if change["action"] != "create" {
                let address = change["address"].as_str().unwrap_or_default().to_owned();
                *counts.entry(address).or_default() += 1;
            }
        }
        counts
    }

    fn assert_converged(&self, expected: usize) {
        let counts = self.live_addresses();
        let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "duplicated addresses: {twice:?}");
        assert_eq!(counts.len(), expected, "{counts:?}");
        let out = self.direct(&["plan", "--detailed-exitcode"]);
        assert_eq!(out.status.code(), Some(0), "not converged:\n{}", stdout(&out));
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Resources of the blog example.
const BLOG: usize = 16;

/// One answer in ten is lost after the call took effect, creates included:
/// the apply and the destroy succeed, nothing is made twice.
#[test]
fn lost_answers_make_no_duplicates() {
    let faults = Faults {
        lost: 0.1,
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    for _ in 0..2 {
        let out = aws.berth(&["apply", "--auto-approve"]);
        assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
        aws.assert_converged(BLOG);
    }
    assert!(aws.proxy.stats().lost > 0, "{:?}", aws.proxy.stats());
    let out = aws.berth(&["destroy", "--auto-approve"]);
    assert!(out.status.success(), "destroy failed:\n{}", stderr(&out));
    assert!(aws.live_addresses().is_empty(), "{:?}", aws.live_addresses());
}

/// Throttling and server errors on every kind of call: retried by the
/// provider (creates too: nothing was made), counted by `--stats`.
#[test]
fn throttling_and_server_errors_are_retried_and_counted() {
    let faults = Faults {
        throttle: 0.2,
        server_error: 0.05,
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let out = aws.berth(&["apply", "--auto-approve", "--stats"]);
    let err = stderr(&out);
    assert!(out.status.success(), "apply failed:\n{err}");
    let total = |name: &str| -> u64 {
        err.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in:\n{err}"))
    };
    let stats = aws.proxy.stats();
    assert!(stats.throttled > 0, "{stats:?}");
    assert_eq!(total("Throttles: "), stats.throttled, "{err}");
    assert!(total("Retries: ") >= stats.throttled, "{err}");
    aws.assert_converged(BLOG);
}

/// Connections reset while the plan reads the cloud: the reads are retried
/// and the plan is the same as without them.
#[test]
fn connection_resets_during_discovery_are_retried() {
    let Some(aws) = Faulty::start("blog", Faults::default()) else {
        return;
    };
    let out = aws.direct(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
    aws.proxy.set_faults(Faults {
        reset: 0.2,
        ..Faults::default()
    });
    let out = aws.berth(&["plan", "--detailed-exitcode"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(aws.proxy.stats().reset > 0, "{:?}", aws.proxy.stats());
}

/// Killed at several instants of an apply slowed by latency and lost
/// answers: the next apply always finishes the job with no duplicate.
#[test]
fn kills_mid_apply_converge() {
    let faults = Faults {
        latency: Duration::from_millis(30),
        lost: 0.05,
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    for delay in [700, 2000, 4000] {
        let mut child = aws.spawn(&["apply", "--auto-approve"]);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let out = aws.direct(&["apply", "--auto-approve"]);
        assert!(
            out.status.success(),
            "apply after a kill at {delay} ms:\n{}",
            stderr(&out)
        );
        aws.assert_converged(BLOG);
        let out = aws.direct(&["destroy", "--auto-approve"]);
        assert!(out.status.success(), "destroy failed:\n{}", stderr(&out));
    }
}

/// A proxy that never answers: `plan` fails within a bounded time naming
/// the call and the endpoint.
#[test]
fn a_stalled_endpoint_fails_plan_naming_it() {
    let faults = Faults {
        stall: true,
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let mut child = aws
        .command(&aws.proxy.endpoint, &["plan"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("berth runs");
    // A generous ceiling against a hang, not a timing assertion.
    let ended = poll(300, || child.try_wait().is_ok_and(|s| s.is_some()));
    if !ended {
        let _ = child.kill();
        panic!("plan still hangs on a stalled endpoint after 5 minutes");
    }
    let out = child.wait_with_output().expect("output");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("failed: Timeout: "), "{err}");
    assert!(
        err.contains(&format!("(endpoint {})", aws.proxy.endpoint)),
        "{err}"
    );
}
