//! Private networking as AWS takes it: a route goes to exactly one target
//! (an internet or virtual private gateway, a NAT gateway, a transit
//! gateway or a peering connection, the last two by id), and an Elastic IP
//! serves one NAT gateway (AWS answers `Resource.AlreadyAssociated` to a
//! second).

use std::collections::BTreeMap;

use berth_provider::policy::DocumentKind;
use berth_provider::schema::ROUTE_TARGETS;
use berth_provider::{Address, Kind};

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBlock, DesiredResource, DesiredValue, Stack};

/// Checks the routes of a route table.
pub fn routes(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    for route in r.body.blocks("route") {
        ids(r, route, diags);
        let targets: Vec<(&str, Span)> = ROUTE_TARGETS
            .into_iter()
            .filter(|t| {
                route
                    .body
                    .value(t)
                    .is_some_and(|v| *v != DesiredValue::Known(berth_provider::Value::Null))
            })
            .map(|t| (t, route.body.span(t).unwrap_or(route.span)))
            .collect();
        match targets.as_slice() {
            [_] => {}
            [] => diags.push(
                Diagnostic::error(
                    "E0533",
                    format!("a route of {} goes nowhere", r.address),
                    route.span,
                )
                .label("no `gateway`, `nat_gateway`, `transit_gateway` or `peering_connection`")
                .help(
                    "set `gateway = internet_gateway.NAME` or `nat_gateway = nat_gateway.NAME`, or name a transit gateway or peering connection by id",
                ),
            ),
            [(first, _), (second, span), ..] => diags.push(
                Diagnostic::error(
                    "E0533",
                    format!("a route of {} has two targets", r.address),
                    *span,
                )
                .label("second target")
                .help(format!("a route goes to one target: keep `{first}` or `{second}`")),
            ),
        }
    }
}

/// Targets given by id carry the prefix of their kind, as EC2 requires
/// (`InvalidTransitGatewayID.Malformed`, `InvalidVpcPeeringConnectionID.Malformed`).
fn ids(r: &DesiredResource, route: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    for (attr, prefix, what) in [
        ("transit_gateway", "tgw-", "transit gateway"),
        ("peering_connection", "pcx-", "VPC peering connection"),
    ] {
        let Some(DesiredValue::Known(berth_provider::Value::String(id))) = route.body.value(attr) else {
            continue;
        };
        if !id.starts_with(prefix) {
            diags.push(
                Diagnostic::error(
                    "E0628",
                    format!("`{id}` is not the id of a {what}"),
                    route.body.span(attr).unwrap_or(route.span),
                )
                .label(format!("not `{prefix}...`"))
                .help(format!(
                    "a route of {} names a {what} by its id, `{prefix}...`",
                    r.address
                )),
            );
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
    if let Some(doc) = r.body.known("policy") {
        super::iam::grammar(doc, DocumentKind::Endpoint, &r.body, "policy", diags);
    }
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
