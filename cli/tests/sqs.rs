//! SQS queues end to end on both clouds: a worker's queue and its
//! dead-letter queue changed in place (timeouts, the redrive policy
//! removed, encryption moved from a KMS key back to SQS's own keys), and a
//! queue made FIFO (a new queue under a new name, made before the old one
//! goes, what reads its URL following it); and a topic delivering to a
//! queue whose policy names the topic, the two referring to each other,
//! made together or the topic added to a live queue.

mod common;

use common::Cloud;

const STACK: &str = r#"
stack "queues" { region = "us-east-1" }

sqs_queue dead_letters {
  message_retention = 1209600
}

sqs_queue jobs {
  visibility_timeout = 60
  kms_key            = "alias/aws/sqs"
  dead_letter_queue  = sqs_queue.dead_letters.arn
  max_receive_count  = 5
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OwnerSends"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action    = "sqs:SendMessage"
      Resource  = sqs_queue.jobs.arn
    }]
  })
}

ssm_parameter jobs_url {
  type  = "String"
  value = sqs_queue.jobs
}
"#;

#[test]
fn a_queue_changes_in_place_and_loses_its_redrive_policy_and_kms_key_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "a queue with a dead-letter queue and a KMS key");
        let changed = STACK
            .replace("visibility_timeout = 60", "visibility_timeout = 300")
            .replace(
                "  dead_letter_queue  = sqs_queue.dead_letters.arn\n  max_receive_count  = 5\n",
                "",
            )
            .replace("  kms_key            = \"alias/aws/sqs\"\n", "");
        std::fs::write(dir.join("main.berth"), &changed).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        for line in [
            "# sqs_queue.jobs will be updated in place",
            "~ visibility_timeout = 60 -> 300",
            "~ kms_key            = \"alias/aws/sqs\" -> null",
            "~ max_receive_count  = 5 -> null",
        ] {
            assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
        }
        cloud.converges(dir, "the queue changed in place");
        // Without a KMS key the queue is encrypted by SQS's own keys, as a
        // new queue would be, not left unencrypted: saying so changes nothing.
        let said = changed.replace(
            "visibility_timeout = 300",
            "visibility_timeout = 300\n  sqs_managed_sse    = true",
        );
        std::fs::write(dir.join("main.berth"), said).expect("write");
        let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(
            plan.code,
            Some(0),
            "SQS's own encryption after the KMS key went:\n{}",
            plan.all()
        );
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

#[test]
fn a_queue_made_fifo_is_a_new_queue_made_before_the_old_one_goes_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "a standard queue");
        let fifo = STACK
            .replace(
                "sqs_queue dead_letters {",
                "sqs_queue dead_letters {\n  fifo = true",
            )
            .replace("sqs_queue jobs {", "sqs_queue jobs {\n  fifo = true");
        std::fs::write(dir.join("main.berth"), &fifo).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        for line in [
            "# sqs_queue.jobs must be replaced (create before destroy)",
            "# sqs_queue.dead_letters must be replaced (create before destroy)",
            "# ssm_parameter.jobs_url will be updated in place",
        ] {
            assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
        }
        cloud.converges(dir, "the queues made FIFO");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// The queue lets the topic send (its policy names the topic's ARN) and
/// the topic subscribes the queue (its subscription names the queue's
/// ARN): each refers to the other, as Terraform's separate policy and
/// subscription resources do. The queue is made first, without its
/// policy; the topic, then the policy.
const FAN_OUT: &str = r#"
sns_topic orders {}

sns_topic_subscription orders {
  topic_arn = sns_topic.orders.arn
  protocol  = "sqs"
  endpoint  = sqs_queue.orders.arn
}

sqs_queue_policy orders {
  queue_url = sqs_queue.orders.url
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = sqs_queue.orders.arn
      Condition = { ArnEquals = { "aws:SourceArn" = sns_topic.orders.arn } }
    }]
  })
}
"#;

const QUEUE: &str = r#"
stack "fanout" { region = "us-east-1" }

sqs_queue orders {
  visibility_timeout = 60
}
"#;

/// The live queue's policy names the live topic: without the policy in the
/// configuration, the plan takes that policy off.
fn assert_policy_names_the_topic(cloud: &Cloud, dir: &std::path::Path) {
    let policy = FAN_OUT.find("sqs_queue_policy").expect("the policy block");
    std::fs::write(dir.join("main.berth"), format!("{QUEUE}{}", &FAN_OUT[..policy])).expect("write");
    let plan = cloud.berth(dir, &["plan"]);
    plan.expect_code(0);
    let topic = "\"aws:SourceArn\" = \"arn:aws:sns:us-east-1:123456789012:fanout-orders\"";
    assert!(plan.stdout.contains(topic), "no `{topic}` in:\n{}", plan.stdout);
}

#[test]
fn a_topic_and_the_queue_whose_policy_names_it_are_made_together_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(
            dir,
            &format!("{QUEUE}{FAN_OUT}"),
            "a topic and its queue made together",
        );
        assert_policy_names_the_topic(&cloud, dir);
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

#[test]
fn a_topic_added_to_a_live_queue_whose_policy_names_it_is_made_before_the_policy_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, QUEUE, "a queue alone");
        cloud.apply_clean(dir, &format!("{QUEUE}{FAN_OUT}"), "the topic added");
        assert_policy_names_the_topic(&cloud, dir);
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
