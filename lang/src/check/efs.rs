//! EFS file systems and access points as EFS takes them: known modes and
//! transitions, provisioned throughput with its mode only, a KMS key for
//! an encrypted file system, Archive after Infrequent Access; mount
//! targets one per zone, in one VPC, in a One Zone file system's zone,
//! with at most five groups; and an access point's POSIX user and root
//! directory whole.

use std::collections::BTreeSet;

use berth_provider::Kind;
use berth_provider::efs::{
    BACK_TO_PRIMARY, Fault, MOUNT_TARGET_GROUPS_MAX, PERFORMANCE_MODES, THROUGHPUT_MODES, TRANSITIONS,
    access_point_faults, file_system_faults,
};

use super::domain::{CaseSensitive, given, spelled, string};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBody, DesiredResource, DesiredValue, Stack};

const CODE: &str = "E0645";

/// The settings whose values are told apart from the others, with the
/// values EFS takes.
const VALUES: [(&str, &str, &[&str]); 5] = [
    ("performance_mode", "performance mode", &PERFORMANCE_MODES),
    ("throughput_mode", "throughput mode", &THROUGHPUT_MODES),
    ("transition_to_ia", "transition", &TRANSITIONS),
    ("transition_to_archive", "transition", &TRANSITIONS),
    (
        "transition_to_primary_storage_class",
        "transition",
        &BACK_TO_PRIMARY,
    ),
];

pub(super) fn file_system(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    for (attr, what, allowed) in VALUES {
        let spelling = CaseSensitive {
            service: "EFS",
            code: CODE,
            allowed,
        };
        spelled(&r.body, attr, what, &spelling, diags);
    }
    // Unknown values are told above, with the values EFS takes.
    report(&r.body, file_system_faults(given(&r.body)), diags);
    mount_targets(stack, r, diags);
}

pub(super) fn access_point(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    report(&r.body, access_point_faults(given(&r.body)), diags);
}

fn report(body: &DesiredBody, faults: impl IntoIterator<Item = Fault>, diags: &mut Vec<Diagnostic>) {
    for fault in faults {
        let Some(span) = body.span(fault.attr) else {
            continue;
        };
        diags.push(
            Diagnostic::error(CODE, format!("EFS refuses `{}` (BadRequest)", fault.attr), span)
                .label(fault.message),
        );
    }
}

/// Mount targets in distinct zones of one VPC (MountTargetConflict), in a
/// One Zone file system's zone, with at most five groups
/// (SecurityGroupLimitExceeded); subnets of the stack only, whose zone and
/// VPC are known.
fn mount_targets(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let one_zone = string(&r.body, "availability_zone").map(|(z, _)| z);
    let mut zones = BTreeSet::new();
    let mut vpc: Option<String> = None;
    for target in r.body.blocks("mount_target") {
        let groups = match target.body.value("security_groups") {
            Some(DesiredValue::List(items)) => items.len(),
            _ => 0,
        };
        if groups > MOUNT_TARGET_GROUPS_MAX
            && let Some(span) = target.body.span("security_groups")
        {
            diags.push(
                Diagnostic::error(CODE, format!("{groups} security groups on a mount target"), span)
                    .label(format!("at most {MOUNT_TARGET_GROUPS_MAX}"))
                    .help("EFS refuses more (SecurityGroupLimitExceeded): one group may hold every rule"),
            );
        }
        let (Some(DesiredValue::Ref(subnet)), Some(span)) =
            (target.body.value("subnet"), target.body.span("subnet"))
        else {
            continue;
        };
        let Some(declared) = stack
            .resource(&subnet.address)
            .filter(|_| subnet.address.kind == Kind::Subnet)
        else {
            continue;
        };
        if let Some((zone, _)) = string(&declared.body, "zone") {
            if !zones.insert(zone.to_owned()) {
                diags.push(
                    Diagnostic::error(CODE, format!("two mount targets in `{zone}`"), span)
                        .label(format!("`{}` is in `{zone}` too", subnet.address))
                        .help("EFS takes one mount target per zone (MountTargetConflict): keep one subnet of each zone"),
                );
            }
            if let Some(only) = one_zone
                && only != zone
            {
                diags.push(
                    Diagnostic::error(
                        CODE,
                        format!("a mount target in `{zone}` for One Zone storage in `{only}`"),
                        span,
                    )
                    .label(format!("`{}` is in `{zone}`", subnet.address))
                    .help("a One Zone file system's mount target is in a subnet of its zone"),
                );
            }
        }
        if let Some(DesiredValue::Ref(v)) = declared.body.value("vpc") {
            let this = v.address.to_string();
            match &vpc {
                Some(first) if *first != this => diags.push(
                    Diagnostic::error(CODE, "mount targets in two VPCs", span)
                        .label(format!(
                            "`{}` is in `{this}`, another mount target in `{first}`",
                            subnet.address
                        ))
                        .help("EFS keeps a file system's mount targets in one VPC (MountTargetConflict)"),
                ),
                Some(_) => {}
                None => vpc = Some(this),
            }
        }
    }
}
