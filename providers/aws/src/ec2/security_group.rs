//! Security groups: CreateSecurityGroup (tagged), then one
//! AuthorizeSecurityGroupIngress for all ingress rules; when egress rules
//! are declared, or `default_egress = false`, AWS's default allow-all
//! egress rule is revoked (and the declared ones authorized). Updates
//! revoke and authorize the difference. A group read with no egress rule
//! at all reads `default_egress = false`, so a default rule revoked
//! outside berth is drift.
//!
//! Each rule block is one (protocol, ports, source) triple: AWS groups them
//! into IpPermissions, berth splits them back. A single-port range reads as
//! `port`; no `egress` blocks means "AWS's default allow-all rule", which is
//! therefore read back as `egress = []`.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    Filter, IpPermission, IpRange, Ipv6Range, PrefixListId, SecurityGroup, TagSpecification, UserIdGroupPair,
};
use berth_provider::schema::RULE_SOURCES;
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value, schema};

use super::{SERVICE, arn, need, pairs, scope_filter};
use crate::attrs::{attrs, blocks_of, complete, int_of, opt_str, resource, str_of, user_tags, without_nulls};
use crate::errors::invalid;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// What EC2 answers when a rule being added is there already.
const DUPLICATE: &[&str] = &["InvalidPermission.Duplicate"];

const GONE: &[&str] = &["InvalidGroup.NotFound", "InvalidSecurityGroupID.NotFound"];

/// Whether a group without `egress` blocks keeps AWS's default rule.
fn keeps_default(a: &Attrs) -> bool {
    a.get("default_egress").and_then(Value::as_bool).unwrap_or(true)
}

/// AWS's default egress rule: all traffic to anywhere.
fn default_egress() -> Attrs {
    rule_attrs("-1", None, None, Source::Cidr("0.0.0.0/0"), None)
}

