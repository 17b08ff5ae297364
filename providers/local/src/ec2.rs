//! EC2: VPCs, subnets, internet gateways, route tables and security groups.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::schema::{ROUTE_TARGETS, RULE_SOURCES};
use berth_provider::{Attrs, ErrorClass, Kind, ProviderError, STACK_TAG, Value};
use ipnet::Ipv6Net;

use crate::api::{fail, invalid};
use crate::attrs::{blocks_of, bool_of, int_of, str_of, strs_of};
use crate::cidr::Cidr;
use crate::ids;
use crate::sim::Sim;

type Tags = BTreeMap<String, String>;

/// Creates an EC2 resource; returns its key (its id).
pub(crate) fn create(
    sim: &mut Sim,
    kind: Kind,
    mut attrs: Attrs,
    tags: Tags,
) -> Result<String, ProviderError> {
    if kind == Kind::SecurityGroupRule {
        return create_rule(sim, attrs, tags);
    }
    let (prefix, arn_type) = match kind {
        Kind::Vpc => ("vpc", "vpc"),
        Kind::Subnet => ("subnet", "subnet"),
        Kind::InternetGateway => ("igw", "internet-gateway"),
        Kind::RouteTable => ("rtb", "route-table"),
        _ => ("sg", "security-group"),
    };
    match kind {
        Kind::Vpc => check_vpc(sim, &attrs)?,
        Kind::Subnet => check_subnet(sim, &attrs)?,
        Kind::InternetGateway => sim.call("CreateInternetGateway"),
        Kind::RouteTable => {
            sim.call("CreateRouteTable");
            check_route_table(
                sim,
                "CreateRouteTable",
                (None, tags.get(STACK_TAG).map(String::as_str)),
                &attrs,
            )?;
        }
        _ => {
            sim.call("CreateSecurityGroup");
            check_security_group(sim, "CreateSecurityGroup", None, &attrs)?;
        }
    }
    let id = sim.fresh(|rng| ids::ec2_id(rng, prefix));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    if kind.schema().attr("arn").is_some() {
        let arn = sim.arn("ec2", &format!("{arn_type}/{id}"));
        attrs.insert("arn".to_owned(), Value::String(arn));
    }
    let vpc = str_of(&attrs, "vpc").unwrap_or_default().to_owned();
    match kind {
        Kind::Vpc => {
            if bool_of(&attrs, "dns_hostnames") {
                sim.call("ModifyVpcAttribute");
            }
            if !bool_of(&attrs, "dns_support") {
                sim.call("ModifyVpcAttribute");
            }
            sim.insert(&id, kind, tags, attrs, false);
            crate::default_group::made_with(sim, &id);
            return Ok(id);
        }
        Kind::Subnet if bool_of(&attrs, "public") => sim.call("ModifySubnetAttribute"),
        Kind::InternetGateway => {
            // Attached in the same operation; checked before it is stored.
            attrs.insert("vpc".to_owned(), Value::Null);
            sim.insert(&id, kind, tags, attrs, false);
            return attach_gateway(sim, &id, &vpc).map(|()| id);
        }
        Kind::RouteTable => {
            for _ in blocks_of(&attrs, "route") {
                sim.call("CreateRoute");
            }
            let subnets = strs_of(&attrs, "subnets");
            sim.insert(&id, kind, tags, attrs, false);
            take_subnets(sim, &id, &subnets);
            return Ok(id);
        }
        Kind::SecurityGroup => {
            let egress = !blocks_of(&attrs, "egress").is_empty();
            let keep = keeps_default(&attrs);
            if !blocks_of(&attrs, "ingress").is_empty() {
                sim.call("AuthorizeSecurityGroupIngress");
            }
            if egress || !keep {
                sim.call("RevokeSecurityGroupEgress");
            }
            if egress {
                sim.call("AuthorizeSecurityGroupEgress");
            }
            sim.insert(&id, kind, tags, attrs, false);
            if let Some(rec) = sim.rec_mut(&id) {
                rec.default_egress = !egress && keep;
            }
            return Ok(id);
        }
        _ => {}
    }
    sim.insert(&id, kind, tags, attrs, false);
    Ok(id)
}

