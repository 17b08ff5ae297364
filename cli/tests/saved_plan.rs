//! `berth plan --out FILE` and `berth apply FILE`: the saved plan is applied
//! exactly, and refused once the configuration or the cloud changed.

mod common;

use common::{Project, addresses, berth_in, example};
use serde_json::json;

/// The plan file, next to (not inside) the stack directory.
fn plan_file(p: &Project) -> String {
    p.dir
        .parent()
        .expect("tmp")
        .join("saved.plan")
        .to_str()
        .expect("utf-8")
        .to_owned()
}

const CANARY: &str = "arn:aws:ssm:us-east-1:123456789012:parameter/CANARY-s3cr3t";

/// blog, with a canary secret value.
fn blog_with_canary() -> Project {
    let p = example("blog");
    p.edit(
        "main.berth",
        "arn:aws:ssm:us-east-1:123456789012:parameter/db",
        CANARY,
    );
    p
}

#[test]
fn a_saved_plan_is_applied_exactly_once() {
    let p = blog_with_canary();
    let file = plan_file(&p);
    let run = p.berth(&["plan", "--out", &file, "--detailed-exitcode"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&format!("Saved the plan to {file}")),
        "{}",
        run.stderr
    );
    let saved = std::fs::read_to_string(&file).expect("plan file");
    assert!(
        !saved.contains("CANARY") && !saved.contains("s3cr3t"),
        "the plan file holds the secret"
    );
    assert!(saved.contains("DB_PASSWORD"), "the secret's key is kept");
    assert!(
        !p.cloud_path().exists() || addresses(&p.cloud(), "blog-dev").is_empty(),
        "plan changed nothing"
    );

    let run = p.berth(&["apply", &file]);
    run.expect_code(0);
    assert!(
        run.stderr
            .trim_end()
            .ends_with("Apply complete! Resources: 16 added, 0 changed, 0 destroyed."),
        "{}",
        run.stderr
    );
    assert_eq!(addresses(&p.cloud(), "blog-dev").len(), 16);
    let run = p.berth(&["plan", "--detailed-exitcode"]);
    run.expect_code(0);

    // Applying it again is refused: the cloud is no longer what it was.
    let before = std::fs::read_to_string(p.cloud_path()).expect("cloud");
    let run = p.berth(&["apply", &file]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("refusing to apply the saved plan"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the live state of stack \"blog-dev\" changed since the plan was made"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(p.cloud_path()).expect("cloud"),
        before,
        "nothing changed"
    );
}

#[test]
fn a_saved_plan_is_refused_after_a_configuration_change() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.edit("main.berth", "desired_count   = 3", "desired_count   = 5");
    let file = plan_file(&p);
    p.berth(&["plan", "--out", &file]).expect_code(0);
    p.edit("main.berth", "retention_days = 14", "retention_days = 30");
    let before = std::fs::read_to_string(p.cloud_path()).expect("cloud");
    let run = p.berth(&["apply", &file]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("refusing to apply the saved plan"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the configuration changed since the plan was made"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(p.cloud_path()).expect("cloud"), before);

    // Reverting the edit makes the plan good again.
    p.edit("main.berth", "retention_days = 30", "retention_days = 14");
    let run = p.berth(&["apply", &file]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("0 added, 1 changed, 0 destroyed."),
        "{}",
        run.stderr
    );
}

#[test]
fn a_saved_plan_is_refused_after_drift() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.edit("main.berth", "desired_count   = 3", "desired_count   = 5");
    let file = plan_file(&p);
    p.berth(&["plan", "--out", &file]).expect_code(0);
    // Someone changes the live cloud (not even the planned attribute).
    p.edit_cloud_resource("log_group.login", |r| r["attrs"]["retention_days"] = json!(7));
    let before = std::fs::read_to_string(p.cloud_path()).expect("cloud");
    let run = p.berth(&["apply", &file]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("refusing to apply the saved plan"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("live state of stack \"blog-dev\" changed"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(p.cloud_path()).expect("cloud"), before);
}

#[test]
fn a_saved_plan_keeps_its_variables() {
    let p = example("blog");
    let file = plan_file(&p);
    p.berth(&["plan", "--var", "env=prod", "--out", &file])
        .expect_code(0);
    let run = p.berth(&["apply", &file]);
    run.expect_code(0);
    let cloud = p.cloud();
    assert_eq!(addresses(&cloud, "blog-prod").len(), 16);
    assert!(addresses(&cloud, "blog-dev").is_empty());
    p.berth(&["plan", "--var", "env=prod", "--detailed-exitcode"])
        .expect_code(0);
}

#[test]
fn a_file_that_is_not_a_plan_is_refused() {
    let p = example("blog");
    let file = plan_file(&p);
    std::fs::write(&file, "{ \"not\": \"a plan\" }").expect("write");
    let run = p.berth(&["apply", &file]);
    run.expect_code(1);
    assert!(run.stderr.contains("is not a berth plan file"), "{}", run.stderr);
    assert!(!p.cloud_path().exists());
}

/// The plan records the stack directory as an absolute path: made from one
/// working directory with a relative DIR, it applies from another.
#[test]
fn a_saved_plan_applies_from_another_working_directory() {
    let p = example("blog");
    let tmp = p.dir.parent().expect("tmp");
    let file = plan_file(&p);
    berth_in(tmp, &["plan", "blog", "--out", &file], &[], None).expect_code(0);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("plan file")).expect("json");
    let dir = saved["dir"].as_str().expect("dir");
    assert!(std::path::Path::new(dir).is_absolute(), "{dir}");

    let elsewhere = tmp.join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    let run = berth_in(&elsewhere, &["apply", &file], &[], None);
    run.expect_code(0);
    assert_eq!(addresses(&p.cloud(), "blog-dev").len(), 16, "applied to blog/");
    assert!(
        !elsewhere.join(".berth").exists(),
        "nothing in the other directory"
    );
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}
