//! Faults injected through the local cloud's `faults` list: a failing call,
//! throttling, a killed apply. The next apply converges; nothing is lost or
//! duplicated.

mod common;

use std::time::Duration;

use common::{addresses, assert_no_duplicates, example, json_plan, poll, read_cloud};
use serde_json::json;

#[test]
fn a_failed_create_stops_only_its_dependents_and_the_next_apply_finishes() {
    let p = example("blog");
    p.add_faults(&[json!({
        "op": "create", "address": "task_definition.login",
        "code": "ClientException", "class": "permanent"
    })]);
    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(1);
    let err = &run.stderr;
    assert!(
        err.contains("Apply failed. Done: 14 added, 0 changed, 0 destroyed."),
        "{err}"
    );
    assert!(
        err.contains("  error: task_definition.login: RegisterTaskDefinition failed: ClientException: "),
        "names the address, the API call and the code:\n{err}"
    );
    assert!(
        err.contains("  skipped: service.login (depends on task_definition.login, which failed)"),
        "{err}"
    );
    assert!(err.contains("`berth apply` finishes the job"), "{err}");
    let owned = addresses(&p.cloud(), "blog-dev");
    assert_eq!(owned.len(), 14, "everything else was created: {owned:?}");
    assert!(!owned.contains_key("task_definition.login") && !owned.contains_key("service.login"));

    // While the fault is there, the plan says what remains.
    let run = p.berth(&["plan", "--detailed-exitcode"]);
    run.expect_code(2);
    assert!(
        run.stdout.contains("Plan: 2 to add, 0 to change, 0 to destroy."),
        "{}",
        run.stdout
    );

    p.clear_faults();
    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert!(
        run.stderr
            .trim_end()
            .ends_with("Apply complete! Resources: 2 added, 0 changed, 0 destroyed."),
        "{}",
        run.stderr
    );
    let run = p.berth(&["plan", "--detailed-exitcode"]);
    run.expect_code(0);
    let cloud = p.cloud();
    assert_no_duplicates(&cloud, "blog-dev");
    assert_eq!(addresses(&cloud, "blog-dev").len(), 16);
}

/// The provider retries throttling and `--stats` counts it, per call and
/// in total; the executor never runs the create again.
/// A destroy that fails half-way says to destroy again: its advice was
/// `berth apply`, which makes again what the destroy already deleted.
#[test]
fn a_failed_destroy_says_to_destroy_again() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.add_faults(&[json!({
        "op": "delete", "address": "service.login",
        "code": "ServerException", "class": "permanent"
    })]);
    let run = p.berth(&["destroy", "--auto-approve"]);
    run.expect_code(1);
    assert!(run.stderr.contains("Destroy failed."), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Run `berth destroy` again to finish the job."),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("berth apply"), "{}", run.stderr);
    p.clear_faults();
    p.berth(&["destroy", "--auto-approve"]).expect_code(0);
    assert!(addresses(&p.cloud(), "blog-dev").is_empty());
}

#[test]
fn throttling_is_retried_and_counted() {
    let p = example("blog");
    p.add_faults(&[json!({
        "op": "create", "address": "cluster.blog",
        "code": "ThrottlingException", "class": "throttling", "times": 2
    })]);
    let run = p.berth(&["apply", "--auto-approve", "--stats"]);
    run.expect_code(0);
    let err = &run.stderr;
    assert!(err.lines().any(|l| l == "Retries: 2"), "{err}");
    assert!(err.lines().any(|l| l == "Throttles: 2"), "{err}");
    let line = err
        .lines()
        .find(|l| l.trim_start().starts_with("CreateCluster "))
        .unwrap_or_else(|| panic!("no CreateCluster line:\n{err}"));
    assert_eq!(
        line.split_whitespace().collect::<Vec<_>>(),
        ["CreateCluster", "3", "2", "2"]
    );
    assert!(err.contains("API calls: "), "{err}");
    assert!(
        err.contains("Apply complete! Resources: 16 added, 0 changed, 0 destroyed."),
        "{err}"
    );
    // The fault is spent and stays in the file with times 0.
    assert_eq!(p.cloud()["faults"][0]["times"], 0);
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
    assert_no_duplicates(&p.cloud(), "blog-dev");
}