/// Changes an EC2 resource in place to `new` (its replace-only attributes
/// are unchanged: the caller checked).
pub(crate) fn update(
    sim: &mut Sim,
    kind: Kind,
    key: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let changed = |name: &str| old.get(name) != new.get(name);
    match kind {
        Kind::Vpc => {
            for attr in ["dns_hostnames", "dns_support"] {
                if changed(attr) {
                    sim.call("ModifyVpcAttribute");
                }
            }
        }
        Kind::Subnet => {
            if changed("public") {
                sim.call("ModifySubnetAttribute");
            }
        }
        Kind::InternetGateway => {
            let vpc = str_of(new, "vpc").unwrap_or_default();
            if changed("vpc") || vpc_of(sim, key).is_none() {
                if vpc_of(sim, key).is_some() {
                    detach_gateway(sim, key)?;
                }
                attach_gateway(sim, key, vpc)?;
            }
        }
        // Any other change replaces it.
        Kind::SecurityGroupRule => {}
        Kind::RouteTable => {
            let stack = sim.rec(key).and_then(|r| r.tags.get(STACK_TAG).cloned());
            check_route_table(sim, "AssociateRouteTable", (Some(key), stack.as_deref()), new)?;
            let (old_subnets, new_subnets) = (strs_of(old, "subnets"), strs_of(new, "subnets"));
            let (before, after) = (set(&old_subnets), set(&new_subnets));
            for _ in before.difference(&after) {
                sim.call("DisassociateRouteTable");
            }
            let joining: Vec<String> = after.difference(&before).map(|s| (*s).to_owned()).collect();
            take_subnets(sim, key, &joining);
            // Destination to the whole route: a changed target, whichever
            // attribute holds it, is a ReplaceRoute.
            let routes = |a: &Attrs| -> BTreeMap<String, Attrs> {
                blocks_of(a, "route")
                    .into_iter()
                    .map(|r| (str_of(r, "cidr").unwrap_or_default().to_owned(), r.clone()))
                    .collect()
            };
            let (before, after) = (routes(old), routes(new));
            for (cidr, gw) in &after {
                match before.get(cidr) {
                    None => sim.call("CreateRoute"),
                    Some(old_gw) if old_gw != gw => sim.call("ReplaceRoute"),
                    Some(_) => {}
                }
            }
            let removed = before.keys().filter(|c| !after.contains_key(*c)).count();
            for _ in 0..removed {
                sim.call("DeleteRoute");
            }
        }
        _ => {
            check_security_group(sim, "AuthorizeSecurityGroupIngress", Some(key), new)?;
            if changed("ingress") {
                sim.call("AuthorizeSecurityGroupIngress");
                sim.call("RevokeSecurityGroupIngress");
            }
            let egress = !blocks_of(new, "egress").is_empty();
            if changed("egress") || changed("default_egress") {
                // Declaring no egress means "AWS's default allow-all rule"
                // unless `default_egress = false`: when the last declared
                // rule goes, that rule is put back.
                sim.call("AuthorizeSecurityGroupEgress");
                sim.call("RevokeSecurityGroupEgress");
            }
            if let Some(rec) = sim.rec_mut(key) {
                rec.default_egress = !egress && keeps_default(new);
            }
        }
    }
    Ok(())
}

/// Whether a group without `egress` blocks keeps AWS's default rule.
fn keeps_default(a: &Attrs) -> bool {
    a.get("default_egress").and_then(Value::as_bool).unwrap_or(true)
}

/// Deletes an EC2 resource the way berth's AWS adapter does: a gateway is
/// detached first, a route table's associations are removed first.
pub(crate) fn delete(sim: &mut Sim, kind: Kind, key: &str) -> Result<(), ProviderError> {
    match kind {
        Kind::Vpc => delete_vpc(sim, key),
        Kind::Subnet => delete_subnet(sim, key),
        Kind::InternetGateway => {
            let attached = sim.rec(key).and_then(|r| str_of(&r.attrs, "vpc")).is_some();
            if attached {
                detach_gateway(sim, key)?;
            }
            delete_gateway(sim, key)
        }
        Kind::RouteTable => {
            for subnet in sim
                .rec(key)
                .map(|r| strs_of(&r.attrs, "subnets"))
                .unwrap_or_default()
            {
                disassociate_route_table(sim, key, &subnet);
            }
            delete_route_table(sim, key)
        }
        Kind::SecurityGroupRule => {
            let egress = sim
                .rec(key)
                .is_some_and(|r| str_of(&r.attrs, "type") == Some("egress"));
            sim.call(match egress {
                true => "RevokeSecurityGroupEgress",
                false => "RevokeSecurityGroupIngress",
            });
            sim.remove(key);
            Ok(())
        }
        _ => delete_security_group(sim, key),
    }
}

fn set(items: &[String]) -> BTreeSet<&str> {
    items.iter().map(String::as_str).collect()
}

fn dependency(call: &str, message: String) -> ProviderError {
    fail(call, "DependencyViolation", message)
}

/// The zones of `region` the simulation has: `a` to `f`.
pub(crate) fn zones(region: &str) -> Vec<String> {
    ('a'..='f').map(|l| format!("{region}{l}")).collect()
}

