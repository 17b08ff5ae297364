//! A service's stack letting its tasks reach a platform stack's database
//! group with a `security_group_rule` (Terraform's
//! `aws_security_group_rule`) on the group a `data security_group` finds:
//! the group's plans and updates leave the rule alone, the rule's stack
//! plans it clean, deletes it once its block is gone, and destroys it, on
//! the local cloud and through the SDK against moto.

mod common;

use common::Cloud;

const PLATFORM: &str = r#"
stack "platform" { region = "us-east-1" }

vpc main { cidr = "10.0.0.0/16" }

security_group db {
  vpc         = vpc.main
  description = "database"
  ingress {
    port = 5432
    cidr = "10.0.9.0/24"
  }
}
"#;

const API: &str = r#"
stack "api" { region = "us-east-1" }

data vpc platform {
  stack   = "platform"
  address = "vpc.main"
}
data security_group db {
  stack   = "platform"
  address = "security_group.db"
}

security_group api {
  vpc         = data.vpc.platform
  description = "api tasks"
}

security_group_rule api_to_db {
  security_group = data.security_group.db
  type           = "ingress"
  port           = 5432
  from           = security_group.api
}
"#;

#[test]
fn a_rule_of_its_own_on_another_stacks_group_is_left_alone_by_the_groups_plans() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let shared = tmp.path().join("cloud.json");
        let (platform, api) = (tmp.path().join("platform"), tmp.path().join("api"));
        for (dir, text) in [(&platform, PLATFORM), (&api, API)] {
            std::fs::create_dir(dir).expect("stack dir");
            std::fs::write(dir.join("main.berth"), text).expect("write the stack");
        }
        let on_platform = |args: &[&str]| cloud.berth_sharing(&shared, &platform, args);
        let on_api = |args: &[&str]| cloud.berth_sharing(&shared, &api, args);
        let clean = |run: common::Run, what: &str| {
            assert_eq!(run.code, Some(0), "{what} should plan no change:\n{}", run.all());
        };
        on_platform(&["apply", "--auto-approve"]).expect_code(0);
        on_api(&["apply", "--auto-approve"]).expect_code(0);
        clean(on_api(&["plan", "--detailed-exitcode"]), "the api stack");
        clean(
            on_platform(&["plan", "--detailed-exitcode"]),
            "the platform, whose group holds the api's rule",
        );

        // The platform changes its group's rules: the api's rule stays.
        std::fs::write(
            platform.join("main.berth"),
            PLATFORM.replace("10.0.9.0/24", "10.0.8.0/24"),
        )
        .expect("edit the platform");
        on_platform(&["apply", "--auto-approve"]).expect_code(0);
        clean(
            on_platform(&["plan", "--detailed-exitcode"]),
            "the platform's new rule",
        );
        clean(
            on_api(&["plan", "--detailed-exitcode"]),
            "the api after the platform's change",
        );

        // The rule's block deleted: the next plan finds the rule and
        // deletes it.
        let without_rule = API
            .split("security_group_rule api_to_db")
            .next()
            .unwrap_or_default();
        std::fs::write(api.join("main.berth"), without_rule).expect("delete the rule");
        let plan = on_api(&["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(2), "{}", plan.all());
        assert!(
            plan.stdout
                .contains("# security_group_rule.api_to_db will be destroyed"),
            "{}",
            plan.stdout
        );
        on_api(&["apply", "--auto-approve"]).expect_code(0);
        clean(
            on_api(&["plan", "--detailed-exitcode"]),
            "the api without its rule",
        );
        clean(
            on_platform(&["plan", "--detailed-exitcode"]),
            "the platform after the rule left",
        );

        on_api(&["destroy", "--auto-approve"]).expect_code(0);
        on_platform(&["destroy", "--auto-approve"]).expect_code(0);
    }
}
