//! Shared harness of the end-to-end tests: copies of the examples in temp
//! dirs, the real `berth` binary run on them, the local cloud's file read
//! and edited as JSON, and a scrubber for what is random in plans.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// `text` with the span from the first `from` up to and including the
/// first `to` after it replaced by `with` (empty to cut it out): a line
/// (`to` = a newline) or a block of a stack rewritten by a test.
#[track_caller]
pub fn splice(text: &str, from: &str, to: &str, with: &str) -> String {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in:\n{text}"));
    let end = start
        + text[start..]
            .find(to)
            .unwrap_or_else(|| panic!("no {to:?} after {from:?}"))
        + to.len();
    format!("{}{with}{}", &text[..start], &text[end..])
}

/// The `berth` binary cargo built for these tests.
pub const BERTH: &str = env!("CARGO_BIN_EXE_berth");

/// The repository's `examples/` directory.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// The text of an example's file, as committed.
pub fn example_text(example: &str, file: &str) -> String {
    std::fs::read_to_string(examples().join(example).join(file)).expect("example file")
}

/// A copy of an example in a temp dir; berth runs with the stack directory
/// as its working directory, so paths in its output are relative (`./main.berth`).
pub struct Project {
    /// Keeps the temp dir alive.
    _tmp: tempfile::TempDir,
    /// The stack directory (`TMP/NAME`).
    pub dir: PathBuf,
}

/// Copies `examples/NAME/*.berth` into a fresh temp dir.
pub fn example(name: &str) -> Project {
    copy_of(&examples().join(name))
}

/// Copies the `*.berth` files of the stack directory `from` into a fresh
/// temp dir (a directory of the same name).
pub fn copy_of(from: &Path) -> Project {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join(from.file_name().expect("a named directory"));
    std::fs::create_dir(&dir).expect("stack dir");
    for entry in std::fs::read_dir(from).expect("stack directory exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "berth") {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    Project { _tmp: tmp, dir }
}

/// What a run of berth did.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts that stderr holds no panic message.
    #[track_caller]
    pub fn no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked") && self.code != Some(101),
            "berth panicked:\n{}",
            self.stderr
        );
        self
    }

    /// Both streams, for assertions about everything berth printed.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs berth in `cwd` with `args`, extra environment and optional stdin.
pub fn berth_in(cwd: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut cmd = command(cwd, args, env);
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("berth starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        // berth may exit before reading everything; that is fine.
        let _ = pipe.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().expect("berth runs");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    run.no_panic();
    run
}

/// A berth command, not started: piped output, no colour, the local cloud.
pub fn command(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BERTH);
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("BERTH_CLOUD")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

impl Project {
    /// Runs berth in the stack directory.
    pub fn berth(&self, args: &[&str]) -> Run {
        berth_in(&self.dir, args, &[], None)
    }

    /// Runs berth in the stack directory with environment and stdin.
    pub fn berth_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
        berth_in(&self.dir, args, env, stdin)
    }

    /// Starts berth in the stack directory without waiting for it.
    pub fn spawn(&self, args: &[&str]) -> Child {
        command(&self.dir, args, &[])
            .stdin(Stdio::null())
            .spawn()
            .expect("berth starts")
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).expect("read file")
    }

    pub fn write(&self, file: &str, text: &str) {
        std::fs::write(self.path(file), text).expect("write file");
    }

    /// Replaces the first `from` with `to` in `file`, which must contain it.
    #[track_caller]
    pub fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} has no {from:?}");
        self.write(file, &text.replacen(from, to, 1));
    }

    /// The default local cloud file, `DIR/.berth/local-cloud.json`.
    pub fn cloud_path(&self) -> PathBuf {
        self.dir.join(".berth/local-cloud.json")
    }

    /// The local cloud file as JSON.
    pub fn cloud(&self) -> Value {
        read_cloud(&self.cloud_path())
    }

    /// Replaces the local cloud file with `cloud`.
    pub fn write_cloud(&self, cloud: &Value) {
        write_cloud(&self.cloud_path(), cloud);
    }

    /// Edits the cloud file's resource tagged with `address` (of any stack).
    #[track_caller]
    pub fn edit_cloud_resource(&self, address: &str, f: impl FnOnce(&mut Value)) {
        let mut cloud = self.cloud();
        let resource = cloud["resources"]
            .as_object_mut()
            .expect("resources")
            .values_mut()
            .find(|r| r["tags"]["berth:address"] == address)
            .unwrap_or_else(|| panic!("no {address} in the cloud"));
        f(resource);
        self.write_cloud(&cloud);
    }

    /// Adds faults to the cloud file (creating an empty cloud if needed).
    pub fn add_faults(&self, faults: &[Value]) {
        let path = self.cloud_path();
        let mut cloud = if path.exists() {
            read_cloud(&path)
        } else {
            std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
            serde_json::json!({ "version": 1, "account": "123456789012", "resources": {}, "families": {}, "faults": [] })
        };
        if !cloud["faults"].is_array() {
            cloud["faults"] = serde_json::json!([]);
        }
        let list = cloud["faults"].as_array_mut().expect("faults list");
        list.extend(faults.iter().cloned());
        write_cloud(&path, &cloud);
    }

    /// Removes every fault from the cloud file.
    pub fn clear_faults(&self) {
        let mut cloud = self.cloud();
        cloud["faults"] = serde_json::json!([]);
        self.write_cloud(&cloud);
    }
}