/// The VPC of resource `key` (subnet, route table, group, gateway).
fn vpc_of(sim: &Sim, key: &str) -> Option<String> {
    sim.rec(key)
        .and_then(|r| str_of(&r.attrs, "vpc"))
        .map(str::to_owned)
}

fn parse_cidr(call: &str, text: &str, param: &str) -> Result<Cidr, ProviderError> {
    Cidr::parse(text).ok_or_else(|| {
        fail(
            call,
            "InvalidParameterValue",
            format!("Value ({text}) for parameter {param} is invalid. This is not a valid CIDR block."),
        )
    })
}

fn check_vpc(sim: &mut Sim, attrs: &Attrs) -> Result<(), ProviderError> {
    let call = "CreateVpc";
    sim.call(call);
    let text = str_of(attrs, "cidr").unwrap_or_default();
    let cidr = parse_cidr(call, text, "cidrBlock")?;
    if !(16..=28).contains(&cidr.len) {
        return Err(fail(
            call,
            "InvalidVpc.Range",
            format!("The CIDR '{text}' is invalid."),
        ));
    }
    Ok(())
}

fn check_subnet(sim: &mut Sim, attrs: &Attrs) -> Result<(), ProviderError> {
    let call = "CreateSubnet";
    sim.call(call);
    let vpc = str_of(attrs, "vpc").unwrap_or_default();
    let (vpc_key, vpc_rec) = sim.need(Kind::Vpc, vpc, call)?;
    let vpc_cidr = str_of(&vpc_rec.attrs, "cidr").and_then(Cidr::parse);
    let text = str_of(attrs, "cidr").unwrap_or_default();
    let cidr = parse_cidr(call, text, "cidrBlock")?;
    let range = || {
        fail(
            call,
            "InvalidSubnet.Range",
            format!("The CIDR '{text}' is invalid."),
        )
    };
    if !(16..=28).contains(&cidr.len) || !vpc_cidr.is_some_and(|v| v.contains(cidr)) {
        return Err(range());
    }
    let conflict = sim.all(Kind::Subnet).any(|(_, s)| {
        str_of(&s.attrs, "vpc") == Some(vpc_key.as_str())
            && str_of(&s.attrs, "cidr")
                .and_then(Cidr::parse)
                .is_some_and(|c| c.overlaps(cidr))
    });
    if conflict {
        return Err(fail(
            call,
            "InvalidSubnet.Conflict",
            format!("The CIDR '{text}' conflicts with another subnet"),
        ));
    }
    let zone = str_of(attrs, "zone").unwrap_or_default();
    let valid_zone = zone
        .strip_prefix(sim.region)
        .is_some_and(|letter| letter.len() == 1 && ("a"..="f").contains(&letter));
    if !valid_zone {
        let zones = zones(sim.region);
        return Err(fail(
            call,
            "InvalidParameterValue",
            format!(
                "Value ({zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: {}.",
                zones.join(", ")
            ),
        ));
    }
    Ok(())
}

/// AWS refuses to delete a VPC that still holds subnets, gateways, route
/// tables, groups, endpoints or network ACLs of its own; its flow logs, its default security group,
/// main route table and default network ACL do not stop it: they go with
/// it.
fn delete_vpc(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteVpc";
    sim.call(call);
    let dependent = [
        Kind::Subnet,
        Kind::InternetGateway,
        Kind::RouteTable,
        Kind::SecurityGroup,
        Kind::VpcEndpoint,
        Kind::NetworkAcl,
    ]
    .into_iter()
    .any(|kind| sim.all(kind).any(|(_, r)| str_of(&r.attrs, "vpc") == Some(key)));
    if dependent {
        return Err(dependency(
            call,
            format!("The vpc '{key}' has dependencies and cannot be deleted."),
        ));
    }
    crate::flow_logs::go_with(sim, key);
    // The parts AWS made with it (default group, main table, default ACL).
    let parts: Vec<String> = sim
        .st
        .resources
        .iter()
        .filter(|(_, r)| r.kind.taken_over() && str_of(&r.attrs, "vpc") == Some(key))
        .map(|(k, _)| k.clone())
        .collect();
    for part in parts {
        sim.remove(&part);
    }
    sim.remove(key);
    Ok(())
}

