//! EFS's rules that both validate and the local cloud apply to an
//! `efs_file_system`'s settings and an `efs_access_point`'s, as
//! CreateFileSystem, UpdateFileSystem, PutLifecycleConfiguration and
//! CreateAccessPoint refuse them (EFS answers `BadRequest` for each).

use crate::Value;

/// A file system's performance modes.
pub const PERFORMANCE_MODES: [&str; 2] = ["generalPurpose", "maxIO"];

/// A file system's throughput modes.
pub const THROUGHPUT_MODES: [&str; 3] = ["bursting", "provisioned", "elastic"];

/// When files move to Infrequent Access or Archive.
pub const TRANSITIONS: [&str; 9] = [
    "AFTER_1_DAY",
    "AFTER_7_DAYS",
    "AFTER_14_DAYS",
    "AFTER_30_DAYS",
    "AFTER_60_DAYS",
    "AFTER_90_DAYS",
    "AFTER_180_DAYS",
    "AFTER_270_DAYS",
    "AFTER_365_DAYS",
];

/// When files come back to Standard.
pub const BACK_TO_PRIMARY: [&str; 1] = ["AFTER_1_ACCESS"];

/// The most security groups a mount target takes.
pub const MOUNT_TARGET_GROUPS_MAX: usize = 5;

/// The most MiB/s a file system may be provisioned.
pub const PROVISIONED_MAX: f64 = 3414.0;

/// One setting EFS refuses: the attribute and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub attr: &'static str,
    pub message: String,
}

fn fault(attr: &'static str, message: impl Into<String>) -> Fault {
    Fault {
        attr,
        message: message.into(),
    }
}

/// The days of a transition value (`AFTER_30_DAYS` is 30).
fn days(transition: &str) -> Option<u32> {
    transition
        .strip_prefix("AFTER_")?
        .trim_end_matches("_DAYS")
        .trim_end_matches("_DAY")
        .parse()
        .ok()
}

/// The settings of one file system whose value EFS does not know (validate
/// tells them with the values EFS takes, in their case).
pub fn unknown_values<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> Vec<Fault> {
    let mut out = Vec::new();
    let text = |attr: &str| get(attr).and_then(Value::as_str);
    for (attr, allowed) in [
        ("performance_mode", &PERFORMANCE_MODES[..]),
        ("throughput_mode", &THROUGHPUT_MODES[..]),
        ("transition_to_ia", &TRANSITIONS[..]),
        ("transition_to_archive", &TRANSITIONS[..]),
        ("transition_to_primary_storage_class", &BACK_TO_PRIMARY[..]),
    ] {
        if let Some(v) = text(attr)
            && !allowed.contains(&v)
        {
            out.push(fault(attr, format!("`{v}` is not one of {}", allowed.join(", "))));
        }
    }
    out
}

/// The settings of one file system EFS refuses ([`unknown_values`]
/// apart), `get` reading a setting's value (`None` when left out,
/// [`Value::Unknown`] when not known yet).
pub fn file_system_faults<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> Vec<Fault> {
    let mut out = Vec::new();
    let text = |attr: &str| get(attr).and_then(Value::as_str);
    let given = |attr: &str| get(attr).is_some_and(|v| *v != Value::Null);
    let throughput = text("throughput_mode").unwrap_or("bursting");
    match (throughput == "provisioned", given("provisioned_throughput")) {
        (true, false) => out.push(fault(
            "throughput_mode",
            "provisioned throughput without `provisioned_throughput`",
        )),
        (false, true) => out.push(fault(
            "provisioned_throughput",
            format!("MiB/s of a `{throughput}` file system: only a `provisioned` one takes them"),
        )),
        _ => {}
    }
    if let Some(mibps) = get("provisioned_throughput").and_then(Value::as_f64)
        && !(1.0..=PROVISIONED_MAX).contains(&mibps)
    {
        out.push(fault(
            "provisioned_throughput",
            format!("{mibps} MiB/s: 1 to {PROVISIONED_MAX}"),
        ));
    }
    if text("performance_mode") == Some("maxIO") {
        if throughput == "elastic" {
            out.push(fault("performance_mode", "Max I/O with elastic throughput"));
        }
        if given("availability_zone") {
            out.push(fault("performance_mode", "Max I/O on One Zone storage"));
        }
    }
    if given("kms_key") && !matches!(get("encrypted"), Some(Value::Bool(true))) {
        out.push(fault(
            "kms_key",
            "a KMS key for a file system that is not `encrypted`",
        ));
    }
    if given("transition_to_archive") && throughput != "elastic" {
        out.push(fault(
            "transition_to_archive",
            "Archive storage for a file system without elastic throughput",
        ));
    }
    if let (Some(ia), Some(archive)) = (
        text("transition_to_ia").and_then(days),
        text("transition_to_archive").and_then(days),
    ) && archive <= ia
    {
        out.push(fault(
            "transition_to_archive",
            "to Archive no later than to Infrequent Access",
        ));
    }
    out
}

