//! `efs_access_point`: a POSIX user and a root directory into a file
//! system.
//!
//! Create: CreateAccessPoint with a client token derived from the stack,
//! the address and the file system (`token.rs`), so that the call sent
//! again after a lost answer does not make a second access point; should
//! EFS answer AccessPointAlreadyExists instead, the access point of that
//! token (DescribeAccessPoints of the file system) is the one made. Then a
//! wait until DescribeAccessPoints says it is available. Every setting but
//! the tags replaces it: update is TagResource / UntagResource. Delete:
//! DeleteAccessPoint.

use std::time::Duration;

use aws_sdk_efs::types::{AccessPointDescription, CreationInfo, LifeCycleState, PosixUser, RootDirectory};
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};

use super::{SERVICE, id_in, id_of, pairs, present, sdk_tags, until_available, update_tags, user_tags};
use crate::attrs::{canonical, complete, create_tags, int_of, keep, opt_str, resource, str_of};
use crate::errors::{build_error, missing};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::tagging;
use crate::{AwsProvider, paginate};

const KIND: Kind = Kind::EfsAccessPoint;

/// What EFS answers for an access point that does not exist.
const NOT_FOUND: &str = "AccessPointNotFound";
/// ...for CreateAccessPoint with the client token of one that exists.
const ALREADY_EXISTS: &str = "AccessPointAlreadyExists";

/// The root directory EFS gives an access point without one.
const ROOT: &str = "/";

/// The most access points one DescribeAccessPoints page holds.
const PAGE: i32 = 100;

/// How long an access point may take to become available (AWS: seconds).
const WAIT: Duration = Duration::from_secs(5 * 60);

/// CreateAccessPoint, then a wait until it is available (see the module's
/// comment).
pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let address = &desired.address;
    let mut a = complete(KIND, &desired.attrs);
    canonical(KIND, &mut a);
    let call = "CreateAccessPoint";
    let fs = str_of(&a, "file_system").unwrap_or_default().to_owned();
    // A replacement (another user or directory) gets another token.
    let user = format!("{:?}:{:?}", int_of(&a, "posix_uid"), int_of(&a, "posix_gid"));
    let directory = str_of(&a, "root_directory").unwrap_or(ROOT);
    let token = p.tokens.for_create(stack, address, &[&fs, &user, directory]);
    let posix = posix_user(call, &a)?;
    let root = root_directory(call, &a)?;
    let tags = sdk_tags(call, create_tags(stack, address, &a))?;
    let efs = &p.clients.efs;
    let made = p
        .call(SERVICE, call, || {
            efs.create_access_point()
                .client_token(&token)
                .file_system_id(&fs)
                .set_posix_user(posix.clone())
                .root_directory(root.clone())
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await;
    let id = match made {
        Ok(out) => out.access_point_id.ok_or_else(|| missing(call))?,
        Err(e) if e.code == ALREADY_EXISTS => made_before(p, &fs, &token).await?.ok_or(e)?,
        Err(e) => return Err(e),
    };
    let ap = available(p, &id).await?;
    a.insert("id".to_owned(), Value::String(id));
    a.insert("arn".to_owned(), opt_str(ap.access_point_arn()));
    Ok(resource(address.clone(), a))
}

/// The id of the file system `fs`'s access point made with `token`, if
/// any.
async fn made_before(p: &AwsProvider, fs: &str, token: &str) -> Result<Option<String>, ProviderError> {
    let efs = &p.clients.efs;
    let listed = p
        .list(SERVICE, "DescribeAccessPoints", || {
            paginate!(
                efs.describe_access_points().file_system_id(fs).max_results(PAGE),
                access_points
            )
        })
        .await?;
    Ok(listed
        .into_iter()
        .find(|ap| ap.client_token() == Some(token))
        .and_then(|ap| ap.access_point_id))
}

/// The POSIX user of `a`, when it gives one.
fn posix_user(call: &str, a: &Attrs) -> Result<Option<PosixUser>, ProviderError> {
    let (Some(uid), Some(gid)) = (int_of(a, "posix_uid"), int_of(a, "posix_gid")) else {
        return Ok(None);
    };
    let secondary: Vec<i64> = a
        .get("posix_secondary_gids")
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_int)
        .collect();
    PosixUser::builder()
        .uid(uid)
        .gid(gid)
        .set_secondary_gids((!secondary.is_empty()).then_some(secondary))
        .build()
        .map(Some)
        .map_err(|e| build_error(call, e))
}

