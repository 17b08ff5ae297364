//! S3 buckets end to end on both clouds: a bucket whose policy names its
//! own ARN applied in one go, versioning that S3 can only suspend refused
//! with the call and what to write, and a bucket renamed (a new name is a
//! new bucket, made before the old one goes, its policy naming itself).

mod common;

use common::Cloud;

const STACK: &str = r#"
stack "buckets" { region = "us-east-1" }

s3_bucket logs {
  force_destroy = true
  versioning    = "Enabled"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TlsOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${s3_bucket.logs.arn}", "${s3_bucket.logs.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  lifecycle_rule expire {
    expiration_days = 90
  }
}
"#;

#[test]
fn versioning_once_on_is_suspended_not_turned_off_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "a bucket whose policy names itself");
        std::fs::write(
            dir.join("main.berth"),
            STACK.replace("\"Enabled\"", "\"Disabled\""),
        )
        .expect("write");
        let refused = cloud.berth(dir, &["apply", "--auto-approve"]);
        assert_ne!(refused.code, Some(0), "{}", refused.all());
        assert!(
            refused.all().contains("PutBucketVersioning") && refused.all().contains("Suspended"),
            "the refusal names the call and what to write:\n{}",
            refused.all()
        );
        let suspended = STACK.replace("\"Enabled\"", "\"Suspended\"");
        cloud.apply_clean(dir, &suspended, "versioning suspended");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

#[test]
fn a_renamed_bucket_is_made_before_the_old_one_goes_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        let named = |name: &str| {
            STACK.replace(
                "force_destroy = true",
                &format!("force_destroy = true\n  name = \"{name}\""),
            )
        };
        cloud.apply_clean(dir, &named("berth-test-logs-one"), "a named bucket");
        std::fs::write(dir.join("main.berth"), named("berth-test-logs-two")).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        let line = "# s3_bucket.logs must be replaced (create before destroy)";
        assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
        // The successor's policy names the successor, not the old bucket.
        assert!(
            plan.stdout.contains("(known after apply)") && plan.stdout.contains("- Resource"),
            "the policy's own ARN is the new bucket's:\n{}",
            plan.stdout
        );
        cloud.converges(dir, "the renamed bucket");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
