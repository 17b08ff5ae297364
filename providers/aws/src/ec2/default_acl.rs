//! A VPC's default network ACL (`default_network_acl`): AWS makes it with
//! the VPC (entries allowing all traffic in and out) and deletes it with
//! the VPC, so berth takes it over instead of creating it, as Terraform's
//! `aws_default_network_acl` does. Taking over finds it
//! (DescribeNetworkAcls, `vpc-id` and `default = true`), tags it with
//! exactly berth's and the configuration's tags, and makes its entries
//! the declared ones (Create / Replace / DeleteNetworkAclEntry by
//! direction and number; the last entry, 32767, is AWS's and not read).
//! Letting go removes berth's tags and leaves its entries. Read with one
//! DescribeNetworkAcls on the stack's tag.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{IcmpTypeCode, NetworkAcl, NetworkAclEntry, PortRange, RuleAction};
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value, schema};

use super::{SERVICE, arn, filter, pairs, scope_filter, take_over};
use crate::attrs::{attrs, blocks_of, int_of, resource, str_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// The entry every ACL ends with, denying what no other matched: AWS's,
/// neither changed nor read.
const LAST: i32 = 32_767;

const GONE: &[&str] = &["InvalidNetworkAclID.NotFound"];

/// Takes over the default network ACL of `a`'s VPC for `address`: returns
/// its id and ARN.
pub(super) async fn take(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
) -> Result<Attrs, ProviderError> {
    let vpc = str_of(a, "vpc").unwrap_or_default();
    let acl = find(p, vpc).await?;
    let id = acl.network_acl_id().unwrap_or_default().to_owned();
    take_over::claim(
        p,
        (stack, address, a),
        (&id, vpc, "default network ACL"),
        acl.tags(),
    )
    .await?;
    sync_entries(p, &acl, a).await?;
    let arn = arn(p, p.partition().await, acl.owner_id(), "network-acl", &id);
    Ok(attrs([("id", Value::String(id)), ("arn", arn)]))
}

/// Makes the entries of the ACL `id` the declared ones of `new`.
pub(super) async fn update(p: &AwsProvider, id: &str, new: &Attrs) -> Result<(), ProviderError> {
    let Some(acl) = describe(p, id).await? else {
        return Err(ProviderError::permanent(
            "DescribeNetworkAcls",
            GONE[0],
            format!("The networkAcl ID '{id}' does not exist"),
        ));
    };
    sync_entries(p, &acl, new).await
}

/// Lets the ACL `id` go: DeleteTags of berth's tags; its entries stay.
pub(super) async fn let_go(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    take_over::untag(p, id, GONE).await
}

/// The stack's default network ACLs (or the one `scope` names).
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
        .filter(|acl| acl.is_default().unwrap_or(false))
        .filter_map(|acl| {
            let address = scope.address(Kind::DefaultNetworkAcl, pairs(acl.tags()))?;
            let id = acl.network_acl_id()?.to_owned();
            let (ingress, egress) = live_entries(acl);
            let blocks =
                |entries: BTreeMap<i32, Attrs>| Value::List(entries.into_values().map(Value::Map).collect());
            let a = attrs([
                ("vpc", Value::from(acl.vpc_id().unwrap_or_default())),
                ("ingress", blocks(ingress)),
                ("egress", blocks(egress)),
                ("tags", user_tags(pairs(acl.tags()))),
                ("arn", arn(p, partition, acl.owner_id(), "network-acl", &id)),
                ("id", Value::String(id)),
            ]);
            Some(resource(address, a))
        })
        .collect())
}

/// Creates, replaces and deletes entries of `acl` so that they are `new`'s
/// blocks, by direction and number.
async fn sync_entries(p: &AwsProvider, acl: &NetworkAcl, new: &Attrs) -> Result<(), ProviderError> {
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
    match Kind::DefaultNetworkAcl.schema().block("ingress") {
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

/// DescribeNetworkAcls: the default network ACL of `vpc`.
async fn find(p: &AwsProvider, vpc: &str) -> Result<NetworkAcl, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call(SERVICE, "DescribeNetworkAcls", || {
            ec2.describe_network_acls()
                .filters(filter("vpc-id", vpc))
                .filters(filter("default", "true"))
                .send()
        })
        .await?;
    out.network_acls
        .unwrap_or_default()
        .into_iter()
        .find(|acl| acl.is_default().unwrap_or(false))
        .ok_or_else(|| {
            ProviderError::permanent(
                "DescribeNetworkAcls",
                "InvalidVpcID.NotFound",
                format!("The vpc ID '{vpc}' does not exist: it has no default network ACL"),
            )
        })
}
