//! Port mappings, health checks and `HEALTHY` dependencies (E0552).

use berth_provider::Value;

use crate::diagnostic::Diagnostic;
use crate::stack::DesiredBlock;

use super::super::domain::{int, string};

/// The application protocols a port mapping may name.
const APP_PROTOCOLS: &[&str] = &["http", "http2", "grpc"];

/// `FROM-TO` of a port range, when both are ports and FROM is below TO.
pub(super) fn port_range(text: &str) -> Option<(i64, i64)> {
    let (from, to) = text.split_once('-')?;
    let (from, to) = (from.trim().parse::<i64>().ok()?, to.trim().parse::<i64>().ok()?);
    (1 <= from && from < to && to <= 65_535).then_some((from, to))
}

/// Port mappings: a port or a range, a host port that is the container
/// port, a transport protocol and an application protocol ECS knows, a name Service Connect takes,
/// used once in the task.
pub(super) fn port_mappings(containers: &[DesiredBlock], diags: &mut Vec<Diagnostic>) {
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
        if let Some((host, span)) = int(&mapping.body, "host_port")
            && port.map(|(p, _)| p) != Some(host)
        {
            let help = match port {
                Some((p, _)) => format!("write `host_port = {p}`, or leave it out"),
                None => "leave it out: ECS maps the range's own ports".to_owned(),
            };
            diags.push(
                Diagnostic::error(
                    "E0552",
                    format!("host port {host} differs from the container port"),
                    span,
                )
                .label("awsvpc (Fargate) maps the container's own port")
                .help(help),
            );
        }
        if let Some((protocol, span)) = string(&mapping.body, "protocol")
            && !matches!(protocol.to_ascii_lowercase().as_str(), "tcp" | "udp")
        {
            let help = if APP_PROTOCOLS.contains(&protocol.to_ascii_lowercase().as_str()) {
                format!(
                    "write `protocol = \"tcp\"`, and `app_protocol = \"{}\"` for the protocol Service Connect sees",
                    protocol.to_ascii_lowercase()
                )
            } else {
                "`protocol` is \"tcp\" or \"udp\"".to_owned()
            };
            diags.push(
                Diagnostic::error(
                    "E0552",
                    format!("`{protocol}` is not a port mapping protocol"),
                    span,
                )
                .label("ECS takes tcp or udp")
                .help(help),
            );
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
                    .label(if name.starts_with('-') {
                        "starts with `-`"
                    } else {
                        "not 1 to 64 lower-case letters, digits, `-` and `_`"
                    })
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
pub(super) fn health_check(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
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

/// A `HEALTHY` dependency waits for the other container's health check: it
/// must have one.
pub(super) fn healthy_dependencies(containers: &[DesiredBlock], diags: &mut Vec<Diagnostic>) {
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
