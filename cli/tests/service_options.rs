//! Service options real stacks set (issue 14 §2): capacity provider
//! strategies on a cluster's Fargate providers, the deployment circuit
//! breaker and alarms, ECS Exec, tag propagation. On both clouds each
//! applies, re-plans clean, changes in place and destroys; on moto boto3
//! checks from outside that ECS holds what the stack says.

mod common;

use std::path::Path;

use common::{Cloud, Project, copy_of, splice};

fn project() -> Project {
    copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/service_options"))
}

const DESCRIBE: &str = "import boto3,json\n\
    ecs=boto3.client('ecs')\n\
    arn=[a for a in ecs.list_clusters()['clusterArns'] if 'svc-options' in a][0]\n\
    c=ecs.describe_clusters(clusters=[arn])['clusters'][0]\n\
    s=ecs.describe_services(cluster=arn,services=ecs.list_services(cluster=arn)['serviceArns'])['services'][0]\n\
    d=s['deploymentConfiguration']\n\
    print(json.dumps({'providers':sorted(c['capacityProviders']),\
    'strategy':sorted((i['capacityProvider'],i['weight'],i.get('base',0)) for i in s['capacityProviderStrategy']),\
    'breaker':d['deploymentCircuitBreaker'],'alarms':d['alarms']['alarmNames'],'min':d['minimumHealthyPercent'],\
    'exec':s['enableExecuteCommand'],'propagate':s['propagateTags']},sort_keys=True))\n";

#[test]
fn service_options_apply_replan_clean_and_change_in_place_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = project();
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        cloud.converges(&p.dir, "apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            assert_eq!(
                seen,
                serde_json::json!({
                    "providers": ["FARGATE", "FARGATE_SPOT"],
                    "strategy": [["FARGATE", 1, 1], ["FARGATE_SPOT", 3, 0]],
                    "breaker": {"enable": true, "rollback": true},
                    "alarms": ["app-5xx"],
                    "min": 50,
                    "exec": true,
                    "propagate": "TASK_DEFINITION",
                })
            );
        }

        p.edit("main.berth", "weight            = 3", "weight            = 1");
        p.edit("main.berth", "rollback = true", "rollback = false");
        p.edit(
            "main.berth",
            "enable_execute_command = true",
            "enable_execute_command = false",
        );
        p.edit("main.berth", "\"TASK_DEFINITION\"", "\"SERVICE\"");
        cloud.plans_one_update(&p.dir, "service.app");
        cloud.converges(&p.dir, "the change");

        // Removing the breaker and the alarms is a change AWS stores as
        // "disabled": it too must re-plan clean.
        let text = p.read("main.berth");
        let cut = text.find("  circuit_breaker {").expect("breaker block");
        p.write("main.berth", &format!("{}}}\n", &text[..cut]));
        cloud.converges(&p.dir, "the breaker");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// ECS Exec's configuration on a cluster (Terraform's `configuration {
/// execute_command_configuration { ... } }`, which the terraform-aws-modules
/// ECS cluster sets by default): sessions logged to a log group, then to
/// an S3 bucket, then the block removed (ECS's default again), each an
/// update in place that re-plans clean, on both clouds; on moto boto3 reads
/// the configuration ECS holds.
#[test]
fn a_clusters_ecs_exec_logging_applies_and_changes_in_place_on_both_clouds() {
    const STACK: &str = r#"stack "exec-logs" { region = "us-east-1" }
log_group exec { name = "/aws/ecs/exec-logs" }
cluster main {
  execute_command {
    logging   = "OVERRIDE"
    kms_key   = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    log_group = log_group.exec
  }
}
"#;
    const HELD: &str = "import boto3,json\n\
        ecs=boto3.client('ecs')\n\
        c=ecs.describe_clusters(clusters=['exec-logs-main'],include=['CONFIGURATIONS'])['clusters'][0]\n\
        e=(c.get('configuration') or {}).get('executeCommandConfiguration') or {}\n\
        l=e.get('logConfiguration') or {}\n\
        print(json.dumps([e.get('logging'),l.get('cloudWatchLogGroupName'),l.get('s3BucketName'),l.get('s3KeyPrefix')]))\n";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, STACK, "logging to a log group");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(HELD).trim(),
                r#"["OVERRIDE", "/aws/ecs/exec-logs", null, null]"#
            );
        }
        let s3 = STACK.replace(
            "    log_group = log_group.exec\n",
            "    s3_bucket     = \"audit-logs\"\n    s3_key_prefix = \"exec/\"\n",
        );
        std::fs::write(dir.join("main.berth"), &s3).expect("write");
        cloud.plans_one_update(dir, "cluster.main");
        cloud.converges(dir, "logging to S3");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(HELD).trim(),
                r#"["OVERRIDE", null, "audit-logs", "exec/"]"#
            );
        }
        std::fs::write(
            dir.join("main.berth"),
            splice(&s3, "  execute_command", "  }\n", ""),
        )
        .expect("write");
        cloud.plans_one_update(dir, "cluster.main");
        cloud.converges(dir, "the block removed");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(HELD).trim(), r#"["DEFAULT", null, null, null]"#);
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
