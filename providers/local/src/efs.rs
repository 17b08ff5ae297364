//! EFS file systems, with their mount targets, and access points, each
//! refused as EFS refuses it, with EFS's codes.
//!
//! A file system: the settings EFS refuses
//! (`berth_provider::efs::file_system_faults`, BadRequest, at the call
//! that sets them: CreateFileSystem, UpdateFileSystem or
//! PutLifecycleConfiguration); a One Zone file system's zone one of the
//! region's (BadRequest); a creation token of at most 64 characters
//! (BadRequest) the account holds once in a region
//! (FileSystemAlreadyExists, naming the file system that holds it, as EFS
//! answers a repeated create too); a policy in IAM's grammar for a
//! resource's policy (InvalidPolicyException). Its id is `fs-` and 17 hex
//! digits, its key in the file its ARN. Lifecycle policies are put as a
//! whole (PutLifecycleConfiguration), the policy put or deleted, the
//! throughput changed by UpdateFileSystem; a KMS key is not looked up:
//! EFS takes any at CreateFileSystem (as SQS does).
//!
//! Mount targets are held in the file system's `mount_target` list, one
//! per subnet, made, moved and removed with the file system by
//! CreateMountTarget, DeleteMountTarget and
//! ModifyMountTargetSecurityGroups, with CreateMountTarget's rules: the
//! subnet exists (SubnetNotFound); one per zone, all in one VPC
//! (MountTargetConflict); a One Zone file system's in its zone
//! (AvailabilityZonesMismatch), hence one only; at most 5 groups
//! (SecurityGroupLimitExceeded), each of the subnet's VPC
//! (SecurityGroupNotFound); an address given among those the subnet lets
//! an interface take (BadRequest) and no other mount target's
//! (IpAddressInUse). What is left out EFS chooses: the VPC's default
//! security group (which the local cloud knows by an id derived from the
//! VPC's, `ids::default_security_group_id`) and a free address of the
//! subnet (NoFreeAddressesInSubnet when none is); an update keeps what
//! was chosen. A subnet or group a mount target uses cannot be deleted
//! (`ec2.rs`). EFS deletes a file system only once its mount targets are
//! gone (FileSystemInUse otherwise): berth's delete removes them first,
//! in the same operation, as the AWS adapter does, so the local cloud
//! never answers it. Its access points go with it.
//!
//! An access point: the settings EFS refuses
//! (`berth_provider::efs::access_point_faults`, BadRequest), a file
//! system that exists (FileSystemNotFound), at most 10,000 a file system
//! (AccessPointLimitExceeded). Its id is `fsap-` and 17 hex digits. Only
//! its tags change in place.
//!
//! Not simulated: EFS refuses a throughput mode change, or a decrease of
//! provisioned throughput, within 24 hours of the last one
//! (TooManyRequests). The local cloud keeps no clock (as `sqs.rs` says of
//! SQS's 60 seconds), so every change is taken. An address is in use only
//! by another mount target: the local cloud gives tasks, load balancers
//! and endpoints no addresses. Mount targets and file systems are
//! available at once.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use berth_provider::attrs::{blocks_of, str_of, strs_of};
use berth_provider::efs::{
    Fault, MOUNT_TARGET_GROUPS_MAX, access_point_faults, file_system_faults, unknown_values,
};
use berth_provider::policy::{self, DocumentKind};
use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::attrs::{canonical_of, value};
use crate::cidr::Cidr;
use crate::ec2;
use crate::ids;
use crate::sim::Sim;

const CREATE: &str = "CreateFileSystem";
const UPDATE: &str = "UpdateFileSystem";
const LIFECYCLE: &str = "PutLifecycleConfiguration";
const PUT_POLICY: &str = "PutFileSystemPolicy";
const CREATE_MOUNT: &str = "CreateMountTarget";
const DELETE_MOUNT: &str = "DeleteMountTarget";
const MODIFY_GROUPS: &str = "ModifyMountTargetSecurityGroups";
const CREATE_ACCESS_POINT: &str = "CreateAccessPoint";

/// EFS's answer to a malformed request.
const BAD_REQUEST: &str = "BadRequest";

