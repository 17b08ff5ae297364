//! Customer-managed policies (issue 13 §4): a managed policy attached to a
//! role applies and re-plans clean on both clouds; six document changes
//! are six new default versions of which IAM keeps five; a new
//! description replaces the policy and the role attaches the new one;
//! destroy leaves nothing. On moto boto3 checks from outside.

mod common;

use common::{Cloud, json_plan};

fn stack(action: &str, description: &str) -> String {
    format!(
        r#"
stack "mp" {{ region = "us-east-1" }}

managed_policy read {{
  description = "{description}"
  document = {{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "{action}", Resource = "arn:aws:s3:::assets/*" }}]
  }}
}}

role task {{
  name     = "mp-test-task"
  assume   = "ecs-tasks.amazonaws.com"
  policies = [managed_policy.read, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
}}
"#
    )
}

/// IAM's view: the policy's default document's action, its number of
/// versions, and the role's attached policy names.
const READ: &str = r#"
import boto3
iam = boto3.client('iam')
ps = iam.list_policies(Scope='Local', PathPrefix='/berth/')['Policies']
for p in ps:
    v = iam.get_policy_version(PolicyArn=p['Arn'], VersionId=p['DefaultVersionId'])['PolicyVersion']
    n = len(iam.list_policy_versions(PolicyArn=p['Arn'])['Versions'])
    print(p['PolicyName'], v['Document']['Statement'][0]['Action'], n)
print(sorted(a['PolicyName'] for a in iam.list_attached_role_policies(RoleName='mp-test-task')['AttachedPolicies']))
"#;

const LEFT: &str = r#"
import boto3
iam = boto3.client('iam')
print(len(iam.list_policies(Scope='Local', PathPrefix='/berth/')['Policies']), len(iam.list_roles(PathPrefix='/berth/')['Roles']))
"#;

#[test]
fn managed_policies_attach_rotate_versions_and_go_on_both_clouds() {
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, &stack("s3:GetObject", "read"), "create");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(READ).trim_end(),
                "mp-read s3:GetObject 1\n['AmazonS3ReadOnlyAccess', 'mp-read']"
            );
        }

        // Six changes: IAM keeps five versions, the last one the default.
        for (i, action) in [
            "s3:PutObject",
            "s3:ListBucket",
            "s3:DeleteObject",
            "s3:GetObjectAcl",
            "s3:PutObjectAcl",
            "s3:GetObjectTagging",
        ]
        .iter()
        .enumerate()
        {
            std::fs::write(dir.join("main.berth"), stack(action, "read")).expect("write");
            cloud.plans_one_update(dir, "managed_policy.read");
            cloud.converges(dir, &format!("change {i}"));
        }
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(READ).trim_end(),
                "mp-read s3:GetObjectTagging 5\n['AmazonS3ReadOnlyAccess', 'mp-read']"
            );
        }

        // IAM cannot change a description: the policy is replaced and the
        // role attaches the new one in the same apply.
        cloud.apply_clean(dir, &stack("s3:GetObjectTagging", "read the assets"), "replace");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(READ).trim_end(),
                "mp-read s3:GetObjectTagging 1\n['AmazonS3ReadOnlyAccess', 'mp-read']"
            );
        }

        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        let run = cloud.berth(dir, &["plan", "--format", "json"]);
        run.expect_code(0);
        assert_eq!(json_plan(&run)["summary"]["add"], 2, "nothing is left");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(LEFT).trim_end(), "0 0");
        }
    }
}

#[test]
fn a_role_attaching_a_missing_policy_of_the_account_fails_on_the_local_cloud() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    let text = stack("s3:GetObject", "read").replace(
        "managed_policy.read,",
        "\"arn:aws:iam::123456789012:policy/berth/nowhere\",",
    );
    std::fs::write(dir.join("main.berth"), text).expect("write");
    let run = Cloud::Local.berth(dir, &["apply", "--auto-approve"]);
    run.expect_code(1);
    assert!(run.all().contains("NoSuchEntity"), "{}", run.all());
}

#[test]
fn forward_stickiness_round_trips_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = common::example("blog");
        let text = p.read("main.berth");
        let start = text.find("listener http {").expect("the blog's listener");
        let end = text[start..].find("\n}\n").expect("its end") + start + 3;
        let sticky = r#"listener http {
  load_balancer      = load_balancer.web
  port               = 80
  forward_stickiness = 3600
  weighted_forward {
    target_group = target_group.blog
    weight       = 90
  }
  weighted_forward {
    target_group = target_group.login
    weight       = 10
  }
  rule login {
    priority           = 10
    path               = "/api/login*"
    forward            = target_group.login
    forward_stickiness = 60
  }
}
"#;
        p.write(
            "main.berth",
            &format!("{}{sticky}{}", &text[..start], &text[end..]),
        );
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        cloud.converges(&p.dir, "apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen = moto.python(STICKINESS);
            assert_eq!(seen.trim_end(), "3600 60", "{seen}");
        }
        p.edit(
            "main.berth",
            "forward_stickiness = 3600",
            "forward_stickiness = 7200",
        );
        cloud.plans_one_update(&p.dir, "listener.http");
        cloud.converges(&p.dir, "a longer stickiness");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

const STICKINESS: &str = "import boto3\n\
    elb=boto3.client('elbv2')\n\
    lb=elb.describe_load_balancers()['LoadBalancers'][0]['LoadBalancerArn']\n\
    l=elb.describe_listeners(LoadBalancerArn=lb)['Listeners'][0]\n\
    r=[r for r in elb.describe_rules(ListenerArn=l['ListenerArn'])['Rules'] if not r['IsDefault']][0]\n\
    d=lambda a: a[0]['ForwardConfig']['TargetGroupStickinessConfig']['DurationSeconds']\n\
    print(d(l['DefaultActions']), d(r['Actions']))\n";
