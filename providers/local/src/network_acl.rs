//! Network ACLs of their own (`network_acl`): entries checked and counted
//! as a default ACL's ([`crate::default_acl`]), and the subnets that use
//! the ACL. A subnet uses one ACL: moving it here
//! (ReplaceNetworkAclAssociation) takes it from the ACL it used, and one
//! taken out, or every one when the ACL is deleted, goes back to its
//! VPC's default ACL (where a subnet listed by no ACL is).

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::{Attrs, Kind, ProviderError, STACK_TAG, Value};

use crate::api::{fail, invalid};
use crate::attrs::{str_of, strs_of};
use crate::default_acl::{check_entries, count_entry_calls};
use crate::ec2::{foreign_holder, release_subnet};
use crate::ids;
use crate::sim::Sim;

type Tags = BTreeMap<String, String>;

const MOVE: &str = "ReplaceNetworkAclAssociation";

/// CreateNetworkAcl, its entries, then its subnets moved to it: returns
/// its key (id).
pub(crate) fn create(sim: &mut Sim, mut attrs: Attrs, tags: Tags) -> Result<String, ProviderError> {
    let call = "CreateNetworkAcl";
    sim.call(call);
    let vpc = str_of(&attrs, "vpc").unwrap_or_default().to_owned();
    let (vpc, _) = sim.need(Kind::Vpc, &vpc, call)?;
    check_entries(&attrs)?;
    check_subnets(sim, (None, tags.get(STACK_TAG).map(String::as_str)), &vpc, &attrs)?;
    count_entry_calls(sim, &Attrs::new(), &attrs);
    let id = sim.fresh(|rng| ids::ec2_id(rng, "acl"));
    attrs.insert("vpc".to_owned(), Value::String(vpc));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    let arn = sim.arn("ec2", &format!("network-acl/{id}"));
    attrs.insert("arn".to_owned(), Value::String(arn));
    let subnets = strs_of(&attrs, "subnets");
    sim.insert(&id, Kind::NetworkAcl, tags, attrs, false);
    take_subnets(sim, &id, &subnets);
    Ok(id)
}

/// Makes the ACL's entries and subnets `new`'s.
pub(crate) fn update(sim: &mut Sim, key: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    // The AWS adapter diffs against the ACL described now.
    sim.call("DescribeNetworkAcls");
    let vpc = str_of(old, "vpc").unwrap_or_default().to_owned();
    check_entries(new)?;
    let stack = sim.rec(key).and_then(|r| r.tags.get(STACK_TAG).cloned());
    check_subnets(sim, (Some(key), stack.as_deref()), &vpc, new)?;
    count_entry_calls(sim, old, new);
    let (before, after) = (strs_of(old, "subnets"), strs_of(new, "subnets"));
    let (was, is): (BTreeSet<&String>, BTreeSet<&String>) = (before.iter().collect(), after.iter().collect());
    // Those leaving go back to the default ACL, found once.
    let leaving = was.difference(&is).count();
    if leaving > 0 {
        sim.call("DescribeNetworkAcls");
    }
    for _ in 0..leaving {
        sim.call(MOVE);
    }
    let joining: Vec<String> = is.difference(&was).map(|s| (*s).clone()).collect();
    take_subnets(sim, key, &joining);
    Ok(())
}

/// Moves the ACL's subnets back to the default ACL, then DeleteNetworkAcl.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let subnets = sim
        .rec(key)
        .map(|r| strs_of(&r.attrs, "subnets"))
        .unwrap_or_default();
    // Itself, then the default ACL its subnets go back to.
    sim.call("DescribeNetworkAcls");
    if !subnets.is_empty() {
        sim.call("DescribeNetworkAcls");
    }
    for _ in &subnets {
        sim.call(MOVE);
    }
    sim.call("DeleteNetworkAcl");
    sim.remove(key);
    Ok(())
}

/// Counts moving `subnets` to the ACL `key`, and takes each from the ACL
/// of the stack's that held it.
fn take_subnets(sim: &mut Sim, key: &str, subnets: &[String]) {
    if !subnets.is_empty() {
        sim.call("DescribeNetworkAcls");
    }
    for subnet in subnets {
        sim.call(MOVE);
        release_subnet(sim, Kind::NetworkAcl, Some(key), subnet);
    }
}

/// Refuses subnets as ReplaceNetworkAclAssociation does: one that does
/// not exist, or is in another VPC than the ACL `own` (none: being made);
/// and, as the AWS adapter does, one an ACL of another stack than `stack`
/// uses (its owner would move it back).
fn check_subnets(
    sim: &Sim,
    (own, stack): (Option<&str>, Option<&str>),
    vpc: &str,
    attrs: &Attrs,
) -> Result<(), ProviderError> {
    for subnet in strs_of(attrs, "subnets") {
        let (subnet, rec) = sim.need(Kind::Subnet, &subnet, MOVE)?;
        if str_of(&rec.attrs, "vpc") != Some(vpc) {
            return Err(invalid(
                Kind::NetworkAcl,
                MOVE,
                format!(
                    "Network ACL {} and subnet {subnet} belong to different networks",
                    own.unwrap_or("(new)")
                ),
            ));
        }
        if let Some(holder) = foreign_holder(sim, Kind::NetworkAcl, (own, stack), &subnet) {
            return Err(fail(
                MOVE,
                "Resource.AlreadyAssociated",
                format!(
                    "the subnet {subnet} uses network ACL {holder}, which stack {} does not own",
                    stack.unwrap_or_default()
                ),
            ));
        }
    }
    Ok(())
}