/// Creates whose answer is lost after they took effect: each is looked for
/// by its address tag and taken as found; the apply succeeds and no
/// address exists twice.
#[test]
fn lost_answers_are_recovered_without_duplicates() {
    let p = example("blog");
    p.add_faults(&[json!({
        "op": "create", "code": "RequestTimeout", "class": "lost", "times": 5
    })]);
    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("no answer: looking for what it did"),
        "{}",
        run.stderr
    );
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
    let cloud = p.cloud();
    assert_no_duplicates(&cloud, "blog-dev");
    assert_eq!(addresses(&cloud, "blog-dev").len(), 16);
}

#[test]
fn a_transient_error_on_update_is_retried() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.add_faults(&[json!({
        "op": "update", "kind": "service",
        "code": "ServerException", "class": "transient", "times": 1
    })]);
    p.edit("main.berth", "desired_count   = 3", "desired_count   = 4");
    let run = p.berth(&["apply", "--auto-approve", "--stats"]);
    run.expect_code(0);
    assert!(run.stderr.lines().any(|l| l == "Retries: 1"), "{}", run.stderr);
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}

#[test]
fn a_failing_read_fails_the_plan_clearly() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.add_faults(&[json!({
        "op": "read", "code": "UnauthorizedOperation", "class": "permanent"
    })]);
    let run = p.berth(&["plan", "--detailed-exitcode"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("cannot read the live resources of stack \"blog-dev\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("UnauthorizedOperation"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no plan on a failed read: {}", run.stdout);
    p.clear_faults();
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}

#[test]
fn a_killed_apply_leaves_nothing_untracked_and_the_next_apply_finishes() {
    let p = example("blog");
    // The service is created last; its create keeps failing and being
    // retried, so the apply stalls near the end.
    p.add_faults(&[json!({
        "op": "create", "address": "service.login",
        "code": "ServerException", "class": "transient", "times": 1000
    })]);
    let mut child = p.spawn(&["apply", "--auto-approve", "--parallelism", "1"]);
    let path = p.cloud_path();
    let reached = poll(60, || {
        std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|c| addresses(&c, "blog-dev").len() >= 15)
    });
    // Let it retry at least once more before the kill.
    std::thread::sleep(Duration::from_millis(300));
    let still_running = child.try_wait().expect("try_wait").is_none();
    child.kill().expect("kill");
    let status = child.wait().expect("wait");
    assert!(reached, "the apply never got to 15 resources");
    assert!(still_running, "the apply ended on its own ({status:?})");

    let cloud = read_cloud(&path);
    let owned = addresses(&cloud, "blog-dev");
    assert_eq!(owned.len(), 15, "{owned:?}");
    assert!(!owned.contains_key("service.login"));
    p.clear_faults();

    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert!(
        run.stderr
            .trim_end()
            .ends_with("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
        "the lock did not block the second run, which finished the job:\n{}",
        run.stderr
    );
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
    let cloud = p.cloud();
    assert_no_duplicates(&cloud, "blog-dev");
    assert_eq!(addresses(&cloud, "blog-dev").len(), 16);
}

#[test]
fn a_killed_apply_at_any_point_converges() {
    // Kill after various delays: before, during and after the creates. The
    // first creates are throttled (each retried after a backoff), which
    // spreads the apply over some hundreds of milliseconds. Whatever the
    // instant, the next apply must finish the job without duplicates.
    for delay in [0, 40, 150, 400, 900] {
        let p = example("microservices");
        p.add_faults(&[json!({
            "op": "create", "code": "Throttling", "class": "throttling", "times": 6
        })]);
        let mut child = p.spawn(&["apply", "--auto-approve", "--parallelism", "3"]);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().expect("wait");
        if p.cloud_path().exists() {
            p.clear_faults();
        }
        let run = p.berth(&["apply", "--auto-approve"]);
        run.expect_code(0);
        p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
        let cloud = p.cloud();
        assert_no_duplicates(&cloud, "microservices-dev");
        assert_eq!(
            addresses(&cloud, "microservices-dev").len(),
            22,
            "killed after {delay}ms"
        );
        let leftovers: Vec<_> = std::fs::read_dir(p.path(".berth"))
            .expect(".berth")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|f| f != "local-cloud.json" && f != "local-cloud.json.lock")
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }
}