/// The longest creation token EFS takes.
const TOKEN_MAX: usize = 64;

/// The most access points a file system holds (EFS's quota).
const ACCESS_POINTS_MAX: usize = 10_000;

/// The settings PutLifecycleConfiguration sets together.
const TRANSITIONS: [&str; 3] = [
    "transition_to_ia",
    "transition_to_archive",
    "transition_to_primary_storage_class",
];

/// The settings UpdateFileSystem changes.
const THROUGHPUT: [&str; 2] = ["throughput_mode", "provisioned_throughput"];

/// CreateFileSystem, its token the configuration's or `{stack}-{name}-`
/// and 6 random hex digits, then PutLifecycleConfiguration,
/// PutFileSystemPolicy and CreateMountTarget for what it has; returns its
/// key (ARN).
pub(crate) fn create_file_system(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(CREATE);
    let mut attrs = canonical_of(Kind::EfsFileSystem, &attrs);
    check_settings(&attrs, CREATE, |a| !TRANSITIONS.contains(&a))?;
    check_zone(sim, &attrs)?;
    let token = match naming::given(&attrs, "creation_token") {
        Some(token) => token.to_owned(),
        None => derived_token(sim, stack, address),
    };
    if token.len() > TOKEN_MAX {
        return Err(fail(
            CREATE,
            BAD_REQUEST,
            format!("CreationToken `{token}`: at most {TOKEN_MAX} characters"),
        ));
    }
    if let Some(id) = holding_token(sim, &token) {
        return Err(fail(
            CREATE,
            "FileSystemAlreadyExists",
            format!("File system '{id}' already exists with creation token '{token}'"),
        ));
    }
    let prefix = sim.arn("elasticfilesystem", "file-system/");
    let arn = sim.fresh(|rng| format!("{prefix}{}", ids::ec2_id(rng, "fs")));
    let id = arn[prefix.len()..].to_owned();
    if TRANSITIONS.iter().any(|a| *value(&attrs, a) != Value::Null) {
        sim.call(LIFECYCLE);
        check_settings(&attrs, LIFECYCLE, |a| TRANSITIONS.contains(&a))?;
    }
    if let doc @ (Value::Map(_) | Value::String(_)) = value(&attrs, "policy") {
        sim.call(PUT_POLICY);
        check_policy(doc)?;
    }
    let mounts = settle_mount_targets(sim, &arn, &attrs, &[])?;
    attrs.insert("mount_target".to_owned(), Value::List(mounts));
    let dns = format!("{id}.efs.{}.amazonaws.com", sim.region);
    for (attr, v) in [
        ("creation_token", token),
        ("id", id),
        ("arn", arn.clone()),
        ("dns_name", dns),
    ] {
        attrs.insert(attr.to_owned(), Value::String(v));
    }
    sim.insert(&arn, Kind::EfsFileSystem, tags, attrs, false);
    Ok(arn)
}

/// A token derived from the stack and address that no file system of the
/// account and region holds: its random part drawn again until then.
fn derived_token(sim: &mut Sim, stack: &str, address: &Address) -> String {
    loop {
        let token = naming::efs_creation_token(stack, address, sim.rng.u32(..));
        if holding_token(sim, &token).is_none() {
            return token;
        }
    }
}

/// The id of the file system of the region holding `token`.
fn holding_token(sim: &Sim, token: &str) -> Option<String> {
    sim.all(Kind::EfsFileSystem)
        .find(|(_, r)| str_of(&r.attrs, "creation_token") == Some(token))
        .map(|(k, r)| str_of(&r.attrs, "id").unwrap_or(k).to_owned())
}

