//! `berth import task-definition`: a DescribeTaskDefinition dump becomes a
//! fmt-clean block that validates and registers, on both clouds, to the
//! same container definition; what cannot run on Fargate, bad JSON and
//! fields berth cannot express are refused with the reason.

mod common;

use std::path::{Path, PathBuf};

use common::{Cloud, berth_in};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import")
        .join(name)
}

#[test]
fn a_described_task_definition_imports_and_registers_the_same_container() {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = fixture("describe-web.json");
    let json = json.to_str().expect("utf-8 path");
    let run = berth_in(dir.path(), &["import", "task-definition", json], &[], None);
    run.expect_code(0);
    assert!(!run.stdout.contains("stack "), "no stack block: {}", run.stdout);
    assert!(
        run.stdout
            .contains("image     = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2\""),
        "{}",
        run.stdout
    );
    std::fs::write(dir.path().join("web.berth"), &run.stdout).expect("write");
    // The block drops into a stack as printed: fmt-clean, valid.
    std::fs::write(
        dir.path().join("stack.berth"),
        "stack \"imported\" { region = \"us-east-1\" }\n",
    )
    .expect("write");
    berth_in(dir.path(), &["fmt", "--check"], &[], None).expect_code(0);
    berth_in(dir.path(), &["validate"], &[], None).expect_code(0);

    for cloud in Cloud::both() {
        let stack = tempfile::tempdir().expect("temp dir");
        for f in ["web.berth", "stack.berth"] {
            std::fs::copy(dir.path().join(f), stack.path().join(f)).expect("copy");
        }
        cloud
            .berth(stack.path(), &["apply", "--auto-approve"])
            .expect_code(0);
        cloud
            .berth(stack.path(), &["plan", "--detailed-exitcode"])
            .expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            let got = moto.python(
                "import boto3, json\n\
                 ecs = boto3.client('ecs')\n\
                 fam = [f for f in ecs.list_task_definition_families()['families'] if f.startswith('imported')][0]\n\
                 td = ecs.describe_task_definition(taskDefinition=fam)['taskDefinition']\n\
                 c = td['containerDefinitions'][0]\n\
                 print(json.dumps({'image': c['image'], 'command': c.get('command'),\n\
                   'env': sorted((e['name'], e['value']) for e in c.get('environment', [])),\n\
                   'secrets': sorted((s['name'], s['valueFrom']) for s in c.get('secrets', [])),\n\
                   'ports': [p['containerPort'] for p in c.get('portMappings', [])],\n\
                   'health': c.get('healthCheck', {}).get('command'),\n\
                   'cpu': td['cpu'], 'memory': td['memory'], 'arch': td.get('runtimePlatform', {}).get('cpuArchitecture')}))\n",
            );
            let got: serde_json::Value = serde_json::from_str(got.trim()).expect("JSON");
            assert_eq!(
                got["image"],
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2"
            );
            assert_eq!(got["command"], serde_json::json!(["node", "server.js"]));
            assert_eq!(
                got["env"],
                serde_json::json!([["GREETING", "costs $5"], ["NODE_ENV", "production"]])
            );
            assert_eq!(
                got["secrets"],
                serde_json::json!([[
                    "DB_PASSWORD",
                    "arn:aws:ssm:us-east-1:123456789012:parameter/web/db"
                ]])
            );
            assert_eq!(got["ports"], serde_json::json!([8080]));
            assert_eq!(
                got["health"],
                serde_json::json!(["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"])
            );
            assert_eq!(
                (got["cpu"].as_str(), got["memory"].as_str()),
                (Some("256"), Some("512"))
            );
            assert_eq!(got["arch"], "ARM64");
        }
    }
}

#[test]
fn what_cannot_be_imported_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("utf-8").to_owned()
    };
    let bridge = write(
        "bridge.json",
        r#"{"family":"old","networkMode":"bridge","containerDefinitions":[{"name":"a","image":"i"}]}"#,
    );
    let run = berth_in(dir.path(), &["import", "task-definition", &bridge], &[], None);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("cannot run on Fargate: network mode `bridge`"),
        "{}",
        run.stderr
    );

    let broken = write("broken.json", "{\n  \"family\": \"x\",\n  \"cpu\": \n}\n");
    let run = berth_in(dir.path(), &["import", "task-definition", &broken], &[], None);
    run.expect_code(1);
    assert!(
        run.stderr.contains("broken.json:4:1: not JSON: "),
        "{}",
        run.stderr
    );

    let efs = write(
        "efs.json",
        r#"{"family":"files","cpu":"256","memory":"512","volumes":[{"name":"data","efsVolumeConfiguration":{"fileSystemId":"fs-1"}}],
           "containerDefinitions":[{"name":"a","image":"i","mountPoints":[{"sourceVolume":"data","containerPath":"/data"}],
           "logConfiguration":{"logDriver":"awsfirelens","options":{"Name":"cloudwatch"}}}]}"#,
    );
    let run = berth_in(dir.path(), &["import", "task-definition", &efs], &[], None);
    run.expect_code(1);
    for field in [
        "containerDefinitions[0].mountPoints",
        "containerDefinitions[0].logConfiguration (driver awsfirelens)",
        "volumes",
    ] {
        assert!(run.stderr.contains(field), "names {field}: {}", run.stderr);
    }
    assert!(run.stdout.is_empty(), "nothing printed: {}", run.stdout);
}
