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
