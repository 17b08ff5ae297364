//! A task definition with every container field group berth writes, end
//! to end on both clouds: created, re-planned clean, changed (a new
//! revision replaces the old), re-planned clean, destroyed with nothing
//! left registered.

mod common;

use common::{Cloud, json_actions, json_plan};

const STACK: &str = r#"
stack "sidecars" { region = "us-east-1" }

role exec { assume = "ecs-tasks.amazonaws.com" }

task_definition app {
  cpu               = 1024
  memory            = 2048
  execution_role    = role.exec
  pid_mode          = "task"
  ephemeral_storage = 30

  volume data {
    efs {
      file_system_id     = "fs-0a1b2c3d4e5f67890"
      transit_encryption = "ENABLED"
      access_point       = "fsap-0123456789abcdef0"
      iam                = "ENABLED"
    }
  }
  volume scratch {}

  proxy {
    container  = "envoy"
    properties = { AppPorts = "8080", IgnoredUID = "1337", ProxyIngressPort = "15000", ProxyEgressPort = "15001" }
  }

  container log-router {
    image              = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"
    memory_reservation = 50
    firelens {
      type    = "fluentbit"
      options = { "enable-ecs-log-metadata" = "true" }
    }
  }

  container app {
    image                  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"
    labels                 = { "com.example.team" = "payments" }
    start_timeout          = 30
    repository_credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf"
    credential_specs       = ["credentialspecdomainless:arn:aws:ssm:us-east-1:123456789012:parameter/corp-credspec"]
    port_mapping {
      container_port = 8080
      name           = "app-http"
      app_protocol   = "http"
    }
    port_mapping { container_port_range = "9000-9010" }
    log {
      driver         = "awsfirelens"
      options        = { Name = "datadog", Host = "http-intake.logs.datadoghq.com" }
      secret_options = { apikey = "arn:aws:ssm:us-east-1:123456789012:parameter/datadog" }
    }
    health_check { command = ["CMD", "curl", "-f", "http://localhost:8080/"] }
    linux {
      init_process      = true
      capabilities_add  = ["SYS_PTRACE"]
      capabilities_drop = ["NET_RAW"]
    }
    environment_file { value = "arn:aws:s3:::config-bucket/app.env" }
    system_control {
      namespace = "net.core.somaxconn"
      value     = "1024"
    }
    mount {
      source_volume  = "data"
      container_path = "/data"
    }
    mount {
      source_volume  = "scratch"
      container_path = "/scratch"
      read_only      = true
    }
    depends_on { container = "log-router" }
  }

  container envoy {
    image = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"
    user  = "1337"
    volumes_from { container = "app" }
  }
}
"#;

#[test]
fn every_container_field_group_creates_updates_and_destroys() {
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let main = dir.path().join("main.berth");
        std::fs::write(&main, STACK).expect("write");
        cloud.berth(dir.path(), &["validate"]).expect_code(0);
        cloud
            .berth(dir.path(), &["apply", "--auto-approve"])
            .expect_code(0);
        let plan = cloud.berth(dir.path(), &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "re-plans clean:\n{}", plan.all());

        // A FireLens option changes: a new revision replaces the old.
        let changed = STACK.replace(
            r#""enable-ecs-log-metadata" = "true""#,
            r#""enable-ecs-log-metadata" = "false""#,
        );
        std::fs::write(&main, changed).expect("write");
        let plan = cloud.berth(dir.path(), &["plan", "--format", "json"]);
        let actions = json_actions(&json_plan(&plan));
        assert_eq!(
            actions.get("task_definition.app").map(|(a, _)| a.as_str()),
            Some("replace"),
            "{actions:?}"
        );
        cloud
            .berth(dir.path(), &["apply", "--auto-approve"])
            .expect_code(0);
        let plan = cloud.berth(dir.path(), &["plan", "--detailed-exitcode"]);
        assert_eq!(
            plan.code,
            Some(0),
            "re-plans clean after the change:\n{}",
            plan.all()
        );

        cloud
            .berth(dir.path(), &["destroy", "--auto-approve"])
            .expect_code(0);
        let plan = cloud.berth(dir.path(), &["plan", "--format", "json"]);
        let actions = json_actions(&json_plan(&plan));
        assert!(
            actions.values().all(|(a, _)| a == "create"),
            "nothing left after destroy: {actions:?}"
        );
        if let Cloud::Aws(moto) = &cloud {
            let active = moto.python(
                "import boto3\n\
                 print(len(boto3.client('ecs').list_task_definitions(status='ACTIVE')['taskDefinitionArns']))\n",
            );
            assert_eq!(active.trim(), "0", "no revision left registered");
        }
    }
}