/// The settings of one access point EFS refuses.
pub fn access_point_faults<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> Vec<Fault> {
    let mut out = Vec::new();
    let given = |attr: &str| get(attr).is_some_and(|v| *v != Value::Null);
    if given("posix_uid") != given("posix_gid") {
        let attr = if given("posix_uid") {
            "posix_uid"
        } else {
            "posix_gid"
        };
        out.push(fault(attr, "a POSIX user is a uid and a gid"));
    }
    let secondary = get("posix_secondary_gids")
        .and_then(Value::as_list)
        .is_some_and(|l| !l.is_empty());
    if secondary && !given("posix_uid") {
        out.push(fault(
            "posix_secondary_gids",
            "secondary groups without a POSIX user",
        ));
    }
    let creation = ["owner_uid", "owner_gid", "permissions"];
    let count = creation.iter().filter(|a| given(a)).count();
    if count != 0 && count != creation.len() {
        let missing = creation
            .iter()
            .find(|a| !given(a))
            .copied()
            .unwrap_or("permissions");
        out.push(fault(
            creation.iter().find(|a| given(a)).copied().unwrap_or("owner_uid"),
            format!("the root directory's creation info without `{missing}` (all three or none)"),
        ));
    }
    if let Some(path) = get("root_directory").and_then(Value::as_str)
        && (!path.starts_with('/') || path.len() > 100 || path.contains("//"))
    {
        out.push(fault(
            "root_directory",
            "an absolute path (`/` then names), at most 100 characters",
        ));
    }
    if let Some(mode) = get("permissions").and_then(Value::as_str)
        && !((3..=4).contains(&mode.len()) && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)))
    {
        out.push(fault(
            "permissions",
            format!("`{mode}` is not an octal mode (`0755`)"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn attrs_of(settings: &[(&str, Value)]) -> BTreeMap<String, Value> {
        settings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn fs(settings: &[(&str, Value)]) -> Vec<&'static str> {
        let map = attrs_of(settings);
        unknown_values(|a| map.get(a))
            .into_iter()
            .chain(file_system_faults(|a| map.get(a)))
            .map(|f| f.attr)
            .collect()
    }

    fn ap(settings: &[(&str, Value)]) -> Vec<&'static str> {
        let map = attrs_of(settings);
        access_point_faults(|a| map.get(a))
            .into_iter()
            .map(|f| f.attr)
            .collect()
    }

    #[test]
    fn file_system_settings_efs_refuses_are_named() {
        let s = |v: &str| Value::from(v);
        assert_eq!(
            fs(&[("encrypted", Value::Bool(true)), ("kms_key", s("alias/efs"))]),
            Vec::<&str>::new()
        );
        assert_eq!(fs(&[("throughput_mode", s("provisioned"))]), ["throughput_mode"]);
        assert_eq!(
            fs(&[("provisioned_throughput", Value::Int(10))]),
            ["provisioned_throughput"]
        );
        assert_eq!(
            fs(&[
                ("throughput_mode", s("provisioned")),
                ("provisioned_throughput", Value::Int(5000))
            ]),
            ["provisioned_throughput"]
        );
        assert_eq!(
            fs(&[
                ("performance_mode", s("maxIO")),
                ("throughput_mode", s("elastic"))
            ]),
            ["performance_mode"]
        );
        assert_eq!(fs(&[("kms_key", s("alias/efs"))]), ["kms_key"]);
        assert_eq!(
            fs(&[("transition_to_ia", s("AFTER_2_DAYS"))]),
            ["transition_to_ia"]
        );
        assert_eq!(
            fs(&[
                ("throughput_mode", s("elastic")),
                ("transition_to_ia", s("AFTER_30_DAYS")),
                ("transition_to_archive", s("AFTER_14_DAYS")),
            ]),
            ["transition_to_archive"]
        );
        assert_eq!(
            fs(&[("transition_to_archive", s("AFTER_90_DAYS"))]),
            ["transition_to_archive"]
        );
    }

    #[test]
    fn access_point_settings_efs_refuses_are_named() {
        let s = |v: &str| Value::from(v);
        let full = [
            ("posix_uid", Value::Int(1000)),
            ("posix_gid", Value::Int(1000)),
            ("root_directory", s("/data")),
            ("owner_uid", Value::Int(1000)),
            ("owner_gid", Value::Int(1000)),
            ("permissions", s("0755")),
        ];
        assert_eq!(ap(&full), Vec::<&str>::new());
        assert_eq!(ap(&[("posix_uid", Value::Int(1))]), ["posix_uid"]);
        assert_eq!(ap(&[("owner_uid", Value::Int(1))]), ["owner_uid"]);
        assert_eq!(ap(&[("root_directory", s("data"))]), ["root_directory"]);
        assert_eq!(
            ap(&[
                ("owner_uid", Value::Int(1)),
                ("owner_gid", Value::Int(1)),
                ("permissions", s("rwx")),
            ]),
            ["permissions"]
        );
    }
}
