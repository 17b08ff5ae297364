//! Injected faults fire before anything changes (lost answers after), N
//! times, with their class; the cloud retries throttling and transient ones
//! itself, as the AWS adapter does.

mod common;

use berth_local::{Fault, FaultClass, FaultOp};
use berth_provider::{ErrorClass, Kind, Provider, Value};
use common::*;

#[tokio::test]
async fn a_fault_written_into_the_file_fires_n_times_then_stops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".berth/local-cloud.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        r#"{ "faults": [ { "op": "create", "address": "vpc.main", "code": "RequestLimitExceeded",
                          "class": "throttling", "times": 2 } ] }"#,
    )
    .unwrap();
    let cloud = open(&dir);
    let vpc = desired(Kind::Vpc, "main", &[("cidr", s("10.0.0.0/16"))]);
    let other = desired(Kind::Vpc, "other", &[("cidr", s("10.0.0.0/16"))]);
    create(&cloud, "s", other).await;
    create(&cloud, "s", vpc).await;
    // Nothing was created by the throttled attempts.
    assert_eq!(cloud.read_all("s").await.unwrap().len(), 2);
    assert_eq!(cloud.calls()["CreateVpc"], 4);
    let stats = cloud.stats()["CreateVpc"];
    assert_eq!((stats.retries, stats.throttles), (2, 2));
    let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(file["faults"][0]["times"], 0);
}

#[tokio::test]
async fn faults_added_while_open_take_effect_and_match_kind_and_op() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    cloud
        .add_fault(Fault::new(FaultOp::Delete, "InternalError", FaultClass::Transient).of_kind(Kind::Service))
        .unwrap();
    cloud
        .add_fault(Fault::new(FaultOp::Read, "ServiceUnavailable", FaultClass::Transient).times(1))
        .unwrap();
    // Retried once, then read.
    assert_eq!(cloud.read_all("s").await.unwrap().len(), r.len());
    assert_eq!(cloud.stats()["GetResources"].retries, 1);
    // Forever, for services only: retried until the deadline, then failed.
    for _ in 0..3 {
        let err = cloud.delete("s", &r["service.login"]).await.unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("DeleteService", "InternalError")
        );
        assert_eq!(err.class, ErrorClass::Transient);
    }
    cloud.delete("s", &r["task_definition.login"]).await.unwrap();
    assert_eq!(cloud.read_all("s").await.unwrap().len(), r.len() - 1);
    cloud.clear_faults().unwrap();
    cloud.delete("s", &r["service.login"]).await.unwrap();
}

#[tokio::test]
async fn permanent_faults_are_not_retryable_and_stacks_can_be_targeted() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    cloud
        .add_fault(Fault::new(FaultOp::Update, "AccessDenied", FaultClass::Permanent).in_stack("other"))
        .unwrap();
    cloud
        .add_fault(
            Fault::new(FaultOp::Update, "AccessDenied", FaultClass::Permanent)
                .in_stack("s")
                .at("log_group.login")
                .message("no"),
        )
        .unwrap();
    let log = &r["log_group.login"];
    let err = cloud.update("s", log, log).await.unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str(), err.class),
        ("AccessDenied", "no", ErrorClass::Permanent)
    );
    assert_eq!(
        cloud.stats().get("PutRetentionPolicy").map_or(0, |s| s.retries),
        0,
        "never retried"
    );
    let cluster = &r["cluster.blog"];
    cloud.update("s", cluster, cluster).await.unwrap();
    assert_eq!(cloud.faults().unwrap().len(), 2);
}

/// A `lost` fault makes the call take effect and then fail as
/// indeterminate: a create is not made again (the executor looks for it);
/// an update is, as it is idempotent.
#[tokio::test]
async fn lost_answers_take_effect() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    cloud
        .add_fault(Fault::new(FaultOp::Create, "RequestTimeout", FaultClass::Lost).times(1))
        .unwrap();
    let vpc = desired(Kind::Vpc, "main", &[("cidr", s("10.0.0.0/16"))]);
    let err = cloud.create("s", &vpc).await.unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.class),
        ("RequestTimeout", ErrorClass::Indeterminate)
    );
    let live = cloud.read_all("s").await.unwrap();
    assert_eq!(live.len(), 1, "the VPC was made once: {live:?}");

    cloud
        .add_fault(Fault::new(FaultOp::Update, "RequestTimeout", FaultClass::Lost).times(1))
        .unwrap();
    let wanted = desired(
        Kind::Vpc,
        "main",
        &[("cidr", s("10.0.0.0/16")), ("dns_hostnames", Value::Bool(true))],
    );
    let updated = cloud.update("s", &live[0], &wanted).await.expect("retried");
    assert_eq!(updated.attrs["dns_hostnames"], Value::Bool(true));
    assert_eq!(cloud.stats()["ModifyVpcAttribute"].retries, 1);
}