/// Two applies at once on the local cloud: the second fails naming the
/// first, as on AWS; once the first is gone, the next apply finishes.
#[test]
fn a_second_apply_on_the_local_cloud_names_the_holder() {
    let p = example("blog");
    // The service's create keeps failing and being retried: the first
    // apply holds the cloud until it is killed.
    p.add_faults(&[json!({
        "op": "create", "address": "service.login",
        "code": "ServerException", "class": "transient"
    })]);
    let mut first = p.spawn(&["apply", "--auto-approve"]);
    let lock = p.path(".berth/local-cloud.json.lock");
    let held = poll(60, || {
        std::fs::read_to_string(&lock).is_ok_and(|t| t.contains("berth apply"))
    });
    let second = p.berth(&["apply", "--auto-approve"]);
    let _ = first.kill();
    let _ = first.wait();
    assert!(held, "the first apply never recorded itself in the lock file");
    second.expect_code(1);
    assert!(
        second.stderr.contains("local-cloud.json is locked by "),
        "{}",
        second.stderr
    );
    assert!(
        second
            .stderr
            .contains(&format!("(pid {}, `berth apply`", first.id())),
        "{}",
        second.stderr
    );
    p.clear_faults();
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}

/// A replacement whose new resource cannot be made keeps the old one, and
/// says so in those words (it read as skipped because of itself).
#[test]
fn a_failed_replacement_says_the_old_resource_is_kept() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    // A new revision, made before the old one goes.
    p.edit(
        "main.berth",
        "port    = 3000\n    env     = { NODE_ENV = var.env }",
        "port    = 3000\n    env     = { NODE_ENV = var.env, LOG = \"debug\" }",
    );
    p.add_faults(&[json!({
        "op": "create", "address": "task_definition.login",
        "code": "ClientException", "class": "permanent"
    })]);
    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(1);
    let err = &run.stderr;
    assert!(
        err.contains("  kept: the old task_definition.login, until its replacement is made"),
        "{err}"
    );
    assert!(
        !err.contains("task_definition.login (depends on task_definition.login"),
        "{err}"
    );
    assert!(
        run.all()
            .contains("task_definition.login: the old one is kept because its replacement failed"),
        "{}",
        run.all()
    );
}

/// The listener's move to replaced target groups fails after their new
/// copies were made (as a kill there leaves them): the next plan keeps the
/// new copies, already as configured, moves the listener to them and
/// deletes the old ones; it used to delete the new copies and replace the
/// old ones again, making a third copy of each.
#[test]
fn a_replacement_stopped_after_its_creates_is_finished_not_redone() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    let text = p
        .read("main.berth")
        .replace("port        = 3000", "port        = 3001");
    p.write("main.berth", &text);
    p.add_faults(&[json!({
        "op": "update", "address": "listener.http",
        "code": "AccessDenied", "class": "permanent"
    })]);
    p.berth(&["apply", "--auto-approve"]).expect_code(1);
    let owned = addresses(&p.cloud(), "blog-dev");
    assert_eq!(owned["target_group.blog"], 2, "{owned:?}");
    assert_eq!(owned["target_group.login"], 2, "{owned:?}");

    p.clear_faults();
    let plan = json_plan(&p.berth(&["plan", "--format", "json"]));
    for d in common::assert_finishes_replacement(&plan, 2) {
        assert_eq!(d["duplicate"]["reason"]["used_by"], "listener.http", "{d}");
    }
    let run = p.berth(&["plan"]);
    assert!(
        run.stdout
            .contains("as configured; finishes the replacement of the copy listener.http uses"),
        "{}",
        run.stdout
    );
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
    assert_no_duplicates(&p.cloud(), "blog-dev");
}
