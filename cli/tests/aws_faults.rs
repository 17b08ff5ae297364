//! `berth --cloud aws` through a fault-injecting proxy in front of moto
//! (`berth_test_support::proxy`): lost answers, connection resets,
//! throttling, server errors, kills mid-apply, and two runs at once (the
//! stack's lock). Every apply succeeds (or, killed or locked out, the next
//! one finishes), and no address ever exists twice. Time limits here are
//! generous ceilings against hangs, not measurements.

mod common;

use std::collections::BTreeMap;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use berth_test_support::Moto;
use berth_test_support::proxy::{FaultProxy, Faults, Rewrite};
use common::{Project, aws_env, copy_of, example, poll};

/// The blog example on a moto server of its own, with a proxy in front.
struct Faulty {
    moto: Moto,
    proxy: FaultProxy,
    project: Project,
}

impl Faulty {
    fn start(name: &str, faults: Faults) -> Option<Faulty> {
        Faulty::with(example(name), faults)
    }

    /// `project` on a moto server of its own, with a proxy in front.
    fn with(project: Project, faults: Faults) -> Option<Faulty> {
        let moto = Moto::start()?;
        let proxy = FaultProxy::start(&moto.endpoint, faults).expect("proxy starts");
        Some(Faulty { moto, proxy, project })
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

    /// `berth ARGS DIR` through the proxy, started, its output kept.
    fn spawn_output(&self, args: &[&str]) -> Child {
        self.command(&self.proxy.endpoint, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("berth runs")
    }

    /// `berth ARGS DIR` through the proxy, started, its stderr kept.
    fn spawn_stderr(&self, args: &[&str]) -> Child {
        self.command(&self.proxy.endpoint, args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("berth runs")
    }

    fn spawn(&self, args: &[&str]) -> Child {
        self.command(&self.proxy.endpoint, args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("berth runs")
    }

    /// The stack's lock as moto holds it (the SSM parameter's value), or
    /// an empty string.
    fn lock(&self) -> String {
        self.moto.python(
            "import boto3\n\
             ssm = boto3.client('ssm')\n\
             try:\n    print(ssm.get_parameter(Name='/berth/locks/blog-dev')['Parameter']['Value'])\n\
             except ssm.exceptions.ParameterNotFound:\n    pass\n",
        )
    }

    /// Waits until a run holds the stack's lock.
    fn wait_for_lock(&self) {
        assert!(
            poll(120, || !self.lock().trim().is_empty()),
            "no run took the lock"
        );
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

/// A lock whose every PutParameter reached SSM unanswered: the run fails,
/// and lets its own lock go, so the next run takes it at once (it was
/// left behind, refused as held by a run that had ended).
#[test]
fn a_lock_taken_unanswered_is_let_go() {
    let faults = Faults {
        lost: 1.0,
        only: vec!["PutParameter".to_owned()],
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let out = aws.berth(&["apply", "--auto-approve"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("PutParameter"), "{}", stderr(&out));
    assert!(aws.proxy.stats().lost > 0, "{:?}", aws.proxy.stats());
    aws.proxy.set_faults(Faults::default());
    let out = aws.berth(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "the lock was left:\n{}", stderr(&out));
    aws.assert_converged(BLOG);
    let out = aws.berth(&["destroy", "--auto-approve"]);
    assert!(out.status.success(), "destroy failed:\n{}", stderr(&out));
}

/// A lock that cannot be released (the role may not DeleteParameter)
/// fails the run after its changes, naming `berth unlock`: exit 0 would
/// let a pipeline go on to a next job that the lock refuses. Regression:
/// the release's failure was a warning and the apply exited 0.
#[test]
fn a_lock_that_cannot_be_released_fails_the_run() {
    let faults = Faults {
        denied: 1.0,
        only: vec!["DeleteParameter".to_owned()],
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let out = aws.berth(&["apply", "--auto-approve"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Apply complete!"), "the changes were made:\n{err}");
    assert!(
        err.contains("cannot release the lock of stack \"blog-dev\""),
        "{err}"
    );
    assert!(
        err.contains("DeleteParameter") && err.contains("berth unlock"),
        "{err}"
    );
    assert!(!aws.lock().trim().is_empty(), "the lock is left, as said");
    // The run has ended, so a plain unlock lets its lock go.
    let out = aws.direct(&["unlock"]);
    assert!(out.status.success(), "unlock:\n{}", stderr(&out));
    aws.assert_converged(BLOG);
}

/// Every create and delete whose resend fails on moto where AWS answers
/// it (moto ignores client tokens, and refuses some deletes a second
/// time) loses its first answer, in the third-party stacks that have
/// them: the apply and the destroy still succeed and nothing is made
/// twice. Regressions of NAT gateways (Resource.AlreadyAssociated), VPC
/// endpoints and Cloud Map services (made twice), Cloud Map namespaces
/// (ConflictingDomainExists), gateway endpoints' deletes
/// (InvalidRoute.NotFound), adoption records (ParameterAlreadyExists),
/// DeleteSecret (marked deleted, on AWS too) and DeregisterScalableTarget;
/// certificates' requests (their IdempotencyToken), validation records
/// and deletes; and a security group whose peer allows it back (its
/// recovery resolved the rule naming the peer, not made yet: InternalError).
#[test]
fn first_answers_lost_on_every_create_and_delete_make_no_duplicates() {
    let ops = [
        "CreateNatGateway",
        "CreateSecurityGroup",
        "CreateVpcEndpoint",
        "CreatePrivateDnsNamespace",
        "CreateService",
        "DeleteVpcEndpoints",
        "PutParameter",
        "DeleteSecret",
        "DeregisterScalableTarget",
        "RequestCertificate",
        "ChangeResourceRecordSets",
        "DeleteCertificate",
    ];
    let stacks = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for dir in [
        "stacks/yelb",
        "stacks/next_tstack",
        "stacks/copilot",
        "lost_answers",
    ] {
        let faults = Faults {
            lose_first: true,
            only: ops.iter().map(|o| (*o).to_owned()).collect(),
            ..Faults::default()
        };
        let Some(aws) = Faulty::with(copy_of(&stacks.join(dir)), faults) else {
            return;
        };
        let out = aws.berth(&["apply", "--auto-approve"]);
        assert!(out.status.success(), "{dir}: apply failed:\n{}", stderr(&out));
        let counts = aws.live_addresses();
        assert!(counts.values().all(|n| *n == 1), "{dir}: {counts:?}");
        let plan = aws.direct(&["plan", "--detailed-exitcode"]);
        assert_eq!(
            plan.status.code(),
            Some(0),
            "{dir}: not converged:\n{}",
            stdout(&plan)
        );
        let out = aws.berth(&["destroy", "--auto-approve"]);
        assert!(out.status.success(), "{dir}: destroy failed:\n{}", stderr(&out));
        assert!(
            aws.live_addresses().is_empty(),
            "{dir}: {:?}",
            aws.live_addresses()
        );
        assert!(aws.proxy.stats().lost > 0, "{dir}: {:?}", aws.proxy.stats());
    }
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
        // What the killed run had sent still reaches moto (the lock's
        // create among it): wait for the proxy to be done with it.
        assert!(poll(60, || aws.proxy.in_flight() == 0), "the proxy never drained");
        // The killed run's lock (if it got that far): its process has
        // ended, so a plain unlock releases it.
        let out = aws.direct(&["unlock"]);
        assert!(
            out.status.success(),
            "unlock after a kill at {delay} ms:\n{}",
            stderr(&out)
        );
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

/// Killed (kill -9) while the listener's move to replaced target groups
/// hangs, their new copies made: the next plan keeps the new copies, as
/// configured, and finishes the replacement (the listener moves, the old
/// copies go); it used to delete the new ones and replace the old ones a
/// second time.
#[test]
fn a_replacement_killed_after_its_creates_is_finished_not_redone() {
    let Some(aws) = Faulty::start("blog", Faults::default()) else {
        return;
    };
    let out = aws.direct(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
    let main = aws.project.path("main.berth");
    let text = std::fs::read_to_string(&main).expect("main.berth");
    std::fs::write(&main, text.replace("port        = 3000", "port        = 3001")).expect("write");
    aws.proxy.set_faults(Faults {
        stall: true,
        only: vec!["ModifyListener".to_owned(), "ModifyRule".to_owned()],
        ..Faults::default()
    });
    let mut child = aws.spawn(&["apply", "--auto-approve"]);
    let both_copied = || {
        let counts = aws.live_addresses();
        counts.get("target_group.blog") == Some(&2) && counts.get("target_group.login") == Some(&2)
    };
    let copied = poll(180, both_copied);
    let _ = child.kill();
    let _ = child.wait();
    assert!(copied, "the new target groups were never made");
    let out = aws.direct(&["unlock"]);
    assert!(out.status.success(), "unlock:\n{}", stderr(&out));

    let out = aws.direct(&["plan", "--format", "json"]);
    assert!(out.status.success(), "plan failed:\n{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan JSON");
    common::assert_finishes_replacement(&plan, 2);
    let out = aws.direct(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
    aws.assert_converged(BLOG);
}

/// DescribeServices naming a service's revision `family:revision`, as it
/// was sent (moto answers so for some services; terraform-aws-modules/ecs
/// sends that text): the read described that revision again and took it
/// for a second copy of the stack's task definition, and the plan deleted
/// the revision the service runs. It is the same resource: no change.
#[test]
fn a_revision_named_by_family_and_number_is_not_a_second_copy() {
    let by_name = |op: &str, body: &str| -> Option<String> {
        if op != "DescribeServices" {
            return None;
        }
        let mut answer: serde_json::Value = serde_json::from_str(body).ok()?;
        for service in answer["services"].as_array_mut()? {
            let arn = service["taskDefinition"].as_str()?.to_owned();
            let (_, named) = arn.rsplit_once(":task-definition/")?;
            service["taskDefinition"] = serde_json::Value::from(named);
        }
        Some(answer.to_string())
    };
    let faults = Faults {
        rewrite: Some(Rewrite(std::sync::Arc::new(by_name))),
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let out = aws.direct(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
    let out = aws.berth(&["plan", "--detailed-exitcode"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(!stdout(&out).contains("duplicate"), "{}", stdout(&out));
}

/// Another stack's repository and Cloud Map namespace deleted (its
/// destroy) between this plan's listing and its read of their tags: they
/// are not this stack's, and the plan goes on; it failed on ECR's
/// RepositoryNotFoundException.
#[test]
fn another_stacks_resources_deleted_mid_read_are_not_an_error() {
    let faults = Faults {
        // Tag reads held back: the listings answer first, the deletes
        // land before the tag reads reach moto.
        latency: Duration::from_secs(6),
        only: vec!["ListTagsForResource".to_owned()],
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let out = aws.direct(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
    aws.moto.python(
        "import boto3\n\
         tags = [{'Key': 'berth:stack', 'Value': 'other'}, {'Key': 'berth:address', 'Value': 'ecr_repository.app'}]\n\
         boto3.client('ecr').create_repository(repositoryName='other-app', tags=tags)\n\
         sd = boto3.client('servicediscovery')\n\
         sd.create_http_namespace(Name='other', Tags=[{'Key': 'berth:stack', 'Value': 'other'}, {'Key': 'berth:address', 'Value': 'dns_namespace.main'}])\n",
    );
    let plan = aws.spawn_output(&["plan", "--detailed-exitcode"]);
    std::thread::sleep(Duration::from_millis(3000));
    aws.moto.python(
        "import boto3\n\
         boto3.client('ecr').delete_repository(repositoryName='other-app', force=True)\n\
         sd = boto3.client('servicediscovery')\n\
         for n in sd.list_namespaces()['Namespaces']:\n    sd.delete_namespace(Id=n['Id'])\n",
    );
    let out = plan.wait_with_output().expect("plan ends");
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
}

/// The blog with `file` holding `text`, applied while `op` (the tagging
/// call after a create) is refused: the apply fails naming it and leaves
/// none of what `count` (Python printing how many moto holds) counts; the
/// next apply makes one, and destroy leaves none.
fn refused_tagging_leaves_nothing(file: &str, text: &str, op: &str, count: &str) {
    let project = example("blog");
    project.write(file, text);
    let faults = Faults {
        denied: 1.0,
        only: vec![op.to_owned()],
        ..Faults::default()
    };
    let Some(aws) = Faulty::with(project, faults) else {
        return;
    };
    let held = || aws.moto.python(&format!("import boto3\nprint({count})\n"));
    let out = aws.berth(&["apply", "--auto-approve"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{op} failed: AccessDenied")),
        "{}",
        stderr(&out)
    );
    assert!(aws.proxy.stats().denied > 0, "{:?}", aws.proxy.stats());
    assert_eq!(held().trim(), "0");

    aws.proxy.set_faults(Faults::default());
    let out = aws.berth(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
    assert_eq!(held().trim(), "1");
    let out = aws.berth(&["destroy", "--auto-approve"]);
    assert!(out.status.success(), "destroy failed:\n{}", stderr(&out));
    assert_eq!(held().trim(), "0");
}

/// PutBucketTagging refused after CreateBucket (a role allowed
/// `s3:CreateBucket` but not `s3:PutBucketTagging`): the bucket, untagged,
/// was found by no plan, the next apply made a second one and destroy
/// left the first. It is deleted again.
#[test]
fn a_bucket_whose_tagging_is_refused_is_not_left_behind() {
    refused_tagging_leaves_nothing(
        "bucket.berth",
        "s3_bucket data {}\n",
        "PutBucketTagging",
        "len(boto3.client('s3').list_buckets()['Buckets'])",
    );
}

/// Route 53's ChangeTagsForResource refused after CreateHostedZone: the
/// untagged zone was found by no plan, the next apply made a second one
/// (with another CallerReference) and destroy left the first, perhaps the
/// one a registrar points to. It is deleted again.
#[test]
fn a_zone_whose_tagging_is_refused_is_not_left_behind() {
    refused_tagging_leaves_nothing(
        "zone.berth",
        "hosted_zone main { name = \"tagging-refused.example.com\" }\n",
        "ChangeTagsForResource",
        "len(boto3.client('route53').list_hosted_zones()['HostedZones'])",
    );
}

/// The blog with `file` holding `text`, killed (kill -9) while `op` (the
/// tagging call after a create) hangs: what `count` (Python printing how
/// many moto holds) counts is made once, untagged. The next apply takes
/// it rather than make another, and destroy leaves none.
fn killed_before_tagging_is_taken(file: &str, text: &str, op: &str, count: &str) {
    let project = example("blog");
    project.write(file, text);
    let faults = Faults {
        stall: true,
        only: vec![op.to_owned()],
        ..Faults::default()
    };
    let Some(aws) = Faulty::with(project, faults) else {
        return;
    };
    let held = || {
        aws.moto
            .python(&format!("import boto3\nprint({count})\n"))
            .trim()
            .to_owned()
    };
    let mut child = aws.spawn(&["apply", "--auto-approve"]);
    let made = poll(180, || held() == "1");
    let _ = child.kill();
    let _ = child.wait();
    assert!(made, "nothing was made");
    aws.proxy.set_faults(Faults::default());
    let out = aws.direct(&["unlock"]);
    assert!(out.status.success(), "unlock:\n{}", stderr(&out));
    let out = aws.berth(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
    assert_eq!(held(), "1", "a second one was made");
    aws.assert_converged(BLOG + 1);
    let out = aws.berth(&["destroy", "--auto-approve"]);
    assert!(out.status.success(), "destroy failed:\n{}", stderr(&out));
    assert_eq!(held(), "0", "destroy left it");
}

/// A zone: each run's CallerReference is its own, so the next apply made
/// a second zone and destroy left the first. The reference's first part
/// names the stack's zone, and finds it.
#[test]
fn a_zone_whose_create_was_killed_before_tagging_is_taken_not_made_again() {
    killed_before_tagging_is_taken(
        "zone.berth",
        "hosted_zone main { name = \"killed.example.com\" }\n",
        "ChangeTagsForResource",
        "len(boto3.client('route53').list_hosted_zones()['HostedZones'])",
    );
}

/// A bucket berth names: the next apply drew another name and destroy
/// left the first bucket. An untagged bucket of its derived name is it.
#[test]
fn a_bucket_whose_create_was_killed_before_tagging_is_taken_not_made_again() {
    killed_before_tagging_is_taken(
        "bucket.berth",
        "s3_bucket data {}\n",
        "PutBucketTagging",
        "len(boto3.client('s3').list_buckets()['Buckets'])",
    );
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
    // The first call, which names the account, fails the run: it went on
    // to wait out the reads too (three attempts each), 90 s in all.
    assert!(err.contains("GetCallerIdentity failed"), "{err}");
}

/// Two applies of one stack at once: the second fails at once naming the
/// first (user, pid, command); one started with `--lock-timeout` waits for
/// the first to finish and then has nothing left to do. No duplicate.
#[test]
fn a_second_apply_fails_naming_the_holder_or_waits_for_it() {
    let faults = Faults {
        latency: Duration::from_millis(100),
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let first = aws
        .command(&aws.proxy.endpoint, &["apply", "--auto-approve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("berth runs");
    aws.wait_for_lock();
    let out = aws.direct(&["apply", "--auto-approve"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("stack \"blog-dev\" is locked by "), "{err}");
    assert!(
        err.contains(&format!("(pid {}, `berth apply`", first.id())),
        "{err}"
    );
    assert!(err.contains("--lock-timeout 10m"), "{err}");
    // One that waited was given a timeout already: not told to give one.
    let out = aws.direct(&["apply", "--auto-approve", "--lock-timeout", "1s"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("(waited 1s)") && err.contains("a longer --lock-timeout") && !err.contains("10m"),
        "{err}"
    );
    let waiting = aws
        .command(
            &aws.moto.endpoint,
            &["apply", "--auto-approve", "--lock-timeout", "10m"],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("berth runs");
    let first = first.wait_with_output().expect("first apply");
    assert!(first.status.success(), "first apply:\n{}", stderr(&first));
    let waited = waiting.wait_with_output().expect("waiting apply");
    assert!(waited.status.success(), "waiting apply:\n{}", stderr(&waited));
    assert!(stdout(&waited).contains("No changes."), "{}", stdout(&waited));
    assert_eq!(aws.lock().trim(), "", "released at the end");
    aws.assert_converged(BLOG);
}

/// A run killed while holding the lock leaves it: the next apply names the
/// holder and says its process has ended. `berth unlock` refuses while a
/// holder looks alive and `--force` releases it. A holder silent for long
/// is said to have died, and a plain `berth unlock` releases its lock.
#[test]
fn a_dead_runs_lock_is_released_by_unlock() {
    let faults = Faults {
        latency: Duration::from_millis(100),
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let mut first = aws.spawn(&["apply", "--auto-approve"]);
    aws.wait_for_lock();
    let _ = first.kill();
    let _ = first.wait();

    let out = aws.direct(&["apply", "--auto-approve"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("last heartbeat"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no longer runs on this host"),
        "{}",
        stderr(&out)
    );
    // A dead holder never lets go: `--lock-timeout` waited its ten minutes
    // out before the same advice; it gives up at once now.
    let out = aws.direct(&["apply", "--auto-approve", "--lock-timeout", "10m"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no longer runs on this host"),
        "{}",
        stderr(&out)
    );

    // A holder on another host that still beats: unlock refuses, --force
    // releases.
    aws.moto.python(
        "import boto3, json, time\n\
         t = int(time.time())\n\
         lock = dict(id='live', who='ci@runner', pid=1, command='berth apply', started=t, heartbeat=t)\n\
         boto3.client('ssm').put_parameter(Name='/berth/locks/blog-dev', Value=json.dumps(lock), Type='String', Overwrite=True)\n",
    );
    let out = aws.direct(&["unlock"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("looks alive"), "{}", stderr(&out));
    let out = aws.direct(&["unlock", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Released the lock of stack \"blog-dev\""),
        "{}",
        stdout(&out)
    );
    let out = aws.direct(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "{}", stderr(&out));
    aws.assert_converged(BLOG);

    // A holder silent for ten minutes.
    aws.moto.python(
        "import boto3, json, time\n\
         t = int(time.time()) - 600\n\
         lock = dict(id='gone', who='ci@runner', pid=1, command='berth apply', started=t, heartbeat=t)\n\
         boto3.client('ssm').put_parameter(Name='/berth/locks/blog-dev', Value=json.dumps(lock), Type='String')\n",
    );
    let out = aws.direct(&["apply", "--auto-approve"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("locked by ci@runner (pid 1, `berth apply`"), "{err}");
    assert!(
        err.contains("seems to have died")
            && err.contains("release the lock with: berth --cloud aws unlock "),
        "{err}"
    );
    let out = aws.direct(&["unlock"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = aws.direct(&["unlock"]);
    assert!(stdout(&out).contains("is not locked"), "{}", stdout(&out));
    aws.assert_converged(BLOG);
}

/// Ctrl-C during an apply (SIGINT), or a cancelled CI job (SIGTERM): the
/// run stopped at once, said nothing and left the stack's lock, so the
/// next apply was refused until `berth unlock`. Now no operation starts
/// after it, those in flight finish, the run says what it did and releases
/// the lock; the next apply finishes.
#[test]
fn ctrl_c_stops_an_apply_in_order_and_releases_the_lock() {
    for signal in ["-INT", "-TERM"] {
        stops_in_order(signal);
    }
}

fn stops_in_order(signal: &str) {
    let faults = Faults {
        latency: Duration::from_millis(100),
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    // Once the first resource is made, operations are under way.
    let run = aws.spawn_stderr(&["apply", "--auto-approve"]);
    let (seen, code) = common::interrupt_when(run, "Creation complete", signal);
    assert_eq!(code, Some(130), "{seen}");
    assert!(
        seen.contains("Interrupted: no operation starts any more"),
        "{seen}"
    );
    assert!(seen.contains("Apply interrupted. Done: "), "{seen}");
    assert_eq!(aws.lock().trim(), "", "the lock is released:\n{seen}");
    let out = aws.direct(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "{}", stderr(&out));
    aws.assert_converged(BLOG);
}

/// Two rules trading priorities, every SetRulePriorities' first answer
/// lost: sent again, the move is done already, and moto refuses it
/// (PriorityInUse, the rule's own priority). Regression: the apply
/// failed; the next one finished it.
#[test]
fn rules_trading_priorities_with_lost_answers_apply() {
    let Some(aws) = Faulty::start("microservices", Faults::default()) else {
        return;
    };
    let out = aws.berth(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
    for (from, to) in [
        (
            "priority = 10  path = \"/usermgmt",
            "priority = 99  path = \"/usermgmt",
        ),
        (
            "priority = 20  path = \"/notification",
            "priority = 10  path = \"/notification",
        ),
        (
            "priority = 99  path = \"/usermgmt",
            "priority = 20  path = \"/usermgmt",
        ),
    ] {
        aws.project.edit("main.berth", from, to);
    }
    aws.proxy.set_faults(Faults {
        lose_first: true,
        only: vec!["SetRulePriorities".to_owned()],
        ..Faults::default()
    });
    let out = aws.berth(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "the swap failed:\n{}", stderr(&out));
    assert!(aws.proxy.stats().lost > 0, "{:?}", aws.proxy.stats());
    let out = aws.direct(&["plan", "--detailed-exitcode"]);
    assert_eq!(out.status.code(), Some(0), "not converged:\n{}", stdout(&out));
}

/// Ctrl-C or a cancelled CI job's SIGTERM while `apply --wait` waits for
/// services that never get steady: the wait changes nothing, so it ends
/// at once, the lock released, exit 130. Regression: the wait went on
/// for its ten minutes, and a second Ctrl-C left the lock held.
#[test]
fn a_signal_ends_the_wait_of_apply_wait() {
    for signal in ["-INT", "-TERM"] {
        let faults = Faults {
            rewrite: Some(Rewrite(std::sync::Arc::new(common::never_steady))),
            ..Faults::default()
        };
        let Some(aws) = Faulty::start("blog", faults) else {
            return;
        };
        let run = aws.spawn_stderr(&["apply", "--auto-approve", "--wait"]);
        let (seen, code) = common::interrupt_when(run, "waiting for a steady state", signal);
        assert_eq!(code, Some(130), "{signal}: {seen}");
        assert!(seen.contains("Apply complete!"), "{seen}");
        assert!(
            seen.contains("Interrupted while waiting for the services to be steady: the changes are applied"),
            "{seen}"
        );
        assert_eq!(aws.lock().trim(), "", "the lock is released:\n{seen}");
        aws.assert_converged(BLOG);
    }
}

/// Ctrl-C (or a cancelled CI job's SIGTERM) during `plan --out`, which
/// takes the lock: only `apply` and `destroy` handled it, so the process
/// died holding the lock and every later run was refused until `berth
/// unlock`. Now a run that only reads under the lock releases it and stops.
#[test]
fn ctrl_c_during_a_saved_plan_releases_the_lock() {
    for signal in ["-INT", "-TERM"] {
        // Slow enough that the plan's reads are under way at the signal.
        let faults = Faults {
            latency: Duration::from_millis(1500),
            ..Faults::default()
        };
        let Some(aws) = Faulty::start("blog", faults) else {
            return;
        };
        let saved = aws.project.dir.join("saved.plan");
        let saved = saved.to_string_lossy();
        let run = aws.spawn_stderr(&["plan", "--out", &saved]);
        aws.wait_for_lock();
        let sent = Command::new("kill")
            .args([signal, &run.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let out = run.wait_with_output().expect("berth ends");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(130), "{err}");
        assert!(err.contains("Interrupted: releasing the lock"), "{err}");
        assert_eq!(aws.lock().trim(), "", "the lock is released:\n{err}");
    }
}

/// An apply whose stderr was closed (`berth apply 2>&1 | head`, a log
/// shipper that died) panicked at its next progress line, mid-apply.
/// Now it goes on to its end.
#[test]
fn an_apply_whose_stderr_is_closed_finishes() {
    let Some(aws) = Faulty::start("blog", Faults::default()) else {
        return;
    };
    let mut run = aws.spawn_stderr(&["apply", "--auto-approve"]);
    drop(run.stderr.take());
    let status = run.wait().expect("berth ends");
    assert_eq!(status.code(), Some(0));
    assert_eq!(aws.lock().trim(), "");
    aws.assert_converged(BLOG);
}

/// `berth unlock --force` during a run: the run never learnt it unless it
/// lasted to a heartbeat (30 s), and kept writing beside whoever took the
/// lock. Now it checks the lock before its first change, and says at its
/// end that the lock was taken.
#[test]
fn a_run_whose_lock_is_taken_by_force_says_so() {
    let faults = Faults {
        latency: Duration::from_millis(100),
        ..Faults::default()
    };
    let Some(aws) = Faulty::start("blog", faults) else {
        return;
    };
    let run = aws.spawn_stderr(&["apply", "--auto-approve"]);
    aws.wait_for_lock();
    let out = aws.direct(&["unlock", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run.wait_with_output().expect("berth ends");
    let err = stderr(&out);
    let before = err.contains("was released by someone else (`berth unlock --force`) while this run waited");
    let during = err.contains("was released by someone else during this run");
    assert!(before || during, "{err}");
    if before {
        assert_eq!(out.status.code(), Some(1), "{err}");
    }
    assert_eq!(aws.lock().trim(), "", "nothing holds it now");
    let out = aws.direct(&["apply", "--auto-approve"]);
    assert!(out.status.success(), "{}", stderr(&out));
    aws.assert_converged(BLOG);
}
