//! Task definitions are immutable revisions.

mod common;

use berth_provider::{Kind, Provider, Value};
use common::*;

#[tokio::test]
async fn revisions_increase_and_deregistered_ones_disappear() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    let (role, log) = (&r["role.task_exec"], &r["log_group.login"]);
    let first = &r["task_definition.login"];
    assert_eq!(first.attrs["revision"], Value::Int(1));

    // A change registers revision 2 beside 1 (create before destroy).
    let second = create(&cloud, "s", task_definition("login", role, log, 512, 1024)).await;
    assert_eq!(second.attrs["revision"], Value::Int(2));
    assert!(
        second.attrs["arn"]
            .as_str()
            .unwrap()
            .ends_with("task-definition/s-login:2")
    );
    let tds = |read: &[berth_provider::Resource]| -> Vec<Value> {
        read.iter()
            .filter(|x| x.address.kind == Kind::TaskDefinition)
            .map(|x| x.attrs["revision"].clone())
            .collect()
    };
    assert_eq!(
        tds(&cloud.read_all("s").await.unwrap()),
        [Value::Int(1), Value::Int(2)]
    );

    // Deregistered: gone from read_all, kept INACTIVE in the account.
    cloud.delete("s", first).await.unwrap();
    assert_eq!(tds(&cloud.read_all("s").await.unwrap()), [Value::Int(2)]);
    let text = std::fs::read_to_string(dir.path().join(".berth/local-cloud.json")).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        file["resources"][first.attrs["arn"].as_str().unwrap()]["status"],
        "INACTIVE"
    );
    // Deregistering again: it is not found.
    assert_eq!(
        cloud.delete("s", first).await.unwrap_err().code,
        "ClientException"
    );

    // Numbers are never reused, even once every revision is deregistered.
    cloud.delete("s", &r["service.login"]).await.unwrap();
    cloud.delete("s", &second).await.unwrap();
    let third = create(&cloud, "s", task_definition("login", role, log, 256, 512)).await;
    assert_eq!(third.attrs["revision"], Value::Int(3));
    // Even if the counter is lost from the file, stored revisions still count.
    drop(cloud);
    let path = dir.path().join(".berth/local-cloud.json");
    let mut file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    file["families"] = serde_json::json!({});
    std::fs::write(&path, file.to_string()).unwrap();
    let cloud = open(&dir);
    let fourth = create(&cloud, "s", task_definition("login", role, log, 256, 512)).await;
    assert_eq!(fourth.attrs["revision"], Value::Int(4));
}

#[tokio::test]
async fn only_tags_change_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    let td = &r["task_definition.login"];
    let err = cloud
        .update("s", td, &with(td.clone(), "memory", Value::Int(1024)))
        .await
        .unwrap_err();
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("RegisterTaskDefinition", "ClientException")
    );
    let mut containers = td.attrs["container"].clone();
    if let Value::List(items) = &mut containers
        && let Some(Value::Map(c)) = items.first_mut()
    {
        c.insert("image".into(), s("nginx:2"));
    }
    let err = cloud
        .update("s", td, &with(td.clone(), "container", containers))
        .await
        .unwrap_err();
    assert_eq!(err.code, "ClientException");
    let tagged = with(td.clone(), "tags", Value::Map([("v".to_owned(), s("2"))].into()));
    let updated = cloud.update("s", td, &tagged).await.unwrap();
    assert_eq!(updated.attrs["tags"], tagged.attrs["tags"]);
    assert_eq!(updated.attrs["revision"], Value::Int(1));
}

#[tokio::test]
async fn registration_checks_fargate_rules() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    let (role, log) = (&r["role.task_exec"], &r["log_group.login"]);
    let err = cloud
        .create("s", &task_definition("x", role, log, 256, 4096))
        .await
        .unwrap_err();
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("RegisterTaskDefinition", "ClientException")
    );
    assert!(err.message.contains("No Fargate configuration exists"), "{err}");
    let no_role = with(
        task_definition("x", role, log, 256, 512),
        "execution_role",
        Value::Null,
    );
    let err = cloud.create("s", &no_role).await.unwrap_err();
    assert!(err.message.contains("execution role"), "{err}");
    let ec2_mode = with(
        task_definition("x", role, log, 256, 512),
        "network_mode",
        s("bridge"),
    );
    assert_eq!(
        cloud.create("s", &ec2_mode).await.unwrap_err().code,
        "ClientException"
    );
    // Nothing was registered by the failed calls.
    let text = std::fs::read_to_string(dir.path().join(".berth/local-cloud.json")).unwrap();
    assert!(!text.contains("s-x"));
}