/// AWS refuses to delete a subnet that still holds network interfaces (a
/// load balancer's, a service's tasks', an EFS mount target's). Route
/// table and network ACL associations do not stop it: AWS removes them
/// along with the subnet, so the table or ACL then reads back without the
/// subnet (drift the next plan shows). Its
/// flow logs go with it too.
fn delete_subnet(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteSubnet";
    sim.call(call);
    let in_use = [Kind::LoadBalancer, Kind::Service].into_iter().any(|kind| {
        sim.all(kind)
            .any(|(_, r)| strs_of(&r.attrs, "subnets").iter().any(|s| s == key))
    }) || crate::nat::in_subnet(sim, key)
        || crate::endpoint::uses(sim, "subnets", key)
        || crate::efs::mount_targets_use(sim, key);
    if in_use {
        return Err(dependency(
            call,
            format!("The subnet '{key}' has dependencies and cannot be deleted."),
        ));
    }
    release_subnet(sim, Kind::RouteTable, None, key);
    release_subnet(sim, Kind::NetworkAcl, None, key);
    crate::flow_logs::go_with(sim, key);
    sim.remove(key);
    Ok(())
}

/// AttachInternetGateway: one gateway per VPC.
pub(crate) fn attach_gateway(sim: &mut Sim, key: &str, vpc: &str) -> Result<(), ProviderError> {
    let call = "AttachInternetGateway";
    sim.call(call);
    let (vpc_key, _) = sim.need(Kind::Vpc, vpc, call)?;
    if let Some((other, _)) = sim
        .all(Kind::InternetGateway)
        .find(|(k, r)| k.as_str() != key && str_of(&r.attrs, "vpc") == Some(vpc_key.as_str()))
    {
        return Err(fail(
            call,
            "Resource.AlreadyAssociated",
            format!("resource {vpc_key} is already attached to network gateway {other}"),
        ));
    }
    if let Some(attrs) = sim.attrs_mut(key) {
        attrs.insert("vpc".to_owned(), Value::String(vpc_key));
    }
    Ok(())
}

/// DetachInternetGateway: refused while the VPC has public addresses mapped
/// (an internet-facing load balancer, tasks with public IPs).
pub(crate) fn detach_gateway(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DetachInternetGateway";
    sim.call(call);
    let Some(vpc) = vpc_of(sim, key) else {
        return Err(fail(
            call,
            "Gateway.NotAttached",
            format!("resource {key} is not attached to a network"),
        ));
    };
    let in_vpc = |subnets: Vec<String>| {
        subnets
            .iter()
            .any(|s| vpc_of(sim, s).as_deref() == Some(vpc.as_str()))
    };
    let public_lb = sim
        .all(Kind::LoadBalancer)
        .any(|(_, r)| !bool_of(&r.attrs, "internal") && in_vpc(strs_of(&r.attrs, "subnets")));
    let public_tasks = sim.all(Kind::Service).any(|(_, r)| {
        bool_of(&r.attrs, "public_ip")
            && int_of(&r.attrs, "desired_count").unwrap_or(0) > 0
            && in_vpc(strs_of(&r.attrs, "subnets"))
    });
    // A NAT gateway's Elastic IP is a mapped public address too.
    let nat = sim.all(Kind::NatGateway).any(|(_, r)| {
        in_vpc(
            str_of(&r.attrs, "subnet")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        )
    });
    if public_lb || public_tasks || nat {
        // AWS clears this once the addresses are released (the load
        // balancer or tasks deleted), and callers such as Terraform retry
        // it: it is transient, unlike the other DependencyViolations.
        return Err(ProviderError::new(
            call,
            "DependencyViolation",
            format!(
                "Network {vpc} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway."
            ),
            ErrorClass::Transient,
        ));
    }
    if let Some(attrs) = sim.attrs_mut(key) {
        attrs.insert("vpc".to_owned(), Value::Null);
    }
    Ok(())
}

/// DeleteInternetGateway: refused while attached.
pub(crate) fn delete_gateway(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteInternetGateway";
    sim.call(call);
    if vpc_of(sim, key).is_some() {
        return Err(dependency(
            call,
            format!("The internetGateway '{key}' has dependencies and cannot be deleted."),
        ));
    }
    sim.remove(key);
    Ok(())
}

