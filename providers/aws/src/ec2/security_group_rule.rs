//! Security group rules of their own (`security_group_rule`, Terraform's
//! `aws_security_group_rule`): AuthorizeSecurityGroupIngress / Egress of
//! one permission, tagged (TagSpecifications of type
//! `security-group-rule`) with `berth:stack` and the rule's own
//! `berth:address`. That address is what tells a group's reads and updates
//! to leave the rule alone, whichever stack owns the group.
//!
//! DescribeSecurityGroupRules answers each rule with its tags: one listing
//! of the account's rules finds the stack's, on any group, and the rules of
//! their own that the groups' reads leave out (moto's filters take no tag).

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    IpPermission, IpRange, Ipv6Range, PrefixListId, SecurityGroupRule, TagSpecification, UserIdGroupPair,
};
use berth_provider::{ADDRESS_TAG, Address, Attrs, Kind, ProviderError, Resource, Value};

use super::SERVICE;
use super::security_group::{permission, read_rules, revoke};
use crate::attrs::{attrs, owned, resource, str_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// A rule's direction, as its `type` says it.
fn direction(a: &Attrs) -> &'static str {
    match str_of(a, "type") {
        Some("egress") => "egress",
        _ => "ingress",
    }
}

pub(super) async fn create(
    p: &AwsProvider,
    a: &Attrs,
    spec: TagSpecification,
) -> Result<Attrs, ProviderError> {
    let ec2 = &p.clients.ec2;
    let group = str_of(a, "security_group").unwrap_or_default();
    let egress = direction(a) == "egress";
    let call = if egress {
        "AuthorizeSecurityGroupEgress"
    } else {
        "AuthorizeSecurityGroupIngress"
    };
    let perm = permission(call, group, a)?;
    let rules = if egress {
        p.call_once(SERVICE, call, || {
            ec2.authorize_security_group_egress()
                .group_id(group)
                .ip_permissions(perm.clone())
                .tag_specifications(spec.clone())
                .send()
        })
        .await?
        .security_group_rules
    } else {
        p.call_once(SERVICE, call, || {
            ec2.authorize_security_group_ingress()
                .group_id(group)
                .ip_permissions(perm.clone())
                .tag_specifications(spec.clone())
                .send()
        })
        .await?
        .security_group_rules
    };
    let id = rules
        .unwrap_or_default()
        .into_iter()
        .find_map(|r| r.security_group_rule_id)
        .unwrap_or_default();
    Ok(attrs([("id", Value::String(id))]))
}

/// Revokes the rule's permission (one already gone is no error).
pub(super) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let a = &live.attrs;
    let group = str_of(a, "security_group").unwrap_or_default();
    let perm = permission("RevokeSecurityGroupIngress", group, a)?;
    revoke(p, group, direction(a), vec![perm]).await
}

/// Every security group rule of the account, or those of `group`.
pub(super) async fn list(
    p: &AwsProvider,
    group: Option<&str>,
) -> Result<Vec<SecurityGroupRule>, ProviderError> {
    let ec2 = &p.clients.ec2;
    p.list(SERVICE, "DescribeSecurityGroupRules", || {
        let req = ec2.describe_security_group_rules();
        let req = match group {
            Some(id) => req.filters(super::filter("group-id", id)),
            None => req,
        };
        paginate!(req, security_group_rules)
    })
    .await
}

/// Whether `rule` is one of their own (of any stack).
fn standalone(rule: &SecurityGroupRule) -> bool {
    rule.tags()
        .iter()
        .filter(|t| t.key() == Some(ADDRESS_TAG))
        .filter_map(|t| t.value()?.parse::<Address>().ok())
        .any(|a| a.kind == Kind::SecurityGroupRule)
}

/// `rule` as a group's rule block reads (`read_rules` of one permission),
/// with its group and direction.
fn as_block(rule: &SecurityGroupRule) -> Option<(&str, &'static str, Attrs)> {
    let description = rule.description().map(str::to_owned);
    let perm = IpPermission::builder()
        .set_ip_protocol(rule.ip_protocol().map(str::to_owned))
        .set_from_port(rule.from_port())
        .set_to_port(rule.to_port());
    let perm = if let Some(cidr) = rule.cidr_ipv4() {
        perm.ip_ranges(
            IpRange::builder()
                .cidr_ip(cidr)
                .set_description(description)
                .build(),
        )
    } else if let Some(cidr) = rule.cidr_ipv6() {
        perm.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(cidr)
                .set_description(description)
                .build(),
        )
    } else if let Some(list) = rule.prefix_list_id() {
        perm.prefix_list_ids(
            PrefixListId::builder()
                .prefix_list_id(list)
                .set_description(description)
                .build(),
        )
    } else {
        let group = rule.referenced_group_info()?.group_id()?;
        perm.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(group)
                .set_description(description)
                .build(),
        )
    };
    let block = read_rules(&[perm.build()]).into_iter().next()?;
    let direction = if rule.is_egress() == Some(true) {
        "egress"
    } else {
        "ingress"
    };
    Some((rule.group_id()?, direction, block))
}

/// The rule blocks of their own among `rules`, by group and direction:
/// what the groups' reads and updates leave out.
pub(super) fn blocks_by_group(rules: &[SecurityGroupRule]) -> BTreeMap<(String, &'static str), Vec<Attrs>> {
    let mut out: BTreeMap<(String, &'static str), Vec<Attrs>> = BTreeMap::new();
    for (group, direction, block) in rules.iter().filter(|r| standalone(r)).filter_map(as_block) {
        out.entry((group.to_owned(), direction)).or_default().push(block);
    }
    out
}

/// The stack's rules (or the one `scope` names by id) among `rules`.
pub(super) fn read(rules: &[SecurityGroupRule], scope: &Scope<'_>) -> Vec<Resource> {
    rules
        .iter()
        .filter(|r| scope.id().is_none_or(|id| r.security_group_rule_id() == Some(id)))
        .filter_map(|r| {
            let tags: Vec<(&str, &str)> = r
                .tags()
                .iter()
                .filter_map(|t| Some((t.key()?, t.value().unwrap_or_default())))
                .collect();
            let address = match scope {
                Scope::Stack(stack) => owned(stack, Kind::SecurityGroupRule, tags.iter().copied())?,
                Scope::One(_) => scope.address(Kind::SecurityGroupRule, tags.iter().copied())?,
            };
            let (group, direction, mut a) = as_block(r)?;
            a.insert("security_group".to_owned(), Value::from(group));
            a.insert("type".to_owned(), Value::from(direction));
            a.insert("tags".to_owned(), user_tags(tags.iter().copied()));
            a.insert(
                "id".to_owned(),
                Value::from(r.security_group_rule_id().unwrap_or_default()),
            );
            Some(resource(address, a))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::Tag;

    #[test]
    fn a_rule_reads_as_the_block_it_was_made_from_and_stands_alone_by_its_tag() {
        let rule = SecurityGroupRule::builder()
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol("tcp")
            .from_port(5432)
            .to_port(5432)
            .cidr_ipv4("10.0.0.0/16")
            .tags(
                Tag::builder()
                    .key(ADDRESS_TAG)
                    .value("security_group_rule.db")
                    .build(),
            )
            .build();
        assert!(standalone(&rule));
        let (group, direction, block) = as_block(&rule).expect("a block");
        assert_eq!((group, direction), ("sg-1", "ingress"));
        assert_eq!(block.get("port"), Some(&Value::Int(5432)));
        assert_eq!(block.get("cidr"), Some(&Value::from("10.0.0.0/16")));
    }
}
