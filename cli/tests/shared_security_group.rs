//! A service's stack letting its tasks reach a platform stack's database
//! group with a `security_group_rule` (Terraform's
//! `aws_security_group_rule`) on the group a `data security_group` finds:
//! the group's plans and updates leave the rule alone, the rule's stack
//! plans it clean, deletes it once its block is gone, and destroys it, on
//! the local cloud and through the SDK against moto.

mod common;

use common::{Cloud, TwoStacks, no_change};

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
  description    = "api tasks to the database"
}
"#;

/// The rule has a description and a group source: on moto, whose
/// DescribeSecurityGroupRules leaves that description out, it was read from
/// the stack's own groups only, so a rule on another stack's group planned
/// a replacement after every apply (lakerunner's service templates).
#[test]
fn a_rule_of_its_own_on_another_stacks_group_is_left_alone_by_the_groups_plans() {
    for cloud in Cloud::both() {
        let s = TwoStacks::new(PLATFORM, API);
        let platform = |args: &[&str]| s.on_platform(&cloud, args);
        let api = |args: &[&str]| s.on_service(&cloud, args);
        platform(&["apply", "--auto-approve"]).expect_code(0);
        api(&["apply", "--auto-approve"]).expect_code(0);
        no_change(&api(&["plan", "--detailed-exitcode"]), "the api stack");
        no_change(
            &platform(&["plan", "--detailed-exitcode"]),
            "the platform, whose group holds the api's rule",
        );

        // The platform changes its group's rules: the api's rule stays.
        std::fs::write(
            s.platform.join("main.berth"),
            PLATFORM.replace("10.0.9.0/24", "10.0.8.0/24"),
        )
        .expect("edit the platform");
        platform(&["apply", "--auto-approve"]).expect_code(0);
        no_change(
            &platform(&["plan", "--detailed-exitcode"]),
            "the platform's new rule",
        );
        no_change(
            &api(&["plan", "--detailed-exitcode"]),
            "the api after the platform's change",
        );

        let without_rule = API
            .split("security_group_rule api_to_db")
            .next()
            .unwrap_or_default();
        s.deleting_the_block_deletes(&cloud, without_rule, "security_group_rule.api_to_db");

        api(&["destroy", "--auto-approve"]).expect_code(0);
        platform(&["destroy", "--auto-approve"]).expect_code(0);
    }
}
