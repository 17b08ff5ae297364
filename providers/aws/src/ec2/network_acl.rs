//! Network ACLs (`network_acl`, and the entries of a VPC's default one,
//! `default_network_acl`, which [`super::default_acl`] takes over). An
//! ACL's entries are the declared ones (Create / Replace /
//! DeleteNetworkAclEntry by direction and number; the last entry, 32767,
//! is AWS's and not read). A subnet uses one ACL: moving it to this one
//! replaces its association with the ACL it uses
//! (ReplaceNetworkAclAssociation, found by DescribeNetworkAcls'
//! `association.subnet-id`), and one taken out of `subnets`, or every one
//! when the ACL is deleted, goes back to its VPC's default ACL, as
//! Terraform does (DeleteNetworkAcl refuses an ACL subnets use). Every
//! ACL of the stack, default ones taken over too, is read with one
//! DescribeNetworkAcls on the stack's tag.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{
    IcmpTypeCode, NetworkAcl, NetworkAclEntry, PortRange, RuleAction, TagSpecification,
};
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, STACK_TAG, Value, schema};

use super::{SERVICE, arn, default_acl, filter_any, need, pairs, scope_filter};
use crate::attrs::{attrs, blocks_of, int_of, resource, str_list, str_of, strs_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// The entry every ACL ends with, denying what no other matched: AWS's,
/// neither changed nor read.
const LAST: i32 = 32_767;

pub(super) const GONE: &[&str] = &["InvalidNetworkAclID.NotFound"];

/// The association a subnet's move replaces (gone: it moved meanwhile).
const ASSOCIATION_GONE: &[&str] = &["InvalidAssociationID.NotFound"];

/// CreateNetworkAcl (tagged), its entries, then its subnets moved to it.
pub(super) async fn create(
    p: &AwsProvider,
    (stack, address): (&str, &Address),
    a: &Attrs,
    spec: TagSpecification,
) -> Result<Attrs, ProviderError> {
    let ec2 = &p.clients.ec2;
    let vpc = str_of(a, "vpc").unwrap_or_default();
    let token = p.tokens.for_create(stack, address, &[vpc]);
    // Sent once: after no answer the apply looks for the ACL by its tags
    // before sending it again.
    let out = p
        .call_once(SERVICE, "CreateNetworkAcl", || {
            ec2.create_network_acl()
                .vpc_id(vpc)
                .client_token(&token)
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let acl = out
        .network_acl
        .ok_or_else(|| crate::errors::missing("CreateNetworkAcl"))?;
    let id = need("CreateNetworkAcl", acl.network_acl_id.clone())?;
    sync_entries(p, &acl, a).await?;
    move_here(p, stack, &id, &strs_of(a, "subnets")).await?;
    let arn = arn(p, p.partition().await, acl.owner_id(), "network-acl", &id);
    Ok(attrs([("id", Value::String(id)), ("arn", arn)]))
}

/// Brings entries and subnets to `new`, diffing against what AWS holds
/// now, so a retried update converges.
pub(super) async fn update(p: &AwsProvider, stack: &str, id: &str, new: &Attrs) -> Result<(), ProviderError> {
    let acl = need_acl(p, id).await?;
    sync_entries(p, &acl, new).await?;
    let live = live_associations(&acl);
    let wanted: BTreeSet<String> = strs_of(new, "subnets").into_iter().collect();
    let leaving: Vec<&String> = live.keys().filter(|s| !wanted.contains(*s)).collect();
    if !leaving.is_empty() {
        let default = default_of(p, &acl).await?;
        for subnet in leaving {
            replace(p, &live[subnet], &default).await?;
        }
    }
    let joining: Vec<String> = wanted.into_iter().filter(|s| !live.contains_key(s)).collect();
    move_here(p, stack, id, &joining).await
}

/// Moves the ACL's subnets back to the default ACL, then DeleteNetworkAcl.
pub(super) async fn delete(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    let Some(acl) = describe(p, id).await? else {
        return Ok(());
    };
    let live = live_associations(&acl);
    if !live.is_empty() {
        let default = default_of(p, &acl).await?;
        for association in live.values() {
            replace(p, association, &default).await?;
        }
    }
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "DeleteNetworkAcl", GONE, || {
        ec2.delete_network_acl().network_acl_id(id).send()
    })
    .await?;
    Ok(())
}

/// The stack's network ACLs, default ones taken over too (or the one
/// `scope` names).
pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let acls = p
        .list(SERVICE, "DescribeNetworkAcls", || {
            paginate!(
                ec2.describe_network_acls()
                    .filters(scope_filter(scope, "network-acl-id")),
                network_acls
            )
        })
        .await?;
    let partition = p.partition().await;
    Ok(acls
        .iter()
        .filter_map(|acl| {
            let kind = match acl.is_default().unwrap_or(false) {
                true => Kind::DefaultNetworkAcl,
                false => Kind::NetworkAcl,
            };
            let address = scope.address(kind, pairs(acl.tags()))?;
            let id = acl.network_acl_id()?.to_owned();
            let (ingress, egress) = live_entries(acl);
            let blocks =
                |entries: BTreeMap<i32, Attrs>| Value::List(entries.into_values().map(Value::Map).collect());
            let mut a = attrs([
                ("vpc", Value::from(acl.vpc_id().unwrap_or_default())),
                ("ingress", blocks(ingress)),
                ("egress", blocks(egress)),
                ("tags", user_tags(pairs(acl.tags()))),
                ("arn", arn(p, partition, acl.owner_id(), "network-acl", &id)),
                ("id", Value::String(id)),
            ]);
            if kind == Kind::NetworkAcl {
                a.insert("subnets".to_owned(), str_list(live_associations(acl).into_keys()));
            }
            Some(resource(address, a))
        })
        .collect())
}

/// The ACL `id`, described now; an error when it is gone.
pub(super) async fn need_acl(p: &AwsProvider, id: &str) -> Result<NetworkAcl, ProviderError> {
    describe(p, id).await?.ok_or_else(|| {
        ProviderError::permanent(
            "DescribeNetworkAcls",
            GONE[0],
            format!("The networkAcl ID '{id}' does not exist"),
        )
    })
}

/// Subnet associations of a described ACL: subnet id to association id.
fn live_associations(acl: &NetworkAcl) -> BTreeMap<String, String> {
    acl.associations()
        .iter()
        .filter_map(|a| {
            Some((
                a.subnet_id()?.to_owned(),
                a.network_acl_association_id()?.to_owned(),
            ))
        })
        .collect()
}

/// The default ACL of `acl`'s VPC, by id.
async fn default_of(p: &AwsProvider, acl: &NetworkAcl) -> Result<String, ProviderError> {
    let default = default_acl::find(p, acl.vpc_id().unwrap_or_default()).await?;
    Ok(default.network_acl_id().unwrap_or_default().to_owned())
}

/// Moves `subnets` to the ACL `id` from the ACLs they use: their VPC's
/// default ACL, or another of `stack`'s (an apply moving a subnet between
/// two of its ACLs changes both, in either order). One an ACL of another
/// stack or tool holds is refused: that ACL's owner would move it back.
async fn move_here(p: &AwsProvider, stack: &str, id: &str, subnets: &[String]) -> Result<(), ProviderError> {
    if subnets.is_empty() {
        return Ok(());
    }
    let ec2 = &p.clients.ec2;
    let holders = p
        .call(SERVICE, "DescribeNetworkAcls", || {
            ec2.describe_network_acls()
                .filters(filter_any("association.subnet-id", subnets))
                .send()
        })
        .await?;
    for subnet in subnets {
        let holder = holders.network_acls().iter().find_map(|acl| {
            let association = live_associations(acl).remove(subnet)?;
            Some((acl, association))
        });
        match holder {
            // Already this ACL's: a retried apply.
            Some((acl, _)) if acl.network_acl_id() == Some(id) => {}
            Some((acl, association))
                if acl.is_default().unwrap_or(false)
                    || pairs(acl.tags()).any(|(k, v)| k == STACK_TAG && v == stack) =>
            {
                replace(p, &association, id).await?;
            }
            Some((acl, _)) => {
                return Err(ProviderError::permanent(
                    "ReplaceNetworkAclAssociation",
                    "Resource.AlreadyAssociated",
                    format!(
                        "the subnet {subnet} uses network ACL {}, which stack {stack} does not own",
                        acl.network_acl_id().unwrap_or_default()
                    ),
                ));
            }
            None => {
                return Err(ProviderError::permanent(
                    "DescribeNetworkAcls",
                    "InvalidSubnetID.NotFound",
                    format!("The subnet ID '{subnet}' does not exist"),
                ));
            }
        }
    }
    Ok(())
}

/// ReplaceNetworkAclAssociation: the subnet of `association` to the ACL
/// `to`.
async fn replace(p: &AwsProvider, association: &str, to: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "ReplaceNetworkAclAssociation", ASSOCIATION_GONE, || {
        ec2.replace_network_acl_association()
            .association_id(association)
            .network_acl_id(to)
            .send()
    })
    .await?;
    Ok(())
}

