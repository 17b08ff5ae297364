//! `efs_file_system`: a file system with its lifecycle policies, file
//! system policy and mount targets (`mount_target.rs`).
//!
//! Create: CreateFileSystem (the creation token as given, else berth's
//! with a random suffix; performance and throughput modes, encryption, One
//! Zone, tags), whose token makes it idempotent: sent again after a lost
//! answer it is answered FileSystemAlreadyExists, and the file system of
//! that token (DescribeFileSystems by CreationToken) is taken when its
//! tags make it this stack's at this address. Then, once DescribeFileSystems
//! says it is available: PutLifecycleConfiguration (when a transition is
//! given), PutFileSystemPolicy (when a policy is), the mount targets, and
//! a wait until every one is available.
//!
//! Update: UpdateFileSystem for the throughput (then a wait until the file
//! system is available again), PutLifecycleConfiguration (an empty list
//! takes every transition off), PutFileSystemPolicy /
//! DeleteFileSystemPolicy, TagResource / UntagResource, the mount targets.
//!
//! Delete: DeleteMountTarget of each mount target, a wait until EFS has
//! deleted them, DeleteFileSystem (sent again while EFS answers
//! FileSystemInUse), and a wait until the file system is gone, so that a
//! replacement may take its creation token.
//!
//! EFS answers a file system's KMS key as its ARN whatever was written
//! (an id, an alias), and an encrypted file system without one with the
//! ARN of EFS's AWS managed key. berth records the key as written in the
//! `berth:kms_key` tag at create (empty for EFS's own key), and reads it
//! back from there: a file system's key never changes. One without the
//! record (made outside berth) reads as its key's ARN, or none when
//! DescribeKey says the key is AWS managed.

use std::time::Duration;

use aws_sdk_efs::types::{
    FileSystemDescription, LifeCycleState, LifecyclePolicy, PerformanceMode, ThroughputMode,
    TransitionToArchiveRules, TransitionToIaRules, TransitionToPrimaryStorageClassRules,
};
use aws_sdk_kms::types::KeyManagerType;
use berth_provider::attrs::keep_chosen;
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value, naming, policy};
use futures::future::try_join_all;

use super::mount_target::{self, MountTarget};
use super::{
    FS_NOT_FOUND, SERVICE, id_in, id_of, pairs, present, sdk_tags, until_available, update_tags, user_tags,
};
use crate::attrs::{
    blocks_of, bool_of, canonical, complete, create_tags, f64_of, keep, opt_str, owned, resource, str_of,
};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::tagging::{self, Tags};
use crate::{AwsProvider, paginate};

const KIND: Kind = Kind::EfsFileSystem;

/// What CreateFileSystem answers for a creation token that is taken.
const ALREADY_EXISTS: &str = "FileSystemAlreadyExists";
/// ...DeleteFileSystem for a file system that still has mount targets.
const IN_USE: &str = "FileSystemInUse";
/// ...DescribeFileSystemPolicy for a file system without a policy.
const NO_POLICY: &str = "PolicyNotFound";
/// ...UpdateFileSystem within 24 hours of the last throughput mode change
/// or decrease of provisioned throughput.
const TOO_SOON: &str = "TooManyRequests";

/// The tag recording the KMS key as written (see the module's comment).
const KMS_TAG: &str = "berth:kms_key";

/// The throughput mode EFS gives a file system without one.
const BURSTING: &str = "bursting";
/// The throughput mode that takes a number of MiB/s.
const PROVISIONED: &str = "provisioned";

/// The most file systems one DescribeFileSystems page holds (the API's
/// limit).
const PAGE: i32 = 100;

/// How long a file system may take to become available, or to go (AWS:
/// seconds).
const WAIT: Duration = Duration::from_secs(10 * 60);

/// The lifecycle policies' attributes.
const TRANSITIONS: [&str; 3] = [
    "transition_to_ia",
    "transition_to_archive",
    "transition_to_primary_storage_class",
];