/// Refuses a route table as EC2 does. A subnet another table holds is
/// refused (Resource.AlreadyAssociated) unless that table is `stack`'s:
/// the AWS adapter moves it from a table of its own stack
/// ([`take_subnets`]), as an apply moving a subnet between two tables
/// changes both.
pub(crate) fn check_route_table(
    sim: &Sim,
    call: &str,
    (own, stack): (Option<&str>, Option<&str>),
    attrs: &Attrs,
) -> Result<(), ProviderError> {
    let vpc = str_of(attrs, "vpc").unwrap_or_default();
    let (vpc, _) = sim.need(Kind::Vpc, vpc, call)?;
    let mut seen = BTreeSet::new();
    for subnet in strs_of(attrs, "subnets") {
        let (subnet, rec) = sim.need(Kind::Subnet, &subnet, call)?;
        if str_of(&rec.attrs, "vpc") != Some(vpc.as_str()) {
            return Err(invalid(
                Kind::RouteTable,
                call,
                format!("Route table and subnet {subnet} belong to different networks"),
            ));
        }
        let other = foreign_holder(sim, Kind::RouteTable, (own, stack), &subnet);
        if !seen.insert(subnet.clone()) || other.is_some() {
            return Err(fail(
                call,
                "Resource.AlreadyAssociated",
                format!(
                    "the specified association for route table and subnet {subnet} conflicts with an existing association"
                ),
            ));
        }
    }
    let mut destinations = BTreeSet::new();
    for route in blocks_of(attrs, "route") {
        let text = str_of(route, "cidr").unwrap_or_default();
        parse_cidr(call, text, "destinationCidrBlock")?;
        if !destinations.insert(text) {
            return Err(fail(
                call,
                "RouteAlreadyExists",
                format!("The route identified by {text} already exists."),
            ));
        }
        let (gateway, gateway_vpc) = match ROUTE_TARGETS.map(|attr| str_of(route, attr)) {
            [Some(gateway), None, None, None] => {
                let (gateway, rec) = sim.need(Kind::InternetGateway, gateway, call)?;
                (gateway, str_of(&rec.attrs, "vpc").map(str::to_owned))
            }
            [None, Some(nat), None, None] => {
                let (nat, rec) = sim.need(Kind::NatGateway, nat, call)?;
                let subnet = str_of(&rec.attrs, "subnet").unwrap_or_default();
                (nat, vpc_of(sim, subnet))
            }
            // Made outside the simulated account: any well-formed id is
            // taken, as the simulation cannot know which exist.
            [None, None, Some(tgw), None] => {
                external_id(call, tgw, "tgw-", "InvalidTransitGatewayID.Malformed")?;
                continue;
            }
            [None, None, None, Some(pcx)] => {
                external_id(call, pcx, "pcx-", "InvalidVpcPeeringConnectionID.Malformed")?;
                continue;
            }
            _ => {
                return Err(fail(
                    call,
                    "InvalidParameterCombination",
                    format!("The route to {text} needs exactly one target"),
                ));
            }
        };
        if gateway_vpc.as_deref() != Some(vpc.as_str()) {
            return Err(invalid(
                Kind::RouteTable,
                call,
                format!("route table and network gateway {gateway} belong to different networks"),
            ));
        }
    }
    Ok(())
}

/// Associates `subnets` with the table `key` as the AWS adapter does: one
/// DescribeRouteTables of the tables holding them, then
/// AssociateRouteTable of each no table holds, and
/// ReplaceRouteTableAssociation of each another table (of the same stack:
/// [`check_route_table`]) holds, which leaves that table's list.
fn take_subnets(sim: &mut Sim, key: &str, subnets: &[String]) {
    if !subnets.is_empty() {
        sim.call("DescribeRouteTables");
    }
    for subnet in subnets {
        match release_subnet(sim, Kind::RouteTable, Some(key), subnet) {
            0 => sim.call("AssociateRouteTable"),
            held => (0..held).for_each(|_| sim.call("ReplaceRouteTableAssociation")),
        }
    }
}

/// The resource of `kind` other than `own` whose `subnets` list `subnet`
/// and that is not `stack`'s (any, when `stack` is none): one the subnet
/// may not be taken from (Resource.AlreadyAssociated).
pub(crate) fn foreign_holder<'s>(
    sim: &'s Sim,
    kind: Kind,
    (own, stack): (Option<&str>, Option<&str>),
    subnet: &str,
) -> Option<&'s String> {
    sim.all(kind)
        .find(|(k, r)| {
            Some(k.as_str()) != own
                && strs_of(&r.attrs, "subnets").iter().any(|s| s == subnet)
                && (stack.is_none() || r.tags.get(STACK_TAG).map(String::as_str) != stack)
        })
        .map(|(k, _)| k)
}

/// Takes `subnet` out of the `subnets` of every resource of `kind` but
/// `keep` (a route table or network ACL it moved to, none when the subnet
/// is deleted): how many held it.
pub(crate) fn release_subnet(sim: &mut Sim, kind: Kind, keep: Option<&str>, subnet: &str) -> usize {
    let holders: Vec<String> = sim
        .all(kind)
        .filter(|(k, r)| Some(k.as_str()) != keep && strs_of(&r.attrs, "subnets").iter().any(|s| s == subnet))
        .map(|(k, _)| k.clone())
        .collect();
    for holder in &holders {
        if let Some(Value::List(list)) = sim.attrs_mut(holder).and_then(|a| a.get_mut("subnets")) {
            list.retain(|s| s.as_str() != Some(subnet));
        }
    }
    holders.len()
}

