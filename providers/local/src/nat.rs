//! Elastic IPs and NAT gateways with EC2's rules: a NAT gateway needs an
//! existing subnet whose VPC has an internet gateway attached
//! (`Gateway.NotAttached`) and an Elastic IP no other gateway holds
//! (`Resource.AlreadyAssociated`); a ClientToken seen before returns the
//! gateway it made; an Elastic IP held by a NAT gateway cannot be released
//! (`InvalidIPAddress.InUse`). Gateways are available at once and gone at
//! once when deleted.

use std::collections::BTreeMap;

use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::attrs::str_of;
use crate::ids;
use crate::sim::Sim;

/// AllocateAddress or CreateNatGateway; returns the key (the id).
pub(crate) fn create(
    sim: &mut Sim,
    kind: Kind,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    if kind == Kind::ElasticIp {
        sim.call("AllocateAddress");
        let id = sim.fresh(|rng| ids::ec2_id(rng, "eipalloc"));
        let ip = format!("54.{}.{}.{}", sim.rng.u8(..), sim.rng.u8(..), sim.rng.u8(1..255));
        attrs.insert("id".to_owned(), Value::String(id.clone()));
        attrs.insert("public_ip".to_owned(), Value::String(ip));
        sim.insert(&id, kind, tags, attrs, false);
        return Ok(id);
    }
    let call = "CreateNatGateway";
    sim.call(call);
    let subnet = str_of(&attrs, "subnet").unwrap_or_default().to_owned();
    let eip = str_of(&attrs, "elastic_ip").unwrap_or_default().to_owned();
    let token = naming::client_token(stack, address, &[&subnet, &eip]);
    if let Some(key) = sim.st.client_tokens.get(&token)
        && sim.rec(key).is_some()
    {
        return Ok(key.clone());
    }
    let (_, subnet_rec) = sim.need(Kind::Subnet, &subnet, call)?;
    let vpc = str_of(&subnet_rec.attrs, "vpc").unwrap_or_default().to_owned();
    sim.need(Kind::ElasticIp, &eip, call)?;
    if holder(sim, &eip).is_some() {
        return Err(fail(
            call,
            "Resource.AlreadyAssociated",
            format!("Elastic IP address [{eip}] is already associated"),
        ));
    }
    let gateway = sim
        .all(Kind::InternetGateway)
        .any(|(_, r)| str_of(&r.attrs, "vpc") == Some(vpc.as_str()));
    if !gateway {
        return Err(fail(
            call,
            "Gateway.NotAttached",
            format!("Network {vpc} has no Internet gateway attached"),
        ));
    }
    let id = sim.fresh(|rng| ids::ec2_id(rng, "nat"));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    sim.set_token(token, id.clone());
    sim.insert(&id, kind, tags, attrs, false);
    Ok(id)
}

/// The NAT gateway holding the Elastic IP `eip`, if any.
fn holder(sim: &Sim, eip: &str) -> Option<String> {
    sim.all(Kind::NatGateway)
        .find(|(_, r)| str_of(&r.attrs, "elastic_ip") == Some(eip))
        .map(|(k, _)| k.clone())
}

/// ReleaseAddress (refused while a NAT gateway holds it) or
/// DeleteNatGateway.
pub(crate) fn delete(sim: &mut Sim, kind: Kind, key: &str) -> Result<(), ProviderError> {
    if kind == Kind::ElasticIp {
        let call = "ReleaseAddress";
        sim.call(call);
        if let Some(nat) = holder(sim, key) {
            return Err(fail(
                call,
                "InvalidIPAddress.InUse",
                format!("Address {key} is in use by {nat}"),
            ));
        }
    } else {
        sim.call("DeleteNatGateway");
    }
    sim.remove(key);
    Ok(())
}

/// Whether a NAT gateway lives in `subnet`.
pub(crate) fn in_subnet(sim: &Sim, subnet: &str) -> bool {
    sim.all(Kind::NatGateway)
        .any(|(_, r)| str_of(&r.attrs, "subnet") == Some(subnet))
}