/// Where a rule lets traffic come from (ingress) or go to (egress): the
/// rule block attribute that says it, and AWS's list it goes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source<'a> {
    /// `IpRanges` or `Ipv6Ranges`, by the range's family.
    Cidr(&'a str),
    /// `UserIdGroupPairs`.
    Group(&'a str),
    /// `PrefixListIds`.
    PrefixList(&'a str),
}

impl<'a> Source<'a> {
    /// The source a rule block names, if exactly one.
    fn of(rule: &'a Attrs) -> Option<Source<'a>> {
        match RULE_SOURCES.map(|attr| str_of(rule, attr)) {
            [Some(cidr), None, None] => Some(Source::Cidr(cidr)),
            [None, Some(group), None] => Some(Source::Group(group)),
            [None, None, Some(list)] => Some(Source::PrefixList(list)),
            _ => None,
        }
    }
}

/// A rule in berth's shape, canonical (`schema::canonical` folds AWS's
/// spellings: single-port ranges as `port`, no ports for all traffic).
fn rule_attrs(
    protocol: &str,
    from: Option<i32>,
    to: Option<i32>,
    source: Source<'_>,
    description: Option<&str>,
) -> Attrs {
    let int = |i: Option<i32>| i.map_or(Value::Null, |i| Value::Int(i64::from(i)));
    let (cidr, group, list) = match source {
        Source::Cidr(c) => (Some(c), None, None),
        Source::Group(g) => (None, Some(g), None),
        Source::PrefixList(l) => (None, None, Some(l)),
    };
    canonical_rule(&attrs([
        ("port", Value::Null),
        ("from_port", int(from)),
        ("to_port", int(to)),
        ("protocol", Value::from(protocol)),
        ("cidr", opt_str(cidr)),
        ("from", opt_str(group)),
        ("prefix_list", opt_str(list)),
        ("description", opt_str(description)),
    ]))
}

fn canonical_rule(rule: &Attrs) -> Attrs {
    match Kind::SecurityGroup.schema().block("ingress") {
        Some(block) => schema::canonical(rule, block),
        None => rule.clone(),
    }
}

/// A declared rule as the single IpPermission AWS receives.
pub(super) fn permission(call: &str, own: &str, rule: &Attrs) -> Result<IpPermission, ProviderError> {
    let protocol = str_of(rule, "protocol").unwrap_or("tcp").to_ascii_lowercase();
    let port = |k: &str| int_of(rule, k).and_then(|i| i32::try_from(i).ok());
    let (from, to) = match (port("port"), port("from_port"), port("to_port")) {
        (Some(p), _, _) => (Some(p), Some(p)),
        (None, f, t) if f.is_some() || t.is_some() => (f.or(t), t.or(f)),
        _ if protocol == "icmp" => (Some(-1), Some(-1)),
        _ => (None, None),
    };
    let description = str_of(rule, "description").map(str::to_owned);
    let perm = IpPermission::builder()
        .ip_protocol(&protocol)
        .set_from_port(from)
        .set_to_port(to);
    let perm = match Source::of(rule) {
        Some(Source::Cidr(cidr)) if cidr.contains(':') => perm.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(cidr)
                .set_description(description)
                .build(),
        ),
        Some(Source::Cidr(cidr)) => perm.ip_ranges(
            IpRange::builder()
                .cidr_ip(cidr)
                .set_description(description)
                .build(),
        ),
        Some(Source::Group(group)) => {
            let group = if group.is_empty() { own } else { group };
            perm.user_id_group_pairs(
                UserIdGroupPair::builder()
                    .group_id(group)
                    .set_description(description)
                    .build(),
            )
        }
        Some(Source::PrefixList(list)) => perm.prefix_list_ids(
            PrefixListId::builder()
                .prefix_list_id(list)
                .set_description(description)
                .build(),
        ),
        None => {
            return Err(invalid(
                call,
                "a rule takes exactly one of cidr, from or prefix_list",
            ));
        }
    };
    Ok(perm.build())
}

pub(super) fn permissions(
    call: &str,
    own: &str,
    rules: &[Attrs],
) -> Result<Vec<IpPermission>, ProviderError> {
    rules.iter().map(|r| permission(call, own, r)).collect()
}

/// Declared rule blocks of `direction` of a completed group, canonical.
fn rules(a: &Attrs, direction: &str) -> Vec<Attrs> {
    blocks_of(a, direction).into_iter().map(canonical_rule).collect()
}

/// Rules of AWS permissions, one per source.
pub(super) fn read_rules(perms: &[IpPermission]) -> Vec<Attrs> {
    let mut out = Vec::new();
    for perm in perms {
        let protocol = perm.ip_protocol().unwrap_or("-1");
        let (from, to) = (perm.from_port(), perm.to_port());
        let mut push = |source: Source<'_>, description: Option<&str>| {
            out.push(rule_attrs(protocol, from, to, source, description));
        };
        for range in perm.ip_ranges() {
            if let Some(cidr) = range.cidr_ip() {
                push(Source::Cidr(cidr), range.description());
            }
        }
        for range in perm.ipv6_ranges() {
            if let Some(cidr) = range.cidr_ipv6() {
                push(Source::Cidr(cidr), range.description());
            }
        }
        for pair in perm.user_id_group_pairs() {
            if let Some(group) = pair.group_id() {
                push(Source::Group(group), pair.description());
            }
        }
        for list in perm.prefix_list_ids() {
            if let Some(id) = list.prefix_list_id() {
                push(Source::PrefixList(id), list.description());
            }
        }
    }
    out
}

pub(super) async fn create(
    p: &AwsProvider,
    name: &str,
    a: &Attrs,
    spec: TagSpecification,
) -> Result<Attrs, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call_once(SERVICE, "CreateSecurityGroup", || {
            ec2.create_security_group()
                .group_name(name)
                .description(str_of(a, "description").unwrap_or("Managed by berth"))
                .vpc_id(str_of(a, "vpc").unwrap_or_default())
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let id = need("CreateSecurityGroup", out.group_id)?;
    let ingress = rules(a, "ingress");
    if !ingress.is_empty() {
        authorize(
            p,
            &id,
            "ingress",
            permissions("AuthorizeSecurityGroupIngress", &id, &ingress)?,
        )
        .await?;
    }
    let egress = rules(a, "egress");
    if !egress.is_empty() || !keeps_default(a) {
        revoke(
            p,
            &id,
            "egress",
            permissions("RevokeSecurityGroupEgress", &id, &[default_egress()])?,
        )
        .await?;
        authorize(
            p,
            &id,
            "egress",
            permissions("AuthorizeSecurityGroupEgress", &id, &egress)?,
        )
        .await?;
    }
    let arn = match out.security_group_arn {
        Some(arn) => Value::String(arn),
        None => arn(
            p,
            p.partition().await,
            owner(p, &id).await?.as_deref(),
            "security-group",
            &id,
        ),
    };
    Ok(attrs([
        ("id", Value::String(id)),
        ("arn", arn),
        ("name", Value::from(name)),
    ]))
}

/// The owner (account) of a group, for its ARN when AWS does not say it.
async fn owner(p: &AwsProvider, id: &str) -> Result<Option<String>, ProviderError> {
    Ok(describe(p, id).await?.and_then(|g| g.owner_id))
}

/// The group `id`, described now; an error when it is gone.
pub(super) async fn need_group(p: &AwsProvider, id: &str) -> Result<SecurityGroup, ProviderError> {
    describe(p, id).await?.ok_or_else(|| {
        ProviderError::permanent(
            "DescribeSecurityGroups",
            "InvalidGroup.NotFound",
            format!("The security group '{id}' does not exist"),
        )
    })
}

pub(super) async fn describe(p: &AwsProvider, id: &str) -> Result<Option<SecurityGroup>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call_unless(SERVICE, "DescribeSecurityGroups", GONE, || {
            ec2.describe_security_groups().group_ids(id).send()
        })
        .await?;
    Ok(out.and_then(|o| o.security_groups.unwrap_or_default().into_iter().next()))
}

async fn authorize(
    p: &AwsProvider,
    id: &str,
    direction: &str,
    perms: Vec<IpPermission>,
) -> Result<(), ProviderError> {
    if perms.is_empty() {
        return Ok(());
    }
    let ec2 = &p.clients.ec2;
    if direction == "ingress" {
        p.call_repeatable(SERVICE, "AuthorizeSecurityGroupIngress", DUPLICATE, || {
            ec2.authorize_security_group_ingress()
                .group_id(id)
                .set_ip_permissions(Some(perms.clone()))
                .send()
        })
        .await?;
    } else {
        p.call_repeatable(SERVICE, "AuthorizeSecurityGroupEgress", DUPLICATE, || {
            ec2.authorize_security_group_egress()
                .group_id(id)
                .set_ip_permissions(Some(perms.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

pub(super) async fn revoke(
    p: &AwsProvider,
    id: &str,
    direction: &str,
    perms: Vec<IpPermission>,
) -> Result<(), ProviderError> {
    if perms.is_empty() {
        return Ok(());
    }
    let ec2 = &p.clients.ec2;
    let gone = &["InvalidPermission.NotFound"];
    if direction == "ingress" {
        p.call_unless(SERVICE, "RevokeSecurityGroupIngress", gone, || {
            ec2.revoke_security_group_ingress()
                .group_id(id)
                .set_ip_permissions(Some(perms.clone()))
                .send()
        })
        .await?;
    } else {
        p.call_unless(SERVICE, "RevokeSecurityGroupEgress", gone, || {
            ec2.revoke_security_group_egress()
                .group_id(id)
                .set_ip_permissions(Some(perms.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// Revokes rules AWS holds that are not declared, then authorizes declared
/// ones it lacks; diffed against what AWS holds now.
pub(super) async fn update(
    p: &AwsProvider,
    id: &str,
    _old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let group = need_group(p, id).await?;
    let new = complete(Kind::SecurityGroup, new);
    sync_rules(p, &group, &new, keeps_default(&new)).await
}

/// Makes `group`'s rules `new`'s `ingress` and `egress` blocks (with AWS's
/// default egress rule when there are none and `keep_default`): revokes
/// what it holds that is not declared, then authorizes what it lacks.
pub(super) async fn sync_rules(
    p: &AwsProvider,
    group: &SecurityGroup,
    new: &Attrs,
    keep_default: bool,
) -> Result<(), ProviderError> {
    let id = group.group_id().unwrap_or_default();
    // Rules of their own on the group are not its to revoke.
    let standalone =
        super::security_group_rule::blocks_by_group(&super::security_group_rule::list(p, Some(id)).await?);
    for direction in ["ingress", "egress"] {
        let mut live = if direction == "ingress" {
            read_rules(group.ip_permissions())
        } else {
            read_rules(group.ip_permissions_egress())
        };
        for own in standalone.get(&(id.to_owned(), direction)).into_iter().flatten() {
            if let Some(i) = live.iter().position(|r| same_permission(r, own)) {
                live.remove(i);
            }
        }
        let mut want = rules(new, direction);
        if direction == "egress" && want.is_empty() && keep_default {
            want.push(default_egress());
        }
        // A declared rule holds no null settings (canonical nested
        // blocks), one read from EC2 holds every setting.
        let set = |rules: Vec<Attrs>| -> Vec<Attrs> { rules.iter().map(without_nulls).collect() };
        let (live, want) = (set(live), set(want));
        let call = if direction == "ingress" {
            "RevokeSecurityGroupIngress"
        } else {
            "RevokeSecurityGroupEgress"
        };
        let removed: Vec<Attrs> = live.iter().filter(|r| !want.contains(r)).cloned().collect();
        let added: Vec<Attrs> = want.iter().filter(|r| !live.contains(r)).cloned().collect();
        revoke(p, id, direction, permissions(call, id, &removed)?).await?;
        authorize(p, id, direction, permissions(call, id, &added)?).await?;
    }
    Ok(())
}

/// Whether `rule` (a rule of its own, as read) has a group source and no
/// description: moto's DescribeSecurityGroupRules leaves it out for group
/// sources, where AWS's answers it.
fn undescribed(rule: &Resource) -> bool {
    let has = |k: &str| !matches!(rule.attrs.get(k), None | Some(Value::Null));
    !has("description") && has("from")
}

/// Gives each rule of its own (`rules`, as read) whose source is a group
/// the description its group's permission holds (`groups`, as read: the
/// group's read holds it on both clouds).
pub(super) fn fill_descriptions(rules: &mut [Resource], groups: &[&Attrs]) {
    const RULE_ONLY: [&str; 4] = ["security_group", "type", "tags", "id"];
    for rule in rules {
        if !undescribed(rule) {
            continue;
        }
        let (Some(group_id), Some(direction)) =
            (str_of(&rule.attrs, "security_group"), str_of(&rule.attrs, "type"))
        else {
            continue;
        };
        let block: Attrs = rule
            .attrs
            .iter()
            .filter(|(k, _)| !RULE_ONLY.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let described = groups
            .iter()
            .filter(|g| str_of(g, "id") == Some(group_id))
            .filter_map(|g| match g.get(direction) {
                Some(Value::List(rules)) => Some(rules),
                _ => None,
            })
            .flatten()
            .filter_map(Value::as_map)
            .find(|r| same_permission(r, &block))
            .and_then(|r| r.get("description").cloned());
        if let Some(description) = described {
            rule.attrs.insert("description".to_owned(), description);
        }
    }
}

/// The groups, not among the stack's (`groups`), that rules of its own
/// without a description are on (a rule on another stack's group): their
/// permissions hold what [`fill_descriptions`] reads.
pub(super) fn foreign_groups(rules: &[Resource], groups: &[Resource]) -> Vec<String> {
    let own: Vec<&str> = groups.iter().filter_map(|g| str_of(&g.attrs, "id")).collect();
    let mut ids: Vec<String> = rules
        .iter()
        .filter(|r| undescribed(r))
        .filter_map(|r| str_of(&r.attrs, "security_group"))
        .filter(|id| !own.contains(id))
        .map(str::to_owned)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The groups `ids` as [`fill_descriptions`] reads them: each one's id and
/// its permissions by direction.
pub(super) async fn permissions_of(p: &AwsProvider, ids: Vec<String>) -> Result<Vec<Attrs>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let filter = Filter::builder().name("group-id").set_values(Some(ids)).build();
    let groups = p
        .list(SERVICE, "DescribeSecurityGroups", || {
            paginate!(
                ec2.describe_security_groups().filters(filter.clone()),
                security_groups
            )
        })
        .await?;
    let blocks = |rules: Vec<Attrs>| Value::List(rules.into_iter().map(Value::Map).collect());
    Ok(groups
        .iter()
        .map(|g| {
            attrs([
                ("id", Value::from(g.group_id().unwrap_or_default())),
                ("ingress", blocks(read_rules(g.ip_permissions()))),
                ("egress", blocks(read_rules(g.ip_permissions_egress()))),
            ])
        })
        .collect())
}

/// Leaves out of each group's rules the rules of their own on it
/// (`standalone`, by group id and direction, as the group reads them).
pub(super) fn leave_out(groups: &mut [Resource], standalone: &BTreeMap<(String, &'static str), Vec<Attrs>>) {
    for group in groups {
        let Some(id) = str_of(&group.attrs, "id").map(str::to_owned) else {
            continue;
        };
        for direction in ["ingress", "egress"] {
            let Some(own) = standalone.get(&(id.clone(), direction)) else {
                continue;
            };
            if let Some(Value::List(rules)) = group.attrs.get_mut(direction) {
                for rule in own {
                    if let Some(i) = rules
                        .iter()
                        .position(|r| r.as_map().is_some_and(|r| same_permission(r, rule)))
                    {
                        rules.remove(i);
                    }
                }
            }
            // What is left is the group's own: with no egress rule of its
            // own, AWS's default was revoked.
            if direction == "egress" && group.address.kind == Kind::SecurityGroup {
                let own_egress = matches!(group.attrs.get("egress"), Some(Value::List(r)) if !r.is_empty());
                group
                    .attrs
                    .insert("default_egress".to_owned(), Value::Bool(own_egress));
            }
        }
    }
}

/// Whether two rules are one permission: all but the description, which
/// EC2 keeps once per permission (and moto's DescribeSecurityGroupRules
/// leaves out for group sources); a setting null is one left out, as in a
/// group's canonical rules.
fn same_permission(a: &Attrs, b: &Attrs) -> bool {
    let without = |r: &Attrs| -> Attrs {
        let mut r = without_nulls(r);
        r.remove("description");
        r
    };
    without(a) == without(b)
}

pub(super) async fn delete(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "DeleteSecurityGroup", GONE, || {
        ec2.delete_security_group().group_id(id).send()
    })
    .await?;
    Ok(())
}

pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let groups = p
        .list(SERVICE, "DescribeSecurityGroups", || {
            paginate!(
                ec2.describe_security_groups()
                    .filters(scope_filter(scope, "group-id")),
                security_groups
            )
        })
        .await?;
    let partition = p.partition().await;
    Ok(groups
        .iter()
        .filter_map(|g| {
            let address = scope
                .address(Kind::SecurityGroup, pairs(g.tags()))
                .or_else(|| scope.address(Kind::DefaultSecurityGroup, pairs(g.tags())))?;
            let id = g.group_id()?.to_owned();
            let arn = match g.security_group_arn() {
                Some(arn) => Value::from(arn),
                None => arn(p, partition, g.owner_id(), "security-group", &id),
            };
            let blocks = |rules: Vec<Attrs>| Value::List(rules.into_iter().map(Value::Map).collect());
            let egress = read_rules(g.ip_permissions_egress());
            if address.kind == Kind::DefaultSecurityGroup {
                let a = attrs([
                    ("vpc", Value::from(g.vpc_id().unwrap_or_default())),
                    ("ingress", blocks(read_rules(g.ip_permissions()))),
                    ("egress", blocks(egress)),
                    ("tags", user_tags(pairs(g.tags()))),
                    ("id", Value::String(id)),
                    ("arn", arn),
                ]);
                return Some(resource(address, a));
            }
            let a = attrs([
                ("vpc", Value::from(g.vpc_id().unwrap_or_default())),
                ("description", Value::from(g.description().unwrap_or_default())),
                // No rule at all: AWS's default was revoked.
                ("default_egress", Value::Bool(!egress.is_empty())),
                ("ingress", blocks(read_rules(g.ip_permissions()))),
                ("egress", blocks(egress)),
                ("tags", user_tags(pairs(g.tags()))),
                ("id", Value::String(id)),
                ("arn", arn),
                ("name", Value::from(g.group_name().unwrap_or_default())),
            ]);
            Some(resource(address, a))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A group `sg-1` of the stack whose `egress` holds `egress`.
    fn group(egress: Vec<Attrs>) -> Resource {
        Resource {
            address: berth_provider::Address::new(Kind::SecurityGroup, "app"),
            attrs: attrs([
                ("id", Value::from("sg-1")),
                ("default_egress", Value::Bool(!egress.is_empty())),
                ("ingress", Value::List(Vec::new())),
                (
                    "egress",
                    Value::List(egress.into_iter().map(Value::Map).collect()),
                ),
            ]),
            created: None,
        }
    }

    #[test]
    fn a_group_whose_egress_is_all_rules_of_their_own_revoked_the_default() {
        let own = rule_attrs("tcp", Some(80), Some(80), Source::Group("sg-2"), None);
        let mut groups = [group(vec![own.clone()])];
        let standalone = BTreeMap::from([(("sg-1".to_owned(), "egress"), vec![own])]);
        leave_out(&mut groups, &standalone);
        assert_eq!(groups[0].attrs["egress"], Value::List(Vec::new()));
        assert_eq!(groups[0].attrs["default_egress"], Value::Bool(false));
        let mut kept = [group(vec![
            default_egress(),
            rule_attrs("tcp", Some(80), Some(80), Source::Group("sg-2"), None),
        ])];
        let standalone = BTreeMap::from([(
            ("sg-1".to_owned(), "egress"),
            vec![rule_attrs("tcp", Some(80), Some(80), Source::Group("sg-2"), None)],
        )]);
        leave_out(&mut kept, &standalone);
        assert_eq!(kept[0].attrs["default_egress"], Value::Bool(true));
    }

    #[test]
    fn a_rule_of_its_own_takes_its_description_from_the_groups_permission() {
        let described = rule_attrs("tcp", Some(80), Some(80), Source::Group("sg-2"), Some("from lb"));
        let groups = [group(vec![described])];
        let mut bare = rule_attrs("tcp", Some(80), Some(80), Source::Group("sg-2"), None);
        bare.insert("security_group".into(), Value::from("sg-1"));
        bare.insert("type".into(), Value::from("egress"));
        bare.insert("id".into(), Value::from("sgr-1"));
        let mut rules = [Resource {
            address: berth_provider::Address::new(Kind::SecurityGroupRule, "from_lb"),
            attrs: bare,
            created: None,
        }];
        fill_descriptions(&mut rules, &[&groups[0].attrs]);
        assert_eq!(rules[0].attrs["description"], Value::from("from lb"));
    }

    #[test]
    fn rules_round_trip_through_permissions() {
        let rule = rule_attrs("tcp", Some(80), Some(80), Source::Cidr("0.0.0.0/0"), None);
        assert_eq!(rule["port"], Value::Int(80));
        let perm = permission("x", "sg-1", &rule).unwrap();
        assert_eq!(read_rules(&[perm]), vec![rule]);
        let range = rule_attrs("tcp", Some(1000), Some(2000), Source::Group("sg-2"), Some("d"));
        let perm = permission("x", "sg-1", &range).unwrap();
        assert_eq!(read_rules(&[perm]), vec![range]);
        let all = default_egress();
        assert_eq!(read_rules(&[permission("x", "sg-1", &all).unwrap()]), vec![all]);
        let v6 = rule_attrs("tcp", Some(443), Some(443), Source::Cidr("::/0"), Some("d"));
        let perm = permission("x", "sg-1", &v6).unwrap();
        assert!(perm.ip_ranges().is_empty() && perm.ipv6_ranges().len() == 1);
        assert_eq!(read_rules(&[perm]), vec![v6]);
    }
}
