//! `moved { from  to }`: a renamed block keeps its live resource. The plan
//! says it moves (and what else changes), apply tags it with its new
//! address, and the next plan is clean, with or without the `moved`
//! block; on the local cloud and through the SDK against moto.

mod common;

use common::Cloud;

const BEFORE: &str = r#"
stack "moves" { region = "us-east-1" }
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
log_group app { retention_days = 7 }
"#;

const AFTER: &str = r#"
stack "moves" { region = "us-east-1" }
vpc main { cidr = "10.0.0.0/16" }
subnet public {
  for_each = { a = "10.0.1.0/24" }
  vpc      = vpc.main
  cidr     = each.value
  zone     = "us-east-1${each.key}"
}
log_group api { retention_days = 14 }
"#;

const MOVES: &str = r#"
moved {
  from = subnet.a
  to   = subnet.public["a"]
}
moved {
  from = log_group.app
  to   = log_group.api
}
"#;

#[test]
fn a_moved_block_keeps_the_live_resource_under_its_new_address() {
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        cloud.apply_clean(dir.path(), BEFORE, "the first apply");

        std::fs::write(dir.path().join("main.berth"), format!("{AFTER}{MOVES}")).expect("write");
        let plan = cloud.berth(dir.path(), &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(2), "{}", plan.all());
        for line in [
            "# subnet.public[\"a\"] has moved from subnet.a",
            "# log_group.api will be updated in place (moved from log_group.app)",
            "Plan: 0 to add, 1 to change, 0 to destroy, 2 to move.",
        ] {
            assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
        }
        let json = common::json_plan(&cloud.berth(dir.path(), &["plan", "--format", "json"]));
        assert_eq!(
            common::json_change(&json, "subnet.public[\"a\"]")["moved_from"],
            "subnet.a"
        );

        let apply = cloud.berth(dir.path(), &["apply", "--auto-approve"]);
        apply.expect_code(0);
        assert!(
            apply
                .stderr
                .contains("Resources: 0 added, 1 changed, 0 destroyed, 2 moved."),
            "{}",
            apply.all()
        );
        let clean = cloud.berth(dir.path(), &["plan", "--detailed-exitcode"]);
        assert_eq!(clean.code, Some(0), "not clean after the move:\n{}", clean.all());

        // The moves are done: the blocks may go.
        std::fs::write(dir.path().join("main.berth"), AFTER).expect("write");
        let clean = cloud.berth(dir.path(), &["plan", "--detailed-exitcode"]);
        assert_eq!(
            clean.code,
            Some(0),
            "not clean without the moved blocks:\n{}",
            clean.all()
        );
        cloud
            .berth(dir.path(), &["destroy", "--auto-approve"])
            .expect_code(0);
    }
}

/// What `validate` refuses: a move to a block nobody declares, from one
/// still declared, and of another kind.
#[test]
fn a_moved_block_names_declared_blocks_of_one_kind() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (moved, message) in [
        (
            "moved {\n  from = log_group.old\n  to   = log_group.nowhere\n}\n",
            "`log_group.nowhere` is not declared",
        ),
        (
            "moved {\n  from = vpc.main\n  to   = log_group.api\n}\n",
            "cannot move a vpc to a log_group",
        ),
        (
            "moved {\n  from = subnet.public\n  to   = log_group.api\n}\n",
            "cannot move a subnet to a log_group",
        ),
        (
            "moved {\n  from = log_group.api\n  to   = log_group.api\n}\nlog_group other {}\nmoved {\n  from = log_group.other\n  to   = log_group.api\n}\n",
            "`log_group.other` is still declared",
        ),
    ] {
        std::fs::write(dir.path().join("main.berth"), format!("{AFTER}{moved}")).expect("write");
        let run = Cloud::Local.berth(dir.path(), &["validate"]);
        run.expect_code(1);
        assert!(
            run.stderr.contains("E0331") && run.stderr.contains(message),
            "{}",
            run.stderr
        );
    }
}
