//! The whole product against AWS's APIs: `berth --cloud aws` on both
//! examples, through the real SDK, against a moto server started on
//! 127.0.0.1 for each test. Apply (checked from outside with boto3),
//! plan to no changes, update in place,
//! new task-definition revision, target-group replacement, a new listener
//! rule, losing `.berth/`, destroy. And an endpoint nothing listens on.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use berth_test_support::Moto;

struct Aws {
    moto: Moto,
    dir: tempfile::TempDir,
}

impl Aws {
    fn start(example: &str) -> Option<Aws> {
        let moto = Moto::start()?;
        Some(Aws {
            moto,
            dir: copy_example(example),
        })
    }

    /// A stack of one `main.berth` holding `text`.
    fn start_with(text: &str) -> Option<Aws> {
        let moto = Moto::start()?;
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("main.berth"), text).expect("write");
        Some(Aws { moto, dir })
    }

    fn berth(&self, args: &[&str]) -> Output {
        berth_aws(self.dir.path(), &self.moto.endpoint, args)
    }

    fn apply(&self) {
        let out = self.berth(&["apply", "--auto-approve"]);
        assert!(
            out.status.success(),
            "apply failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The plan's resource changes as (address, action), from `--format json`.
    fn changes(&self) -> Vec<(String, String)> {
        let out = self.berth(&["plan", "--format", "json"]);
        assert!(
            out.status.success(),
            "plan failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan JSON");
        json["resource_changes"]
            .as_array()
            .expect("resource_changes")
            .iter()
            .filter(|c| c["action"] != "no_op")
            .map(|c| {
                (
                    c["address"].as_str().unwrap_or("").to_owned(),
                    c["action"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }

    fn destroy(&self) {
        let out = self.berth(&["destroy", "--auto-approve"]);
        assert!(
            out.status.success(),
            "destroy failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn assert_no_changes(&self) {
        let out = self.berth(&["plan", "--detailed-exitcode"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "expected no changes:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} lacks {from:?}");
        std::fs::write(path, text.replacen(from, to, 1)).expect("write");
    }

    fn action_of<'a>(changes: &'a [(String, String)], address: &str) -> Option<&'a str> {
        changes
            .iter()
            .find(|(a, _)| a == address)
            .map(|(_, x)| x.as_str())
    }
}

/// Text edits, each `(from, to)`, that make one kind of change.
struct Edits<'a> {
    /// A change the service takes in place (its count, or its scaler's
    /// bounds when it is autoscaled).
    count: (&'a str, &'a str),
    image: (&'a str, &'a str),
    tg_port: (&'a str, &'a str),
    rule: (&'a str, &'a str),
}

/// The example's lifecycle; `created` checks the first apply from outside.
fn lifecycle(example: &str, file: &str, service: &str, edits: Edits<'_>, created: fn(&Moto)) {
    let Edits {
        count,
        image,
        tg_port,
        rule,
    } = edits;
    let Some(aws) = Aws::start(example) else { return };
    let first = aws.changes();
    assert!(
        !first.is_empty() && first.iter().all(|(_, a)| a == "create"),
        "{first:?}"
    );
    aws.apply();
    aws.assert_no_changes();
    created(&aws.moto);
    // Outputs read the load balancer's DNS name back through the SDK.
    let out = aws.berth(&["output", "--format", "json"]);
    let outputs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("output json");
    let outputs = outputs["outputs"].as_object().expect("outputs");
    assert!(!outputs.is_empty());
    for (name, o) in outputs {
        let value = o["value"].as_str().unwrap_or_default();
        assert!(
            value.starts_with("http://") && value.contains(".elb.amazonaws.com"),
            "{name}: {o}"
        );
    }

    // Update in place.
    aws.edit(file, count.0, count.1);
    assert_eq!(aws.changes(), [(service.to_owned(), "update".to_owned())]);
    aws.apply();
    aws.assert_no_changes();

    // A new image: new task-definition revision, service moved to it.
    aws.edit(file, image.0, image.1);
    let changes = aws.changes();
    assert_eq!(
        Aws::action_of(&changes, &service.replace("service.", "task_definition.")),
        Some("replace")
    );
    assert_eq!(Aws::action_of(&changes, service), Some("update"));
    aws.apply();
    aws.assert_no_changes();

    // Target group replaced under its listener, create before destroy.
    aws.edit(file, tg_port.0, tg_port.1);
    let changes = aws.changes();
    assert!(
        changes
            .iter()
            .any(|(a, x)| a.starts_with("target_group.") && x == "replace"),
        "{changes:?}"
    );
    aws.apply();
    aws.assert_no_changes();

    // A new listener rule.
    aws.edit(file, rule.0, rule.1);
    assert_eq!(aws.changes(), [("listener.http".to_owned(), "update".to_owned())]);
    aws.apply();
    aws.assert_no_changes();

    // The cloud is the state: nothing under .berth/ matters.
    let _ = std::fs::remove_dir_all(aws.dir.path().join(".berth"));
    aws.assert_no_changes();

    aws.destroy();
    let after = aws.changes();
    assert!(
        !after.is_empty() && after.iter().all(|(_, a)| a == "create"),
        "nothing left: {after:?}"
    );
}

/// A copy of an example in a temp dir.
fn copy_example(example: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(example);
    for entry in std::fs::read_dir(src).expect("example") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "berth") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

/// `berth ARGS DIR` on AWS's APIs at `endpoint` with test credentials
/// ([`common::aws_env`]), not started.
fn aws_command(dir: &Path, endpoint: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_berth"));
    cmd.args(args)
        .arg(dir)
        .envs(common::aws_env(endpoint))
        .env_remove("AWS_PROFILE");
    cmd
}

/// `berth ARGS DIR` on AWS's APIs at `endpoint`, run to its end.
fn berth_aws(dir: &Path, endpoint: &str, args: &[&str]) -> Output {
    aws_command(dir, endpoint, args).output().expect("berth runs")
}

/// An endpoint nothing listens on fails after a few tries with its cause
/// in one line; it used to be retried for two minutes and reported with the
/// SDK's Debug dump.
#[test]
fn an_unreachable_endpoint_fails_with_a_plain_message() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let dir = copy_example("blog");
    let out = berth_aws(dir.path(), &format!("http://127.0.0.1:{port}"), &["plan"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("failed: DispatchFailure: dispatch failure: "),
        "{stderr}"
    );
    assert!(stderr.contains("Connection refused"), "{stderr}");
    assert!(!stderr.contains("ConnectorError"), "no Debug dump: {stderr}");
}

/// A profile that does not exist is named in one line; the SDK's list of
/// every credential provider it tried comes only with `-v`.
#[test]
fn a_missing_profile_is_named_in_one_line() {
    let dir = copy_example("blog");
    let run = |verbose: bool| {
        let mut cmd = aws_command(dir.path(), "http://127.0.0.1:9", &["plan"]);
        cmd.env("AWS_PROFILE", "no-such-profile")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY");
        if verbose {
            cmd.arg("-v");
        }
        let out = cmd.output().expect("berth runs");
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let short = run(false);
    assert!(
        short.contains("NoCredentials: no AWS credentials: profile `no-such-profile` (AWS_PROFILE)"),
        "{short}"
    );
    assert!(!short.contains("Ec2InstanceMetadata"), "{short}");
    let long = run(true);
    assert!(long.contains("Ec2InstanceMetadata"), "{long}");
}

#[test]
fn blog_lifecycle_on_aws_apis() {
    lifecycle(
        "blog",
        "main.berth",
        "service.login",
        Edits {
            count: ("desired_count   = 3", "desired_count   = 4"),
            image: ("login:${var.env}", "login:${var.env}-2"),
            tg_port: (
                "target_group blog {\n  vpc         = vpc.main\n  port        = 3000",
                "target_group blog {\n  vpc         = vpc.main\n  port        = 3001",
            ),
            rule: (
                "  rule login {",
                "  rule health { priority = 5  path = \"/health\"  forward = target_group.blog }\n  rule login {",
            ),
        },
        |_| {},
    );
}

#[test]
fn microservices_lifecycle_on_aws_apis() {
    lifecycle(
        "microservices",
        "main.berth",
        "service.notification",
        Edits {
            count: ("max_capacity = 3", "max_capacity = 5"),
            image: ("notification:${var.env}", "notification:${var.env}-2"),
            tg_port: (
                "port        = 8096\n  target_type",
                "port        = 8097\n  target_type",
            ),
            rule: (
                "  rule notification {",
                "  rule health { priority = 5  path = \"/health\"  forward = target_group.usermgmt }\n  rule notification {",
            ),
        },
        microservices_seen_from_outside,
    );
}

/// What ECS, Cloud Map and Application Auto Scaling hold of the
/// microservices: each service registered under its name in the
/// `internal.local` namespace, with the circuit breaker and a CPU
/// target-tracking policy between its bounds.
fn microservices_seen_from_outside(moto: &Moto) {
    const SEEN: &str = "import boto3,json\n\
        ecs=boto3.client('ecs');sd=boto3.client('servicediscovery');aas=boto3.client('application-autoscaling')\n\
        c=ecs.list_clusters()['clusterArns'][0]\n\
        s=ecs.describe_services(cluster=c,services=ecs.list_services(cluster=c)['serviceArns'])['services']\n\
        names={x['Arn']:x['Name'] for x in sd.list_services()['Services']}\n\
        t=aas.describe_scalable_targets(ServiceNamespace='ecs')['ScalableTargets']\n\
        p=aas.describe_scaling_policies(ServiceNamespace='ecs')['ScalingPolicies']\n\
        print(json.dumps({'namespaces':[(n['Name'],n['Type']) for n in sd.list_namespaces()['Namespaces']],\
        'registries':sorted((x['serviceName'],[names.get(r['registryArn']) for r in x.get('serviceRegistries',[])]) for x in s),\
        'breakers':sorted((x['serviceName'],x['deploymentConfiguration']['deploymentCircuitBreaker']['rollback']) for x in s),\
        'targets':sorted((x['ResourceId'].split('/')[2],x['MinCapacity'],x['MaxCapacity']) for x in t),\
        'policies':sorted((x['ResourceId'].split('/')[2],x['PolicyName'],x['PolicyType']) for x in p)},sort_keys=True))\n";
    let seen: serde_json::Value = serde_json::from_str(moto.python(SEEN).trim()).expect("json");
    let (usermgmt, notification) = ("microservices-dev-usermgmt", "microservices-dev-notification");
    assert_eq!(
        seen,
        serde_json::json!({
            "namespaces": [["internal.local", "DNS_PRIVATE"]],
            "registries": [[notification, ["notification"]], [usermgmt, ["usermgmt"]]],
            "breakers": [[notification, true], [usermgmt, true]],
            "targets": [[notification, 1, 3], [usermgmt, 2, 4]],
            "policies": [
                [notification, "cpu", "TargetTrackingScaling"],
                [usermgmt, "cpu", "TargetTrackingScaling"]
            ],
        })
    );
}

/// `--max-rps N` caps the calls of a whole run: the calls `--stats` counts
/// never come faster than N a second (the first one goes at once). Only a
/// lower bound on the time is asserted, which a slow machine cannot break.
#[test]
fn max_rps_caps_the_rate_of_calls() {
    let Some(aws) = Aws::start("blog") else { return };
    let start = std::time::Instant::now();
    let out = aws.berth(&["plan", "--max-rps", "8", "--stats"]);
    let elapsed = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let calls: f64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("API calls: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no call count in:\n{stderr}"));
    assert!(calls >= 8.0, "a plan makes enough calls to measure: {calls}");
    assert!(
        (calls - 1.0) / 8.0 <= elapsed,
        "{calls} calls in {elapsed:.2} s: faster than 8 a second"
    );
}

/// Two security groups that allow each other: created without the cross
/// rules, which an update adds once both exist; a plan then shows no
/// change; destroy revokes the rules first (AWS refuses to delete a group
/// another group's rule names) and leaves nothing.
#[test]
fn groups_allowing_each_other_on_aws_apis() {
    let Some(aws) = Aws::start_with(MUTUAL_GROUPS) else {
        return;
    };
    aws.apply();
    aws.assert_no_changes();
    let out = aws.berth(&["plan", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan JSON");
    let api = plan["resource_changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["address"] == "security_group.api"))
        .expect("api in the plan");
    assert_eq!(api["action"], "no_op");
    // Replaced with their VPC: new groups with each other's new ids, the
    // old ones revoke their rules, then go.
    aws.edit("main.berth", "10.0.0.0/16", "10.1.0.0/16");
    aws.apply();
    aws.assert_no_changes();
    aws.destroy();
    let after = aws.changes();
    assert_eq!(
        after.iter().filter(|(_, action)| action == "create").count(),
        3,
        "destroy left nothing: everything is to create again\n{after:?}"
    );
}

const MUTUAL_GROUPS: &str = r#"stack "mutual" { region = "us-east-1" }
vpc main { cidr = "10.0.0.0/16" }

security_group api {
  vpc = vpc.main
  ingress { port = 443  from = security_group.worker }
  ingress { port = 80  cidr = "0.0.0.0/0" }
}

security_group worker {
  vpc = vpc.main
  ingress { port = 9000  from = security_group.api }
  ingress { port = 9001  from = security_group.worker }
}
"#;

/// On AWS, a plan opens naming the account (STS GetCallerIdentity), the
/// region and the endpoint, so nobody takes one account for another.
#[test]
fn a_plan_names_the_aws_account_it_runs_in() {
    let Some(aws) = Aws::start("blog") else { return };
    let out = aws.berth(&["plan"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "Planning stack \"blog-dev\" on AWS account 123456789012, region us-east-1, endpoint {}\n",
            aws.moto.endpoint
        )),
        "{stderr}"
    );
}
