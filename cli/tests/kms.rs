//! KMS keys end to end on both clouds: a log group encrypted with a key
//! of the stack, the key's alias, a destroy then an apply that restores
//! the same key (what it encrypted stays readable), and a replacement that
//! moves the alias (and what the key encrypts) to the new key.

mod common;

use common::Cloud;
use serde_json::Value;

const STACK: &str = r#"
stack "vault" { region = "us-east-1" }

data caller_identity me {}

kms_key logs {
  description          = "the app's logs"
  deletion_window_days = 7
  rotation             = true
  aliases              = ["alias/vault-logs"]
  # CloudWatch Logs encrypts with the key only if its policy says so.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.caller_identity.me.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Effect    = "Allow"
        Principal = { Service = "logs.us-east-1.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
      },
    ]
  })
}

log_group app {
  retention_days = 14
  kms_key        = kms_key.logs
}

secret app {
  value                = "s3cr3t"
  kms_key              = kms_key.logs
  recovery_window_days = 0
}

output key { value = kms_key.logs.key_id }
output arn { value = kms_key.logs.arn }
"#;

/// The stack's outputs `key` and `arn`.
fn key_of(cloud: &Cloud, dir: &std::path::Path) -> (String, String) {
    let out = cloud.berth(dir, &["output", "--format", "json"]);
    out.expect_code(0);
    let parsed: Value = serde_json::from_str(&out.stdout).expect("json");
    let value = |name: &str| {
        parsed["outputs"][name]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("output {name} in {parsed}"))
            .to_owned()
    };
    (value("key"), value("arn"))
}

/// What KMS holds for the alias on moto: the key it names and that key's
/// state.
fn alias_on_moto(cloud: &Cloud) -> Option<(String, String)> {
    let Cloud::Aws(moto) = cloud else {
        return None;
    };
    let out = moto.python(
        "import boto3\n\
         kms=boto3.client('kms')\n\
         a=[a for a in kms.list_aliases()['Aliases'] if a['AliasName']=='alias/vault-logs'][0]\n\
         k=kms.describe_key(KeyId=a['TargetKeyId'])['KeyMetadata']\n\
         print(a['TargetKeyId'], k['KeyState'])\n",
    );
    let mut parts = out.split_whitespace().map(str::to_owned);
    Some((parts.next()?, parts.next()?))
}

