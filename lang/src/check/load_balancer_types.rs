//! Application and Network Load Balancers apart (E0637): each type's own
//! attributes, listener and target group protocols, and what a Network
//! Load Balancer's listener and target group health check take. The
//! shared lists are `berth_provider::elb`'s, which the clouds apply too.

use berth_provider::elb::{self, NETWORK};

use berth_provider::{Kind, Value};

use super::domain::{string, unknown_value};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBody, DesiredResource, DesiredValue, Stack};

/// The code of every rule here.
const CODE: &str = "E0637";

/// Takes out what Terraform modules write of the other type's settings at
/// the value that type has anyway (terraform-aws-modules/alb writes every
/// one): null, `false` for a Network group's switches on an HTTP group,
/// and `cross_zone = true` on an Application Load Balancer, which always
/// spreads traffic over every zone. Any other value stays, for the check
/// below (E0637).
pub(crate) fn take_off_values(stack: &mut Stack) {
    for r in &mut stack.resources {
        let kind = r.kind();
        let group_protocol = (kind == Kind::TargetGroup)
            .then(|| string(&r.body, "protocol").map_or("HTTP", |(p, _)| p).to_owned());
        let application = kind == Kind::LoadBalancer && !is_network(r);
        let off = |name: &str, v: &DesiredValue| match v {
            DesiredValue::Known(Value::Null) => true,
            DesiredValue::Known(Value::Bool(on)) => {
                let other_group = group_protocol
                    .as_deref()
                    .is_some_and(|p| !elb::target_group_has(p, name));
                (other_group && !on) || (application && name == "cross_zone" && *on)
            }
            _ => false,
        };
        if kind == Kind::TargetGroup || kind == Kind::LoadBalancer {
            r.body
                .attrs
                .retain(|name, v| !(is_one_type_setting(name) && off(name, &v.node)));
        }
    }
}

/// Whether the load balancer `lb` is a Network Load Balancer.
pub(super) fn is_network(lb: &DesiredResource) -> bool {
    string(&lb.body, "type").is_some_and(|(t, _)| t.eq_ignore_ascii_case(NETWORK))
}

/// A load balancer's `type`, and the attributes only the other type has.
pub(super) fn load_balancer(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let Some(d) = unknown_value(&r.body, "type", "load balancer type", &["application", NETWORK]) {
        diags.push(d.help(
            "berth writes Application and Network Load Balancers; a Gateway Load Balancer is not written yet",
        ));
        return;
    }
    let network = is_network(r);
    let (this, help) = if network {
        (
            "a Network Load Balancer",
            "HTTP settings belong to an Application Load Balancer: remove it, or leave out `type = \"network\"`",
        )
    } else {
        (
            "an Application Load Balancer",
            "an Application Load Balancer always spreads traffic over every zone: remove it, or set `type = \"network\"`",
        )
    };
    let lb_type = network.then_some(NETWORK);
    for name in written(&r.body).filter(|n| !elb::load_balancer_has(lb_type, n)) {
        if let Some(span) = r.body.span(name) {
            diags.push(
                Diagnostic::error(CODE, format!("`{name}` is not a setting of {this}"), span)
                    .label(format!("{this} has no `{name}`"))
                    .help(help),
            );
        }
    }
}

/// A target group's attributes and health check against its protocol.
pub(super) fn target_group(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let protocol = string(&r.body, "protocol").map_or("HTTP", |(p, _)| p);
    let network = elb::is_network_protocol(protocol);
    for name in written(&r.body).filter(|n| !elb::target_group_has(protocol, n)) {
        if let Some(span) = r.body.span(name) {
            let help = if network {
                "it belongs to an HTTP or HTTPS group (an Application Load Balancer's): remove it"
            } else {
                "it belongs to a TCP, UDP, TCP_UDP or TLS group (a Network Load Balancer's): remove it"
            };
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!("{} {protocol} target group has no `{name}`", a(protocol)),
                    span,
                )
                .label(format!("not a setting of {} {protocol} group", a(protocol)))
                .help(help),
            );
        }
    }
    for hc in r.body.blocks("health_check") {
        let written_protocol = string(&hc.body, "protocol");
        let Some((check, span)) = written_protocol else {
            if network {
                diags.push(
                    Diagnostic::error(CODE, format!("the health check of {} {protocol} target group names no protocol", a(protocol)), hc.span)
                        .label("no `protocol`")
                        .help("write `protocol = \"TCP\"` (what the group gets with no `health_check`), \"HTTP\" or \"HTTPS\""),
                );
            }
            continue;
        };
        let allowed = if network {
            elb::NETWORK_HEALTH_CHECK_PROTOCOLS
        } else {
            elb::HTTP_PROTOCOLS
        };
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(check)) {
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!(
                        "{} {protocol} target group cannot check targets over `{check}`",
                        a(protocol)
                    ),
                    span,
                )
                .label(format!("not {}", either(allowed)))
                .help(if network {
                    "UDP, TCP_UDP and TLS are no health check protocols: check over TCP, HTTP or HTTPS"
                } else {
                    "an HTTP or HTTPS group checks over HTTP or HTTPS"
                }),
            );
        } else if check.eq_ignore_ascii_case("TCP") {
            for name in ["path", "matcher"] {
                if let Some(span) = hc.body.span(name) {
                    diags.push(
                        Diagnostic::error(CODE, format!("a TCP health check has no `{name}`"), span)
                            .label("only HTTP and HTTPS checks request a path")
                            .help(format!("remove `{name}`, or check with `protocol = \"HTTP\"`")),
                    );
                }
            }
        }
    }
}

