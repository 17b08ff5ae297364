//! Volumes, mounts and `volumes_from` (E0551).

use crate::diagnostic::Diagnostic;
use crate::stack::DesiredBlock;

use super::super::domain::string;
use super::unknown;

/// A container's `mount`s name a volume of the task; its `volumes_from`
/// another container of the task.
pub(super) fn mounts(c: &DesiredBlock, volumes: &[&str], containers: &[&str], diags: &mut Vec<Diagnostic>) {
    for mount in c.body.blocks("mount") {
        if let Some((volume, span)) = string(&mount.body, "source_volume")
            && !volumes.contains(&volume)
        {
            diags.push(unknown("E0551", "volume", volume, span, volumes));
        }
    }
    let own = c.label.as_ref().map(|l| l.node.as_str());
    for from in c.body.blocks("volumes_from") {
        if let Some((other, span)) = string(&from.body, "container") {
            if Some(other) == own {
                diags.push(
                    Diagnostic::error("E0551", "a container cannot take volumes from itself", span)
                        .label("this container")
                        .help("name another container of the task"),
                );
            } else if !containers.contains(&other) {
                diags.push(unknown("E0551", "container", other, span, containers));
            }
        }
    }
}

/// An `efs` volume: IAM authorization and access points need transit
/// encryption; an access point brings its own root directory.
pub(super) fn efs_volume(efs: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let enabled =
        |name: &str| string(&efs.body, name).is_some_and(|(v, _)| v.eq_ignore_ascii_case("ENABLED"));
    let encrypted = enabled("transit_encryption");
    let needs = |what: &str| format!("{what} needs `transit_encryption = \"ENABLED\"`");
    if let (true, false, Some((_, span))) = (enabled("iam"), encrypted, string(&efs.body, "iam")) {
        diags.push(
            Diagnostic::error("E0551", needs("EFS IAM authorization"), span)
                .label("IAM authorization without transit encryption")
                .help("add `transit_encryption = \"ENABLED\"` to the `efs` block"),
        );
    }
    if let Some((_, span)) = string(&efs.body, "access_point") {
        if !encrypted {
            diags.push(
                Diagnostic::error("E0551", needs("an EFS access point"), span)
                    .label("access point without transit encryption")
                    .help("add `transit_encryption = \"ENABLED\"` to the `efs` block"),
            );
        }
        if let Some((root, root_span)) = string(&efs.body, "root_directory")
            && root != "/"
        {
            diags.push(
                Diagnostic::error(
                    "E0551",
                    format!("with an access point, the root directory is the access point's, not `{root}`"),
                    root_span,
                )
                .label("a root directory beside an access point")
                .also(span, "the access point")
                .help("leave `root_directory` out (or `/`): set the directory on the access point"),
            );
        }
    }
    for (what, value) in [("transit_encryption", "transitEncryption"), ("iam", "iam")] {
        if let Some((v, span)) = string(&efs.body, what)
            && !v.eq_ignore_ascii_case("ENABLED")
            && !v.eq_ignore_ascii_case("DISABLED")
        {
            diags.push(
                Diagnostic::error("E0551", format!("`{v}` is not a value of EFS {value}"), span)
                    .label("not ENABLED or DISABLED")
                    .help("write \"ENABLED\" or \"DISABLED\""),
            );
        }
    }
}
