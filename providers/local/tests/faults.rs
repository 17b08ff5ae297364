//! Injected faults fire before anything changes, N times, with their class.

mod common;

use berth_local::{Fault, FaultClass, FaultOp};
use berth_provider::{ErrorClass, Kind, Provider};
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
    for _ in 0..2 {
        let err = cloud.create("s", &vpc).await.unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("CreateVpc", "RequestLimitExceeded")
        );
        assert_eq!(err.class, ErrorClass::Throttling);
        assert!(err.is_retryable());
        // Nothing was created by the failed call.
        assert_eq!(cloud.read_all("s").await.unwrap().len(), 1);
    }
    create(&cloud, "s", vpc).await;
    assert_eq!(cloud.calls()["CreateVpc"], 4);
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
    let err = cloud.read_all("s").await.unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.class),
        ("ServiceUnavailable", ErrorClass::Transient)
    );
    assert_eq!(cloud.read_all("s").await.unwrap().len(), r.len());
    // Forever, for services only.
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
    assert!(!err.is_retryable());
    let cluster = &r["cluster.blog"];
    cloud.update("s", cluster, cluster).await.unwrap();
    assert_eq!(cloud.faults().unwrap().len(), 2);
}