/// A route target or rule source given by id (a transit gateway, a peering
/// connection, a prefix list): refused as EC2 refuses an id without its
/// kind's prefix.
fn external_id(call: &str, id: &str, prefix: &str, code: &str) -> Result<(), ProviderError> {
    if id.starts_with(prefix) {
        Ok(())
    } else {
        Err(fail(call, code, format!("Invalid id: \"{id}\"")))
    }
}

/// DisassociateRouteTable.
fn disassociate_route_table(sim: &mut Sim, key: &str, subnet: &str) {
    sim.call("DisassociateRouteTable");
    if let Some(Value::List(subnets)) = sim.attrs_mut(key).and_then(|a| a.get_mut("subnets")) {
        subnets.retain(|s| s.as_str() != Some(subnet));
    }
}

/// DeleteRouteTable: refused while subnets are associated with it.
pub(crate) fn delete_route_table(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteRouteTable";
    sim.call(call);
    if sim
        .rec(key)
        .is_some_and(|r| !strs_of(&r.attrs, "subnets").is_empty())
    {
        return Err(dependency(
            call,
            format!("The routeTable '{key}' has dependencies and cannot be deleted."),
        ));
    }
    sim.remove(key);
    Ok(())
}

pub(crate) fn check_security_group(
    sim: &Sim,
    call: &str,
    own: Option<&str>,
    attrs: &Attrs,
) -> Result<(), ProviderError> {
    let vpc = str_of(attrs, "vpc").unwrap_or_default();
    let (vpc, _) = sim.need(Kind::Vpc, vpc, call)?;
    let description = str_of(attrs, "description").unwrap_or_default();
    if description.len() > 255 || !description.is_ascii() {
        return Err(invalid(
            Kind::SecurityGroup,
            call,
            "Invalid security group description: at most 255 ASCII characters",
        ));
    }
    for direction in ["ingress", "egress"] {
        // The rules of their own on the group hold their permissions too.
        let mut seen: BTreeSet<_> = match own {
            Some(group) => standalone_rules(sim, group, direction)
                .into_iter()
                .filter_map(|r| check_rule(sim, call, own, &vpc, r).ok())
                .collect(),
            None => BTreeSet::new(),
        };
        for rule in blocks_of(attrs, direction) {
            let key = check_rule(sim, call, own, &vpc, rule)?;
            if !seen.insert(key) {
                return Err(fail(
                    call,
                    "InvalidPermission.Duplicate",
                    format!("the specified {direction} rule already exists"),
                ));
            }
        }
    }
    Ok(())
}

/// Checks one rule; returns what identifies it, to find duplicates.
fn check_rule(
    sim: &Sim,
    call: &str,
    own: Option<&str>,
    vpc: &str,
    rule: &Attrs,
) -> Result<(String, i64, i64, String), ProviderError> {
    let bad = |code: &str, msg: String| fail(call, code, msg);
    let protocol = str_of(rule, "protocol").unwrap_or("tcp").to_ascii_lowercase();
    let numbered = protocol.parse::<u8>().is_ok();
    if !matches!(protocol.as_str(), "tcp" | "udp" | "icmp" | "-1") && !numbered {
        return Err(bad(
            "InvalidParameterValue",
            format!("Invalid value '{protocol}' for IP protocol."),
        ));
    }
    let (port, from, to) = (
        int_of(rule, "port"),
        int_of(rule, "from_port"),
        int_of(rule, "to_port"),
    );
    if port.is_some() && (from.is_some() || to.is_some()) {
        return Err(bad(
            "InvalidParameterCombination",
            "give either port or from_port/to_port, not both".to_owned(),
        ));
    }
    let (from, to) = match (port, from, to) {
        (Some(p), _, _) => (p, p),
        (None, Some(f), Some(t)) => (f, t),
        (None, None, None) if protocol == "-1" => (-1, -1),
        (None, None, None) if protocol == "icmp" => (-1, -1),
        _ => {
            return Err(bad(
                "MissingParameter",
                format!(
                    "The request must contain the parameter port (or from_port and to_port) for protocol {protocol}"
                ),
            ));
        }
    };
    // As EC2: TCP and UDP take a port range; ICMP takes a type (from) and a
    // code (to), each -1 for all, in either order; other protocols ignore
    // the ports.
    let valid = match protocol.as_str() {
        "tcp" | "udp" | "6" | "17" => (0..=65535).contains(&from) && (0..=65535).contains(&to) && from <= to,
        "icmp" | "1" => (-1..=255).contains(&from) && (-1..=255).contains(&to) && (from != -1 || to == -1),
        _ => true,
    };
    if !valid {
        return Err(bad(
            "InvalidParameterValue",
            format!("Invalid port range {from}-{to} for protocol {protocol}"),
        ));
    }
    let source = match RULE_SOURCES.map(|attr| str_of(rule, attr)) {
        [Some(cidr), None, None] if cidr.contains(':') => {
            let net = cidr.parse::<Ipv6Net>().ok().filter(|n| n.trunc() == *n);
            if net.is_none() {
                return Err(bad(
                    "InvalidParameterValue",
                    format!("CIDR block {cidr} is malformed"),
                ));
            }
            cidr.to_owned()
        }
        [Some(cidr), None, None] => {
            parse_cidr(call, cidr, "cidrIp")?;
            cidr.to_owned()
        }
        [None, Some(group), None] => {
            if Some(group) != own {
                let (group, rec) = sim.need(Kind::SecurityGroup, group, call)?;
                if str_of(&rec.attrs, "vpc") != Some(vpc) {
                    return Err(bad(
                        "InvalidGroup.NotFound",
                        format!(
                            "You have specified two resources that belong to different networks: {group}"
                        ),
                    ));
                }
            }
            group.to_owned()
        }
        // Managed prefix lists live outside the simulated account (AWS's
        // own, or shared): any well-formed id is taken.
        [None, None, Some(list)] => {
            external_id(call, list, "pl-", "InvalidPrefixListID.Malformed")?;
            list.to_owned()
        }
        [None, None, None] => {
            return Err(bad(
                "MissingParameter",
                "a rule needs a source or destination: cidr, from or prefix_list".to_owned(),
            ));
        }
        _ => {
            return Err(bad(
                "InvalidParameterCombination",
                "a rule takes one of cidr, from or prefix_list".to_owned(),
            ));
        }
    };
    Ok((protocol, from, to, source))
}

