//! Dependencies AWS imposes that no reference in the stack expresses.
//!
//! An internet-facing load balancer (and a service whose tasks get public
//! IPs, and a NAT gateway) needs an internet gateway attached to its VPC
//! before it is created: AWS rejects it otherwise (a NAT gateway fails).
//! The gateway is found through the subnets. Destroy runs the other way: the
//! gateway is detached only after the NAT gateway is gone, whose Elastic IP
//! AWS counts as a mapped public address.

use std::collections::BTreeSet;

use berth_lang::{DesiredBody, DesiredResource, DesiredValue, Stack};
use berth_provider::{Address, Kind, Value};

/// Extra dependencies of `address`, beyond the ones its references make.
pub fn dependencies(stack: &Stack, address: &Address) -> BTreeSet<Address> {
    let Some(r) = stack.resource(address) else {
        return BTreeSet::new();
    };
    let mut deps = gateways(stack, r);
    if r.kind() == Kind::Service {
        deps.extend(listeners(stack, r));
    }
    deps
}

/// Listeners forwarding (by default or by a rule) to the target groups a
/// service registers with, and rules of their own that do: ECS refuses a
/// group no load balancer routes to.
fn listeners(stack: &Stack, service: &DesiredResource) -> BTreeSet<Address> {
    let groups: BTreeSet<&Address> = service
        .body
        .blocks("load_balancer")
        .iter()
        .filter_map(|lb| lb.body.value("target_group"))
        .flat_map(DesiredValue::refs)
        .map(|r| &r.address)
        .collect();
    forwarding_listeners(stack, &groups)
}

/// The listeners of the stack that forward, by default or by a rule, to one
/// of `groups`, and the `listener_rule`s that do.
pub(crate) fn forwarding_listeners(stack: &Stack, groups: &BTreeSet<&Address>) -> BTreeSet<Address> {
    let names_group =
        |v: Option<&DesiredValue>| v.is_some_and(|v| v.refs().iter().any(|r| groups.contains(&r.address)));
    // A listener's default action or a rule's action (`target`: its
    // forward attribute), plain or weighted.
    let forwards_to_group = |body: &DesiredBody, target: &str| {
        names_group(body.value(target))
            || body
                .blocks("weighted_forward")
                .iter()
                .any(|w| names_group(w.body.value("target_group")))
    };
    stack
        .resources
        .iter()
        .filter(|l| match l.kind() {
            Kind::Listener => {
                forwards_to_group(&l.body, "default")
                    || l.body
                        .blocks("rule")
                        .iter()
                        .any(|rule| forwards_to_group(&rule.body, "forward"))
            }
            Kind::ListenerRule => forwards_to_group(&l.body, "forward"),
            _ => false,
        })
        .map(|l| l.address.clone())
        .collect()
}

/// Internet gateways of the VPC of an internet-facing resource.
fn gateways(stack: &Stack, r: &DesiredResource) -> BTreeSet<Address> {
    let needs_gateway = match r.kind() {
        Kind::LoadBalancer => r.body.known("internal") != Some(&Value::Bool(true)),
        Kind::Service => r.body.known("public_ip") == Some(&Value::Bool(true)),
        Kind::NatGateway => true,
        _ => false,
    };
    if !needs_gateway {
        return BTreeSet::new();
    }
    let vpcs: BTreeSet<Address> = r
        .body
        .value("subnets")
        .or_else(|| r.body.value("subnet"))
        .map(DesiredValue::refs)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| stack.resource(&s.address))
        .flat_map(|subnet| {
            subnet
                .body
                .value("vpc")
                .map(DesiredValue::refs)
                .unwrap_or_default()
        })
        .map(|v| v.address.clone())
        .collect();
    stack
        .resources
        .iter()
        .filter(|g| g.kind() == Kind::InternetGateway)
        .filter(|g| {
            g.body
                .value("vpc")
                .map(DesiredValue::refs)
                .unwrap_or_default()
                .iter()
                .any(|v| vpcs.contains(&v.address))
        })
        .map(|g| g.address.clone())
        .collect()
}
