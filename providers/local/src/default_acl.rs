//! A VPC's default network ACL, taken over (`default_network_acl`).
//!
//! AWS makes one with every VPC, its entries allowing all traffic in and
//! out (rule 100; the last entry, denying everything, cannot be changed
//! and is not held here), and deletes it with the VPC. The simulation
//! records it once a stack takes it over, at the id
//! [`ids::default_network_acl_id`] gives the VPC. Taking over tags it and
//! makes its entries the declared ones, checked as EC2 checks them;
//! letting go removes berth's tags and leaves its entries.

use std::collections::BTreeSet;

use berth_provider::{Attrs, Kind, ProviderError, Value};
use ipnet::Ipv6Net;

use crate::api::fail;
use crate::attrs::{blocks_of, int_of, str_of};
use crate::cidr::Cidr;
use crate::default_group::{refuse_taken, untag};
use crate::ids;
use crate::sim::Sim;

type Tags = std::collections::BTreeMap<String, String>;

/// Takes over the default network ACL of `attrs`' VPC: returns its key
/// (id).
pub(crate) fn create(sim: &mut Sim, mut attrs: Attrs, tags: Tags) -> Result<String, ProviderError> {
    let call = "DescribeNetworkAcls";
    sim.call(call);
    let vpc = str_of(&attrs, "vpc").unwrap_or_default().to_owned();
    let (vpc, _) = sim.need(Kind::Vpc, &vpc, call)?;
    let key = ids::default_network_acl_id(&vpc);
    refuse_taken(sim, &key, &vpc, &tags, "default network ACL")?;
    check_entries(&attrs)?;
    let before = sim.rec(&key).map_or_else(aws_defaults, |r| r.attrs.clone());
    sim.call("CreateTags");
    count_entry_calls(sim, &before, &attrs);
    attrs.insert("vpc".to_owned(), Value::String(vpc));
    attrs.insert("id".to_owned(), Value::String(key.clone()));
    let arn = sim.arn("ec2", &format!("network-acl/{key}"));
    attrs.insert("arn".to_owned(), Value::String(arn));
    sim.insert(&key, Kind::DefaultNetworkAcl, tags, attrs, false);
    Ok(key)
}

/// Makes the ACL's entries `new`'s.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    check_entries(new)?;
    count_entry_calls(sim, old, new);
    Ok(())
}

/// Lets the ACL go: DeleteTags of berth's tags; its entries stay.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    untag(sim, key);
    Ok(())
}

/// AWS's entries of a new VPC's default ACL: all traffic in and out.
fn aws_defaults() -> Attrs {
    let all = Value::List(vec![Value::Map(Attrs::from([
        ("rule_no".to_owned(), Value::Int(100)),
        ("action".to_owned(), Value::from("allow")),
        ("protocol".to_owned(), Value::from("-1")),
        ("cidr".to_owned(), Value::from("0.0.0.0/0")),
    ]))]);
    Attrs::from([("ingress".to_owned(), all.clone()), ("egress".to_owned(), all)])
}

/// Refuses entries as CreateNetworkAclEntry does: a number given twice in
/// a direction, an action other than `allow` or `deny`, an unknown
/// protocol, a malformed range, TCP or UDP without its port range, ICMP
/// without its type.
pub(crate) fn check_entries(attrs: &Attrs) -> Result<(), ProviderError> {
    let call = "CreateNetworkAclEntry";
    let bad = |code: &str, message: String| fail(call, code, message);
    for direction in ["ingress", "egress"] {
        let mut numbers = BTreeSet::new();
        for entry in blocks_of(attrs, direction) {
            let n = int_of(entry, "rule_no").unwrap_or_default();
            if !(1..=32_766).contains(&n) {
                return Err(bad("InvalidParameterValue", format!("Invalid rule number: {n}")));
            }
            if !numbers.insert(n) {
                return Err(bad(
                    "NetworkAclEntryAlreadyExists",
                    format!("The network acl entry identified by {n} already exists."),
                ));
            }
            let action = str_of(entry, "action").unwrap_or_default();
            if !matches!(action, "allow" | "deny") {
                return Err(bad(
                    "InvalidParameterValue",
                    format!("Invalid value '{action}' for ruleAction"),
                ));
            }
            let protocol = str_of(entry, "protocol").unwrap_or_default();
            let known = matches!(protocol, "-1" | "tcp" | "udp" | "icmp" | "icmpv6")
                || protocol.parse::<u8>().is_ok();
            if !known {
                return Err(bad(
                    "InvalidParameterValue",
                    format!("Invalid value '{protocol}' for protocol"),
                ));
            }
            let cidr = str_of(entry, "cidr").unwrap_or_default();
            let valid = if cidr.contains(':') {
                cidr.parse::<Ipv6Net>().is_ok_and(|n| n.trunc() == n)
            } else {
                Cidr::parse(cidr).is_some()
            };
            if !valid {
                return Err(bad(
                    "InvalidParameterValue",
                    format!("Value ({cidr}) for parameter cidrBlock is invalid."),
                ));
            }
            let icmp = (int_of(entry, "icmp_type"), int_of(entry, "icmp_code"));
            if matches!(protocol, "icmp" | "icmpv6" | "1" | "58") && icmp.0.is_none() {
                return Err(bad(
                    "MissingParameter",
                    "The request must contain the parameter icmpTypeCode.type".to_owned(),
                ));
            }
            let ports = (int_of(entry, "from_port"), int_of(entry, "to_port"));
            if matches!(protocol, "tcp" | "udp") && !matches!(ports, (Some(f), Some(t)) if f <= t) {
                return Err(bad(
                    "MissingParameter",
                    "The request must contain the parameter portRange".to_owned(),
                ));
            }
        }
    }
    Ok(())
}

/// Counts CreateNetworkAclEntry, ReplaceNetworkAclEntry and
/// DeleteNetworkAclEntry going from `old`'s entries to `new`'s, by
/// direction and number, as the AWS adapter sends them.
pub(crate) fn count_entry_calls(sim: &mut Sim, old: &Attrs, new: &Attrs) {
    for direction in ["ingress", "egress"] {
        let number = |e: &Attrs| int_of(e, "rule_no");
        let (was, is) = (blocks_of(old, direction), blocks_of(new, direction));
        for entry in &is {
            match was.iter().find(|w| number(w) == number(entry)) {
                None => sim.call("CreateNetworkAclEntry"),
                Some(w) if w != entry => sim.call("ReplaceNetworkAclEntry"),
                Some(_) => {}
            }
        }
        for _ in was.iter().filter(|w| !is.iter().any(|e| number(e) == number(w))) {
            sim.call("DeleteNetworkAclEntry");
        }
    }
}