/// The root directory of `a`, with its creation info when it gives one.
fn root_directory(call: &str, a: &Attrs) -> Result<RootDirectory, ProviderError> {
    let creation = match (
        int_of(a, "owner_uid"),
        int_of(a, "owner_gid"),
        str_of(a, "permissions"),
    ) {
        (Some(uid), Some(gid), Some(mode)) => Some(
            CreationInfo::builder()
                .owner_uid(uid)
                .owner_gid(gid)
                .permissions(mode)
                .build()
                .map_err(|e| build_error(call, e))?,
        ),
        _ => None,
    };
    Ok(RootDirectory::builder()
        .path(str_of(a, "root_directory").unwrap_or(ROOT))
        .set_creation_info(creation)
        .build())
}

/// Waits until DescribeAccessPoints says the access point `id` is
/// available, and answers its description.
async fn available(p: &AwsProvider, id: &str) -> Result<AccessPointDescription, ProviderError> {
    let call = "DescribeAccessPoints";
    let what = format!("the access point {id}");
    let poll = Poll::new(
        call,
        format!("{what} not available"),
        WAIT,
        Duration::from_secs(1),
    );
    until_available(
        poll,
        (call, "AccessPointNotAvailable", &what),
        &[LifeCycleState::Creating],
        || describe(p, id),
        // A description without a state is one EFS has made.
        |ap: &AccessPointDescription| {
            ap.life_cycle_state()
                .cloned()
                .unwrap_or(LifeCycleState::Available)
        },
    )
    .await
}

/// DescribeAccessPoints of one id; none when EFS knows no such access
/// point.
async fn describe(p: &AwsProvider, id: &str) -> Result<Option<AccessPointDescription>, ProviderError> {
    let efs = &p.clients.efs;
    let out = p
        .call_unless(SERVICE, "DescribeAccessPoints", &[NOT_FOUND], || {
            efs.describe_access_points().access_point_id(id).send()
        })
        .await?;
    Ok(out.and_then(|o| o.access_points.unwrap_or_default().into_iter().next()))
}

/// Only the tags change in place.
pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut new = complete(KIND, &desired.attrs);
    canonical(KIND, &mut new);
    let old = &live.attrs;
    update_tags(p, id_of(old), old, &new).await?;
    keep(&mut new, old, &["id", "arn"]);
    Ok(resource(live.address.clone(), new))
}

/// DeleteAccessPoint; one already gone is deleted.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let efs = &p.clients.efs;
    let id = id_of(&live.attrs);
    p.call_unless(SERVICE, "DeleteAccessPoint", &[NOT_FOUND], || {
        efs.delete_access_point().access_point_id(id).send()
    })
    .await?;
    Ok(())
}

/// The stack's access points: DescribeAccessPoints of the whole account
/// (an access point of the stack may be on a file system it does not
/// hold), kept by their tags.
pub(super) async fn read_all(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let efs = &p.clients.efs;
    let listed = p
        .list(SERVICE, "DescribeAccessPoints", || {
            paginate!(efs.describe_access_points().max_results(PAGE), access_points)
        })
        .await?;
    Ok(listed.iter().filter_map(|ap| read(scope, ap)).collect())
}

/// The access point `scope` looks for, by id or ARN.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = id_in(scope.id().unwrap_or_default(), "access-point");
    // AWS refuses an id of another form (BadRequest): no such access point.
    if !id.starts_with("fsap-") {
        return Ok(None);
    }
    Ok(describe(p, id).await?.and_then(|ap| read(scope, &ap)))
}

