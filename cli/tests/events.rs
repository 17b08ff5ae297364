//! EventBridge rules end to end on both clouds: a scheduled ECS task whose
//! task definition gets a new revision (the rule's target follows it in
//! place) and which loses a target and changes its schedule in place; and
//! an event pattern written another way (JSON text instead of jsonencode,
//! keys in another order) that changes nothing.

mod common;

use common::Cloud;

const STACK: &str = r#"
stack "cron" { region = "us-east-1" }

vpc main { cidr = "10.70.0.0/16" }

subnet a {
  vpc  = vpc.main
  cidr = "10.70.1.0/24"
  zone = "us-east-1a"
}

security_group task {
  vpc = vpc.main
}

cluster jobs {}

role exec {
  assume = "ecs-tasks.amazonaws.com"
}

role events {
  assume = "events.amazonaws.com"
  policy run {
    document = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["ecs:RunTask", "iam:PassRole"], Resource = "*" }]
    })
  }
}

task_definition report {
  cpu            = 256
  memory         = 512
  execution_role = role.exec
  container app {
    image = "nginx:1"
  }
}

sns_topic alerts {}

event_rule nightly {
  schedule = "cron(0 3 * * ? *)"
  target {
    id              = "report"
    arn             = cluster.jobs.arn
    role            = role.events
    task_definition = task_definition.report
    launch_type     = "FARGATE"
    subnets         = [subnet.a]
    security_groups = [security_group.task]
    input = jsonencode({
      containerOverrides = [{ name = "app", command = ["report", "--nightly"] }]
    })
  }
  target {
    id  = "notify"
    arn = sns_topic.alerts.arn
  }
}
"#;

#[test]
fn a_scheduled_task_follows_its_task_definition_and_changes_in_place_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "a scheduled task");
        let changed = STACK
            .replace("nginx:1", "nginx:2")
            .replace("cron(0 3 * * ? *)", "rate(12 hours)")
            .replace(
                "  target {\n    id  = \"notify\"\n    arn = sns_topic.alerts.arn\n  }\n",
                "",
            );
        std::fs::write(dir.join("main.berth"), &changed).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        for line in [
            "# task_definition.report must be replaced",
            "# event_rule.nightly will be updated in place",
            "~ schedule = \"cron(0 3 * * ? *)\" -> \"rate(12 hours)\"",
        ] {
            assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
        }
        assert!(
            !plan.stdout.contains("event_rule.nightly must be replaced"),
            "{}",
            plan.stdout
        );
        // Clean afterwards: the live target runs the new revision and the
        // topic's target is gone (either left behind would show).
        cloud.converges(dir, "the new revision, schedule and targets");
        // Taking the target back is a change again: the removal was real.
        std::fs::write(dir.join("main.berth"), STACK.replace("nginx:1", "nginx:2")).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        assert!(
            plan.stdout.contains("id  = \"notify\"") || plan.stdout.contains("\"notify\""),
            "the topic's target is not planned back:\n{}",
            plan.stdout
        );
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

const PATTERN: &str = r#"
stack "watch" { region = "us-east-1" }

cluster jobs {}

sqs_queue stopped {}

event_rule task_stopped {
  state = "DISABLED"
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail        = { clusterArn = [cluster.jobs.arn], lastStatus = ["STOPPED"] }
  })
  target {
    id                     = "keep"
    arn                    = sqs_queue.stopped.arn
    input_path             = "$.detail"
    maximum_retry_attempts = 3
  }
}
"#;

#[test]
fn an_event_pattern_in_other_json_spelling_is_no_change_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, PATTERN, "a rule on stopped tasks");
        let text = PATTERN.replace(
            r#"event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail        = { clusterArn = [cluster.jobs.arn], lastStatus = ["STOPPED"] }
  })"#,
            r#"event_pattern = <<JSON
{
  "detail": { "lastStatus": ["STOPPED"], "clusterArn": ["${cluster.jobs.arn}"] },
  "detail-type": ["ECS Task State Change"],
  "source": ["aws.ecs"]
}
JSON"#,
        );
        assert_ne!(text, PATTERN);
        std::fs::write(dir.join("main.berth"), &text).expect("write");
        let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(
            plan.code,
            Some(0),
            "the same pattern spelled otherwise:\n{}",
            plan.all()
        );
        // Switched on: a change in place, and the live rule is on after it.
        std::fs::write(
            dir.join("main.berth"),
            text.replace("\"DISABLED\"", "\"ENABLED\""),
        )
        .expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        assert!(
            plan.stdout.contains("~ state") && plan.stdout.contains("\"DISABLED\" -> \"ENABLED\""),
            "{}",
            plan.stdout
        );
        cloud.converges(dir, "the rule switched on");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
