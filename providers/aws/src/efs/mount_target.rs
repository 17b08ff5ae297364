//! An `efs_file_system`'s `mount_target` blocks, known by their subnet
//! (EFS allows one mount target per zone).
//!
//! Brought to the blocks (at create and update alike): a block of a new
//! subnet is CreateMountTarget; a mount target whose subnet no block names
//! is DeleteMountTarget; a block naming another `ip_address` than its
//! mount target's deletes it and makes it anew; other `security_groups` are
//! ModifyMountTargetSecurityGroups. A block leaving the groups or the
//! address out keeps what EFS chose. Group changes go first, then the
//! deletions, waited for (a zone holds one mount target), then the
//! creations, then a wait until every mount target is available (AWS: a
//! minute or two).
//!
//! CreateMountTarget takes no client token: sent again after a lost
//! answer, it is answered MountTargetConflict (the zone has one already),
//! which after an attempt that got no answer means that attempt made it.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use aws_sdk_efs::types::{LifeCycleState, MountTargetDescription};
use berth_provider::{Attrs, ProviderError, Value};
use futures::future::try_join_all;

use super::{FS_NOT_FOUND, SERVICE, present};
use crate::attrs::{opt_str, str_list, str_of, strs_of};
use crate::poll::Poll;
use crate::{AwsProvider, paginate};

/// What EFS answers for a mount target that does not exist.
const NOT_FOUND: &str = "MountTargetNotFound";
/// ...for CreateMountTarget in a zone that has one already.
const CONFLICT: &str = "MountTargetConflict";

/// The most mount targets one DescribeMountTargets page holds.
const PAGE: i32 = 100;

/// How long mount targets may take to become available or to go.
const WAIT: Duration = Duration::from_secs(10 * 60);

/// A mount target as berth holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MountTarget {
    pub id: String,
    pub subnet: String,
    pub ip: Option<String>,
    /// Its security groups (none read for one that is not available yet).
    pub groups: Vec<String>,
}

/// The mount targets as `mount_target` blocks.
pub(super) fn blocks(targets: &[MountTarget]) -> Value {
    Value::List(
        targets
            .iter()
            .map(|t| {
                Value::Map(
                    [
                        ("subnet", Value::from(t.subnet.as_str())),
                        ("security_groups", str_list(t.groups.iter().cloned())),
                        ("ip_address", opt_str(t.ip.as_deref())),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
                )
            })
            .collect(),
    )
}

/// DescribeMountTargets of the file system `fs`; none when it is gone.
async fn described(p: &AwsProvider, fs: &str) -> Result<Option<Vec<MountTargetDescription>>, ProviderError> {
    let efs = &p.clients.efs;
    let listed = p
        .list(SERVICE, "DescribeMountTargets", || {
            paginate!(
                efs.describe_mount_targets().file_system_id(fs).max_items(PAGE),
                mount_targets
            )
        })
        .await;
    match listed {
        Ok(targets) => Ok(Some(targets)),
        Err(e) if e.code == FS_NOT_FOUND => Ok(None),
        Err(e) => Err(e),
    }
}

/// The file system's mount targets (those being deleted left out), their
/// groups read by DescribeMountTargetSecurityGroups once they are
/// available (EFS answers it once the mount target's network interface
/// exists; one being made reads without groups); none when the file
/// system is gone.
pub(super) async fn read(p: &AwsProvider, fs: &str) -> Result<Option<Vec<MountTarget>>, ProviderError> {
    let Some(described) = described(p, fs).await? else {
        return Ok(None);
    };
    let efs = &p.clients.efs;
    let reads = described
        .into_iter()
        .filter(|t| present(Some(t.life_cycle_state())))
        .map(|t| async move {
            let groups = if matches!(
                t.life_cycle_state(),
                LifeCycleState::Available | LifeCycleState::Updating
            ) {
                let id = t.mount_target_id();
                let out = p
                    .call_unless(SERVICE, "DescribeMountTargetSecurityGroups", &[NOT_FOUND], || {
                        efs.describe_mount_target_security_groups()
                            .mount_target_id(id)
                            .send()
                    })
                    .await?;
                match out {
                    Some(out) => out.security_groups,
                    // Deleted meanwhile.
                    None => return Ok(None),
                }
            } else {
                Vec::new()
            };
            Ok::<_, ProviderError>(Some(MountTarget {
                groups,
                id: t.mount_target_id,
                subnet: t.subnet_id,
                ip: t.ip_address,
            }))
        });
    Ok(Some(try_join_all(reads).await?.into_iter().flatten().collect()))
}

/// Brings the mount targets of the file system `fs` to the `desired`
/// blocks (see the module's comment), and answers them as they are then.
pub(super) async fn sync(
    p: &AwsProvider,
    fs: &str,
    desired: &[&Attrs],
) -> Result<Vec<MountTarget>, ProviderError> {
    let live = read(p, fs).await?.ok_or_else(|| vanished(fs))?;
    let changes = plan(&live, desired);
    try_join_all(
        changes
            .regroup
            .iter()
            .map(|(id, groups)| modify_groups(p, id, groups)),
    )
    .await?;
    for id in &changes.delete {
        delete(p, id).await?;
    }
    if !changes.delete.is_empty() && !settle(p, fs).await? {
        return Err(vanished(fs));
    }
    // One after another, in the blocks' order: each call answers at once,
    // and the wait is for them all (and for the groups changed).
    for block in &changes.create {
        create(p, fs, block).await?;
    }
    if changes.is_empty() {
        return Ok(live);
    }
    if !settle(p, fs).await? {
        return Err(vanished(fs));
    }
    read(p, fs).await?.ok_or_else(|| vanished(fs))
}

/// What bringing mount targets to blocks takes.
#[derive(Debug, Default, PartialEq)]
struct Changes<'a> {
    /// Mount targets to delete, by id.
    delete: Vec<String>,
    /// Blocks to make a mount target of.
    create: Vec<&'a Attrs>,
    /// Mount targets to give other groups, by id.
    regroup: Vec<(String, Vec<String>)>,
}

