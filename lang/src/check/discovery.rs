//! Cloud Map as Cloud Map and ECS take it: a namespace's domain name
//! (InvalidInput at CreatePrivateDnsNamespace), a service's DNS settings
//! (InvalidInput at CreateService), and a service's `service_registry`
//! (InvalidParameterException at ECS CreateService).

use berth_provider::{Kind, Value};

use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredResource, DesiredValue, Stack};

/// E0570: a namespace name that is not a domain name.
pub fn namespace(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let (Some(Value::String(name)), Some(span)) = (r.body.known("name"), r.body.span("name")) else {
        return;
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.len() > 253 || !name.split('.').all(label_ok) {
        diags.push(
            Diagnostic::error("E0570", format!("`{name}` is not a domain name"), span)
                .label("Cloud Map refuses this namespace name")
                .help("write labels of letters, digits and `-` (at most 63 each) joined by `.`, e.g. `internal.local`"),
        );
    }
}

/// E0571: DNS settings Cloud Map refuses.
pub fn service(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let upper = |name: &str| match r.body.known(name) {
        Some(Value::String(s)) => Some(s.to_ascii_uppercase()),
        _ => None,
    };
    let checks = [
        ("dns_type", &["A", "AAAA", "SRV", "CNAME"][..]),
        ("routing_policy", &["MULTIVALUE", "WEIGHTED"][..]),
    ];
    for (name, allowed) in checks {
        if let (Some(v), Some(span)) = (upper(name), r.body.span(name))
            && !allowed.contains(&v.as_str())
        {
            diags.push(
                Diagnostic::error("E0571", format!("{name} `{v}` is not one Cloud Map takes"), span)
                    .label("invalid value")
                    .help(format!("write one of: {}", allowed.join(", "))),
            );
        }
    }
    if upper("dns_type").as_deref() == Some("CNAME") && upper("routing_policy").as_deref() != Some("WEIGHTED")
    {
        let span = r.body.span("dns_type").unwrap_or(r.span);
        diags.push(
            Diagnostic::error(
                "E0571",
                "a CNAME record without the WEIGHTED routing policy",
                span,
            )
            .label("Cloud Map answers one CNAME, so it needs `WEIGHTED`")
            .help("add `routing_policy = \"WEIGHTED\"`"),
        );
    }
}

/// E0572: a `service_registry` ECS refuses: a port without its container,
/// or (for a `discovery_service` of the stack with `SRV` records) no
/// container and port.
pub fn registries(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    for block in r.body.blocks("service_registry") {
        let container = block.body.value("container").is_some();
        let port = block.body.value("port").is_some();
        if port && !container {
            let span = block.body.span("port").unwrap_or(block.span);
            diags.push(
                Diagnostic::error("E0572", "a service registry `port` without a `container`", span)
                    .label("ECS needs to know whose port")
                    .help("add `container = \"NAME\"` naming the task definition's container"),
            );
        }
        let target = match block.body.value("registry") {
            Some(DesiredValue::Ref(t)) if t.address.kind == Kind::DiscoveryService => {
                stack.resource(&t.address)
            }
            _ => None,
        };
        let srv = target.is_some_and(
            |t| matches!(t.body.known("dns_type"), Some(Value::String(s)) if s.eq_ignore_ascii_case("SRV")),
        );
        if srv && !(container && port) {
            let span = block.body.span("registry").unwrap_or(block.span);
            let mut d = Diagnostic::error(
                "E0572",
                "an SRV service registry without `container` and `port`",
                span,
            )
            .label("SRV records give a port: ECS needs the container and its port")
            .help("add `container = \"NAME\"` and `port = PORT`");
            if let Some(t) = target
                && let Some(at) = t.body.span("dns_type")
            {
                d = d.also(at, "SRV records here");
            }
            diags.push(d);
        }
    }
}