pub fn read_cloud(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("cloud file");
    serde_json::from_str(&text).expect("cloud file is JSON")
}

pub fn write_cloud(path: &Path, cloud: &Value) {
    let text = serde_json::to_string_pretty(cloud).expect("json");
    std::fs::write(path, text + "\n").expect("write cloud");
}

/// How many resources of `stack` the cloud holds, per `berth:address`
/// (deregistered task-definition revisions, kept as AWS keeps them, aside).
pub fn addresses(cloud: &Value, stack: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in cloud["resources"].as_object().expect("resources").values() {
        if r["tags"]["berth:stack"] != stack || r["status"] == "INACTIVE" {
            continue;
        }
        let address = r["tags"]["berth:address"].as_str().expect("address").to_owned();
        *out.entry(address).or_default() += 1;
    }
    out
}

/// Asserts that no address of `stack` is held by two resources.
#[track_caller]
pub fn assert_no_duplicates(cloud: &Value, stack: &str) {
    let twice: Vec<_> = addresses(cloud, stack)
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .collect();
    assert!(twice.is_empty(), "duplicated in the cloud: {twice:?}");
}

/// `berth plan --format json` parsed.
#[track_caller]
pub fn json_plan(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("plan is not JSON ({e}):\n{}", run.stdout))
}

/// Asserts that a JSON plan finishes a replacement stopped after its
/// creates: nothing made or replaced, `deleted` old copies deleted as
/// duplicates, each kept copy `finishes_replacement`; the deletions.
#[track_caller]
pub fn assert_finishes_replacement(plan: &Value, deleted: usize) -> Vec<&Value> {
    let changes = plan["resource_changes"].as_array().expect("resource_changes");
    let of = |action: &str| -> Vec<&Value> { changes.iter().filter(|c| c["action"] == action).collect() };
    assert!(of("create").is_empty() && of("replace").is_empty(), "{plan}");
    let deletions = of("delete");
    assert_eq!(deletions.len(), deleted, "{plan}");
    for d in &deletions {
        assert_eq!(d["duplicate"]["reason"]["kind"], "finishes_replacement", "{d}");
    }
    deletions
}

/// The changing resources of a JSON plan: address -> (action, replace_order).
pub fn json_actions(plan: &Value) -> BTreeMap<String, (String, Option<String>)> {
    plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .filter(|r| r["action"] != "no_op")
        .map(|r| {
            (
                r["address"].as_str().expect("address").to_owned(),
                (
                    r["action"].as_str().expect("action").to_owned(),
                    r["replace_order"].as_str().map(str::to_owned),
                ),
            )
        })
        .collect()
}

/// The change of `address` in a JSON plan.
#[track_caller]
pub fn json_change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("no {address} in the plan"))
}

/// `(action, replace_order)` as [`json_actions`] gives it.
pub fn act(action: &str, order: Option<&str>) -> (String, Option<String>) {
    (action.to_owned(), order.map(str::to_owned))
}

/// Replaces what the cloud makes up at random so snapshots are stable:
/// EC2 ids (`vpc-` + 17 hex digits), the 16-hex-digit parts of ELB ARNs,
/// the 6-hex-digit suffix of load balancer and target group names and the
/// digits of a load balancer's DNS name. Also replaces `tmp` with `[TMP]`.
pub fn scrub(text: &str, tmp: Option<&Path>) -> String {
    let text = match tmp {
        Some(p) => text.replace(&p.display().to_string(), "[TMP]"),
        None => text.to_owned(),
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let before = start.checked_sub(1).map(|j| chars[j]);
        let hex = word
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
        let digits = word.chars().all(|c| c.is_ascii_digit());
        let replacement = match (before, word.len()) {
            (Some('-'), 17) if hex => Some("[ID]"),
            (Some('/'), 16) if hex => Some("[HEX]"),
            (Some('-'), 6) if hex => Some("[RND]"),
            (Some('-'), 8..=12) if digits && chars.get(i) == Some(&'.') => Some("[DNS]"),
            _ => None,
        };
        out.push_str(replacement.unwrap_or(&word));
    }
    out
}