impl Changes<'_> {
    fn is_empty(&self) -> bool {
        self.delete.is_empty() && self.create.is_empty() && self.regroup.is_empty()
    }
}

/// The changes from the `live` mount targets to the `desired` blocks.
fn plan<'a>(live: &[MountTarget], desired: &[&'a Attrs]) -> Changes<'a> {
    let by_subnet: HashMap<&str, &MountTarget> = live.iter().map(|t| (t.subnet.as_str(), t)).collect();
    let mut changes = Changes::default();
    for block in desired {
        let subnet = str_of(block, "subnet").unwrap_or_default();
        let Some(target) = by_subnet.get(subnet) else {
            changes.create.push(block);
            continue;
        };
        let ip = str_of(block, "ip_address");
        if ip.is_some() && ip != target.ip.as_deref() {
            changes.delete.push(target.id.clone());
            changes.create.push(block);
        } else if let Some(groups) = given_groups(block) {
            let have: BTreeSet<&String> = target.groups.iter().collect();
            if groups.iter().collect::<BTreeSet<_>>() != have {
                changes.regroup.push((target.id.clone(), groups));
            }
        }
    }
    let wanted: BTreeSet<&str> = desired.iter().filter_map(|b| str_of(b, "subnet")).collect();
    changes.delete.extend(
        live.iter()
            .filter(|t| !wanted.contains(t.subnet.as_str()))
            .map(|t| t.id.clone()),
    );
    changes
}

/// The groups a block gives; none when it leaves them to EFS (the VPC's
/// default group).
fn given_groups(block: &Attrs) -> Option<Vec<String>> {
    Some(strs_of(block, "security_groups")).filter(|g| !g.is_empty())
}

/// CreateMountTarget of one block in the file system `fs`.
async fn create(p: &AwsProvider, fs: &str, block: &Attrs) -> Result<(), ProviderError> {
    let subnet = str_of(block, "subnet").unwrap_or_default();
    let groups = given_groups(block);
    let ip = str_of(block, "ip_address").map(str::to_owned);
    let efs = &p.clients.efs;
    p.call_repeatable(SERVICE, "CreateMountTarget", &[CONFLICT], || {
        efs.create_mount_target()
            .file_system_id(fs)
            .subnet_id(subnet)
            .set_security_groups(groups.clone())
            .set_ip_address(ip.clone())
            .send()
    })
    .await?;
    Ok(())
}

/// ModifyMountTargetSecurityGroups.
async fn modify_groups(p: &AwsProvider, id: &str, groups: &[String]) -> Result<(), ProviderError> {
    let efs = &p.clients.efs;
    p.call(SERVICE, "ModifyMountTargetSecurityGroups", || {
        efs.modify_mount_target_security_groups()
            .mount_target_id(id)
            .set_security_groups(Some(groups.to_vec()))
            .send()
    })
    .await?;
    Ok(())
}

/// DeleteMountTarget; one already gone is deleted.
async fn delete(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    let efs = &p.clients.efs;
    p.call_unless(SERVICE, "DeleteMountTarget", &[NOT_FOUND], || {
        efs.delete_mount_target().mount_target_id(id).send()
    })
    .await?;
    Ok(())
}