/// What the file system's id settles, which an update keeps.
const COMPUTED: [&str; 4] = ["id", "arn", "dns_name", "creation_token"];

/// Makes the file system and its mount targets, and waits until they are
/// available (see the module's comment).
pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let address = &desired.address;
    let mut a = complete(KIND, &desired.attrs);
    canonical(KIND, &mut a);
    let token = naming::given(&a, "creation_token").map_or_else(
        || naming::efs_creation_token(stack, address, fastrand::u32(..)),
        str::to_owned,
    );
    let call = "CreateFileSystem";
    let mut tags = create_tags(stack, address, &a);
    if bool_of(&a, "encrypted") {
        tags.insert(KMS_TAG.to_owned(), kms_key(&a).unwrap_or_default().to_owned());
    }
    let tags = sdk_tags(call, tags)?;
    let efs = &p.clients.efs;
    // The creation token makes the call idempotent: sent again after a
    // lost answer, it is answered FileSystemAlreadyExists.
    let made = p
        .call(SERVICE, call, || {
            efs.create_file_system()
                .creation_token(&token)
                .set_performance_mode(str_of(&a, "performance_mode").map(PerformanceMode::from))
                .encrypted(bool_of(&a, "encrypted"))
                .set_kms_key_id(kms_key(&a).map(str::to_owned))
                .throughput_mode(ThroughputMode::from(throughput_mode(&a)))
                .set_provisioned_throughput_in_mibps(provisioned(&a))
                .set_availability_zone_name(str_of(&a, "availability_zone").map(str::to_owned))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await;
    let id = match made {
        Ok(out) => out.file_system_id,
        Err(e) if e.code == ALREADY_EXISTS => made_before(p, stack, address, &token, e).await?,
        Err(e) => return Err(e),
    };
    let fs = available(p, &id).await?;
    if TRANSITIONS.iter().any(|k| str_of(&a, k).is_some()) {
        put_lifecycle(p, &id, &a).await?;
    }
    if let Some(doc) = document(&a) {
        put_policy(p, &id, &doc).await?;
    }
    let targets = mount_target::sync(p, &id, &blocks_of(&a, "mount_target")).await?;
    a.insert("mount_target".to_owned(), mount_target::blocks(&targets));
    a.insert("creation_token".to_owned(), Value::String(token));
    for (k, v) in computed(p, &fs) {
        a.insert(k.to_owned(), v);
    }
    Ok(resource(address.clone(), a))
}

/// The file system CreateFileSystem refused (`err`) as one with `token`
/// exists already: its id when its tags make it this stack's `address`
/// (made by a sending whose answer was lost), else `err` saying how to
/// adopt it.
async fn made_before(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    token: &str,
    mut err: ProviderError,
) -> Result<String, ProviderError> {
    let efs = &p.clients.efs;
    let found = p
        .call(SERVICE, "DescribeFileSystems", || {
            efs.describe_file_systems().creation_token(token).send()
        })
        .await?
        .file_systems
        .unwrap_or_default()
        .into_iter()
        .next();
    let Some(fs) = found else {
        // Deleted since: the refusal stands.
        return Err(err);
    };
    let tags = pairs(fs.tags());
    let ours = owned(stack, KIND, tagging::pairs(&tags)).as_ref() == Some(address);
    if ours && present(Some(fs.life_cycle_state())) {
        return Ok(fs.file_system_id);
    }
    let id = fs.file_system_id();
    err.message = if ours {
        format!(
            "the file system {id} of creation token {token} is being deleted: apply again once it is gone ({})",
            err.message
        )
    } else {
        format!(
            "the file system {id} has the creation token {token} already, not as this stack's {address}: `berth import {address} {id}` adopts it, or give another `creation_token` ({})",
            err.message
        )
    };
    Err(err)
}

/// The KMS key given, if any.
fn kms_key(a: &Attrs) -> Option<&str> {
    str_of(a, "kms_key").filter(|k| !k.is_empty())
}

/// The throughput mode of `a`, EFS's default when left out.
fn throughput_mode(a: &Attrs) -> &str {
    str_of(a, "throughput_mode").unwrap_or(BURSTING)
}

/// The MiB/s of a provisioned file system (none for another mode, which
/// EFS refuses them for).
fn provisioned(a: &Attrs) -> Option<f64> {
    (throughput_mode(a) == PROVISIONED)
        .then(|| f64_of(a, "provisioned_throughput"))
        .flatten()
}

/// The file system policy as EFS takes it, when one is given.
fn document(a: &Attrs) -> Option<String> {
    a.get("policy")
        .filter(|v| **v != Value::Null)
        .map(policy::to_json_text)
}

/// The attributes the file system's description settles: its id, ARN and
/// DNS name.
fn computed(p: &AwsProvider, fs: &FileSystemDescription) -> [(&'static str, Value); 3] {
    let id = fs.file_system_id();
    let arn = fs.file_system_arn();
    [
        ("id", Value::from(id)),
        ("arn", opt_str(arn)),
        ("dns_name", Value::String(dns_name(id, arn, p.region()))),
    ]
}

/// `ID.efs.REGION.SUFFIX`, the suffix of the ARN's partition.
fn dns_name(id: &str, arn: Option<&str>, region: &str) -> String {
    let partition = arn.and_then(|a| a.split(':').nth(1)).unwrap_or("aws");
    format!(
        "{id}.efs.{region}.{}",
        berth_provider::lookup::dns_suffix(partition)
    )
}

/// Waits until DescribeFileSystems says the file system `id` is available
/// (AWS: seconds after CreateFileSystem or UpdateFileSystem), and answers
/// its description.
async fn available(p: &AwsProvider, id: &str) -> Result<FileSystemDescription, ProviderError> {
    let call = "DescribeFileSystems";
    let what = format!("the file system {id}");
    let poll = Poll::new(
        call,
        format!("{what} not available"),
        WAIT,
        Duration::from_secs(2),
    );
    until_available(
        poll,
        (call, "FileSystemNotAvailable", &what),
        &[LifeCycleState::Creating, LifeCycleState::Updating],
        || describe(p, id),
        |fs: &FileSystemDescription| fs.life_cycle_state().clone(),
    )
    .await
}

/// Waits until DescribeFileSystems no longer knows the file system `id`
/// (or says it is deleted).
async fn gone(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    let call = "DescribeFileSystems";
    let mut poll = Poll::new(
        call,
        format!("the file system {id} not deleted"),
        WAIT,
        Duration::from_secs(2),
    );
    loop {
        match describe(p, id).await? {
            None => return Ok(()),
            Some(fs) if *fs.life_cycle_state() == LifeCycleState::Deleted => return Ok(()),
            Some(fs) => poll.pause(fs.life_cycle_state().as_str()).await?,
        }
    }
}

/// DescribeFileSystems of one id; none when EFS knows no such file system.
async fn describe(p: &AwsProvider, id: &str) -> Result<Option<FileSystemDescription>, ProviderError> {
    let efs = &p.clients.efs;
    let out = p
        .call_unless(SERVICE, "DescribeFileSystems", &[FS_NOT_FOUND], || {
            efs.describe_file_systems().file_system_id(id).send()
        })
        .await?;
    Ok(out.and_then(|o| o.file_systems.unwrap_or_default().into_iter().next()))
}

/// PutLifecycleConfiguration with the transitions of `a`, one policy
/// each (EFS takes one transition per policy); none takes them all off.
async fn put_lifecycle(p: &AwsProvider, id: &str, a: &Attrs) -> Result<(), ProviderError> {
    let mut policies = Vec::new();
    if let Some(v) = str_of(a, "transition_to_ia") {
        policies.push(
            LifecyclePolicy::builder()
                .transition_to_ia(TransitionToIaRules::from(v))
                .build(),
        );
    }
    if let Some(v) = str_of(a, "transition_to_archive") {
        policies.push(
            LifecyclePolicy::builder()
                .transition_to_archive(TransitionToArchiveRules::from(v))
                .build(),
        );
    }
    if let Some(v) = str_of(a, "transition_to_primary_storage_class") {
        policies.push(
            LifecyclePolicy::builder()
                .transition_to_primary_storage_class(TransitionToPrimaryStorageClassRules::from(v))
                .build(),
        );
    }
    let efs = &p.clients.efs;
    p.call(SERVICE, "PutLifecycleConfiguration", || {
        efs.put_lifecycle_configuration()
            .file_system_id(id)
            .set_lifecycle_policies(Some(policies.clone()))
            .send()
    })
    .await?;
    Ok(())
}

async fn put_policy(p: &AwsProvider, id: &str, doc: &str) -> Result<(), ProviderError> {
    let efs = &p.clients.efs;
    p.call(SERVICE, "PutFileSystemPolicy", || {
        efs.put_file_system_policy().file_system_id(id).policy(doc).send()
    })
    .await?;
    Ok(())
}

/// Changes the throughput, lifecycle, policy, tags and mount targets in
/// place; the other settings replace the file system.
pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut new = complete(KIND, &desired.attrs);
    canonical(KIND, &mut new);
    let old = &live.attrs;
    // A mount target's address and groups left out stay what EFS chose.
    keep_chosen(KIND, old, &mut new);
    canonical(KIND, &mut new);
    let id = id_of(old).to_owned();
    let changed = |k: &str| old.get(k) != new.get(k);
    if changed("throughput_mode") || changed("provisioned_throughput") {
        update_throughput(p, &id, old, &new).await?;
    }
    if TRANSITIONS.iter().any(|k| changed(k)) {
        put_lifecycle(p, &id, &new).await?;
    }
    if changed("policy") {
        match document(&new) {
            Some(doc) => put_policy(p, &id, &doc).await?,
            None => {
                let efs = &p.clients.efs;
                p.call(SERVICE, "DeleteFileSystemPolicy", || {
                    efs.delete_file_system_policy().file_system_id(&id).send()
                })
                .await?;
            }
        }
    }
    update_tags(p, &id, old, &new).await?;
    if changed("mount_target") {
        let targets = mount_target::sync(p, &id, &blocks_of(&new, "mount_target")).await?;
        new.insert("mount_target".to_owned(), mount_target::blocks(&targets));
    }
    keep(&mut new, old, &COMPUTED);
    Ok(resource(live.address.clone(), new))
}

/// UpdateFileSystem: the mode when it changes, the MiB/s of a provisioned
/// file system when they or the mode change; then a wait until the file
/// system is available again.
async fn update_throughput(p: &AwsProvider, id: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let mode = throughput_mode(new);
    let mode_changed = throughput_mode(old) != mode;
    let mibps = provisioned(new).filter(|_| mode_changed || provisioned(old) != provisioned(new));
    let call = "UpdateFileSystem";
    let efs = &p.clients.efs;
    p.call(SERVICE, call, || {
        efs.update_file_system()
            .file_system_id(id)
            .set_throughput_mode(mode_changed.then(|| ThroughputMode::from(mode)))
            .set_provisioned_throughput_in_mibps(mibps)
            .send()
    })
    .await
    .map_err(|mut e| {
        if e.code == TOO_SOON {
            e.message = format!(
                "EFS changes a file system's throughput mode, or lowers its provisioned throughput, once in 24 hours: {id} changed less than 24 hours ago; apply again later ({})",
                e.message
            );
        }
        e
    })?;
    available(p, id).await?;
    Ok(())
}

/// Deletes the mount targets, then the file system, and waits until it
/// is gone; one already gone is deleted.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let id = id_of(&live.attrs);
    if !mount_target::delete_all(p, id).await? {
        return Ok(());
    }
    let call = "DeleteFileSystem";
    let efs = &p.clients.efs;
    // EFS answers FileSystemInUse while it finishes deleting mount targets.
    let poll = Poll::new(
        call,
        format!("the file system {id} in use"),
        WAIT,
        Duration::from_secs(5),
    );
    poll.resend_while(
        |e| e.code == IN_USE,
        || {
            p.call_unless(SERVICE, call, &[FS_NOT_FOUND], || {
                efs.delete_file_system().file_system_id(id).send()
            })
        },
    )
    .await?;
    gone(p, id).await
}