/// Creates, replaces and deletes entries of `acl` so that they are `new`'s
/// blocks, by direction and number.
pub(super) async fn sync_entries(
    p: &AwsProvider,
    acl: &NetworkAcl,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let id = acl.network_acl_id().unwrap_or_default();
    let (ingress, egress) = live_entries(acl);
    for (egressing, live) in [(false, ingress), (true, egress)] {
        let wanted = declared(new, if egressing { "egress" } else { "ingress" });
        for (number, entry) in &wanted {
            match live.get(number) {
                None => send(p, "CreateNetworkAclEntry", id, egressing, entry).await?,
                Some(held) if held != entry => {
                    send(p, "ReplaceNetworkAclEntry", id, egressing, entry).await?
                }
                Some(_) => {}
            }
        }
        for number in live.keys().filter(|n| !wanted.contains_key(*n)) {
            let ec2 = &p.clients.ec2;
            p.call_unless(
                SERVICE,
                "DeleteNetworkAclEntry",
                &["InvalidNetworkAclEntry.NotFound"],
                || {
                    ec2.delete_network_acl_entry()
                        .network_acl_id(id)
                        .egress(egressing)
                        .rule_number(*number)
                        .send()
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// CreateNetworkAclEntry or ReplaceNetworkAclEntry (`call`) of `entry`.
async fn send(
    p: &AwsProvider,
    call: &str,
    id: &str,
    egress: bool,
    entry: &Attrs,
) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    let number = int_of(entry, "rule_no")
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or_default();
    let protocol = str_of(entry, "protocol").unwrap_or("-1");
    // EC2 takes an entry's protocol by number.
    let protocol = schema::PROTOCOL_NAMES
        .iter()
        .find(|(_, name)| *name == protocol)
        .map_or(protocol, |(number, _)| number);
    let action = RuleAction::from(str_of(entry, "action").unwrap_or("allow"));
    let cidr = str_of(entry, "cidr").unwrap_or_default();
    let port = |k: &str| int_of(entry, k).and_then(|n| i32::try_from(n).ok());
    let ports = match (port("from_port"), port("to_port")) {
        (None, None) => None,
        (from, to) => Some(PortRange::builder().set_from(from).set_to(to).build()),
    };
    let icmp = match (port("icmp_type"), port("icmp_code")) {
        (None, None) => None,
        (kind, code) => Some(IcmpTypeCode::builder().set_type(kind).set_code(code).build()),
    };
    let (v4, v6) = match cidr.contains(':') {
        true => (None, Some(cidr.to_owned())),
        false => (Some(cidr.to_owned()), None),
    };
    // The two calls take the same fields through builders of two types.
    macro_rules! entry {
        ($request:expr) => {
            $request
                .network_acl_id(id)
                .egress(egress)
                .rule_number(number)
                .protocol(protocol)
                .rule_action(action.clone())
                .set_cidr_block(v4.clone())
                .set_ipv6_cidr_block(v6.clone())
                .set_port_range(ports.clone())
                .set_icmp_type_code(icmp.clone())
                .send()
        };
    }
    if call == "CreateNetworkAclEntry" {
        p.call_repeatable(SERVICE, call, &["NetworkAclEntryAlreadyExists"], || {
            entry!(ec2.create_network_acl_entry())
        })
        .await?;
    } else {
        p.call(SERVICE, call, || entry!(ec2.replace_network_acl_entry()))
            .await?;
    }
    Ok(())
}

/// The declared entries of `direction`, canonical, by number.
fn declared(a: &Attrs, direction: &str) -> BTreeMap<i32, Attrs> {
    blocks_of(a, direction)
        .into_iter()
        .filter_map(|e| {
            let number = i32::try_from(int_of(e, "rule_no")?).ok()?;
            Some((number, canonical(e)))
        })
        .collect()
}

/// The ACL's entries berth states (all but AWS's last), ingress and
/// egress, canonical, by number.
fn live_entries(acl: &NetworkAcl) -> (BTreeMap<i32, Attrs>, BTreeMap<i32, Attrs>) {
    let (mut ingress, mut egress) = (BTreeMap::new(), BTreeMap::new());
    for entry in acl.entries() {
        let Some(number) = entry.rule_number().filter(|n| *n != LAST) else {
            continue;
        };
        let side = if entry.egress().unwrap_or(false) {
            &mut egress
        } else {
            &mut ingress
        };
        side.insert(number, canonical(&entry_attrs(number, entry)));
    }
    (ingress, egress)
}

/// An entry AWS describes, in berth's shape.
fn entry_attrs(number: i32, e: &NetworkAclEntry) -> Attrs {
    let int = |i: Option<i32>| i.map_or(Value::Null, |i| Value::Int(i64::from(i)));
    let cidr = e.cidr_block().or(e.ipv6_cidr_block()).unwrap_or_default();
    attrs([
        ("rule_no", Value::Int(i64::from(number))),
        (
            "action",
            Value::from(e.rule_action().map_or("", RuleAction::as_str)),
        ),
        ("protocol", Value::from(e.protocol().unwrap_or("-1"))),
        ("cidr", Value::from(cidr)),
        ("from_port", int(e.port_range().and_then(PortRange::from))),
        ("to_port", int(e.port_range().and_then(PortRange::to))),
        (
            "icmp_type",
            int(e.icmp_type_code().and_then(IcmpTypeCode::r#type)),
        ),
        ("icmp_code", int(e.icmp_type_code().and_then(IcmpTypeCode::code))),
    ])
}

fn canonical(entry: &Attrs) -> Attrs {
    match Kind::NetworkAcl.schema().block("ingress") {
        Some(block) => schema::canonical(entry, block),
        None => entry.clone(),
    }
}

async fn describe(p: &AwsProvider, id: &str) -> Result<Option<NetworkAcl>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call_unless(SERVICE, "DescribeNetworkAcls", GONE, || {
            ec2.describe_network_acls().network_acl_ids(id).send()
        })
        .await?;
    Ok(out.and_then(|o| o.network_acls.unwrap_or_default().into_iter().next()))
}
