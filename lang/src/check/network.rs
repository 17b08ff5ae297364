//! Private networking as AWS takes it: a route goes to exactly one target
//! (an internet gateway or a NAT gateway), and an Elastic IP serves one NAT
//! gateway (AWS answers `Resource.AlreadyAssociated` to a second).

use std::collections::BTreeMap;

use berth_provider::{Address, Kind};

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredResource, DesiredValue, Stack};

/// Checks the routes of a route table.
pub fn routes(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    for route in r.body.blocks("route") {
        let targets: Vec<Span> = ["gateway", "nat_gateway"]
            .iter()
            .filter(|t| {
                route
                    .body
                    .value(t)
                    .is_some_and(|v| *v != DesiredValue::Known(berth_provider::Value::Null))
            })
            .filter_map(|t| route.body.span(t).or(Some(route.span)))
            .collect();
        match targets.as_slice() {
            [_] => {}
            [] => diags.push(
                Diagnostic::error(
                    "E0533",
                    format!("a route of {} goes nowhere", r.address),
                    route.span,
                )
                .label("no `gateway` or `nat_gateway`")
                .help("set `gateway = internet_gateway.NAME` or `nat_gateway = nat_gateway.NAME`"),
            ),
            [_, second, ..] => diags.push(
                Diagnostic::error(
                    "E0533",
                    format!("a route of {} has two targets", r.address),
                    *second,
                )
                .label("second target")
                .help("a route goes to one target: keep `gateway` or `nat_gateway`"),
            ),
        }
    }
}

/// Elastic IPs used by more than one NAT gateway.
pub fn shared_elastic_ips(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let mut users: BTreeMap<&Address, Span> = BTreeMap::new();
    for nat in stack.resources.iter().filter(|r| r.kind() == Kind::NatGateway) {
        let Some(DesiredValue::Ref(eip)) = nat.body.value("elastic_ip") else {
            continue;
        };
        if eip.address.kind != Kind::ElasticIp {
            continue;
        }
        let Some(span) = nat.body.span("elastic_ip") else {
            continue;
        };
        if let Some(first) = users.insert(&eip.address, span) {
            diags.push(
                Diagnostic::error("E0534", format!("{} serves two NAT gateways", eip.address), span)
                    .label("already used by another NAT gateway")
                    .also(first, "first used here")
                    .help("give each NAT gateway its own `elastic_ip`"),
            );
        }
    }
}

/// A VPC endpoint as CreateVpcEndpoint takes it: a service of the stack's
/// region, a type that takes what is given (route tables for `Gateway`,
/// subnets and security groups for `Interface`), and private DNS only in a
/// VPC with DNS hostnames.
pub fn endpoint(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let string = |name: &str| r.body.known(name).and_then(|v| v.as_str()).zip(r.body.span(name));
    let given = |name: &str| {
        r.body.span(name).filter(|_| {
            r.body.known(name).is_none_or(|v| {
                !matches!(v, berth_provider::Value::Null) && *v != berth_provider::Value::List(Vec::new())
            })
        })
    };
    let problem = |message: String, span: Span, label: &str, help: String| {
        Diagnostic::error("E0535", message, span)
            .label(label.to_owned())
            .help(help)
    };
    let prefix = format!("com.amazonaws.{}.", stack.region);
    let short = match string("service") {
        Some((service, span)) => match service.strip_prefix(&prefix) {
            Some(short) => Some(short),
            None => {
                diags.push(problem(
                    format!("`{service}` is not a service of {}", stack.region),
                    span,
                    "not `com.amazonaws.REGION.SERVICE` in the stack's region",
                    format!("write e.g. `{prefix}s3` or `{prefix}ecr.api`"),
                ));
                None
            }
        },
        None => None,
    };
    let interface = match string("type") {
        Some(("Interface", _)) => true,
        Some(("Gateway", _)) | None => false,
        Some((other, span)) => {
            diags.push(problem(
                format!("no VPC endpoint type `{other}`"),
                span,
                "not an endpoint type",
                "`Gateway` (S3, DynamoDB) or `Interface`".to_owned(),
            ));
            return;
        }
    };
    if interface {
        if let Some(span) = given("route_tables") {
            diags.push(problem(
                "an interface endpoint with route tables".to_owned(),
                span,
                "only gateway endpoints take route tables",
                "interface endpoints take `subnets`; remove `route_tables` or use `type = \"Gateway\"`"
                    .to_owned(),
            ));
        }
        let private_dns = r.body.known("private_dns") != Some(&berth_provider::Value::Bool(false));
        let vpc = match r.body.value("vpc") {
            Some(DesiredValue::Ref(v)) => stack.resource(&v.address),
            _ => None,
        };
        let hostnames =
            vpc.map(|v| v.body.known("dns_hostnames") == Some(&berth_provider::Value::Bool(true)));
        if private_dns
            && hostnames == Some(false)
            && let Some(span) = r.body.span("vpc")
        {
            diags.push(problem(
                "private DNS for an endpoint in a VPC without DNS hostnames".to_owned(),
                span,
                "this VPC has `dns_hostnames = false`",
                "set `dns_hostnames = true` on the VPC, or `private_dns = false` here".to_owned(),
            ));
        }
    } else {
        if let Some(short) = short
            && !matches!(short, "s3" | "dynamodb")
            && let Some((_, span)) = string("service")
        {
            diags.push(problem(
                format!("`{short}` has no gateway endpoint"),
                span,
                "only S3 and DynamoDB have gateway endpoints",
                "set `type = \"Interface\"` with `subnets`".to_owned(),
            ));
        }
        for name in ["subnets", "security_groups"] {
            if let Some(span) = given(name) {
                diags.push(problem(
                    format!("a gateway endpoint with `{name}`"),
                    span,
                    "only interface endpoints take these",
                    "gateway endpoints take `route_tables`".to_owned(),
                ));
            }
        }
        if r.body.known("private_dns") == Some(&berth_provider::Value::Bool(true))
            && let Some(span) = r.body.span("private_dns")
        {
            diags.push(problem(
                "private DNS on a gateway endpoint".to_owned(),
                span,
                "only interface endpoints have private DNS",
                "remove `private_dns`".to_owned(),
            ));
        }
    }
}