/// Adoption's tag recording the key of an encrypted file system, as read
/// (none for EFS's own key), so that later reads spell it the same.
pub(super) fn adopted_tags(live: &Attrs) -> Vec<(String, String)> {
    if !bool_of(live, "encrypted") {
        return Vec::new();
    }
    vec![(KMS_TAG.to_owned(), kms_key(live).unwrap_or_default().to_owned())]
}

/// The stack's file systems (or the one `scope` looks for): one listing,
/// then each one's settings at once.
pub(super) async fn read_all(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let efs = &p.clients.efs;
    let listed = p
        .list(SERVICE, "DescribeFileSystems", || {
            paginate!(efs.describe_file_systems().max_items(PAGE), file_systems)
        })
        .await?;
    let reads = listed
        .into_iter()
        .filter(|fs| present(Some(fs.life_cycle_state())))
        .filter_map(|fs| {
            let tags = pairs(fs.tags());
            let address = scope.address(KIND, tagging::pairs(&tags))?;
            Some(read(p, address, fs, tags))
        });
    let read: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(read.into_iter().flatten().collect())
}

/// The file system `scope` looks for, by id or ARN.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = id_in(scope.id().unwrap_or_default(), "file-system");
    // AWS refuses an id of another form (BadRequest): no such file system.
    if !id.starts_with("fs-") {
        return Ok(None);
    }
    let Some(fs) = describe(p, id).await? else {
        return Ok(None);
    };
    if !present(Some(fs.life_cycle_state())) {
        return Ok(None);
    }
    let tags = pairs(fs.tags());
    let Some(address) = scope.address(KIND, tagging::pairs(&tags)) else {
        return Ok(None);
    };
    read(p, address, fs, tags).await
}

