//! EFS: `efs_file_system`s, with their mount targets, lifecycle policies
//! and file system policy, and `efs_access_point`s.
//!
//! To read a stack's: one paginated DescribeFileSystems and one paginated
//! DescribeAccessPoints (account wide) at once, each description carrying
//! its tags, kept when berth's tags name the stack. No tagging API: its
//! lag on AWS would hide a file system made a moment ago, and EFS's own
//! listings answer the tags anyway. Then per file system, at once:
//! DescribeLifecycleConfiguration, DescribeFileSystemPolicy and
//! DescribeMountTargets, with DescribeMountTargetSecurityGroups per
//! available mount target. File systems and access points being deleted
//! are gone.
//!
//! Tags go on with the create call (`Tags`), and are changed by
//! TagResource / UntagResource on the resource's id.

pub(crate) mod access_point;
pub(crate) mod file_system;
mod mount_target;

use std::collections::BTreeMap;

use aws_sdk_efs::types::{LifeCycleState, Tag};
use berth_provider::adopt::adoption_tags;
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};

use crate::AwsProvider;
use crate::attrs::{checked_tags, str_of, tag_diff};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::tagging::Tags;

/// The service counted in statistics and named in errors (its endpoint
/// is `elasticfilesystem.REGION.amazonaws.com`, its IAM prefix
/// `elasticfilesystem:`).
const SERVICE: &str = "elasticfilesystem";

/// What EFS answers for a file system that does not exist.
const FS_NOT_FOUND: &str = "FileSystemNotFound";

/// Waits with `poll` until `describe` answers something whose `state` is
/// available, and answers it. Any state but those of `on_the_way`
/// (something gone, failed) is the error `code` of `call`, naming `what`.
pub(super) async fn until_available<T, Fut>(
    mut poll: Poll<'_>,
    (call, code, what): (&str, &str, &str),
    on_the_way: &[LifeCycleState],
    describe: impl Fn() -> Fut,
    state: impl Fn(&T) -> LifeCycleState,
) -> Result<T, ProviderError>
where
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    loop {
        let now = match describe().await? {
            Some(item) if state(&item) == LifeCycleState::Available => return Ok(item),
            Some(item) => state(&item),
            None => LifeCycleState::Deleted,
        };
        if !on_the_way.contains(&now) {
            return Err(ProviderError::permanent(
                call,
                code,
                format!("{what} is {now} instead of available"),
            ));
        }
        poll.pause(now.as_str()).await?;
    }
}

/// The stack's file systems and access points (see the module's comment).
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let scope = Scope::Stack(stack);
    let (mut file_systems, access_points) = tokio::try_join!(
        file_system::read_all(p, &scope),
        access_point::read_all(p, &scope)
    )?;
    file_systems.extend(access_points);
    Ok(file_systems)
}

/// TagResource: berth's tags on a file system or access point it adopts
/// (and, on a file system, the record of its KMS key: `file_system.rs`).
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let mut tags = adoption_tags(stack, &live.address);
    if live.address.kind == Kind::EfsFileSystem {
        tags.extend(file_system::adopted_tags(&live.attrs));
    }
    retag(p, id_of(&live.attrs), tags, Vec::new()).await
}

/// The id of a live file system or access point.
fn id_of(a: &Attrs) -> &str {
    str_of(a, "id").unwrap_or_default()
}

/// The user's tags changed from `old` to `new`: TagResource and
/// UntagResource on `id` (berth's own tags stay).
async fn update_tags(p: &AwsProvider, id: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let (set, removed) = tag_diff(old, new);
    retag(p, id, set, removed).await
}

/// TagResource `set`, UntagResource `removed`, on the file system or
/// access point `id`.
async fn retag(
    p: &AwsProvider,
    id: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<(), ProviderError> {
    let efs = &p.clients.efs;
    if !set.is_empty() {
        let call = "TagResource";
        let tags = sdk_tags(call, set)?;
        p.call(SERVICE, call, || {
            efs.tag_resource()
                .resource_id(id)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            efs.untag_resource()
                .resource_id(id)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// `tags` as EFS takes them; a tag without key or value is an error of
/// `call`.
fn sdk_tags(call: &str, tags: BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    checked_tags!(Tag, call, tags)
}

/// EFS's tags as key/value pairs.
fn pairs(tags: &[Tag]) -> Tags {
    tags.iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

/// Whether a file system, mount target or access point in `state` is
/// there (not being deleted, nor deleted).
fn present(state: Option<&LifeCycleState>) -> bool {
    !matches!(state, Some(LifeCycleState::Deleting | LifeCycleState::Deleted))
}

/// The id in an EFS ARN (`arn:P:elasticfilesystem:R:A:file-system/fs-1`,
/// `.../access-point/fsap-1`) of the resource type `kind`, or `id` itself
/// when it is no ARN.
fn id_in<'a>(id: &'a str, kind: &str) -> &'a str {
    match id.strip_prefix("arn:") {
        Some(rest) => rest
            .rsplit_once(':')
            .and_then(|(_, resource)| resource.strip_prefix(kind)?.strip_prefix('/'))
            .unwrap_or(id),
        None => id,
    }
}

/// The user's tags among all of a resource's: berth's (`berth:` ones,
/// the KMS key record included) and AWS's reserved ones left out.
fn user_tags(tags: &Tags) -> Value {
    crate::attrs::user_tags(crate::tagging::pairs(tags).filter(|(k, _)| !k.starts_with("berth:")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_out_of_arns_of_their_type() {
        let fs = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123abcd";
        assert_eq!(id_in(fs, "file-system"), "fs-0123abcd");
        assert_eq!(id_in("fs-0123abcd", "file-system"), "fs-0123abcd");
        let ap = "arn:aws-cn:elasticfilesystem:cn-north-1:123456789012:access-point/fsap-0a1b";
        assert_eq!(id_in(ap, "access-point"), "fsap-0a1b");
        assert_eq!(id_in(ap, "file-system"), ap, "another type stays as given");
    }

    #[test]
    fn berth_and_aws_tags_are_not_the_users() {
        let tags: Tags = [
            ("berth:stack", "s"),
            ("berth:kms_key", ""),
            ("aws:elasticfilesystem:default-backup", "enabled"),
            ("team", "web"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(
            user_tags(&tags),
            Value::Map([("team".to_owned(), Value::from("web"))].into())
        );
    }
}