/// Waits for `child` up to `secs` seconds, polling `until` meanwhile; returns
/// as soon as `until` holds (true) or the time is up (false).
pub fn poll(secs: u64, mut until: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if until() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    until()
}

#[test]
fn scrub_replaces_only_random_parts() {
    let text = "sg-092191cb51f58901f targetgroup/blog-dev-blog-255d3c/58f59c12f71b8052 \
                blog-dev-web-4e94c6-792892566.us-east-1.elb.amazonaws.com login:dev-2 \
                arn:aws:ecs:us-east-1:123456789012:task-definition/blog-dev-login:1";
    assert_eq!(
        scrub(text, None),
        "sg-[ID] targetgroup/blog-dev-blog-[RND]/[HEX] \
         blog-dev-web-[RND]-[DNS].us-east-1.elb.amazonaws.com login:dev-2 \
         arn:aws:ecs:us-east-1:123456789012:task-definition/blog-dev-login:1"
    );
}

/// Where a test runs berth: the local cloud, or AWS's APIs through the SDK
/// against a moto server of its own.
pub enum Cloud {
    Local,
    Aws(berth_test_support::Moto),
}

impl Cloud {
    /// Both clouds, or only the local one when moto is skipped.
    pub fn both() -> Vec<Cloud> {
        let mut out = vec![Cloud::Local];
        out.extend(berth_test_support::Moto::start().map(Cloud::Aws));
        out
    }

    /// Writes `text` as the only file of the stack in `dir`, applies it
    /// and checks that the next plan is clean; `when` names the step in a
    /// failure.
    #[track_caller]
    pub fn apply_clean(&self, dir: &Path, text: &str, when: &str) {
        std::fs::write(dir.join("main.berth"), text).expect("write the stack");
        self.converges(dir, when);
    }

    /// Applies the stack in `dir` and checks that the next plan is clean;
    /// `when` names the step in a failure.
    #[track_caller]
    pub fn converges(&self, dir: &Path, when: &str) {
        self.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
        let plan = self.berth(dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "not clean after {when}:\n{}", plan.all());
    }

    /// Checks that a plan of `dir` changes `address` in place and nothing
    /// else.
    #[track_caller]
    pub fn plans_one_update(&self, dir: &Path, address: &str) {
        let plan = self.berth(dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(2), "{}", plan.all());
        for line in [
            format!("# {address} will be updated in place"),
            "Plan: 0 to add, 1 to change, 0 to destroy.".to_owned(),
        ] {
            assert!(plan.stdout.contains(&line), "no `{line}` in:\n{}", plan.stdout);
        }
    }

    /// Makes a public hosted zone named `name` outside the stack in `dir`,
    /// as a team keeps its domain's zone; its id (`Z...`). On moto with
    /// boto3; on the local cloud of `dir` by a stack `dns` of its own.
    pub fn zone_outside(&self, dir: &Path, name: &str) -> String {
        match self {
            Cloud::Aws(moto) => moto
                .python(&format!(
                    "import boto3\n\
                     z=boto3.client('route53').create_hosted_zone(Name='{name}',CallerReference='{name}')\n\
                     print(z['HostedZone']['Id'].split('/')[-1])\n"
                ))
                .trim()
                .to_owned(),
            Cloud::Local => {
                let tmp = tempfile::tempdir().expect("temp dir");
                let text = format!(
                    "stack \"dns\" {{ region = \"us-east-1\" }}\nhosted_zone main {{ name = \"{name}\" }}\n"
                );
                std::fs::write(tmp.path().join("main.berth"), text).expect("write the zone's stack");
                let state = dir.join(".berth/local-cloud.json");
                let state = state.to_str().expect("a UTF-8 path");
                berth_in(
                    tmp.path(),
                    &["--local-state", state, "apply", "--auto-approve"],
                    &[],
                    None,
                )
                .expect_code(0);
                let cloud = read_cloud(&dir.join(".berth/local-cloud.json"));
                let resources = cloud["resources"].as_object().expect("resources");
                let (id, _) = resources
                    .iter()
                    .find(|(_, r)| r["kind"] == "hosted_zone" && r["tags"]["berth:stack"] == "dns")
                    .expect("the zone");
                id.clone()
            }
        }
    }

    /// What a plan of `dir` would change, as [`json_actions`] gives it.
    pub fn planned(&self, dir: &Path) -> BTreeMap<String, (String, Option<String>)> {
        let run = self.berth(dir, &["plan", "--format", "json"]);
        run.expect_code(0);
        json_actions(&json_plan(&run))
    }

