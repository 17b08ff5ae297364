//! `efs_file_system` and `efs_access_point` against a stubbed EFS client
//! (aws-smithy-mocks): what AWS does and moto does not (a file system and
//! mount targets that take a while, UpdateFileSystem and its 24-hour rule,
//! DeleteFileSystemPolicy, FileSystemInUse while mount targets go,
//! AccessPointAlreadyExists for a client token sent again).

use std::sync::{Arc, Mutex};

use aws_sdk_efs::error::ErrorMetadata;
use aws_sdk_efs::operation::create_access_point::CreateAccessPointError;
use aws_sdk_efs::operation::create_file_system::CreateFileSystemOutput;
use aws_sdk_efs::operation::create_mount_target::CreateMountTargetOutput;
use aws_sdk_efs::operation::delete_file_system::{DeleteFileSystemError, DeleteFileSystemOutput};
use aws_sdk_efs::operation::delete_file_system_policy::DeleteFileSystemPolicyOutput;
use aws_sdk_efs::operation::delete_mount_target::DeleteMountTargetOutput;
use aws_sdk_efs::operation::describe_access_points::DescribeAccessPointsOutput;
use aws_sdk_efs::operation::describe_file_systems::{DescribeFileSystemsError, DescribeFileSystemsOutput};
use aws_sdk_efs::operation::describe_mount_target_security_groups::DescribeMountTargetSecurityGroupsOutput;
use aws_sdk_efs::operation::describe_mount_targets::DescribeMountTargetsOutput;
use aws_sdk_efs::operation::update_file_system::UpdateFileSystemOutput;
use aws_sdk_efs::types::{
    AccessPointDescription, FileSystemDescription, LifeCycleState, MountTargetDescription, PerformanceMode,
    ThroughputMode,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use berth_provider::schema::complete;
use berth_provider::{Address, Attrs, ErrorClass, Kind, Provider, Resource, STACK_TAG, Value};

const FS: &str = "fs-0123456789abcdef0";
const ARN: &str = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0";
const TARGET: &str = "fsmt-0123456789abcdef0";

fn meta(code: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message("stubbed").build()
}

/// The file system as DescribeFileSystems answers it, in `state`.
fn description(state: LifeCycleState, mode: ThroughputMode) -> FileSystemDescription {
    FileSystemDescription::builder()
        .owner_id("123456789012")
        .creation_token("shop-files")
        .file_system_id(FS)
        .file_system_arn(ARN)
        .creation_time(DateTime::from_secs(0))
        .life_cycle_state(state)
        .number_of_mount_targets(0)
        .performance_mode(PerformanceMode::GeneralPurpose)
        .set_tags(Some(Vec::new()))
        .throughput_mode(mode)
        .build()
        .expect("a description")
}

fn page(state: LifeCycleState) -> DescribeFileSystemsOutput {
    DescribeFileSystemsOutput::builder()
        .file_systems(description(state, ThroughputMode::Provisioned))
        .build()
}

/// DescribeMountTargets of the file system, holding one mount target in
/// `state` (or none).
fn targets(state: Option<LifeCycleState>) -> DescribeMountTargetsOutput {
    let target = state.map(|state| {
        MountTargetDescription::builder()
            .mount_target_id(TARGET)
            .file_system_id(FS)
            .subnet_id("subnet-a")
            .ip_address("10.0.1.7")
            .life_cycle_state(state)
            .build()
            .expect("a mount target")
    });
    DescribeMountTargetsOutput::builder()
        .set_mount_targets(Some(target.into_iter().collect()))
        .build()
}

fn attrs(pairs: &[(&str, Value)]) -> Attrs {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

/// A live file system with `pairs`, its computed attributes known.
fn live(pairs: &[(&str, Value)]) -> Resource {
    let mut a = complete(Kind::EfsFileSystem, &attrs(pairs));
    for (k, v) in [
        ("id", FS),
        ("arn", ARN),
        ("dns_name", "fs-0123456789abcdef0.efs.us-east-1.amazonaws.com"),
        ("creation_token", "shop-files"),
    ] {
        a.insert(k.to_owned(), Value::from(v));
    }
    Resource {
        address: Address::new(Kind::EfsFileSystem, "files"),
        attrs: a,
        created: None,
    }
}

/// AWS makes a file system in seconds and a mount target in a minute or
/// two: the create waits for both, and answers the mount target's address
/// and groups as read back. The KMS key is recorded as written.
#[tokio::test(start_paused = true)]
async fn a_new_file_system_and_its_mount_targets_are_waited_for() {
    let create = mock!(aws_sdk_efs::Client::create_file_system)
        .match_requests(|r| {
            let tags: Vec<(&str, &str)> = r.tags().iter().map(|t| (t.key(), t.value())).collect();
            r.creation_token() == Some("shop-files")
                && r.encrypted() == Some(true)
                && r.kms_key_id() == Some("alias/files")
                && r.throughput_mode() == Some(&ThroughputMode::Provisioned)
                && r.provisioned_throughput_in_mibps() == Some(64.0)
                && tags.contains(&("berth:kms_key", "alias/files"))
                && tags.contains(&(STACK_TAG, "shop"))
        })
        .then_output(|| {
            CreateFileSystemOutput::builder()
                .owner_id("123456789012")
                .creation_token("shop-files")
                .file_system_id(FS)
                .creation_time(DateTime::from_secs(0))
                .life_cycle_state(LifeCycleState::Creating)
                .number_of_mount_targets(0)
                .performance_mode(PerformanceMode::GeneralPurpose)
                .set_tags(Some(Vec::new()))
                .build()
                .expect("an output")
        });
    let describe = mock!(aws_sdk_efs::Client::describe_file_systems)
        .match_requests(|r| r.file_system_id() == Some(FS))
        .sequence()
        .output(|| page(LifeCycleState::Creating))
        .times(2)
        .output(|| page(LifeCycleState::Available))
        .repeatedly()
        .build();
    let listed = mock!(aws_sdk_efs::Client::describe_mount_targets)
        .sequence()
        .output(|| targets(None))
        .output(|| targets(Some(LifeCycleState::Creating)))
        .times(2)
        .output(|| targets(Some(LifeCycleState::Available)))
        .repeatedly()
        .build();
    let made = mock!(aws_sdk_efs::Client::create_mount_target)
        .match_requests(|r| {
            r.file_system_id() == Some(FS)
                && r.subnet_id() == Some("subnet-a")
                && r.security_groups() == ["sg-1"]
                && r.ip_address().is_none()
        })
        .then_output(|| {
            CreateMountTargetOutput::builder()
                .mount_target_id(TARGET)
                .file_system_id(FS)
                .subnet_id("subnet-a")
                .life_cycle_state(LifeCycleState::Creating)
                .build()
                .expect("an output")
        });
    let groups = mock!(aws_sdk_efs::Client::describe_mount_target_security_groups)
        .match_requests(|r| r.mount_target_id() == Some(TARGET))
        .then_output(|| {
            DescribeMountTargetSecurityGroupsOutput::builder()
                .security_groups("sg-1")
                .build()
                .expect("an output")
        });
    let efs = mock_client!(
        aws_sdk_efs,
        RuleMode::MatchAny,
        [&create, &describe, &listed, &made, &groups]
    );
    let p = super::provider(|c| c.efs = efs);
    let target = Value::Map(attrs(&[
        ("subnet", Value::from("subnet-a")),
        ("security_groups", Value::List(vec![Value::from("sg-1")])),
    ]));
    let desired = Resource {
        address: Address::new(Kind::EfsFileSystem, "files"),
        attrs: attrs(&[
            ("creation_token", Value::from("shop-files")),
            ("encrypted", Value::Bool(true)),
            ("kms_key", Value::from("alias/files")),
            ("throughput_mode", Value::from("provisioned")),
            ("provisioned_throughput", Value::Int(64)),
            ("mount_target", Value::List(vec![target])),
        ]),
        created: None,
    };
    let made_fs = p.create("shop", &desired).await.expect("created once available");
    assert_eq!(made_fs.attrs["id"], Value::from(FS));
    assert_eq!(made_fs.attrs["arn"], Value::from(ARN));
    assert_eq!(
        made_fs.attrs["dns_name"],
        Value::from("fs-0123456789abcdef0.efs.us-east-1.amazonaws.com")
    );
    assert_eq!(made_fs.attrs["kms_key"], Value::from("alias/files"));
    assert_eq!(made_fs.attrs["provisioned_throughput"], Value::Int(64));
    assert_eq!(
        made_fs.attrs["mount_target"],
        Value::List(vec![Value::Map(attrs(&[
            ("subnet", Value::from("subnet-a")),
            ("security_groups", Value::List(vec![Value::from("sg-1")])),
            ("ip_address", Value::from("10.0.1.7")),
        ]))])
    );
    // DescribeMountTargets: before, twice creating, available, and the
    // read of what was made.
    assert_eq!(
        (
            create.num_calls(),
            describe.num_calls(),
            made.num_calls(),
            listed.num_calls()
        ),
        (1, 3, 1, 5)
    );
}

/// A throughput change is UpdateFileSystem (then a wait until the file
/// system is available again); a policy removed is DeleteFileSystemPolicy.
/// Within 24 hours of the last change AWS answers TooManyRequests with
/// HTTP 429: no throttling, the error says when to come back.
#[tokio::test(start_paused = true)]
async fn throughput_changes_through_update_file_system_once_a_day() {
    let update = mock!(aws_sdk_efs::Client::update_file_system)
        .match_requests(|r| {
            r.file_system_id() == Some(FS)
                && r.throughput_mode() == Some(&ThroughputMode::Provisioned)
                && r.provisioned_throughput_in_mibps() == Some(128.0)
        })
        .then_output(|| {
            UpdateFileSystemOutput::builder()
                .owner_id("123456789012")
                .creation_token("shop-files")
                .file_system_id(FS)
                .creation_time(DateTime::from_secs(0))
                .life_cycle_state(LifeCycleState::Updating)
                .number_of_mount_targets(0)
                .performance_mode(PerformanceMode::GeneralPurpose)
                .set_tags(Some(Vec::new()))
                .build()
                .expect("an output")
        });
    let describe = mock!(aws_sdk_efs::Client::describe_file_systems)
        .sequence()
        .output(|| page(LifeCycleState::Updating))
        .output(|| page(LifeCycleState::Available))
        .build();
    let unpoliced = mock!(aws_sdk_efs::Client::delete_file_system_policy)
        .match_requests(|r| r.file_system_id() == Some(FS))
        .then_output(|| DeleteFileSystemPolicyOutput::builder().build());
    let efs = mock_client!(aws_sdk_efs, RuleMode::MatchAny, [&update, &describe, &unpoliced]);
    let p = super::provider(|c| c.efs = efs);
    let policy = Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "elasticfilesystem:ClientMount"}],
    }));
    let was = live(&[("policy", policy)]);
    let desired = live(&[
        ("throughput_mode", Value::from("provisioned")),
        ("provisioned_throughput", Value::Int(128)),
    ]);
    let updated = p.update("shop", &was, &desired).await.expect("updated");
    assert_eq!(updated.attrs["throughput_mode"], Value::from("provisioned"));
    assert_eq!(updated.attrs["policy"], Value::Null);
    assert_eq!(updated.attrs["id"], Value::from(FS), "kept");
    assert_eq!(
        (update.num_calls(), describe.num_calls(), unpoliced.num_calls()),
        (1, 2, 1)
    );

    // Less throughput the same day: the mode unchanged is not sent.
    let refused = mock!(aws_sdk_efs::Client::update_file_system)
        .match_requests(|r| {
            r.throughput_mode().is_none() && r.provisioned_throughput_in_mibps() == Some(64.0)
        })
        .sequence()
        .http_status(
            429,
            Some(r#"{"__type":"TooManyRequests","message":"You have reached the limit"}"#.to_owned()),
        )
        .build();
    let efs = mock_client!(aws_sdk_efs, RuleMode::MatchAny, [&refused]);
    let p = super::provider(|c| c.efs = efs);
    let lower = live(&[
        ("throughput_mode", Value::from("provisioned")),
        ("provisioned_throughput", Value::Int(64)),
    ]);
    let err = p.update("shop", &updated, &lower).await.expect_err("refused");
    assert_eq!(
        (err.call.as_str(), err.code.as_str(), err.class),
        ("UpdateFileSystem", "TooManyRequests", ErrorClass::Permanent)
    );
    assert!(err.message.contains("24 hours"), "{err}");
    assert_eq!(refused.num_calls(), 1, "not retried");
}

