//! AWS's rules for a task definition's containers on Fargate beyond the
//! basics of `domain.rs`: log configuration and FireLens (E0550), volumes
//! and mounts (E0551), port mappings and health checks (E0552), Linux
//! parameters, kernel parameters and environment files (E0553), and the
//! task's platform, process namespace and proxy (E0554).

use berth_provider::Value;

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBlock, DesiredBody, DesiredResource, Stack};

use super::domain::{int, string};

/// The log drivers Fargate runs.
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "awsfirelens", "splunk"];

/// The log routers FireLens has.
const FIRELENS_TYPES: &[&str] = &["fluentbit", "fluentd"];

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
pub(super) fn check(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
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
        logs(stack, c, !routers.is_empty(), diags);
        mounts(c, &volumes, &names, diags);
        health_check(c, diags);
        linux(c, diags);
        environment_files(c, diags);
    }
    port_mappings(containers, diags);
    healthy_dependencies(containers, diags);
    platform(r, diags);
    proxy(r, &names, diags);
    for volume in r.body.blocks("volume") {
        for efs in volume.body.blocks("efs") {
            efs_volume(efs, diags);
        }
    }
    for router in &routers {
        firelens(router, diags);
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

/// A container's `log` block: one way of saying it, a driver Fargate runs,
/// the options the driver needs.
fn logs(stack: &Stack, c: &DesiredBlock, has_router: bool, diags: &mut Vec<Diagnostic>) {
    let Some(log) = c.body.blocks("log").first() else {
        return;
    };
    if let Some(span) = c.body.span("logs") {
        diags.push(
            Diagnostic::error(
                "E0550",
                "`logs` and a `log` block say the same thing twice",
                log.span,
            )
            .label("a `log` block")
            .also(span, "and `logs`")
            .help("`logs = log_group.NAME` is the awslogs shorthand: keep one of the two"),
        );
    }
    let Some((driver, span)) = string(&log.body, "driver") else {
        return;
    };
    let option = |name: &str| {
        let in_map = |attr: &str| {
            log.body
                .known(attr)
                .and_then(|v| v.as_map())
                .is_some_and(|m| m.contains_key(name))
        };
        in_map("options") || in_map("secret_options")
    };
    let options_span = log.body.span("options").unwrap_or(log.span);
    match driver {
        "awslogs" => {
            if log.body.known("options").is_some() && !option("awslogs-group") {
                diags.push(
                    Diagnostic::error("E0550", "the awslogs driver needs an `awslogs-group` option", options_span)
                        .label("no `awslogs-group`")
                        .help("add `\"awslogs-group\" = \"/ecs/NAME\"`, or write `logs = log_group.NAME` instead of the block"),
                );
            }
            let region = map_entry(&log.body, "options", "awslogs-region");
            if let Some(region) = region
                && region != stack.region
            {
                diags.push(
                    Diagnostic::error(
                        "E0550",
                        format!("`awslogs-region` is {region}, not the stack's region {}", stack.region),
                        options_span,
                    )
                    .label("another region")
                    .help(format!(
                        "berth sends logs to the stack's region: write \"{}\" or leave `awslogs-region` out",
                        stack.region
                    )),
                );
            }
        }
        "awsfirelens" if !has_router => diags.push(
            Diagnostic::error("E0550", "the awsfirelens log driver needs a FireLens container in the task", span)
                .label("no container of this task has a `firelens` block")
                .help("add a log router container, e.g. `container log_router { image = \"public.ecr.aws/aws-observability/aws-for-fluent-bit:stable\"  firelens { type = \"fluentbit\" } }`"),
        ),
        "awsfirelens" => {}
        "splunk" => {
            for needed in ["splunk-url", "splunk-token"] {
                if log.body.known("options").is_some() && !option(needed) {
                    diags.push(
                        Diagnostic::error("E0550", format!("the splunk driver needs a `{needed}` option"), options_span)
                            .label(format!("no `{needed}`"))
                            .help("the token may come from `secret_options` (an SSM parameter or secret ARN)"),
                    );
                }
            }
        }
        other => diags.push(
            Diagnostic::error("E0550", format!("Fargate does not run the `{other}` log driver"), span)
                .label("not a Fargate log driver")
                .help(format!("Fargate runs {}", FARGATE_LOG_DRIVERS.join(", "))),
        ),
    }
}

/// A `firelens` block: a router FireLens has, a configuration file Fargate
/// can read.
fn firelens(router: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    if let Some((kind, span)) = string(&router.body, "type")
        && !FIRELENS_TYPES.contains(&kind)
    {
        diags.push(
            Diagnostic::error("E0550", format!("`{kind}` is not a FireLens log router"), span)
                .label("unknown router type")
                .help("`type` is \"fluentbit\" or \"fluentd\""),
        );
    }
    let file_type = map_entry(&router.body, "options", "config-file-type");
    if let Some(file_type) = file_type
        && file_type != "file"
    {
        let span = router.body.span("options").unwrap_or(router.span);
        diags.push(
            Diagnostic::error(
                "E0550",
                format!("Fargate reads FireLens configuration from `file`, not `{file_type}`"),
                span,
            )
            .label("`config-file-type` Fargate does not take")
            .help("bake the configuration into the router's image and write `\"config-file-type\" = \"file\"` with its path in `config-file-value`"),
        );
    }
}

/// A container's `mount`s name a volume of the task; its `volumes_from`
/// another container of the task.
fn mounts(c: &DesiredBlock, volumes: &[&str], containers: &[&str], diags: &mut Vec<Diagnostic>) {
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
fn efs_volume(efs: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
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

/// The application protocols a port mapping may name.
const APP_PROTOCOLS: &[&str] = &["http", "http2", "grpc"];

/// `FROM-TO` of a port range, when both are ports and FROM is below TO.
fn port_range(text: &str) -> Option<(i64, i64)> {
    let (from, to) = text.split_once('-')?;
    let (from, to) = (from.trim().parse::<i64>().ok()?, to.trim().parse::<i64>().ok()?);
    (1 <= from && from < to && to <= 65_535).then_some((from, to))
}

/// Port mappings: a port or a range, an application protocol ECS knows, a
/// name Service Connect takes, used once in the task.
fn port_mappings(containers: &[DesiredBlock], diags: &mut Vec<Diagnostic>) {
    let mut named: Vec<(&str, crate::source::Span)> = Vec::new();
    for mapping in containers.iter().flat_map(|c| c.body.blocks("port_mapping")) {
        let port = int(&mapping.body, "container_port");
        let range = string(&mapping.body, "container_port_range");
        match (port, range) {
            (None, None)
                if mapping.body.value("container_port").is_none()
                    && mapping.body.value("container_port_range").is_none() =>
            {
                diags.push(
                    Diagnostic::error(
                        "E0552",
                        "a port mapping needs `container_port` or `container_port_range`",
                        mapping.span,
                    )
                    .label("no port")
                    .help("e.g. `container_port = 8080`, or `container_port_range = \"8000-8010\"`"),
                )
            }
            (Some((_, span)), Some(_)) => diags.push(
                Diagnostic::error(
                    "E0552",
                    "a port mapping has `container_port` or `container_port_range`, not both",
                    span,
                )
                .label("a port beside a range")
                .help("keep one of the two"),
            ),
            (_, Some((text, span))) if port_range(text).is_none() => diags.push(
                Diagnostic::error("E0552", format!("`{text}` is not a port range"), span)
                    .label("not FROM-TO")
                    .help("write two ports from 1 to 65535, the lower first: \"8000-8010\""),
            ),
            _ => {}
        }
        if let Some((protocol, span)) = string(&mapping.body, "app_protocol")
            && !APP_PROTOCOLS.contains(&protocol)
        {
            diags.push(
                Diagnostic::error(
                    "E0552",
                    format!("`{protocol}` is not an application protocol ECS knows"),
                    span,
                )
                .label("unknown app_protocol")
                .help("`app_protocol` is \"http\", \"http2\" or \"grpc\""),
            );
        }
        if let Some((name, span)) = string(&mapping.body, "name") {
            let valid = !name.is_empty()
                && name.len() <= 64
                && !name.starts_with('-')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
            if !valid {
                diags.push(
                    Diagnostic::error(
                        "E0552",
                        format!("`{name}` is not a port mapping name ECS takes"),
                        span,
                    )
                    .label("not 1 to 64 lower-case letters, digits, `-` and `_`")
                    .help("e.g. `name = \"web-http\"`"),
                );
            } else if let Some((_, first)) = named.iter().find(|(n, _)| *n == name) {
                diags.push(
                    Diagnostic::error(
                        "E0552",
                        format!("two port mappings of the task are named `{name}`"),
                        span,
                    )
                    .label("the second")
                    .also(*first, "the first")
                    .help("each port mapping name is used once in a task definition"),
                );
            } else {
                named.push((name, span));
            }
        }
    }
}

/// A health check's command in Docker's list form starts with `CMD` or
/// `CMD-SHELL` and says what to run.
fn health_check(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    for check in c.body.blocks("health_check") {
        let (Some(Value::List(items)), Some(span)) =
            (check.body.known("command"), check.body.span("command"))
        else {
            continue;
        };
        let words: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
        let problem = match words.as_slice() {
            [] => Some("an empty command"),
            ["CMD" | "CMD-SHELL"] => Some("nothing to run after the form"),
            ["CMD-SHELL", _] | ["CMD", ..] => None,
            ["CMD-SHELL", ..] => Some("`CMD-SHELL` takes one string, run by the shell"),
            _ => Some("the first word is neither `CMD` nor `CMD-SHELL`"),
        };
        if let Some(problem) = problem {
            diags.push(
                Diagnostic::error("E0552", "a health check command ECS does not take", span)
                    .label(problem)
                    .help("write `[\"CMD\", \"curl\", \"-f\", \"http://localhost/\"]` (no shell), or a string the shell runs"),
            );
        }
    }
}

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
fn strings<'b>(body: &'b DesiredBody, name: &str) -> Vec<&'b str> {
    body.known(name)
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// `linux` and `system_control`: what Fargate lets a container change.
fn linux(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
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
fn environment_files(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
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
fn platform(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
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
fn proxy(r: &DesiredResource, names: &[&str], diags: &mut Vec<Diagnostic>) {
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

/// A `HEALTHY` dependency waits for the other container's health check: it
/// must have one.
fn healthy_dependencies(containers: &[DesiredBlock], diags: &mut Vec<Diagnostic>) {
    let checked = |name: &str| {
        containers.iter().any(|c| {
            c.label.as_ref().is_some_and(|l| l.node == name) && !c.body.blocks("health_check").is_empty()
        })
    };
    let named = |name: &str| {
        containers
            .iter()
            .find(|c| c.label.as_ref().is_some_and(|l| l.node == name))
    };
    for dep in containers.iter().flat_map(|c| c.body.blocks("depends_on")) {
        let healthy = string(&dep.body, "condition").is_some_and(|(c, _)| c.eq_ignore_ascii_case("HEALTHY"));
        if let (true, Some((other, span))) = (healthy, string(&dep.body, "container"))
            && let Some(target) = named(other)
            && !checked(other)
        {
            diags.push(
                Diagnostic::error(
                    "E0552",
                    format!("`{other}` has no health check to become HEALTHY"),
                    span,
                )
                .label("a HEALTHY dependency")
                .also(target.span, format!("`{other}` has no `health_check`"))
                .help(format!(
                    "add a `health_check` to `{other}`, or depend on it with `condition = \"START\"`"
                )),
            );
        }
    }
}