    /// Runs berth in `dir` against this cloud; on the local cloud with the
    /// account file `shared`, which several stacks' directories share as
    /// stacks share one AWS account.
    pub fn berth_sharing(&self, shared: &Path, dir: &Path, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let file = shared.display().to_string();
        if matches!(self, Cloud::Local) {
            all.extend(["--local-state", &file]);
        }
        self.berth(dir, &all)
    }

    /// Runs berth in `dir` against this cloud.
    pub fn berth(&self, dir: &Path, args: &[&str]) -> Run {
        match self {
            Cloud::Local => berth_in(dir, args, &[], None),
            Cloud::Aws(moto) => {
                let env = aws_env(&moto.endpoint);
                let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
                berth_in(dir, args, &env, None)
            }
        }
    }
}

/// The environment that points `berth` at a moto server at `endpoint`
/// through the AWS SDK: test credentials, no instance metadata and none of
/// the machine user's AWS configuration.
pub fn aws_env(endpoint: &str) -> Vec<(&'static str, String)> {
    [
        ("BERTH_CLOUD", "aws"),
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

/// A platform's stack and a service's stack in one account (on the local
/// cloud, one shared cloud file), each in a directory of its own: for
/// rules one stack adds to what the other owns.
pub struct TwoStacks {
    _tmp: tempfile::TempDir,
    shared: PathBuf,
    pub platform: PathBuf,
    pub service: PathBuf,
}

impl TwoStacks {
    pub fn new(platform: &str, service: &str) -> TwoStacks {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = |name: &str, text: &str| {
            let dir = tmp.path().join(name);
            std::fs::create_dir(&dir).expect("stack dir");
            std::fs::write(dir.join("main.berth"), text).expect("write the stack");
            dir
        };
        let (platform, service) = (dir("platform", platform), dir("service", service));
        TwoStacks {
            shared: tmp.path().join("cloud.json"),
            _tmp: tmp,
            platform,
            service,
        }
    }

    /// Runs berth on the platform's stack.
    pub fn on_platform(&self, cloud: &Cloud, args: &[&str]) -> Run {
        cloud.berth_sharing(&self.shared, &self.platform, args)
    }

    /// Runs berth on the service's stack.
    pub fn on_service(&self, cloud: &Cloud, args: &[&str]) -> Run {
        cloud.berth_sharing(&self.shared, &self.service, args)
    }

    /// Rewrites the service's stack to `text`, then checks that its plan
    /// destroys `address` (its block gone, the rule is still found), that
    /// apply does, and that both stacks then plan clean.
    #[track_caller]
    pub fn deleting_the_block_deletes(&self, cloud: &Cloud, text: &str, address: &str) {
        std::fs::write(self.service.join("main.berth"), text).expect("delete the block");
        let plan = self.on_service(cloud, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(2), "{}", plan.all());
        let line = format!("# {address} will be destroyed");
        assert!(plan.stdout.contains(&line), "no `{line}` in:\n{}", plan.stdout);
        self.on_service(cloud, &["apply", "--auto-approve"])
            .expect_code(0);
        no_change(
            &self.on_service(cloud, &["plan", "--detailed-exitcode"]),
            "the service without its rule",
        );
        no_change(
            &self.on_platform(cloud, &["plan", "--detailed-exitcode"]),
            "the platform after the rule left",
        );
    }
}

/// Checks that a `plan --detailed-exitcode` planned no change; `what`
/// names the stack in a failure.
#[track_caller]
pub fn no_change(run: &Run, what: &str) {
    assert_eq!(run.code, Some(0), "{what} should plan no change:\n{}", run.all());
}

/// Sends `signal` (`-INT`, `-TERM`) to the running `child` once its stderr
/// holds `once`, then waits for it: its whole stderr and exit code.
pub fn interrupt_when(mut child: Child, once: &str, signal: &str) -> (String, Option<i32>) {
    use std::io::{BufRead, BufReader, Read};
    let mut err = BufReader::new(child.stderr.take().expect("stderr piped"));
    let mut seen = String::new();
    while !seen.contains(once) {
        let mut line = String::new();
        if err.read_line(&mut line).expect("read stderr") == 0 {
            break;
        }
        seen.push_str(&line);
    }
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    err.read_to_string(&mut seen).expect("read stderr");
    let status = child.wait().expect("berth ends");
    (seen, status.code())
}

/// DescribeServices answers (through a proxy's rewrite) of services that
/// never get steady: no task runs, as with an image that crashes at start.
pub fn never_steady(operation: &str, body: &str) -> Option<String> {
    if operation != "DescribeServices" {
        return None;
    }
    let mut answer: Value = serde_json::from_str(body).ok()?;
    for service in answer["services"].as_array_mut()? {
        service["runningCount"] = 0.into();
        for deployment in service["deployments"].as_array_mut().into_iter().flatten() {
            deployment["runningCount"] = 0.into();
        }
    }
    Some(answer.to_string())
}
