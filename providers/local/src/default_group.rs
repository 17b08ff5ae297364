//! A VPC's default security group, taken over (`default_security_group`).
//!
//! AWS makes one with every VPC and deletes it with the VPC; nobody else
//! can. The simulation records it with the VPC (untagged, at the id
//! [`ids::default_security_group_id`] gives the VPC, with AWS's default
//! rules: all traffic from the group itself in, everything out), so
//! lookups and settings find it as AWS's; a VPC of an older file gets its
//! record when a stack takes the group over.
//! Taking over tags it and makes its rules the declared ones; letting go
//! removes berth's tags and leaves its rules and the user's tags as they
//! are, but for the rules naming other groups.

use berth_provider::{ADDRESS_TAG, Attrs, Kind, ProviderError, STACK_TAG, Value};

use crate::api::fail;
use crate::attrs::{blocks_of, str_of};
use crate::ec2::check_security_group;
use crate::ids;
use crate::sim::Sim;

type Tags = std::collections::BTreeMap<String, String>;

/// What a take-over refuses when another stack or address holds the group
/// (or main route table) already: both would rewrite it on every apply.
pub(crate) const TAKEN: &str = "AlreadyTakenOver";

/// Takes over the default group of `attrs`' VPC: returns its key (id).
pub(crate) fn create(sim: &mut Sim, mut attrs: Attrs, tags: Tags) -> Result<String, ProviderError> {
    let call = "DescribeSecurityGroups";
    sim.call(call);
    let vpc = str_of(&attrs, "vpc").unwrap_or_default().to_owned();
    let (vpc, _) = sim.need(Kind::Vpc, &vpc, call)?;
    let key = ids::default_security_group_id(&vpc);
    refuse_taken(sim, &key, &vpc, &tags, "default security group")?;
    check_security_group(sim, "AuthorizeSecurityGroupIngress", Some(&key), &attrs)?;
    let before = sim
        .rec(&key)
        .map_or_else(|| aws_defaults(&key), |r| r.attrs.clone());
    sim.call("CreateTags");
    count_rule_calls(sim, &before, &attrs);
    attrs.insert("vpc".to_owned(), Value::String(vpc));
    attrs.insert("id".to_owned(), Value::String(key.clone()));
    let arn = sim.arn("ec2", &format!("security-group/{key}"));
    attrs.insert("arn".to_owned(), Value::String(arn));
    sim.insert(&key, Kind::DefaultSecurityGroup, tags, attrs, false);
    Ok(key)
}

/// Makes the group's rules `new`'s (checked as a group's).
pub(crate) fn update(sim: &mut Sim, key: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    check_security_group(sim, "AuthorizeSecurityGroupIngress", Some(key), new)?;
    count_rule_calls(sim, old, new);
    Ok(())
}

/// Lets the group go: revokes its rules naming other groups (they would
/// keep those groups from being deleted), then DeleteTags of berth's
/// tags.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DescribeSecurityGroups");
    for (direction, revoke) in [
        ("ingress", "RevokeSecurityGroupIngress"),
        ("egress", "RevokeSecurityGroupEgress"),
    ] {
        let Some(Value::List(rules)) = sim.attrs_mut(key).and_then(|a| a.get_mut(direction)) else {
            continue;
        };
        let before = rules.len();
        rules.retain(|r| {
            r.as_map()
                .and_then(|r| str_of(r, "from"))
                .is_none_or(|g| g == key)
        });
        if rules.len() != before {
            sim.call(revoke);
        }
    }
    untag(sim, key);
    Ok(())
}

/// Records the default group AWS makes with the new VPC `vpc`.
pub(crate) fn made_with(sim: &mut Sim, vpc: &str) {
    let key = ids::default_security_group_id(vpc);
    let mut attrs = aws_defaults(&key);
    attrs.insert("vpc".to_owned(), Value::from(vpc));
    attrs.insert("id".to_owned(), Value::String(key.clone()));
    let arn = sim.arn("ec2", &format!("security-group/{key}"));
    attrs.insert("arn".to_owned(), Value::String(arn));
    sim.insert(&key, Kind::DefaultSecurityGroup, Tags::new(), attrs, false);
}

/// The default groups of the account's VPCs, each with its name
/// (`default`), as DescribeSecurityGroups lists them.
pub(crate) fn listed<'s>(sim: &'s Sim) -> impl Iterator<Item = crate::model::Record> + 's {
    sim.all(Kind::DefaultSecurityGroup).map(|(_, rec)| {
        let mut rec = rec.clone();
        rec.attrs.insert("name".to_owned(), Value::from(NAME));
        rec
    })
}

/// The name AWS gives every VPC's default group.
const NAME: &str = "default";

/// Refuses (AlreadyTakenOver) to take over the record `key`, the VPC
/// `vpc`'s `what`, for `tags`' stack and address when another holds it.
pub(crate) fn refuse_taken(
    sim: &Sim,
    key: &str,
    vpc: &str,
    tags: &Tags,
    what: &str,
) -> Result<(), ProviderError> {
    let Some(rec) = sim.rec(key) else {
        return Ok(());
    };
    let (holder, address) = (rec.tags.get(STACK_TAG), rec.tags.get(ADDRESS_TAG));
    if holder.is_none() || (holder == tags.get(STACK_TAG) && address == tags.get(ADDRESS_TAG)) {
        return Ok(());
    }
    let (holder, address) = (
        holder.map_or("", String::as_str),
        address.map_or("", String::as_str),
    );
    Err(fail(
        "CreateTags",
        TAKEN,
        format!(
            "the {what} {key} of {vpc} is taken over by stack {holder}'s {address} already: it has one owner"
        ),
    ))
}

/// Lets the record `key` go: DeleteTags of berth's tags.
pub(crate) fn untag(sim: &mut Sim, key: &str) {
    sim.call("DeleteTags");
    if let Some(rec) = sim.rec_mut(key) {
        rec.tags.retain(|k, _| k != STACK_TAG && k != ADDRESS_TAG);
    }
}

/// AWS's rules of a new VPC's default group `key`.
fn aws_defaults(key: &str) -> Attrs {
    let rule = |k: &str, v: &str| {
        Value::Map(Attrs::from([
            ("protocol".to_owned(), Value::from("-1")),
            (k.to_owned(), Value::from(v)),
        ]))
    };
    Attrs::from([
        ("ingress".to_owned(), Value::List(vec![rule("from", key)])),
        ("egress".to_owned(), Value::List(vec![rule("cidr", "0.0.0.0/0")])),
    ])
}

/// Counts the Revoke and Authorize calls going from `old`'s rules to
/// `new`'s, one of each a direction at most, as the AWS adapter sends them.
fn count_rule_calls(sim: &mut Sim, old: &Attrs, new: &Attrs) {
    for (direction, revoke, authorize) in [
        (
            "ingress",
            "RevokeSecurityGroupIngress",
            "AuthorizeSecurityGroupIngress",
        ),
        (
            "egress",
            "RevokeSecurityGroupEgress",
            "AuthorizeSecurityGroupEgress",
        ),
    ] {
        let (was, is) = (blocks_of(old, direction), blocks_of(new, direction));
        if was.iter().any(|r| !is.contains(r)) {
            sim.call(revoke);
        }
        if is.iter().any(|r| !was.contains(r)) {
            sim.call(authorize);
        }
    }
}