/// A worker whose restart policy is turned on, changed, turned off and
/// dropped, whose image pinning is turned off, and whose task takes fault
/// injection: `{POLICY}`, `{PINNED}` and `{FAULTS}` are the changing lines.
const WORKER: &str = r#"
stack "restarts" { region = "us-east-1" }

task_definition worker {
  cpu    = 256
  memory = 512
  {FAULTS}

  container worker {
    image   = "public.ecr.aws/docker/library/busybox:1.36"
    command = ["sh", "-c", "sleep 3600"]
    {PINNED}
    {POLICY}
  }
}
"#;

fn worker(policy: &str, pinned: &str, faults: &str) -> String {
    WORKER
        .replace("{POLICY}", policy)
        .replace("{PINNED}", pinned)
        .replace("{FAULTS}", faults)
}

/// The task definition's action in the next plan of `dir`.
fn task_action(cloud: &Cloud, dir: &std::path::Path) -> Option<String> {
    cloud
        .planned(dir)
        .get("task_definition.worker")
        .map(|(a, _)| a.clone())
}

/// Each change of a restart policy or of version consistency registers a
/// new revision and then re-plans clean; turning a policy off and dropping
/// it are the same to ECS (it restarts nothing), so the drop plans no
/// change. Fault injection does the same on the local cloud; moto does not
/// store `enableFaultInjection` (docs/aws.md), so there it is turned on
/// and the next plan asserts the gap.
#[test]
fn restart_policy_and_version_consistency_changes_register_revisions() {
    let on = "restart_policy {\n      ignored_exit_codes = [0]\n    }";
    let longer =
        "restart_policy {\n      ignored_exit_codes = [0, 143]\n      restart_attempt_period = 600\n    }";
    let off = "restart_policy {\n      enabled = false\n      ignored_exit_codes = [0, 143]\n      restart_attempt_period = 600\n    }";
    let unpinned = "version_consistency = false";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        cloud.apply_clean(dir.path(), &worker("", "", ""), "creating without a policy");
        for (text, when) in [
            (worker(on, "", ""), "turning the policy on"),
            (worker(longer, "", ""), "changing its exit codes and period"),
            (worker(off, "", ""), "turning it off"),
            (worker(off, unpinned, ""), "turning version consistency off"),
        ] {
            std::fs::write(dir.path().join("main.berth"), &text).expect("write");
            assert_eq!(
                task_action(&cloud, dir.path()).as_deref(),
                Some("replace"),
                "{when}"
            );
            cloud.converges(dir.path(), when);
        }
        std::fs::write(dir.path().join("main.berth"), worker("", unpinned, "")).expect("write");
        assert_eq!(
            task_action(&cloud, dir.path()),
            None,
            "dropping a policy turned off"
        );

        std::fs::write(
            dir.path().join("main.berth"),
            worker("", unpinned, "fault_injection = true"),
        )
        .expect("write");
        assert_eq!(
            task_action(&cloud, dir.path()).as_deref(),
            Some("replace"),
            "fault injection"
        );
        match &cloud {
            Cloud::Local => cloud.converges(dir.path(), "turning fault injection on"),
            Cloud::Aws(_) => {
                cloud
                    .berth(dir.path(), &["apply", "--auto-approve"])
                    .expect_code(0);
                assert_eq!(
                    task_action(&cloud, dir.path()).as_deref(),
                    Some("replace"),
                    "moto stores no enableFaultInjection: if it now does, docs/aws.md and this test change"
                );
            }
        }
        cloud
            .berth(dir.path(), &["destroy", "--auto-approve"])
            .expect_code(0);
    }
}