/// Changes a file system in place: its throughput (UpdateFileSystem), its
/// lifecycle policies as a whole (PutLifecycleConfiguration), its policy
/// (PutFileSystemPolicy, DeleteFileSystemPolicy) and its mount targets,
/// each call only when what it sets changes (tags: `cloud.rs`). `new`
/// gets what EFS chose for the mount targets.
pub(crate) fn update_file_system(
    sim: &mut Sim,
    key: &str,
    old: &Attrs,
    new: &mut Attrs,
) -> Result<(), ProviderError> {
    let old = canonical_of(Kind::EfsFileSystem, old);
    *new = canonical_of(Kind::EfsFileSystem, new);
    let changed = |attrs: &[&str]| attrs.iter().any(|a| value(&old, a) != value(new, a));
    let lifecycle = changed(&TRANSITIONS);
    if changed(&THROUGHPUT) {
        sim.call(UPDATE);
        // A throughput that no longer suits the lifecycle policies left as
        // they are is UpdateFileSystem's to refuse.
        check_settings(new, UPDATE, |a| !(lifecycle && TRANSITIONS.contains(&a)))?;
    }
    if lifecycle {
        sim.call(LIFECYCLE);
        check_settings(new, LIFECYCLE, |a| TRANSITIONS.contains(&a))?;
    }
    if changed(&["policy"]) {
        match value(new, "policy") {
            Value::Null => sim.call("DeleteFileSystemPolicy"),
            doc => {
                sim.call(PUT_POLICY);
                check_policy(doc)?;
            }
        }
    }
    let mounts = settle_mount_targets(sim, key, new, &blocks_of(&old, "mount_target"))?;
    new.insert("mount_target".to_owned(), Value::List(mounts));
    Ok(())
}

/// DeleteMountTarget for each mount target, then DeleteFileSystem (which
/// refuses a file system that has any: FileSystemInUse); its access
/// points go with it.
pub(crate) fn delete_file_system(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let mounts = sim
        .rec(key)
        .map_or(0, |r| blocks_of(&r.attrs, "mount_target").len());
    for _ in 0..mounts {
        sim.call(DELETE_MOUNT);
    }
    sim.call("DeleteFileSystem");
    for access_point in access_points_of(sim, key) {
        sim.remove(&access_point);
    }
    sim.remove(key);
    Ok(())
}

/// Whether a mount target of any file system of the region uses `key`, a
/// subnet or a security group: its network interface holds them.
pub(crate) fn mount_targets_use(sim: &Sim, key: &str) -> bool {
    sim.all(Kind::EfsFileSystem).any(|(_, r)| {
        blocks_of(&r.attrs, "mount_target").iter().any(|m| {
            str_of(m, "subnet") == Some(key) || strs_of(m, "security_groups").iter().any(|g| g == key)
        })
    })
}

/// The first setting `call` refuses among the faults of `attrs` whose
/// attribute `ours` picks.
fn check_settings(attrs: &Attrs, call: &str, ours: impl Fn(&str) -> bool) -> Result<(), ProviderError> {
    let get = |a: &str| attrs.get(a);
    let faults = unknown_values(get).into_iter().chain(file_system_faults(get));
    match faults.into_iter().find(|f| ours(f.attr)) {
        Some(fault) => Err(refused(Kind::EfsFileSystem, call, &fault)),
        None => Ok(()),
    }
}

/// EFS's BadRequest for `fault`, naming the parameter by EFS's name.
fn refused(kind: Kind, call: &str, fault: &Fault) -> ProviderError {
    let param = kind.schema().attr(fault.attr).map_or(fault.attr, |a| a.aws);
    fail(call, BAD_REQUEST, format!("{param}: {}", fault.message))
}

/// A One Zone file system's zone is one of the region's.
fn check_zone(sim: &Sim, attrs: &Attrs) -> Result<(), ProviderError> {
    match str_of(attrs, "availability_zone") {
        Some(zone) if !ec2::zones(sim.region).iter().any(|z| z == zone) => Err(fail(
            CREATE,
            BAD_REQUEST,
            format!(
                "AvailabilityZoneName `{zone}` is not an availability zone of {}",
                sim.region
            ),
        )),
        _ => Ok(()),
    }
}

/// A file system policy in IAM's grammar for a file system's policy.
fn check_policy(doc: &Value) -> Result<(), ProviderError> {
    let Some(p) = policy::problems(doc, DocumentKind::FileSystem).into_iter().next() else {
        return Ok(());
    };
    let at = p.location();
    let at = if at.is_empty() { at } else { format!("{at}: ") };
    Err(fail(
        PUT_POLICY,
        "InvalidPolicyException",
        format!("Policy contains invalid JSON or IAM grammar: {at}{}", p.message),
    ))
}