/// What EFS holds of one file system besides its description.
#[derive(Debug, Default)]
struct Held {
    lifecycle: Vec<LifecyclePolicy>,
    policy: Option<String>,
    targets: Vec<MountTarget>,
    kms_key: Option<String>,
}

/// The file system `fs` at `address`, its lifecycle, policy, mount
/// targets and key read at once; none when it is gone meanwhile.
async fn read(
    p: &AwsProvider,
    address: Address,
    fs: FileSystemDescription,
    tags: Tags,
) -> Result<Option<Resource>, ProviderError> {
    let id = fs.file_system_id();
    let efs = &p.clients.efs;
    let lifecycle = p.call_unless(SERVICE, "DescribeLifecycleConfiguration", &[FS_NOT_FOUND], || {
        efs.describe_lifecycle_configuration().file_system_id(id).send()
    });
    let policy = p.call_unless(
        SERVICE,
        "DescribeFileSystemPolicy",
        &[NO_POLICY, FS_NOT_FOUND],
        || efs.describe_file_system_policy().file_system_id(id).send(),
    );
    let (lifecycle, policy, targets, kms_key) = tokio::try_join!(
        lifecycle,
        policy,
        mount_target::read(p, id),
        key_of(p, &fs, &tags)
    )?;
    let (Some(lifecycle), Some(targets)) = (lifecycle, targets) else {
        return Ok(None);
    };
    let held = Held {
        lifecycle: lifecycle.lifecycle_policies.unwrap_or_default(),
        policy: policy.and_then(|o| o.policy),
        targets,
        kms_key,
    };
    let mut a = decode(&fs, &tags, &held);
    for (k, v) in computed(p, &fs) {
        a.insert(k.to_owned(), v);
    }
    Ok(Some(resource(address, a)))
}

