//! VPC flow logs end to end on both clouds: a flow log replaced in EC2's
//! order (after its predecessor when both would log one resource to one
//! destination, before it when the destination moves) and the plans in
//! between.

mod common;

use common::Cloud;

const STACK: &str = r#"
stack "flows" { region = "us-east-1" }

vpc main { cidr = "10.0.0.0/16" }

log_group flow { retention_days = 7 }
log_group audit { retention_days = 30 }

role flow_logs { assume = "vpc-flow-logs.amazonaws.com" }

flow_log main {
  vpc          = vpc.main
  traffic_type = "ALL"
  log_group    = log_group.flow
  iam_role     = role.flow_logs
}
"#;

/// The plan's line for the flow log, and the apply after it.
fn replaced(cloud: &Cloud, dir: &std::path::Path, text: &str, order: &str) {
    std::fs::write(dir.join("main.berth"), text).expect("write");
    let plan = cloud.berth(dir, &["plan"]);
    plan.expect_code(0);
    let line = format!("# flow_log.main must be replaced ({order})");
    assert!(plan.stdout.contains(&line), "no `{line}` in:\n{}", plan.stdout);
    cloud.converges(dir, order);
}

#[test]
fn a_flow_log_is_replaced_in_the_order_ec2_allows_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "the first apply");
        // Rejected traffic only, to the same group: EC2 holds one flow log
        // of the VPC to the group, so the old one goes first.
        let rejects = STACK.replace("\"ALL\"", "\"REJECT\"");
        replaced(&cloud, dir, &rejects, "destroy before create");
        // Another group: the successor is made first.
        let audit = rejects.replace("log_group.flow\n", "log_group.audit\n");
        replaced(&cloud, dir, &audit, "create before destroy");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