#[test]
fn a_destroyed_key_is_restored_and_a_replaced_one_hands_over_its_alias() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "the first apply");
        let (first, arn) = key_of(&cloud, dir);
        assert!(
            arn.starts_with("arn:aws:kms:us-east-1:") && arn.ends_with(&first),
            "{arn}"
        );
        if let Some((target, state)) = alias_on_moto(&cloud) {
            assert_eq!((target.as_str(), state.as_str()), (first.as_str(), "Enabled"));
        }

        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        assert!(
            plan.stdout.contains("# kms_key.logs will be created"),
            "{}",
            plan.stdout
        );
        cloud.converges(dir, "the apply after destroy");
        let (restored, _) = key_of(&cloud, dir);
        assert_eq!(restored, first, "the key scheduled for deletion is restored");

        // A multi-Region key is another key: the successor takes the
        // alias, and the secret moves to it before the old key goes. (The
        // log group stays on the old key: moto has no AssociateKmsKey.)
        let replaced = STACK
            .replace(
                "deletion_window_days = 7",
                "deletion_window_days = 7\n  multi_region         = true",
            )
            .replace(
                "  kms_key        = kms_key.logs\n",
                "  kms_key        = \"PLACEHOLDER\"\n",
            );
        let replaced = replaced.replace("PLACEHOLDER", &arn);
        std::fs::write(dir.join("main.berth"), &replaced).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        assert!(
            plan.stdout.contains("# kms_key.logs must be replaced"),
            "{}",
            plan.stdout
        );
        let apply = cloud.berth(dir, &["apply", "--auto-approve"]);
        apply.expect_code(0);
        let at = |line: &str| {
            apply
                .stderr
                .find(line)
                .unwrap_or_else(|| panic!("no {line:?} in:\n{}", apply.stderr))
        };
        assert!(
            at("secret.app: Modifications complete") < at("kms_key.logs: Destroying..."),
            "the old key goes once nothing names it:\n{}",
            apply.stderr
        );
        let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "{}", plan.all());
        let (successor, _) = key_of(&cloud, dir);
        assert_ne!(successor, first);
        if let Some((target, state)) = alias_on_moto(&cloud) {
            assert_eq!((target.as_str(), state.as_str()), (successor.as_str(), "Enabled"));
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

const PLATFORM: &str = r#"
stack "platform" { region = "us-east-1" }

kms_key shared {
  description = "the platform's secrets"
  aliases     = ["alias/platform-shared"]
}

output key { value = kms_key.shared.key_id }
"#;

const APP: &str = r#"
stack "app" { region = "us-east-1" }

data kms_key shared { id = "alias/platform-shared" }

# Terraform's names (key_id, key_manager), and an AWS managed key by its alias.
data kms_key managed { key_id = "alias/aws/secretsmanager" }

# Terraform's lookup by alias, as task role policies read it.
data "aws_kms_alias" "shared" { name = "alias/platform-shared" }

secret db {
  value                = "s3cr3t"
  kms_key              = data.kms_key.shared
  recovery_window_days = 0
}

secret api {
  value                = "t0k3n"
  kms_key              = data.kms_key.managed.arn
  recovery_window_days = 0
}

output shared { value = data.kms_key.shared.id }
output spec { value = data.kms_key.shared.spec }
output manager { value = data.kms_key.managed.key_manager }
output by_alias { value = data.aws_kms_alias.shared.target_key_id }
output alias_arn { value = data.aws_kms_alias.shared.target_key_arn == data.kms_key.shared.arn }
"#;

#[test]
fn keys_another_stack_or_aws_manages_are_looked_up_by_alias_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (platform, app) = (tmp.path().join("platform"), tmp.path().join("app"));
        for (dir, text) in [(&platform, PLATFORM), (&app, APP)] {
            std::fs::create_dir(dir).expect("dir");
            std::fs::write(dir.join("main.berth"), text).expect("write");
        }
        // On the local cloud both stacks live in the platform's account.
        let state = platform.join(".berth/local-cloud.json");
        let state = state.to_str().expect("a UTF-8 path").to_owned();
        let run = |dir: &std::path::Path, args: &[&str]| {
            let mut all = vec!["--local-state", state.as_str()];
            all.extend_from_slice(args);
            cloud.berth(dir, &all)
        };
        run(&platform, &["apply", "--auto-approve"]).expect_code(0);
        let out = run(&platform, &["output", "--format", "json"]);
        out.expect_code(0);
        let key =
            serde_json::from_str::<Value>(&out.stdout).expect("json")["outputs"]["key"]["value"].clone();

        run(&app, &["apply", "--auto-approve"]).expect_code(0);
        let plan = run(&app, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "{}", plan.all());
        let out = run(&app, &["output", "--format", "json"]);
        out.expect_code(0);
        let outputs = serde_json::from_str::<Value>(&out.stdout).expect("json")["outputs"].clone();
        assert_eq!(outputs["shared"]["value"], key);
        assert_eq!(outputs["spec"]["value"], "SYMMETRIC_DEFAULT");
        assert_eq!(outputs["by_alias"]["value"], key);
        assert_eq!(outputs["alias_arn"]["value"], true);
        // moto makes the AWS managed key its alias names, but answers
        // KeyManager CUSTOMER for it, where AWS answers AWS.
        let manager = if matches!(cloud, Cloud::Aws(_)) {
            "CUSTOMER"
        } else {
            "AWS"
        };
        assert_eq!(outputs["manager"]["value"], manager);

        run(&app, &["destroy", "--auto-approve"]).expect_code(0);
        run(&platform, &["destroy", "--auto-approve"]).expect_code(0);
        // Gone (pending deletion), the key is no match.
        let plan = run(&app, &["plan"]);
        assert_eq!(plan.code, Some(1), "{}", plan.all());
        assert!(
            plan.all().contains("no match") || plan.all().contains("E0596"),
            "{}",
            plan.all()
        );
    }
}