/// A listener's protocol against its load balancer's type (when the stack
/// declares it) and its target groups' protocols; what a Network Load
/// Balancer's listener cannot have.
pub(super) fn listener(
    r: &DesiredResource,
    lb: Option<&DesiredResource>,
    groups: &[&DesiredResource],
    diags: &mut Vec<Diagnostic>,
) {
    let (protocol, span) = string(&r.body, "protocol").map_or(("HTTP", None), |(p, s)| (p, Some(s)));
    let network = elb::is_network_protocol(protocol);
    if let Some(lb) = lb
        && is_network(lb) != network
    {
        let (this, theirs) = if network {
            ("an Application Load Balancer", "HTTP or HTTPS")
        } else {
            ("a Network Load Balancer", "TCP, UDP, TCP_UDP or TLS")
        };
        diags.push(
            Diagnostic::error(
                CODE,
                format!("{this} has no {protocol} listeners"),
                span.unwrap_or(r.span),
            )
            .label(format!("{} is {this}", lb.address))
            .help(format!("its listeners speak {theirs}")),
        );
        return;
    }
    for group in groups {
        let theirs = string(&group.body, "protocol").map_or("HTTP", |(p, _)| p);
        if !elb::forwards_to(protocol, theirs) {
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!("{} {protocol} listener cannot forward to {} {theirs} target group", a(protocol), a(theirs)),
                    span.unwrap_or(r.span),
                )
                    .label(format!("{} is {theirs}", group.address))
                    .help("TCP forwards to TCP or TCP_UDP groups, TLS to TCP or TLS, UDP to UDP or TCP_UDP, TCP_UDP to TCP_UDP, HTTP and HTTPS to HTTP or HTTPS"),
            );
        }
    }
    let alpn = string(&r.body, "alpn_policy");
    if let Some((policy, at)) = alpn
        && !elb::ALPN_POLICIES.contains(&policy)
    {
        // ELB tells the policies' names apart by case.
        diags.push(
            Diagnostic::error("E0521", format!("unknown ALPN policy `{policy}`"), at)
                .label(format!("not {}", either(elb::ALPN_POLICIES))),
        );
    } else if let Some((_, at)) = alpn
        && !protocol.eq_ignore_ascii_case("TLS")
    {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("{} {protocol} listener has no ALPN policy", a(protocol)),
                at,
            )
            .label("ELB negotiates ALPN on TLS listeners only")
            .help(
                "remove `alpn_policy`, or make the listener `protocol = \"TLS\"` on a Network Load Balancer",
            ),
        );
    }
    if !network {
        return;
    }
    if let [_, second, ..] = r.body.blocks("weighted_forward") {
        diags.push(
            Diagnostic::error(CODE, format!("{} {protocol} listener forwards to one target group", a(protocol)), second.span)
                .label("a second `weighted_forward`")
                .help("weighted forwards need an Application Load Balancer: forward with `default = target_group.NAME`"),
        );
    }
    for block in ["rule", "redirect", "fixed_response"] {
        if let Some(first) = r.body.blocks(block).first() {
            diags.push(
                Diagnostic::error(CODE, format!("{} {protocol} listener has no `{block}`", a(protocol)), first.span)
                    .label("a Network Load Balancer's listener forwards every connection")
                    .help("forward with `default = target_group.NAME`; rules, redirects and fixed responses need an Application Load Balancer"),
            );
        }
    }
}

/// The article of a protocol's name: "an HTTP", "a TCP".
fn a(protocol: &str) -> &'static str {
    if protocol.starts_with(['H', 'h']) {
        "an"
    } else {
        "a"
    }
}

/// `names` as "A, B or C".
fn either(names: &[&str]) -> String {
    match names {
        [rest @ .., last] if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// The settings only one type of load balancer or target group has.
fn one_type_settings() -> impl Iterator<Item = &'static str> {
    elb::APPLICATION_ONLY
        .iter()
        .chain(elb::NETWORK_ONLY)
        .chain(elb::HTTP_GROUP_ONLY)
        .chain(elb::NETWORK_GROUP_ONLY)
        .copied()
}

/// Whether `name` is a setting only one type has.
fn is_one_type_setting(name: &str) -> bool {
    one_type_settings().any(|n| n == name)
}

/// The one-type settings `body` writes.
fn written(body: &DesiredBody) -> impl Iterator<Item = &'static str> + '_ {
    one_type_settings().filter(|name| body.value(name).is_some())
}