/// The KMS key of an encrypted file system as berth spells it: the
/// `berth:kms_key` record (empty: EFS's own key, none), else the key's ARN
/// unless DescribeKey says it is AWS managed.
async fn key_of(
    p: &AwsProvider,
    fs: &FileSystemDescription,
    tags: &Tags,
) -> Result<Option<String>, ProviderError> {
    if fs.encrypted() != Some(true) {
        return Ok(None);
    }
    if let Some((_, record)) = tags.iter().find(|(k, _)| k == KMS_TAG) {
        return Ok(Some(record.clone()).filter(|r| !r.is_empty()));
    }
    let Some(arn) = fs.kms_key_id() else {
        return Ok(None);
    };
    let key = crate::kms::describe(p, arn).await?;
    let aws_managed = key.is_some_and(|k| k.key_manager() == Some(&KeyManagerType::Aws));
    Ok((!aws_managed).then(|| arn.to_owned()))
}

/// The file system's settings as berth holds them (computed attributes
/// apart).
fn decode(fs: &FileSystemDescription, tags: &Tags, held: &Held) -> Attrs {
    let mode = fs.throughput_mode().map_or(BURSTING, ThroughputMode::as_str);
    // EFS may keep the MiB/s of a file system no longer provisioned.
    let mibps = fs
        .provisioned_throughput_in_mibps()
        .filter(|_| mode == PROVISIONED)
        .and_then(Value::from_f64)
        .unwrap_or(Value::Null);
    let transition = |get: fn(&LifecyclePolicy) -> Option<&str>| opt_str(held.lifecycle.iter().find_map(get));
    [
        ("encrypted", Value::Bool(fs.encrypted().unwrap_or(false))),
        ("kms_key", opt_str(held.kms_key.as_deref())),
        ("performance_mode", Value::from(fs.performance_mode().as_str())),
        ("throughput_mode", Value::from(mode)),
        ("provisioned_throughput", mibps),
        ("availability_zone", opt_str(fs.availability_zone_name())),
        (
            "transition_to_ia",
            transition(|l| l.transition_to_ia().map(TransitionToIaRules::as_str)),
        ),
        (
            "transition_to_archive",
            transition(|l| l.transition_to_archive().map(TransitionToArchiveRules::as_str)),
        ),
        (
            "transition_to_primary_storage_class",
            transition(|l| {
                l.transition_to_primary_storage_class()
                    .map(TransitionToPrimaryStorageClassRules::as_str)
            }),
        ),
        (
            "policy",
            held.policy
                .as_deref()
                .filter(|d| !d.is_empty())
                .map_or(Value::Null, policy::from_aws),
        ),
        ("tags", user_tags(tags)),
        ("creation_token", Value::from(fs.creation_token())),
        ("mount_target", mount_target::blocks(&held.targets)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[cfg(test)]
mod tests {
    use aws_smithy_types::DateTime;

    use super::*;

    fn description(mode: ThroughputMode, mibps: Option<f64>) -> FileSystemDescription {
        FileSystemDescription::builder()
            .owner_id("123456789012")
            .creation_token("s-files-0a1b2c")
            .file_system_id("fs-0123abcd")
            .file_system_arn("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123abcd")
            .creation_time(DateTime::from_secs(0))
            .life_cycle_state(LifeCycleState::Available)
            .number_of_mount_targets(1)
            .performance_mode(PerformanceMode::GeneralPurpose)
            .set_tags(Some(Vec::new()))
            .encrypted(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/1234")
            .throughput_mode(mode)
            .set_provisioned_throughput_in_mibps(mibps)
            .build()
            .expect("a description")
    }

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_file_system_decodes_as_written() {
        let held = Held {
            lifecycle: vec![
                LifecyclePolicy::builder()
                    .transition_to_ia(TransitionToIaRules::After30Days)
                    .build(),
                LifecyclePolicy::builder()
                    .transition_to_primary_storage_class(TransitionToPrimaryStorageClassRules::After1Access)
                    .build(),
            ],
            policy: None,
            targets: vec![MountTarget {
                id: "fsmt-1".to_owned(),
                subnet: "subnet-b".to_owned(),
                ip: Some("10.0.2.9".to_owned()),
                groups: vec!["sg-2".to_owned(), "sg-1".to_owned()],
            }],
            kms_key: Some("alias/files".to_owned()),
        };
        let fs = description(ThroughputMode::Provisioned, Some(12.5));
        let mut a = decode(
            &fs,
            &tags(&[("berth:kms_key", "alias/files"), ("team", "web")]),
            &held,
        );
        canonical(KIND, &mut a);
        assert_eq!(a["kms_key"], Value::from("alias/files"), "as recorded");
        assert_eq!(a["throughput_mode"], Value::from("provisioned"));
        assert_eq!(
            a["provisioned_throughput"],
            Value::from_f64(12.5).unwrap_or(Value::Null)
        );
        assert_eq!(a["transition_to_ia"], Value::from("AFTER_30_DAYS"));
        assert_eq!(a["transition_to_archive"], Value::Null);
        assert_eq!(
            a["transition_to_primary_storage_class"],
            Value::from("AFTER_1_ACCESS")
        );
        assert_eq!(a["availability_zone"], Value::Null);
        assert_eq!(a["policy"], Value::Null);
        assert_eq!(a["creation_token"], Value::from("s-files-0a1b2c"));
        assert_eq!(
            a["tags"],
            Value::Map([("team".to_owned(), Value::from("web"))].into())
        );
        let targets = a["mount_target"].as_list().unwrap_or_default();
        let groups = targets[0].as_map().map(|m| m["security_groups"].clone());
        assert_eq!(
            groups,
            Some(Value::List(vec![Value::from("sg-1"), Value::from("sg-2")])),
            "a set, sorted"
        );
    }

    #[test]
    fn provisioned_throughput_reads_only_for_a_provisioned_file_system() {
        let fs = description(ThroughputMode::Bursting, Some(64.0));
        let a = decode(&fs, &Vec::new(), &Held::default());
        assert_eq!(a["provisioned_throughput"], Value::Null);
        assert_eq!(a["throughput_mode"], Value::from("bursting"));
        let fs = description(ThroughputMode::Provisioned, Some(64.0));
        let a = decode(&fs, &Vec::new(), &Held::default());
        assert_eq!(a["provisioned_throughput"], Value::Int(64), "a whole number");
    }

    #[test]
    fn dns_names_follow_the_partition() {
        assert_eq!(
            dns_name(
                "fs-1",
                Some("arn:aws:elasticfilesystem:us-east-1:1:file-system/fs-1"),
                "us-east-1"
            ),
            "fs-1.efs.us-east-1.amazonaws.com"
        );
        assert_eq!(
            dns_name(
                "fs-1",
                Some("arn:aws-cn:elasticfilesystem:cn-north-1:1:file-system/fs-1"),
                "cn-north-1"
            ),
            "fs-1.efs.cn-north-1.amazonaws.com.cn"
        );
    }

    #[test]
    fn adoption_records_the_key_as_read() {
        let a = |pairs: &[(&str, Value)]| -> Attrs {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
        };
        assert!(adopted_tags(&a(&[("encrypted", Value::Bool(false))])).is_empty());
        assert_eq!(
            adopted_tags(&a(&[("encrypted", Value::Bool(true)), ("kms_key", Value::Null)])),
            [(KMS_TAG.to_owned(), String::new())]
        );
        assert_eq!(
            adopted_tags(&a(&[
                ("encrypted", Value::Bool(true)),
                ("kms_key", Value::from("arn:aws:kms:us-east-1:1:key/k"))
            ])),
            [(KMS_TAG.to_owned(), "arn:aws:kms:us-east-1:1:key/k".to_owned())]
        );
    }
}
