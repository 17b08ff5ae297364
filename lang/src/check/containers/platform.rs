//! The task's runtime platform, process namespace and proxy (E0554).

use crate::diagnostic::Diagnostic;
use crate::stack::DesiredResource;

use super::super::domain::{int, string};
use super::unknown;

/// The operating system families Fargate runs.
const OS_FAMILIES: &[&str] = &[
    "LINUX",
    "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2019_FULL",
    "WINDOWS_SERVER_2022_CORE",
    "WINDOWS_SERVER_2022_FULL",
];

/// The runtime platform: a family Fargate runs, ARM64 on Linux only,
/// Windows from 1 vCPU, a process namespace Fargate shares.
pub(super) fn platform(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let os = string(&r.body, "os_family").map(|(os, span)| (os.to_ascii_uppercase(), span));
    if let Some((os, span)) = &os
        && !OS_FAMILIES.contains(&os.as_str())
    {
        let d = Diagnostic::error(
            "E0554",
            format!("Fargate does not run the OS family `{os}`"),
            *span,
        )
        .label("unknown OS family");
        diags.push(
            match crate::suggest::did_you_mean(os, OS_FAMILIES.iter().copied()) {
                Some(h) => d.help(h),
                None => d.help(format!("Fargate runs {}", OS_FAMILIES.join(", "))),
            },
        );
    }
    let windows = os.as_ref().filter(|(os, _)| os.starts_with("WINDOWS"));
    if let Some((arch, span)) = string(&r.body, "cpu_architecture") {
        let arch = arch.to_ascii_uppercase();
        if arch != "X86_64" && arch != "ARM64" {
            diags.push(
                Diagnostic::error(
                    "E0554",
                    format!("`{arch}` is not a CPU architecture Fargate has"),
                    span,
                )
                .label("not X86_64 or ARM64")
                .help("write \"X86_64\" or \"ARM64\""),
            );
        } else if let (Some((os, os_span)), "ARM64") = (windows, arch.as_str()) {
            diags.push(
                Diagnostic::error("E0554", "Fargate runs ARM64 tasks on Linux only", span)
                    .label("ARM64")
                    .also(*os_span, format!("os_family is {os}"))
                    .help("use `cpu_architecture = \"X86_64\"` for Windows, or `os_family = \"LINUX\"`"),
            );
        }
    }
    if let (Some((os, os_span)), Some((cpu, cpu_span))) = (windows, int(&r.body, "cpu"))
        && cpu < 1024
    {
        diags.push(
            Diagnostic::error(
                "E0554",
                format!("Fargate runs Windows tasks from 1024 CPU units, not {cpu}"),
                cpu_span,
            )
            .label("too small for Windows")
            .also(*os_span, format!("os_family is {os}"))
            .help("raise `cpu` to 1024 or more (and `memory` to suit)"),
        );
    }
    if let Some((mode, span)) = string(&r.body, "pid_mode") {
        if !mode.eq_ignore_ascii_case("task") {
            diags.push(
                Diagnostic::error(
                    "E0554",
                    format!("Fargate does not support pid_mode `{mode}`"),
                    span,
                )
                .label("not `task`")
                .help("Fargate shares a process namespace within the task only: `pid_mode = \"task\"`"),
            );
        } else if let Some((os, os_span)) = windows {
            diags.push(
                Diagnostic::error("E0554", "pid_mode needs a Linux task", span)
                    .label("a shared process namespace")
                    .also(*os_span, format!("os_family is {os}"))
                    .help("leave `pid_mode` out on Windows"),
            );
        }
    }
}

/// The proxy is a container of the task.
pub(super) fn proxy(r: &DesiredResource, names: &[&str], diags: &mut Vec<Diagnostic>) {
    for proxy in r.body.blocks("proxy") {
        if let Some((container, span)) = string(&proxy.body, "container")
            && !names.contains(&container)
        {
            diags.push(
                unknown("E0554", "container", container, span, names)
                    .label("the proxy must be a container of the task"),
            );
        }
        if let Some((kind, span)) = string(&proxy.body, "type")
            && !kind.eq_ignore_ascii_case("APPMESH")
        {
            diags.push(
                Diagnostic::error("E0554", format!("`{kind}` is not a proxy type"), span)
                    .label("not APPMESH")
                    .help("`type` is \"APPMESH\" (the default)"),
            );
        }
    }
}