/// A subnet a mount target is made in, as EFS sees it.
struct Subnet {
    id: String,
    zone: String,
    vpc: String,
    cidr: Option<Cidr>,
}

/// The subnet `id`, or `call`'s SubnetNotFound.
fn subnet(sim: &Sim, call: &str, id: &str) -> Result<Subnet, ProviderError> {
    let found = sim
        .find(Kind::Subnet, id)
        .and_then(|k| sim.rec(&k).map(|r| (k, r)));
    let Some((key, rec)) = found else {
        return Err(fail(
            call,
            "SubnetNotFound",
            format!("The subnet ID '{id}' does not exist"),
        ));
    };
    let text = |attr: &str| str_of(&rec.attrs, attr).unwrap_or_default().to_owned();
    Ok(Subnet {
        id: key,
        zone: text("zone"),
        vpc: text("vpc"),
        cidr: str_of(&rec.attrs, "cidr").and_then(Cidr::parse),
    })
}

/// A mount target of the file system once settled, with its subnet when
/// the account holds it.
struct Placed {
    attrs: Attrs,
    subnet: Option<Subnet>,
}

/// Brings the mount targets from `old` to those `fs` asks for, by
/// subnet: DeleteMountTarget for those removed or given another address,
/// ModifyMountTargetSecurityGroups for those given other groups,
/// CreateMountTarget for the rest, each with its rules. A group or
/// address left out is the one the mount target has; a new one's is
/// chosen as EFS chooses. Returns the mount targets as they are then.
fn settle_mount_targets(
    sim: &mut Sim,
    own: &str,
    fs: &Attrs,
    old: &[&Attrs],
) -> Result<Vec<Value>, ProviderError> {
    let had = |subnet: &str| old.iter().find(|m| str_of(m, "subnet") == Some(subnet));
    let wanted: Vec<Attrs> = blocks_of(fs, "mount_target")
        .into_iter()
        .map(|m| {
            let mut m = m.clone();
            if let Some(was) = str_of(&m, "subnet").and_then(had) {
                for attr in ["security_groups", "ip_address"] {
                    if left_out(value(&m, attr)) {
                        m.insert(attr.to_owned(), value(was, attr).clone());
                    }
                }
            }
            m
        })
        .collect();
    // A mount target stays when one of its subnet asks for its address;
    // a second block of that subnet is another mount target (refused).
    let (mut kept, mut made): (Vec<Attrs>, Vec<Attrs>) = (Vec::new(), Vec::new());
    for m in wanted {
        let subnet = str_of(&m, "subnet");
        let stays = subnet
            .and_then(had)
            .is_some_and(|was| value(was, "ip_address") == value(&m, "ip_address"))
            && !kept.iter().any(|k| str_of(k, "subnet") == subnet);
        if stays { kept.push(m) } else { made.push(m) }
    }
    // Those removed or moved to another address go first: their zone and
    // address are then free for the new ones.
    let gone = old
        .iter()
        .filter(|o| !kept.iter().any(|k| str_of(k, "subnet") == str_of(o, "subnet")))
        .count();
    for _ in 0..gone {
        sim.call(DELETE_MOUNT);
    }
    let mut placed: Vec<Placed> = Vec::new();
    for m in kept {
        let id = str_of(&m, "subnet").unwrap_or_default();
        let was = had(id).map(|w| value(w, "security_groups"));
        let subnet = if was != Some(value(&m, "security_groups")) {
            sim.call(MODIFY_GROUPS);
            let subnet = subnet(sim, MODIFY_GROUPS, id)?;
            check_groups(sim, MODIFY_GROUPS, &subnet, &strs_of(&m, "security_groups"))?;
            Some(subnet)
        } else {
            subnet(sim, MODIFY_GROUPS, id).ok()
        };
        placed.push(Placed { attrs: m, subnet });
    }
    for m in made {
        sim.call(CREATE_MOUNT);
        placed.push(create_mount_target(sim, own, fs, &placed, m)?);
    }
    Ok(placed.into_iter().map(|p| Value::Map(p.attrs)).collect())
}