/// What validate refuses in a container, RegisterTaskDefinition refuses
/// too with AWS's ClientException: a stack applied without validate (a
/// saved plan, the provider used as a library) meets AWS's rules.
#[tokio::test]
async fn container_settings_aws_refuses_are_client_exceptions() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let container = |extra: &[(&str, Value)]| {
        let mut pairs = vec![("name", s("app")), ("image", s("nginx"))];
        pairs.extend(extra.iter().cloned());
        block(&pairs)
    };
    let td = |extra: &[(&str, Value)], containers: Vec<Value>| {
        let mut pairs = vec![
            ("cpu", Value::Int(256)),
            ("memory", Value::Int(512)),
            ("container", list(containers)),
        ];
        pairs.extend(extra.iter().cloned());
        desired(Kind::TaskDefinition, "t", &pairs)
    };
    let firelens_log = block(&[("driver", s("awsfirelens"))]);
    let efs = |pairs: &[(&str, Value)]| {
        let mut all = vec![("file_system_id", s("fs-1"))];
        all.extend(pairs.iter().cloned());
        list(vec![block(&[
            ("name", s("data")),
            ("efs", list(vec![block(&all)])),
        ])])
    };
    let cases = [
        (
            td(&[], vec![container(&[("log", list(vec![firelens_log]))])]),
            "awsfirelens log driver requires a container with firelensConfiguration",
        ),
        (
            td(
                &[],
                vec![container(&[(
                    "log",
                    list(vec![block(&[("driver", s("json-file"))])]),
                )])],
            ),
            "Log driver json-file is not supported on Fargate",
        ),
        (
            td(
                &[("volume", efs(&[("access_point", s("fsap-1"))]))],
                vec![container(&[])],
            ),
            "Transit encryption must be enabled when an access point is used",
        ),
        (
            td(
                &[],
                vec![container(&[(
                    "mount",
                    list(vec![block(&[
                        ("source_volume", s("data")),
                        ("container_path", s("/d")),
                    ])]),
                )])],
            ),
            "Unknown volume 'data'",
        ),
        (
            td(
                &[],
                vec![container(&[(
                    "linux",
                    list(vec![block(&[("capabilities_add", list(vec![s("NET_ADMIN")]))])]),
                )])],
            ),
            "only supports adding the 'SYS_PTRACE' kernel capability",
        ),
        (
            td(
                &[("proxy", list(vec![block(&[("container", s("envoy"))])]))],
                vec![container(&[])],
            ),
            "proxy configuration's container 'envoy'",
        ),
        (
            td(&[("pid_mode", s("host"))], vec![container(&[])]),
            "pidMode 'task' on Linux only",
        ),
        (
            td(
                &[],
                vec![container(&[(
                    "health_check",
                    list(vec![block(&[(
                        "command",
                        list(vec![s("curl"), s("-f"), s("x")]),
                    )])]),
                )])],
            ),
            "healthCheck.command must start with CMD or CMD-SHELL",
        ),
        (
            td(
                &[],
                vec![container(&[(
                    "restart_policy",
                    list(vec![block(&[("restart_attempt_period", Value::Int(30))])]),
                )])],
            ),
            "restartAttemptPeriod 30 must be between 60 and 1800",
        ),
        (
            td(
                &[],
                vec![container(&[(
                    "restart_policy",
                    list(vec![block(&[(
                        "ignored_exit_codes",
                        list((0..51).map(Value::Int).collect()),
                    )])]),
                )])],
            ),
            "at most 50 exit codes, not 51",
        ),
    ];
    for (desired, message) in cases {
        let err = cloud.create("s", &desired).await.unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("RegisterTaskDefinition", "ClientException"),
            "{message}"
        );
        assert!(err.message.contains(message), "{message}: {}", err.message);
    }
    assert!(
        cloud.read_all("s").await.unwrap().is_empty(),
        "nothing registered"
    );
}
