//! Cloud Map as Cloud Map and ECS take it: a namespace's type and VPC
//! and its domain name (InvalidInput at CreatePrivateDnsNamespace), a
//! service's DNS settings (InvalidInput at CreateService), and a service's
//! `service_registry` (InvalidParameterException at ECS CreateService).

use berth_provider::{Kind, Value};

use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredResource, DesiredValue, Stack};

/// A namespace's type as written (`DNS_PRIVATE` when left out).
fn namespace_type(r: &DesiredResource) -> Option<String> {
    match r.body.known("type") {
        Some(Value::String(t)) => Some(t.to_ascii_uppercase()),
        Some(_) => None,
        None if r.body.value("type").is_some() => None,
        None => Some("DNS_PRIVATE".to_owned()),
    }
}

/// E0632: a namespace type Cloud Map lacks, a private DNS namespace
/// without a VPC or an HTTP one with a VPC; E0570: a name Cloud Map
/// refuses (a domain name for DNS, printable characters for HTTP).
pub fn namespace(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let ty = namespace_type(r);
    let type_span = r.body.span("type").unwrap_or(r.span);
    let vpc = r.body.value("vpc").is_some();
    match ty.as_deref() {
        Some("DNS_PRIVATE") if !vpc => diags.push(
            Diagnostic::error("E0632", "a private DNS namespace needs a `vpc`", r.span)
                .label("no `vpc`: Cloud Map makes the namespace's hosted zone in one")
                .help("add `vpc = vpc.NAME`, or `type = \"HTTP\"` for a namespace found through Cloud Map's API only (Service Connect's)"),
        ),
        Some("HTTP") if vpc => diags.push(
            Diagnostic::error("E0632", "an HTTP namespace is in no VPC", r.body.span("vpc").unwrap_or(r.span))
                .label("CreateHttpNamespace takes no VPC")
                .help("remove `vpc`, or leave `type` out for a private DNS namespace in it"),
        ),
        Some("DNS_PRIVATE" | "HTTP") | None => {}
        Some(other) => diags.push(
            Diagnostic::error("E0632", format!("namespace type `{other}` is not one berth makes"), type_span)
                .label("not DNS_PRIVATE or HTTP")
                .help("public DNS namespaces are a Route 53 `hosted_zone`'s job"),
        ),
    }
    let (Some(Value::String(name)), Some(span)) = (r.body.known("name"), r.body.span("name")) else {
        return;
    };
    if ty.as_deref() == Some("HTTP") {
        if name.is_empty() || name.len() > 1024 || !name.bytes().all(|b| b.is_ascii_graphic()) {
            diags.push(
                Diagnostic::error("E0570", format!("`{name}` is not an HTTP namespace name"), span)
                    .label("Cloud Map refuses this namespace name")
                    .help("write 1 to 1024 printable characters without spaces"),
            );
        }
        return;
    }
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

/// E0632: a service in an HTTP namespace of the stack, where names have no
/// DNS records (berth's services always have some).
pub fn service_namespace(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let Some(DesiredValue::Ref(t)) = r.body.value("namespace") else {
        return;
    };
    let Some(ns) = stack.resource(&t.address) else {
        return;
    };
    if namespace_type(ns).as_deref() == Some("HTTP") {
        let span = r.body.span("namespace").unwrap_or(r.span);
        let mut d = Diagnostic::error("E0632", "a `discovery_service` in an HTTP namespace", span)
            .label("its names have no DNS records, and a discovery_service is DNS records")
            .help("Service Connect makes the Cloud Map services of an HTTP namespace itself: name the namespace in the ECS service's `service_connect` block");
        if let Some(at) = ns.body.span("type") {
            d = d.also(at, "an HTTP namespace");
        }
        diags.push(d);
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

/// E0572: a `service_registry` ECS refuses: for a `discovery_service` of
/// the stack with `SRV` records, no port (a container's, or alone the
/// port the records give); with `A` or `AAAA` records (an `awsvpc` task's
/// address), a port ("does not require a value for 'containerPort'",
/// umotif's and telia-oss's modules' bug).
pub fn registries(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    for block in r.body.blocks("service_registry") {
        let port = block.body.value("port").is_some();
        let target = match block.body.value("registry") {
            Some(DesiredValue::Ref(t)) if t.address.kind == Kind::DiscoveryService => {
                stack.resource(&t.address)
            }
            _ => None,
        };
        let record = target.map(|t| match t.body.known("dns_type") {
            Some(Value::String(s)) => s.to_ascii_uppercase(),
            _ => "A".to_owned(),
        });
        let srv = record.as_deref() == Some("SRV");
        let address_only = matches!(record.as_deref(), Some("A" | "AAAA"));
        // A container named alone is taken (cvhome's registries name one).
        if address_only && let Some(span) = block.body.span("port") {
            diags.push(
                Diagnostic::error("E0572", "a port on a service registry of address records", span)
                    .label("A and AAAA records hold a task's address alone")
                    .help("leave `port` out (ECS: \"does not require a value for 'containerPort'\"), or give the discovery service `dns_type = \"SRV\"`"),
            );
        }
        if srv && !port {
            let span = block.body.span("registry").unwrap_or(block.span);
            let mut d = Diagnostic::error("E0572", "an SRV service registry without a `port`", span)
                .label("SRV records give a port: ECS needs it")
                .help("add `port = PORT`, with `container = \"NAME\"` when it is that container's port");
            if let Some(t) = target
                && let Some(at) = t.body.span("dns_type")
            {
                d = d.also(at, "SRV records here");
            }
            diags.push(d);
        }
    }
}
