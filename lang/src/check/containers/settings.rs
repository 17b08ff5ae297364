//! Linux parameters, kernel parameters and environment files (E0553).

use berth_provider::Value;

use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBlock, DesiredBody};

use super::super::domain::string;

/// The Linux capabilities Docker knows.
const CAPABILITIES: &[&str] = &[
    "ALL",
    "AUDIT_CONTROL",
    "AUDIT_WRITE",
    "BLOCK_SUSPEND",
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "IPC_LOCK",
    "IPC_OWNER",
    "KILL",
    "LEASE",
    "LINUX_IMMUTABLE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "MKNOD",
    "NET_ADMIN",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_CHROOT",
    "SYS_MODULE",
    "SYS_NICE",
    "SYS_PACCT",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "SYSLOG",
    "WAKE_ALARM",
];

/// The strings of a known list attribute.
pub(super) fn strings<'b>(body: &'b DesiredBody, name: &str) -> Vec<&'b str> {
    body.known(name)
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// `linux` and `system_control`: what Fargate lets a container change.
pub(super) fn linux(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    for linux in c.body.blocks("linux") {
        let span = |name| linux.body.span(name).unwrap_or(linux.span);
        for cap in strings(&linux.body, "capabilities_add") {
            if cap != "SYS_PTRACE" {
                diags.push(
                    Diagnostic::error(
                        "E0553",
                        format!("Fargate does not add the capability `{cap}`"),
                        span("capabilities_add"),
                    )
                    .label("only SYS_PTRACE")
                    .help("on Fargate, `capabilities_add` takes only \"SYS_PTRACE\""),
                );
            }
        }
        for cap in strings(&linux.body, "capabilities_drop") {
            if !CAPABILITIES.contains(&cap) {
                let d = Diagnostic::error(
                    "E0553",
                    format!("`{cap}` is not a Linux capability"),
                    span("capabilities_drop"),
                )
                .label("unknown capability");
                diags.push(
                    match crate::suggest::did_you_mean(cap, CAPABILITIES.iter().copied()) {
                        Some(h) => d.help(h),
                        None => d.help("capabilities are upper case without `CAP_`, e.g. \"NET_RAW\""),
                    },
                );
            }
        }
    }
    for control in c.body.blocks("system_control") {
        if let Some((namespace, span)) = string(&control.body, "namespace")
            && !namespace.starts_with("net.")
        {
            diags.push(
                Diagnostic::error(
                    "E0553",
                    format!("Fargate does not set the kernel parameter `{namespace}`"),
                    span,
                )
                .label("not a network (`net.*`) parameter")
                .help("on Fargate, system controls are the network namespace's: `net.*`"),
            );
        }
    }
}

/// An `environment_file` is a `.env` object in S3.
pub(super) fn environment_files(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    for file in c.body.blocks("environment_file") {
        if let Some((kind, span)) = string(&file.body, "type")
            && kind != "s3"
        {
            diags.push(
                Diagnostic::error("E0553", format!("`{kind}` is not an environment file type"), span)
                    .label("not s3")
                    .help("environment files come from S3: `type = \"s3\"` (the default)"),
            );
        }
        if let Some((arn, span)) = string(&file.body, "value")
            && !(arn.starts_with("arn:aws") && arn.contains(":s3:::") && arn.ends_with(".env"))
        {
            diags.push(
                Diagnostic::error(
                    "E0553",
                    format!("`{arn}` is not the ARN of a `.env` object in S3"),
                    span,
                )
                .label("ECS reads environment files from S3 objects named `*.env`")
                .help("e.g. \"arn:aws:s3:::my-bucket/app.env\""),
            );
        }
    }
}