/// Whether a mount target leaves `v` (its groups or address) to EFS:
/// left out, or no groups at all (EFS then gives the default group too).
fn left_out(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::List(items) => items.is_empty(),
        _ => false,
    }
}

/// CreateMountTarget of `m` for the file system `own` (`fs`), beside the
/// mount targets `placed`: checked, with its groups and address chosen
/// when left out.
fn create_mount_target(
    sim: &mut Sim,
    own: &str,
    fs: &Attrs,
    placed: &[Placed],
    mut m: Attrs,
) -> Result<Placed, ProviderError> {
    let conflict = |message: String| fail(CREATE_MOUNT, "MountTargetConflict", message);
    let subnet = subnet(sim, CREATE_MOUNT, str_of(&m, "subnet").unwrap_or_default())?;
    if let Some(zone) = str_of(fs, "availability_zone")
        && zone != subnet.zone
    {
        return Err(fail(
            CREATE_MOUNT,
            "AvailabilityZonesMismatch",
            format!(
                "The subnet {} is in {}: a One Zone file system's mount target is in its zone, {zone}",
                subnet.id, subnet.zone
            ),
        ));
    }
    for other in placed.iter().filter_map(|p| p.subnet.as_ref()) {
        if other.zone == subnet.zone {
            return Err(conflict(format!(
                "mount target already exists in this AZ ({}, subnet {})",
                subnet.zone, other.id
            )));
        }
        if other.vpc != subnet.vpc {
            return Err(conflict(format!(
                "the file system's mount targets are in {}: subnet {} is in {}",
                other.vpc, subnet.id, subnet.vpc
            )));
        }
    }
    if left_out(value(&m, "security_groups")) {
        let default = ids::default_security_group_id(&subnet.vpc);
        m.insert(
            "security_groups".to_owned(),
            Value::List(vec![Value::String(default)]),
        );
    } else {
        check_groups(sim, CREATE_MOUNT, &subnet, &strs_of(&m, "security_groups"))?;
    }
    let address = match str_of(&m, "ip_address") {
        Some(given) => check_address(sim, own, &subnet, given)?,
        None => free_address(sim, own, &subnet)?,
    };
    m.insert("ip_address".to_owned(), Value::String(address));
    Ok(Placed {
        attrs: m,
        subnet: Some(subnet),
    })
}

/// A mount target's groups: at most 5, each of the subnet's VPC (the
/// VPC's default group among them).
fn check_groups(sim: &Sim, call: &str, subnet: &Subnet, groups: &[String]) -> Result<(), ProviderError> {
    if groups.len() > MOUNT_TARGET_GROUPS_MAX {
        return Err(fail(
            call,
            "SecurityGroupLimitExceeded",
            format!(
                "{} security groups: a mount target takes at most {MOUNT_TARGET_GROUPS_MAX}",
                groups.len()
            ),
        ));
    }
    let default = ids::default_security_group_id(&subnet.vpc);
    for group in groups.iter().filter(|g| **g != default) {
        let vpc = sim
            .find(Kind::SecurityGroup, group)
            .and_then(|k| sim.rec(&k))
            .map(|r| str_of(&r.attrs, "vpc").unwrap_or_default());
        let message = match vpc {
            None => format!("The security group '{group}' does not exist"),
            Some(vpc) if vpc != subnet.vpc => format!(
                "The security group '{group}' is not in the subnet's VPC '{}' (it is in '{vpc}')",
                subnet.vpc
            ),
            Some(_) => continue,
        };
        return Err(fail(call, "SecurityGroupNotFound", message));
    }
    Ok(())
}

/// The addresses of `subnet` the mount targets of other file systems hold.
fn taken(sim: &Sim, own: &str, subnet: &str) -> Vec<u32> {
    sim.all(Kind::EfsFileSystem)
        .filter(|(k, _)| k.as_str() != own)
        .flat_map(|(_, r)| blocks_of(&r.attrs, "mount_target"))
        .filter(|m| str_of(m, "subnet") == Some(subnet))
        .filter_map(|m| str_of(m, "ip_address")?.parse::<Ipv4Addr>().ok())
        .map(u32::from)
        .collect()
}

