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