/// The rules of their own (`security_group_rule`) on `group` in
/// `direction`.
fn standalone_rules<'s>(sim: &'s Sim, group: &str, direction: &str) -> Vec<&'s Attrs> {
    sim.all(Kind::SecurityGroupRule)
        .filter(|(_, r)| str_of(&r.attrs, "security_group") == Some(group))
        .filter(|(_, r)| str_of(&r.attrs, "type").unwrap_or("ingress") == direction)
        .map(|(_, r)| &r.attrs)
        .collect()
}

/// AuthorizeSecurityGroupIngress / Egress of a rule of its own: on an
/// existing group, checked as the group's own rules are, refused when the
/// group already has the permission (InvalidPermission.Duplicate).
fn create_rule(sim: &mut Sim, mut attrs: Attrs, tags: Tags) -> Result<String, ProviderError> {
    let direction = match str_of(&attrs, "type") {
        Some("egress") => "egress",
        _ => "ingress",
    };
    let call = match direction {
        "egress" => "AuthorizeSecurityGroupEgress",
        _ => "AuthorizeSecurityGroupIngress",
    };
    sim.call(call);
    let group = str_of(&attrs, "security_group").unwrap_or_default().to_owned();
    let (group, rec) = sim.need(Kind::SecurityGroup, &group, call)?;
    let vpc = str_of(&rec.attrs, "vpc").unwrap_or_default().to_owned();
    let key = check_rule(sim, call, Some(&group), &vpc, &attrs)?;
    // AWS's default egress rule, while the group keeps it, is one too.
    let default_rule = (direction == "egress" && rec.default_egress).then(|| {
        Attrs::from([
            ("protocol".to_owned(), Value::from("-1")),
            ("cidr".to_owned(), Value::from("0.0.0.0/0")),
        ])
    });
    let held = blocks_of(&rec.attrs, direction)
        .into_iter()
        .chain(standalone_rules(sim, &group, direction))
        .chain(default_rule.as_ref())
        .filter_map(|r| check_rule(sim, call, Some(&group), &vpc, r).ok())
        .any(|k| k == key);
    if held {
        return Err(fail(
            call,
            "InvalidPermission.Duplicate",
            format!("the specified {direction} rule already exists"),
        ));
    }
    let id = sim.fresh(|rng| ids::ec2_id(rng, "sgr"));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    sim.insert(&id, Kind::SecurityGroupRule, tags, attrs, false);
    Ok(id)
}