/// Deletes every mount target of the file system `fs` and waits until
/// EFS has; `false` when the file system is gone.
pub(super) async fn delete_all(p: &AwsProvider, fs: &str) -> Result<bool, ProviderError> {
    let Some(targets) = described(p, fs).await? else {
        return Ok(false);
    };
    let deletes = targets
        .iter()
        .filter(|t| present(Some(t.life_cycle_state())))
        .map(|t| delete(p, t.mount_target_id()));
    try_join_all(deletes).await?;
    if targets.is_empty() {
        return Ok(true);
    }
    settle(p, fs).await
}

/// Waits until no mount target of the file system `fs` is being made,
/// changed or deleted; `false` when the file system is gone. A mount
/// target EFS failed to make is an error naming its subnet.
async fn settle(p: &AwsProvider, fs: &str) -> Result<bool, ProviderError> {
    let call = "DescribeMountTargets";
    let mut poll = Poll::new(
        call,
        format!("the mount targets of {fs} not settled"),
        WAIT,
        Duration::from_secs(5),
    );
    loop {
        let Some(targets) = described(p, fs).await? else {
            return Ok(false);
        };
        if let Some(failed) = targets
            .iter()
            .find(|t| *t.life_cycle_state() == LifeCycleState::Error)
        {
            return Err(ProviderError::permanent(
                "CreateMountTarget",
                "MountTargetFailed",
                format!(
                    "EFS failed to make the mount target {} of {fs} in subnet {}: delete it (or the block), then apply again",
                    failed.mount_target_id(),
                    failed.subnet_id()
                ),
            ));
        }
        let busy: Vec<String> = targets
            .iter()
            .filter(|t| {
                matches!(
                    t.life_cycle_state(),
                    LifeCycleState::Creating | LifeCycleState::Updating | LifeCycleState::Deleting
                )
            })
            .map(|t| format!("{} {}", t.mount_target_id(), t.life_cycle_state()))
            .collect();
        if busy.is_empty() {
            return Ok(true);
        }
        poll.pause(&busy.join(", ")).await?;
    }
}

/// The file system is gone under a change of its mount targets.
fn vanished(fs: &str) -> ProviderError {
    ProviderError::permanent(
        "DescribeMountTargets",
        FS_NOT_FOUND,
        format!("the file system {fs} is gone"),
    )
}

#[cfg(test)]
mod tests {
    use berth_provider::Attrs;

    use super::*;

    fn target(id: &str, subnet: &str, ip: &str, groups: &[&str]) -> MountTarget {
        MountTarget {
            id: id.to_owned(),
            subnet: subnet.to_owned(),
            ip: Some(ip.to_owned()),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        }
    }

    fn block(subnet: &str, ip: Option<&str>, groups: Option<&[&str]>) -> Attrs {
        [
            ("subnet".to_owned(), Value::from(subnet)),
            ("ip_address".to_owned(), opt_str(ip)),
            (
                "security_groups".to_owned(),
                groups.map_or(Value::Null, |g| str_list(g.iter().copied())),
            ),
        ]
        .into()
    }

    #[test]
    fn blocks_are_matched_to_mount_targets_by_subnet() {
        let live = [
            target("fsmt-a", "subnet-a", "10.0.1.5", &["sg-1"]),
            target("fsmt-b", "subnet-b", "10.0.2.5", &["sg-1", "sg-2"]),
            target("fsmt-c", "subnet-c", "10.0.3.5", &["sg-1"]),
            target("fsmt-d", "subnet-d", "10.0.4.5", &["sg-1"]),
        ];
        let (same, regrouped, readdressed, new) = (
            block("subnet-a", None, None),
            block("subnet-b", Some("10.0.2.5"), Some(&["sg-3"])),
            block("subnet-c", Some("10.0.3.9"), Some(&["sg-1"])),
            block("subnet-e", None, Some(&["sg-1"])),
        );
        let changes = plan(&live, &[&same, &regrouped, &readdressed, &new]);
        assert_eq!(
            changes,
            Changes {
                delete: vec!["fsmt-c".to_owned(), "fsmt-d".to_owned()],
                create: vec![&readdressed, &new],
                regroup: vec![("fsmt-b".to_owned(), vec!["sg-3".to_owned()])],
            }
        );
        let unchanged = block("subnet-b", None, Some(&["sg-2", "sg-1"]));
        assert!(plan(&live[1..2], &[&unchanged]).is_empty(), "groups are a set");
    }
}
