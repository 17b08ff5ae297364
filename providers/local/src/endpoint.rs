//! VPC endpoints with EC2's rules: the service must be one of the region's
//! (`InvalidServiceName`); a gateway endpoint (S3, DynamoDB) takes route
//! tables and no subnets, an interface endpoint subnets (one per zone) and
//! no route tables; everything named must be in the endpoint's VPC; private
//! DNS needs the VPC's DNS support and hostnames; a policy keeps to IAM's
//! grammar, and AWS's full-access one is given when none is. A ClientToken
//! seen before returns the endpoint it made. Endpoints are available at
//! once.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::policy::{self, DocumentKind};
use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::attrs::{bool_of, str_of, strs_of};
use crate::iam::check_document;
use crate::ids;
use crate::sim::Sim;

/// The policy AWS gives an endpoint created without one.
const FULL_ACCESS: &str = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

fn bad(call: &str, message: String) -> ProviderError {
    fail(call, "InvalidParameter", message)
}

/// Checks an endpoint as CreateVpcEndpoint / ModifyVpcEndpoint would, and
/// fills in what AWS chooses (private DNS, security groups).
fn check(sim: &Sim, call: &str, attrs: &mut Attrs) -> Result<(), ProviderError> {
    let vpc = str_of(attrs, "vpc").unwrap_or_default().to_owned();
    let (vpc, vpc_rec) = sim.need(Kind::Vpc, &vpc, call)?;
    let dns = bool_of(&vpc_rec.attrs, "dns_hostnames") && bool_of(&vpc_rec.attrs, "dns_support");
    let service = str_of(attrs, "service").unwrap_or_default().to_owned();
    let prefix = format!("com.amazonaws.{}.", sim.region);
    let Some(short) = service.strip_prefix(&prefix) else {
        return Err(fail(
            call,
            "InvalidServiceName",
            format!("The Vpc Endpoint Service '{service}' does not exist"),
        ));
    };
    let interface = match str_of(attrs, "type").unwrap_or("Gateway") {
        "Gateway" => false,
        "Interface" => true,
        other => return Err(bad(call, format!("Invalid VPC endpoint type {other}"))),
    };
    let in_vpc = |kind: Kind, attr: &str| -> Result<Vec<String>, ProviderError> {
        strs_of(attrs, attr)
            .into_iter()
            .map(|id| {
                let (key, rec) = sim.need(kind, &id, call)?;
                if str_of(&rec.attrs, "vpc") != Some(vpc.as_str()) {
                    return Err(bad(call, format!("{key} is not in {vpc}")));
                }
                Ok(key)
            })
            .collect()
    };
    let tables = in_vpc(Kind::RouteTable, "route_tables")?;
    let subnets = in_vpc(Kind::Subnet, "subnets")?;
    in_vpc(Kind::SecurityGroup, "security_groups")?;
    if interface {
        if !tables.is_empty() {
            return Err(bad(
                call,
                "Route tables are only for gateway endpoints".to_owned(),
            ));
        }
        let mut zones = BTreeSet::new();
        for subnet in &subnets {
            let zone = sim
                .rec(subnet)
                .and_then(|r| str_of(&r.attrs, "zone"))
                .unwrap_or_default();
            if !zones.insert(zone.to_owned()) {
                return Err(fail(
                    call,
                    "DuplicateSubnetsInSameZone",
                    format!("Found another VPC endpoint subnet in the availability zone of {subnet}"),
                ));
            }
        }
        if !matches!(attrs.get("private_dns"), Some(Value::Bool(_))) {
            attrs.insert("private_dns".to_owned(), Value::Bool(true));
        }
        if bool_of(attrs, "private_dns") && !dns {
            return Err(bad(
                call,
                "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true"
                    .to_owned(),
            ));
        }
    } else {
        if !matches!(short, "s3" | "dynamodb") {
            return Err(fail(
                call,
                "InvalidServiceName",
                format!("The Vpc Endpoint Service '{service}' does not support gateway endpoints"),
            ));
        }
        if !subnets.is_empty() || !strs_of(attrs, "security_groups").is_empty() {
            return Err(bad(
                call,
                "Subnets and security groups are only for interface endpoints".to_owned(),
            ));
        }
        if bool_of(attrs, "private_dns") {
            return Err(bad(
                call,
                "Private DNS is only for interface endpoints".to_owned(),
            ));
        }
        attrs.insert("private_dns".to_owned(), Value::Bool(false));
    }
    if !matches!(attrs.get("security_groups"), Some(Value::List(_))) {
        attrs.insert("security_groups".to_owned(), Value::List(Vec::new()));
    }
    match attrs.get("policy") {
        Some(Value::Null) | None => {
            attrs.insert("policy".to_owned(), policy::from_aws(FULL_ACCESS));
        }
        Some(doc) => check_document(call, doc, DocumentKind::Endpoint)?,
    }
    Ok(())
}

/// CreateVpcEndpoint; returns the key (the id).
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateVpcEndpoint";
    sim.call(call);
    let mut parts: Vec<String> = ["vpc", "service", "type"]
        .iter()
        .map(|k| str_of(&attrs, k).unwrap_or_default().to_owned())
        .collect();
    parts.extend(strs_of(&attrs, "subnets"));
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let token = naming::client_token(stack, address, &parts);
    if let Some(key) = sim.st.client_tokens.get(&token)
        && sim.rec(key).is_some()
    {
        return Ok(key.clone());
    }
    check(sim, call, &mut attrs)?;
    let id = sim.fresh(|rng| ids::ec2_id(rng, "vpce"));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    sim.set_token(token, id.clone());
    sim.insert(&id, Kind::VpcEndpoint, tags, attrs, false);
    Ok(id)
}

/// ModifyVpcEndpoint; `new` gets what AWS keeps when it is left out.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &mut Attrs) -> Result<(), ProviderError> {
    let call = "ModifyVpcEndpoint";
    for key in ["security_groups", "private_dns", "policy"] {
        if new.get(key).is_none_or(|v| *v == Value::Null) {
            new.insert(key.to_owned(), old.get(key).cloned().unwrap_or(Value::Null));
        }
    }
    check(sim, call, new)?;
    if [
        "route_tables",
        "subnets",
        "security_groups",
        "private_dns",
        "policy",
    ]
    .iter()
    .any(|k| old.get(*k) != new.get(*k))
    {
        sim.call(call);
    }
    Ok(())
}

/// Whether an endpoint uses `key` (a subnet or security group) in `attr`:
/// its network interfaces hold them.
pub(crate) fn uses(sim: &Sim, attr: &str, key: &str) -> bool {
    sim.all(Kind::VpcEndpoint)
        .any(|(_, r)| strs_of(&r.attrs, attr).iter().any(|s| s == key))
}