/// DeleteSecurityGroup: refused while another group's rule (or a rule of
/// its own on another group) refers to it or a load balancer, service,
/// endpoint or EFS mount target uses it; the group's own rules of their
/// own go with it.
pub(crate) fn delete_security_group(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteSecurityGroup";
    sim.call(call);
    let groups = sim
        .all(Kind::SecurityGroup)
        .chain(sim.all(Kind::DefaultSecurityGroup));
    let referenced = groups.into_iter().any(|(k, r)| {
        k != key
            && ["ingress", "egress"].iter().any(|d| {
                blocks_of(&r.attrs, d)
                    .iter()
                    .any(|rule| str_of(rule, "from") == Some(key))
            })
    }) || sim.all(Kind::SecurityGroupRule).any(|(_, r)| {
        str_of(&r.attrs, "from") == Some(key) && str_of(&r.attrs, "security_group") != Some(key)
    });
    let used = [Kind::LoadBalancer, Kind::Service, Kind::VpcEndpoint]
        .into_iter()
        .any(|kind| {
            sim.all(kind)
                .any(|(_, r)| strs_of(&r.attrs, "security_groups").iter().any(|g| g == key))
        })
        || crate::efs::mount_targets_use(sim, key);
    if referenced || used {
        return Err(dependency(call, format!("resource {key} has a dependent object")));
    }
    let own: Vec<String> = sim
        .all(Kind::SecurityGroupRule)
        .filter(|(_, r)| str_of(&r.attrs, "security_group") == Some(key))
        .map(|(k, _)| k.clone())
        .collect();
    for rule in own {
        sim.remove(&rule);
    }
    sim.remove(key);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::testing::Harness;

    #[test]
    fn attached_gateways_and_associated_route_tables_cannot_be_deleted() {
        let mut h = Harness::new();
        h.put("vpc-1", Kind::Vpc, &[("cidr", Value::from("10.0.0.0/16"))]);
        h.put("igw-1", Kind::InternetGateway, &[("vpc", Value::from("vpc-1"))]);
        h.put("subnet-1", Kind::Subnet, &[("vpc", Value::from("vpc-1"))]);
        h.put(
            "rtb-1",
            Kind::RouteTable,
            &[
                ("vpc", Value::from("vpc-1")),
                ("subnets", Value::List(vec![Value::from("subnet-1")])),
            ],
        );
        let err = delete_gateway(&mut h.sim(), "igw-1").unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("DeleteInternetGateway", "DependencyViolation")
        );
        let err = delete_route_table(&mut h.sim(), "rtb-1").unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("DeleteRouteTable", "DependencyViolation")
        );
        // The provider's delete detaches / disassociates first.
        delete(&mut h.sim(), Kind::InternetGateway, "igw-1").unwrap();
        delete(&mut h.sim(), Kind::RouteTable, "rtb-1").unwrap();
        assert_eq!(h.calls.get("DisassociateRouteTable"), Some(&1));
        assert_eq!(h.calls.get("DetachInternetGateway"), Some(&1));
        let err = delete(&mut h.sim(), Kind::Vpc, "vpc-1").unwrap_err();
        assert_eq!(err.code, "DependencyViolation");
        delete(&mut h.sim(), Kind::Subnet, "subnet-1").unwrap();
        delete(&mut h.sim(), Kind::Vpc, "vpc-1").unwrap();
    }

    /// An apply moving a subnet between two tables of its stack moves it,
    /// whichever table's update runs first; a table of another stack
    /// keeps it (Resource.AlreadyAssociated, as AWS answers).
    #[test]
    fn a_subnet_moves_from_a_table_of_its_own_stack_only() {
        let mut h = Harness::new();
        h.put("vpc-1", Kind::Vpc, &[("cidr", Value::from("10.0.0.0/16"))]);
        h.put("subnet-1", Kind::Subnet, &[("vpc", Value::from("vpc-1"))]);
        let table = || {
            Attrs::from([
                ("vpc".to_owned(), Value::from("vpc-1")),
                ("subnets".to_owned(), Value::List(vec![Value::from("subnet-1")])),
            ])
        };
        let tags = |stack: &str| Tags::from([(STACK_TAG.to_owned(), stack.to_owned())]);
        let one = create(&mut h.sim(), Kind::RouteTable, table(), tags("a")).unwrap();
        let err = create(&mut h.sim(), Kind::RouteTable, table(), tags("b")).unwrap_err();
        assert_eq!(err.code, "Resource.AlreadyAssociated");
        let two = create(&mut h.sim(), Kind::RouteTable, table(), tags("a")).unwrap();
        let subnets = |h: &mut Harness, key: &str| strs_of(&h.sim().rec(key).unwrap().attrs, "subnets");
        assert_eq!(subnets(&mut h, &one), Vec::<String>::new());
        assert_eq!(subnets(&mut h, &two), ["subnet-1"]);
        assert_eq!(h.calls.get("ReplaceRouteTableAssociation"), Some(&1));
        assert_eq!(h.calls.get("AssociateRouteTable"), Some(&1));
    }
}
