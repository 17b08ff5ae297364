//! Roles as real stacks use them, on both clouds: inline policies whose
//! documents refer to other resources, a trust policy with several
//! principals and a condition. Create, re-plan clean, change every part
//! in place (never a replacement), re-plan clean, destroy leaving nothing;
//! on moto, boto3 reads what IAM holds from outside.

mod common;

use common::{Cloud, act, json_plan};

const V1: &str = r#"
stack "iam" { region = "us-east-1" }

log_group app { retention_days = 7 }

role task {
  name   = "iam-test-task"
  assume = "ecs-tasks.amazonaws.com"
  policy logs {
    document = {
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${log_group.app.arn}:*"
      }]
    }
  }
  policy read {
    document = {
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::assets/*" }]
    }
  }
}

role deploy {
  name = "iam-test-deploy"
  assume_policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = {
        Service = ["ecs-tasks.amazonaws.com", "events.amazonaws.com"]
        AWS     = "arn:aws:iam::123456789012:root"
      }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = "berth-1" } }
    }]
  }
}
"#;

/// What changes in place: a policy's actions, one policy gone, one new,
/// the trust policy's condition.
fn v2() -> String {
    V1.replace(
        r#"Action = "s3:GetObject""#,
        r#"Action = ["s3:ListBucket", "s3:GetObject"]"#,
    )
    .replace("policy logs {", "policy metrics {")
    .replace(
        r#"Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]"#,
        r#"Action   = "cloudwatch:PutMetricData""#,
    )
    .replace(r#"Resource = "${log_group.app.arn}:*""#, r#"Resource = "*""#)
    .replace("berth-1", "berth-2")
}

/// IAM's view of the two roles, read with boto3: the task role's inline
/// policies with their actions and resources, the deploy role's external id.
const READ: &str = r#"
import boto3, json
iam = boto3.client('iam')
for name in sorted(iam.list_role_policies(RoleName='iam-test-task')['PolicyNames']):
    doc = iam.get_role_policy(RoleName='iam-test-task', PolicyName=name)['PolicyDocument']
    st = doc['Statement'][0]
    action = sorted(st['Action']) if isinstance(st['Action'], list) else st['Action']
    print(name, json.dumps(action), st['Resource'])
trust = iam.get_role(RoleName='iam-test-deploy')['Role']['AssumeRolePolicyDocument']
print(trust['Statement'][0]['Condition']['StringEquals']['sts:ExternalId'])
"#;

const LEFT: &str = r#"
import boto3
print(len(boto3.client('iam').list_roles(PathPrefix='/berth/')['Roles']))
"#;

#[test]
fn inline_and_trust_policies_change_in_place_on_both_clouds() {
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, V1, "create");
        if let Cloud::Aws(moto) = &cloud {
            let seen = moto.python(READ);
            let lines: Vec<&str> = seen.lines().collect();
            assert_eq!(lines.len(), 3, "{seen}");
            assert!(
                lines[0].starts_with(
                    r#"logs ["logs:CreateLogStream", "logs:PutLogEvents"] arn:aws:logs:us-east-1:"#
                ) && lines[0].ends_with(":*"),
                "the log group's ARN inside the document: {seen}"
            );
            assert_eq!(lines[1], r#"read "s3:GetObject" arn:aws:s3:::assets/*"#);
            assert_eq!(lines[2], "berth-1");
        }

        std::fs::write(dir.join("main.berth"), v2()).expect("write");
        let actions = cloud.planned(dir);
        assert_eq!(actions.len(), 2, "{actions:?}");
        for role in ["role.task", "role.deploy"] {
            assert_eq!(actions.get(role), Some(&act("update", None)), "{actions:?}");
        }
        cloud.apply_clean(dir, &v2(), "update");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(READ).trim_end(),
                "metrics \"cloudwatch:PutMetricData\" *\n\
                 read [\"s3:GetObject\", \"s3:ListBucket\"] arn:aws:s3:::assets/*\n\
                 berth-2"
            );
        }

        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        let run = cloud.berth(dir, &["plan", "--format", "json"]);
        run.expect_code(0);
        assert_eq!(json_plan(&run)["summary"]["add"], 3, "nothing is left");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(LEFT).trim_end(), "0");
        }
    }
}

#[test]
fn a_policy_iam_would_refuse_stops_at_validate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    let broken = V1.replace(
        r#"Effect = "Allow", Action = "s3:GetObject""#,
        r#"Effect = "allow", Action = "GetObject""#,
    );
    std::fs::write(dir.join("main.berth"), broken).expect("write");
    let run = Cloud::Local.berth(dir, &["validate"]);
    run.expect_code(1);
    for message in [
        "`Effect` is \"Allow\" or \"Deny\"",
        "action `GetObject` must be prefixed",
    ] {
        assert!(run.stderr.contains(message), "{}", run.stderr);
    }
}

/// Terraform's `permissions_boundary` (which many organisations require
/// on every role) and `max_session_duration`: the stack's managed policy
/// and one of AWS's as boundaries, a session of two hours; created,
/// re-planned clean, then both boundaries and the session length changed
/// in place (PutRolePermissionsBoundary, DeleteRolePermissionsBoundary,
/// UpdateRole with the description kept); on moto, GetRole from outside.
#[test]
fn permissions_boundaries_and_session_lengths_change_in_place_on_both_clouds() {
    const BOUNDED: &str = r#"
stack "bounded" { region = "us-east-1" }

managed_policy boundary {
  document = {
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:*", "s3:GetObject"], Resource = "*" }]
  }
}

role app {
  assume               = "ecs-tasks.amazonaws.com"
  description          = "the app"
  permissions_boundary = managed_policy.boundary
  max_session_duration = 7200
}

role ops {
  assume               = "ecs-tasks.amazonaws.com"
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
}
"#;
    const GET: &str = "import boto3\ni=boto3.client('iam')\n\
        for n in ('bounded-app','bounded-ops'):\n\
        \x20   r=i.get_role(RoleName=n)['Role']\n\
        \x20   print(n, r.get('PermissionsBoundary',{}).get('PermissionsBoundaryArn','-').split(':')[-1], r['MaxSessionDuration'], r.get('Description','-'))\n";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, BOUNDED, "bounded roles");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(GET).trim(),
                "bounded-app policy/berth/bounded-boundary 7200 the app\n\
                 bounded-ops policy/PowerUserAccess 3600 -"
            );
        }
        let changed = BOUNDED
            .replace("  max_session_duration = 7200\n", "")
            .replace(
                "  permissions_boundary = managed_policy.boundary\n",
                "  permissions_boundary = \"arn:aws:iam::aws:policy/ReadOnlyAccess\"\n",
            )
            .replace(
                "  permissions_boundary = \"arn:aws:iam::aws:policy/PowerUserAccess\"\n",
                "",
            );
        std::fs::write(dir.join("main.berth"), changed).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        assert!(
            plan.stdout.contains("Plan: 0 to add, 2 to change, 0 to destroy."),
            "in place: {}",
            plan.all()
        );
        cloud.converges(dir, "boundaries changed");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(GET).trim(),
                "bounded-app policy/ReadOnlyAccess 3600 the app\nbounded-ops - 3600 -"
            );
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// CloudFormation's `Path: /` and Terraform's `path = "/"`: the roles and
/// managed policy are made where the configuration says, found again by the next plan (IAM
/// lists no role by tag: berth records the names it made outside
/// `/berth/`), and a path changed replaces the role, which IAM cannot
/// move.
#[test]
fn roles_given_a_path_are_made_there_and_found_again_on_both_clouds() {
    const PATHS: &str = r#"
stack "paths" { region = "us-east-1" }

managed_policy shared {
  path     = "/"
  document = {
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }]
  }
}

role root {
  assume   = "ecs-tasks.amazonaws.com"
  path     = "/"
  policies = [managed_policy.shared]
}

role service {
  assume = "ecs-tasks.amazonaws.com"
  path   = "/service/app/"
}

role default { assume = "ecs-tasks.amazonaws.com" }
"#;
    const GET: &str = "import boto3\ni=boto3.client('iam')\n\
        for n in ('paths-root','paths-service','paths-default'):\n\
        \x20   r=i.get_role(RoleName=n)['Role']\n\
        \x20   print(n, r['Path'], r['Arn'].split(':')[-1])\n\
        print([(x['Path'], x['Arn'].split(':')[-1]) for x in i.list_policies(Scope='Local')['Policies']])\n";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, PATHS, "roles with paths");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(GET).trim(),
                "paths-root / role/paths-root\n\
                 paths-service /service/app/ role/service/app/paths-service\n\
                 paths-default /berth/ role/berth/paths-default\n\
                 [('/', 'policy/paths-shared')]"
            );
        }
        std::fs::write(
            dir.join("main.berth"),
            PATHS.replace("\"/service/app/\"", "\"/service/\""),
        )
        .expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        assert!(
            plan.stdout.contains("forces replacement")
                && plan.stdout.contains("Plan: 1 to add, 0 to change, 1 to destroy."),
            "a new path replaces: {}",
            plan.all()
        );
        cloud.converges(dir, "the path changed");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            let left = moto.python(
                "import boto3\nprint([r['RoleName'] for r in boto3.client('iam').list_roles()['Roles'] if r['RoleName'].startswith('paths-')])",
            );
            assert_eq!(left.trim(), "[]", "destroy deletes them all");
            // And the records of where to find them: a destroyed stack
            // leaves nothing (the records were left before).
            let records = moto.python(
                "import boto3\nprint([p['Name'] for p in boto3.client('ssm').describe_parameters()['Parameters']])",
            );
            assert_eq!(records.trim(), "[]", "destroy deletes the records");
        }
    }
}
