//! Children of parents berth does not own: a listener on another stack's
//! load balancer (given by ARN) and a service in another stack's cluster
//! (given by name). They are found again by the next plan (no change, no
//! second copy), and destroy removes them without touching the parents, on
//! the local cloud and through the SDK against moto.

mod common;

use std::path::{Path, PathBuf};

use common::{Cloud, Run};
use serde_json::Value;

/// Both stacks in one temp dir; on the local cloud they share one cloud
/// file, as two stacks share one AWS account.
struct Stacks {
    _tmp: tempfile::TempDir,
    shared: PathBuf,
    app: PathBuf,
    cloud_file: String,
}

fn stacks() -> Stacks {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/external");
    let tmp = tempfile::tempdir().expect("temp dir");
    let copy = |name: &str| {
        let dir = tmp.path().join(name);
        std::fs::create_dir(&dir).expect("stack dir");
        std::fs::copy(src.join(name).join("main.berth"), dir.join("main.berth")).expect("copy");
        dir
    };
    let (shared, app) = (copy("shared"), copy("app"));
    let cloud_file = tmp.path().join("cloud.json").display().to_string();
    Stacks {
        _tmp: tmp,
        shared,
        app,
        cloud_file,
    }
}

impl Stacks {
    fn berth(&self, cloud: &Cloud, dir: &Path, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        if matches!(cloud, Cloud::Local) {
            all.extend(["--local-state", &self.cloud_file]);
        }
        cloud.berth(dir, &all)
    }
}

fn no_changes(run: &Run, what: &str) {
    assert_eq!(run.code, Some(0), "{what} should plan no change:\n{}", run.all());
}

#[test]
fn children_of_external_parents_are_found_and_destroyed() {
    for cloud in Cloud::both() {
        let s = stacks();
        s.berth(&cloud, &s.shared, &["apply", "--auto-approve"])
            .expect_code(0);
        let out = s.berth(&cloud, &s.shared, &["output", "--format", "json"]);
        out.expect_code(0);
        let outputs: Value = serde_json::from_str(&out.stdout).expect("output JSON");
        let vars: Vec<String> = ["vpc", "subnet_a", "subnet_b", "load_balancer", "cluster"]
            .iter()
            .map(|name| {
                let value = outputs["outputs"][name]["value"].as_str().unwrap_or_default();
                assert!(!value.is_empty(), "output {name}: {outputs}");
                format!("{name}={value}")
            })
            .collect();
        assert!(!vars[4].contains("arn:"), "the cluster goes by name: {}", vars[4]);
        let with_vars = |args: &[&str]| -> Vec<String> {
            let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
            for v in &vars {
                all.extend(["--var".to_owned(), v.clone()]);
            }
            all
        };
        let run = |args: &[&str]| {
            let all = with_vars(args);
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            s.berth(&cloud, &s.app, &all)
        };

        run(&["apply", "--auto-approve"]).expect_code(0);
        no_changes(&run(&["plan", "--detailed-exitcode"]), "the app stack");
        run(&["destroy", "--auto-approve"]).expect_code(0);
        let after = run(&["plan", "--format", "json"]);
        after.expect_code(0);
        let plan: Value = serde_json::from_str(&after.stdout).expect("plan JSON");
        let actions = common::json_actions(&plan);
        assert!(
            actions.values().all(|(action, _)| action == "create"),
            "destroy left something: {actions:?}"
        );
        no_changes(
            &s.berth(&cloud, &s.shared, &["plan", "--detailed-exitcode"]),
            "the shared stack, untouched",
        );
        s.berth(&cloud, &s.shared, &["destroy", "--auto-approve"])
            .expect_code(0);
    }
}