/// Delete: the mount target first; EFS answers FileSystemInUse until it
/// has let the mount target go (and is sent again meanwhile), then the
/// file system is waited for until EFS no longer knows it.
#[tokio::test(start_paused = true)]
async fn a_file_system_is_deleted_once_its_mount_targets_are_gone() {
    let listed = mock!(aws_sdk_efs::Client::describe_mount_targets)
        .sequence()
        .output(|| targets(Some(LifeCycleState::Available)))
        .output(|| targets(Some(LifeCycleState::Deleting)))
        .output(|| targets(None))
        .build();
    let unmounted = mock!(aws_sdk_efs::Client::delete_mount_target)
        .match_requests(|r| r.mount_target_id() == Some(TARGET))
        .then_output(|| DeleteMountTargetOutput::builder().build());
    let deleted = mock!(aws_sdk_efs::Client::delete_file_system)
        .match_requests(|r| r.file_system_id() == Some(FS))
        .sequence()
        .error(|| DeleteFileSystemError::generic(meta("FileSystemInUse")))
        .times(2)
        .output(|| DeleteFileSystemOutput::builder().build())
        .build();
    let describe = mock!(aws_sdk_efs::Client::describe_file_systems)
        .sequence()
        .output(|| page(LifeCycleState::Deleting))
        .error(|| DescribeFileSystemsError::generic(meta("FileSystemNotFound")))
        .build();
    let efs = mock_client!(
        aws_sdk_efs,
        RuleMode::MatchAny,
        [&listed, &unmounted, &deleted, &describe]
    );
    let p = super::provider(|c| c.efs = efs);
    p.delete("shop", &live(&[])).await.expect("deleted");
    assert_eq!(
        (
            listed.num_calls(),
            unmounted.num_calls(),
            deleted.num_calls(),
            describe.num_calls()
        ),
        (3, 1, 3, 2)
    );
}

