//! A task definition's storage as ECS has it: `volume` blocks (EFS, or a
//! bind mount of the task's storage), a container's `mount` and
//! `volumes_from` blocks, and `ephemeral_storage`.

use aws_sdk_ecs::types::{
    EfsAuthorizationConfig, EfsAuthorizationConfigIam, EfsTransitEncryption, EfsVolumeConfiguration,
    EphemeralStorage, MountPoint, Volume, VolumeFrom,
};
use berth_provider::{Attrs, ProviderError, Value};

use crate::attrs::{attrs, blocks_of, bool_of, i32_of, opt_int, opt_str, str_of};
use crate::errors::build_error;

/// The task's `volume` blocks as the `volumes` AWS receives.
pub(super) fn encode_volumes(call: &str, a: &Attrs) -> Result<Vec<Volume>, ProviderError> {
    blocks_of(a, "volume")
        .into_iter()
        .map(|v| {
            let efs = match blocks_of(v, "efs").first() {
                Some(efs) => Some(encode_efs(call, efs)?),
                None => None,
            };
            Ok(Volume::builder()
                .set_name(str_of(v, "name").map(str::to_owned))
                .set_efs_volume_configuration(efs)
                .build())
        })
        .collect()
}

fn encode_efs(call: &str, efs: &Attrs) -> Result<EfsVolumeConfiguration, ProviderError> {
    let iam = str_of(efs, "iam").unwrap_or("DISABLED");
    let access_point = str_of(efs, "access_point");
    // AWS reads an absent authorizationConfig as IAM disabled, no access
    // point: sent only when it says more.
    let authorization = (access_point.is_some() || iam != "DISABLED").then(|| {
        EfsAuthorizationConfig::builder()
            .set_access_point_id(access_point.map(str::to_owned))
            .iam(EfsAuthorizationConfigIam::from(iam))
            .build()
    });
    EfsVolumeConfiguration::builder()
        .file_system_id(str_of(efs, "file_system_id").unwrap_or_default())
        .set_root_directory(str_of(efs, "root_directory").map(str::to_owned))
        .transit_encryption(EfsTransitEncryption::from(
            str_of(efs, "transit_encryption").unwrap_or("DISABLED"),
        ))
        .set_transit_encryption_port(i32_of(efs, "transit_encryption_port"))
        .set_authorization_config(authorization)
        .build()
        .map_err(|e| build_error(call, e))
}

/// `volumes` as `volume` blocks.
pub(super) fn decode_volumes(volumes: &[Volume]) -> Value {
    Value::List(
        volumes
            .iter()
            .map(|v| {
                let efs = v.efs_volume_configuration().map(|efs| {
                    let auth = efs.authorization_config();
                    Value::Map(attrs([
                        ("file_system_id", Value::from(efs.file_system_id())),
                        ("root_directory", opt_str(efs.root_directory())),
                        (
                            "transit_encryption",
                            Value::from(efs.transit_encryption().map_or("DISABLED", |t| t.as_str())),
                        ),
                        ("transit_encryption_port", opt_int(efs.transit_encryption_port())),
                        ("access_point", opt_str(auth.and_then(|a| a.access_point_id()))),
                        (
                            "iam",
                            Value::from(auth.and_then(|a| a.iam()).map_or("DISABLED", |i| i.as_str())),
                        ),
                    ]))
                });
                Value::Map(attrs([
                    ("name", Value::from(v.name().unwrap_or_default())),
                    ("efs", Value::List(efs.into_iter().collect())),
                ]))
            })
            .collect(),
    )
}

/// A container's `mount` blocks as its `mountPoints`.
pub(super) fn encode_mounts(c: &Attrs) -> Vec<MountPoint> {
    blocks_of(c, "mount")
        .into_iter()
        .map(|m| {
            MountPoint::builder()
                .set_source_volume(str_of(m, "source_volume").map(str::to_owned))
                .set_container_path(str_of(m, "container_path").map(str::to_owned))
                .read_only(bool_of(m, "read_only"))
                .build()
        })
        .collect()
}

/// A container's `volumes_from` blocks as its `volumesFrom`.
pub(super) fn encode_volumes_from(c: &Attrs) -> Vec<VolumeFrom> {
    blocks_of(c, "volumes_from")
        .into_iter()
        .map(|v| {
            VolumeFrom::builder()
                .set_source_container(str_of(v, "container").map(str::to_owned))
                .read_only(bool_of(v, "read_only"))
                .build()
        })
        .collect()
}

/// `mountPoints` as `mount` blocks.
pub(super) fn decode_mounts(mounts: &[MountPoint]) -> Value {
    Value::List(
        mounts
            .iter()
            .map(|m| {
                Value::Map(attrs([
                    ("source_volume", opt_str(m.source_volume())),
                    ("container_path", opt_str(m.container_path())),
                    ("read_only", Value::Bool(m.read_only().unwrap_or(false))),
                ]))
            })
            .collect(),
    )
}

/// `volumesFrom` as `volumes_from` blocks.
pub(super) fn decode_volumes_from(from: &[VolumeFrom]) -> Value {
    Value::List(
        from.iter()
            .map(|v| {
                Value::Map(attrs([
                    ("container", opt_str(v.source_container())),
                    ("read_only", Value::Bool(v.read_only().unwrap_or(false))),
                ]))
            })
            .collect(),
    )
}

/// `ephemeral_storage` as AWS receives it.
pub(super) fn encode_ephemeral_storage(a: &Attrs) -> Option<EphemeralStorage> {
    i32_of(a, "ephemeral_storage").map(|size| EphemeralStorage::builder().size_in_gib(size).build())
}

/// `ephemeralStorage` as `ephemeral_storage`: AWS's 20 GiB when absent.
pub(super) fn decode_ephemeral_storage(storage: Option<&EphemeralStorage>) -> Value {
    opt_int(storage.map(EphemeralStorage::size_in_gib))
}