/// The access point `ap` as a resource `scope` looks for, if it is there.
fn read(scope: &Scope<'_>, ap: &AccessPointDescription) -> Option<Resource> {
    if !present(ap.life_cycle_state()) {
        return None;
    }
    let tags = pairs(ap.tags());
    let address = scope.address(KIND, tagging::pairs(&tags))?;
    let mut a = decode(ap);
    a.insert("tags".to_owned(), user_tags(&tags));
    Some(resource(address, a))
}

/// The access point's settings as berth holds them, tags apart.
fn decode(ap: &AccessPointDescription) -> Attrs {
    let user = ap.posix_user();
    let root = ap.root_directory();
    let creation = root.and_then(RootDirectory::creation_info);
    let int = |i: Option<i64>| i.map_or(Value::Null, Value::Int);
    [
        ("file_system", opt_str(ap.file_system_id())),
        ("posix_uid", int(user.map(PosixUser::uid))),
        ("posix_gid", int(user.map(PosixUser::gid))),
        (
            "posix_secondary_gids",
            Value::List(
                user.map(PosixUser::secondary_gids)
                    .unwrap_or_default()
                    .iter()
                    .map(|g| Value::Int(*g))
                    .collect(),
            ),
        ),
        (
            "root_directory",
            Value::from(root.and_then(RootDirectory::path).unwrap_or(ROOT)),
        ),
        ("owner_uid", int(creation.map(CreationInfo::owner_uid))),
        ("owner_gid", int(creation.map(CreationInfo::owner_gid))),
        ("permissions", opt_str(creation.map(CreationInfo::permissions))),
        ("id", opt_str(ap.access_point_id())),
        ("arn", opt_str(ap.access_point_arn())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[cfg(test)]
mod tests {
    use berth_provider::Address;

    use super::*;

    #[test]
    fn an_access_point_goes_to_efs_and_back() {
        let given: Attrs = [
            ("file_system", Value::from("fs-0123abcd")),
            ("posix_uid", Value::Int(1000)),
            ("posix_gid", Value::Int(1000)),
            (
                "posix_secondary_gids",
                Value::List(vec![Value::Int(7), Value::Int(4)]),
            ),
            ("root_directory", Value::from("/uploads")),
            ("owner_uid", Value::Int(1000)),
            ("owner_gid", Value::Int(1001)),
            ("permissions", Value::from("0750")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let a = complete(KIND, &given);
        let ap = AccessPointDescription::builder()
            .file_system_id("fs-0123abcd")
            .access_point_id("fsap-1")
            .access_point_arn("arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1")
            .set_posix_user(posix_user("Create", &a).expect("a user"))
            .root_directory(root_directory("Create", &a).expect("a root"))
            .build();
        let mut back = decode(&ap);
        back.insert("tags".to_owned(), Value::Map(Attrs::new()));
        let back = resource(Address::new(KIND, "uploads"), back);
        let mut want = a.clone();
        want.insert("id".to_owned(), Value::from("fsap-1"));
        want.insert(
            "arn".to_owned(),
            Value::from("arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1"),
        );
        assert_eq!(back.attrs, resource(Address::new(KIND, "uploads"), want).attrs);
    }

    #[test]
    fn an_access_point_without_user_or_creation_info_reads_their_absence() {
        let a = complete(KIND, &[("file_system".to_owned(), Value::from("fs-1"))].into());
        assert_eq!(posix_user("Create", &a).ok(), Some(None));
        let root = root_directory("Create", &a).expect("a root");
        assert_eq!((root.path(), root.creation_info()), (Some("/"), None));
        let back = decode(
            &AccessPointDescription::builder()
                .file_system_id("fs-1")
                .root_directory(root)
                .build(),
        );
        assert_eq!(back["posix_uid"], Value::Null);
        assert_eq!(back["posix_secondary_gids"], Value::List(Vec::new()));
        assert_eq!(back["permissions"], Value::Null);
        assert_eq!(back["root_directory"], Value::from("/"));
    }
}