/// CreateAccessPoint sent again with its client token may be answered
/// AccessPointAlreadyExists: the access point of the file system made
/// with that token is the one.
#[tokio::test(start_paused = true)]
async fn an_access_point_made_with_the_token_already_is_taken() {
    let sent = Arc::new(Mutex::new(String::new()));
    let token = sent.clone();
    let create = mock!(aws_sdk_efs::Client::create_access_point)
        .match_requests(move |r| {
            let user = r.posix_user();
            let root = r.root_directory();
            *token.lock().unwrap_or_else(|p| p.into_inner()) =
                r.client_token().unwrap_or_default().to_owned();
            r.file_system_id() == Some(FS)
                && user.map(|u| (u.uid(), u.gid(), u.secondary_gids().to_vec()))
                    == Some((1000, 1000, vec![4]))
                && root.and_then(|r| r.path()) == Some("/uploads")
                && root.and_then(|r| r.creation_info()).map(|c| c.permissions()) == Some("0750")
        })
        .then_error(|| CreateAccessPointError::generic(meta("AccessPointAlreadyExists")));
    let token = sent.clone();
    let listed = mock!(aws_sdk_efs::Client::describe_access_points)
        .match_requests(|r| r.file_system_id() == Some(FS))
        .then_output(move || {
            let token = token.lock().unwrap_or_else(|p| p.into_inner()).clone();
            DescribeAccessPointsOutput::builder()
                .access_points(
                    AccessPointDescription::builder()
                        .access_point_id("fsap-other")
                        .client_token("another")
                        .build(),
                )
                .access_points(
                    AccessPointDescription::builder()
                        .access_point_id("fsap-mine")
                        .client_token(token)
                        .build(),
                )
                .build()
        });
    let described = mock!(aws_sdk_efs::Client::describe_access_points)
        .match_requests(|r| r.access_point_id() == Some("fsap-mine"))
        .then_output(|| {
            DescribeAccessPointsOutput::builder()
                .access_points(
                    AccessPointDescription::builder()
                        .access_point_id("fsap-mine")
                        .access_point_arn(
                            "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-mine",
                        )
                        .life_cycle_state(LifeCycleState::Available)
                        .build(),
                )
                .build()
        });
    let efs = mock_client!(aws_sdk_efs, RuleMode::MatchAny, [&create, &listed, &described]);
    let p = super::provider(|c| c.efs = efs);
    let desired = Resource {
        address: Address::new(Kind::EfsAccessPoint, "uploads"),
        attrs: attrs(&[
            ("file_system", Value::from(FS)),
            ("posix_uid", Value::Int(1000)),
            ("posix_gid", Value::Int(1000)),
            ("posix_secondary_gids", Value::List(vec![Value::Int(4)])),
            ("root_directory", Value::from("/uploads")),
            ("owner_uid", Value::Int(1000)),
            ("owner_gid", Value::Int(1000)),
            ("permissions", Value::from("0750")),
        ]),
        created: None,
    };
    let made = p.create("shop", &desired).await.expect("taken");
    assert_eq!(made.attrs["id"], Value::from("fsap-mine"));
    assert!(
        !sent.lock().unwrap_or_else(|p| p.into_inner()).is_empty(),
        "a token sent"
    );
    assert_eq!(
        (create.num_calls(), listed.num_calls(), described.num_calls()),
        (1, 1, 1)
    );
}
