//! AWS's rules for a task definition's containers on Fargate beyond the
//! basics of `domain.rs`, one module per field group: log configuration
//! and FireLens (E0550), volumes and mounts (E0551), port mappings and
//! health checks (E0552), Linux parameters, kernel parameters and
//! environment files (E0553), the task's platform, process namespace and
//! proxy (E0554), credential specs (E0615-E0617), restart policies
//! (E0627), names and images (E0652).

mod credentials;
mod logs;
mod names;
mod platform;
mod ports;
mod restart;
mod settings;
mod storage;

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBlock, DesiredBody, DesiredResource};

/// The string at `key` of the known map attribute `attr` of `body` (a
/// driver's option).
fn map_entry<'b>(body: &'b DesiredBody, attr: &str, key: &str) -> Option<&'b str> {
    body.known(attr)?.as_map()?.get(key)?.as_str()
}

/// `name` is no `what` (volume, container) of the task, whose are `known`.
fn unknown(code: &'static str, what: &str, name: &str, span: Span, known: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(code, format!("no {what} `{name}` in this task definition"), span)
        .label(format!("unknown {what}"));
    match crate::suggest::did_you_mean(name, known.iter().copied()) {
        Some(h) => d.help(h),
        None if known.is_empty() => d.help(format!(
            "declare it: `{what} {name} {{ }}` in the task definition"
        )),
        None => d.help(format!("{what}s: {}", known.join(", "))),
    }
}

/// Every container rule of `r`, a task definition of `stack`.
pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let containers = r.body.blocks("container");
    let routers: Vec<&DesiredBlock> = containers
        .iter()
        .flat_map(|c| c.body.blocks("firelens"))
        .collect();
    let names: Vec<&str> = containers
        .iter()
        .filter_map(|c| c.label.as_ref().map(|l| l.node.as_str()))
        .collect();
    let volumes: Vec<&str> = r
        .body
        .blocks("volume")
        .iter()
        .filter_map(|v| v.label.as_ref().map(|l| l.node.as_str()))
        .collect();
    for c in containers {
        names::name_and_image(c, diags);
        logs::logs(c, !routers.is_empty(), diags);
        storage::mounts(c, &volumes, &names, diags);
        ports::health_check(c, diags);
        settings::linux(c, diags);
        settings::environment_files(c, diags);
        credentials::credential_specs(c, diags);
        restart::restart_policy(c, diags);
    }
    ports::port_mappings(containers, diags);
    ports::healthy_dependencies(containers, diags);
    platform::platform(r, diags);
    platform::proxy(r, &names, diags);
    for volume in r.body.blocks("volume") {
        for efs in volume.body.blocks("efs") {
            storage::efs_volume(efs, diags);
        }
    }
    for router in &routers {
        logs::firelens(router, diags);
    }
    if let [first, second, ..] = routers.as_slice() {
        diags.push(
            Diagnostic::error(
                "E0550",
                "a task definition has at most one FireLens log router",
                second.span,
            )
            .label("a second `firelens` block")
            .also(first.span, "the first one")
            .help("route every container's logs through one `firelens` container"),
        );
    }
}