/// An address given for a mount target: one `subnet` lets an interface
/// take, not another mount target's.
fn check_address(sim: &Sim, own: &str, subnet: &Subnet, given: &str) -> Result<String, ProviderError> {
    let addr = given.parse::<Ipv4Addr>().ok().map(u32::from);
    let usable = subnet.cidr.map(Cidr::usable);
    let Some(addr) = addr.filter(|a| usable.is_some_and(|r| r.contains(a))) else {
        return Err(fail(
            CREATE_MOUNT,
            BAD_REQUEST,
            format!(
                "IpAddress `{given}` is not an address subnet {} gives an interface",
                subnet.id
            ),
        ));
    };
    if taken(sim, own, &subnet.id).contains(&addr) {
        return Err(fail(
            CREATE_MOUNT,
            "IpAddressInUse",
            format!("IP address {given} is already in use in subnet {}", subnet.id),
        ));
    }
    Ok(Ipv4Addr::from(addr).to_string())
}

/// An address of `subnet` no mount target holds, from a random place in
/// its range on, as EFS picks one.
fn free_address(sim: &mut Sim, own: &str, subnet: &Subnet) -> Result<String, ProviderError> {
    let used = taken(sim, own, &subnet.id);
    let free = match subnet.cidr.map(Cidr::usable).filter(|r| !r.is_empty()) {
        Some(range) => {
            let (start, size) = (*range.start(), range.end() - range.start() + 1);
            let from = sim.rng.u32(0..size);
            // `from + i` wrapped round to the range's start, in u32.
            (0..size)
                .map(|i| {
                    start
                        + if i < size - from {
                            from + i
                        } else {
                            i - (size - from)
                        }
                })
                .find(|a| !used.contains(a))
        }
        None => None,
    };
    match free {
        Some(addr) => Ok(Ipv4Addr::from(addr).to_string()),
        None => Err(fail(
            CREATE_MOUNT,
            "NoFreeAddressesInSubnet",
            format!("The subnet {} has no free IP address", subnet.id),
        )),
    }
}

/// The access points of the file system at `key` (its ARN), by key: those
/// naming it by id or ARN.
fn access_points_of(sim: &Sim, key: &str) -> Vec<String> {
    let id = sim.rec(key).and_then(|r| str_of(&r.attrs, "id"));
    sim.all(Kind::EfsAccessPoint)
        .filter(|(_, r)| {
            let fs = str_of(&r.attrs, "file_system");
            fs == Some(key) || (fs.is_some() && fs == id)
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// CreateAccessPoint; returns its key (ARN).
pub(crate) fn create_access_point(
    sim: &mut Sim,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(CREATE_ACCESS_POINT);
    let mut attrs = canonical_of(Kind::EfsAccessPoint, &attrs);
    if let Some(fault) = access_point_faults(|a| attrs.get(a)).first() {
        return Err(refused(Kind::EfsAccessPoint, CREATE_ACCESS_POINT, fault));
    }
    let fs = str_of(&attrs, "file_system").unwrap_or_default();
    let (fs_key, _) = sim.need(Kind::EfsFileSystem, fs, CREATE_ACCESS_POINT)?;
    if access_points_of(sim, &fs_key).len() >= ACCESS_POINTS_MAX {
        return Err(fail(
            CREATE_ACCESS_POINT,
            "AccessPointLimitExceeded",
            format!(
                "You have reached the maximum number of access points ({ACCESS_POINTS_MAX}) for file system {fs}"
            ),
        ));
    }
    let prefix = sim.arn("elasticfilesystem", "access-point/");
    let arn = sim.fresh(|rng| format!("{prefix}{}", ids::ec2_id(rng, "fsap")));
    let id = arn[prefix.len()..].to_owned();
    attrs.insert("id".to_owned(), Value::String(id));
    attrs.insert("arn".to_owned(), Value::String(arn.clone()));
    sim.insert(&arn, Kind::EfsAccessPoint, tags, attrs, false);
    Ok(arn)
}

/// DeleteAccessPoint.
pub(crate) fn delete_access_point(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteAccessPoint");
    sim.remove(key);
    Ok(())
}
