//! A VPC's default security group (`default_security_group`): AWS makes
//! it with the VPC and deletes it with the VPC, so berth takes it over
//! instead of creating it, as Terraform's `aws_default_security_group`
//! does. Taking over finds it (DescribeSecurityGroups, `vpc-id` and
//! `group-name = default`), tags it with exactly berth's and the
//! configuration's tags, and makes its rules the declared ones (none
//! declared: none, AWS's default rules revoked). Letting go removes
//! berth's tags and leaves its rules as they are, but for those naming
//! other groups (which would keep them from being deleted). It reads with the
//! stack's other groups (one DescribeSecurityGroups on the stack's tag).

use aws_sdk_ec2::types::SecurityGroup;
use berth_provider::{Address, Attrs, ProviderError, Value};

use super::{SERVICE, arn, filter, security_group, take_over};
use crate::AwsProvider;
use crate::attrs::{attrs, str_of};

/// The name AWS gives every VPC's default group.
const NAME: &str = "default";

/// Takes over the default group of `a`'s VPC for `address`: returns its
/// id and ARN.
pub(super) async fn take(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
) -> Result<Attrs, ProviderError> {
    let vpc = str_of(a, "vpc").unwrap_or_default();
    let group = find(p, vpc).await?;
    let id = group.group_id().unwrap_or_default().to_owned();
    take_over::claim(
        p,
        (stack, address, a),
        (&id, vpc, "default security group"),
        group.tags(),
    )
    .await?;
    security_group::sync_rules(p, &group, a, false).await?;
    let arn = match group.security_group_arn() {
        Some(arn) => Value::from(arn),
        None => arn(p, p.partition().await, group.owner_id(), "security-group", &id),
    };
    Ok(attrs([("id", Value::String(id)), ("arn", arn)]))
}

/// Makes the rules of the group `id` the declared ones of `new`.
pub(super) async fn update(p: &AwsProvider, id: &str, new: &Attrs) -> Result<(), ProviderError> {
    let group = security_group::need_group(p, id).await?;
    security_group::sync_rules(p, &group, new, false).await
}

/// Lets the group `id` go: revokes its rules naming other groups (they
/// would keep those groups from being deleted), then DeleteTags of
/// berth's tags. A group gone with its VPC is let go already.
pub(super) async fn let_go(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    if let Some(group) = security_group::describe(p, id).await? {
        for (direction, perms, call) in [
            ("ingress", group.ip_permissions(), "RevokeSecurityGroupIngress"),
            (
                "egress",
                group.ip_permissions_egress(),
                "RevokeSecurityGroupEgress",
            ),
        ] {
            let naming: Vec<Attrs> = security_group::read_rules(perms)
                .into_iter()
                .filter(|r| str_of(r, "from").is_some_and(|g| g != id))
                .collect();
            let perms = security_group::permissions(call, id, &naming)?;
            security_group::revoke(p, id, direction, perms).await?;
        }
    }
    take_over::untag(p, id, &["InvalidGroup.NotFound"]).await
}

/// DescribeSecurityGroups: the default group of `vpc`.
async fn find(p: &AwsProvider, vpc: &str) -> Result<SecurityGroup, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call(SERVICE, "DescribeSecurityGroups", || {
            ec2.describe_security_groups()
                .filters(filter("vpc-id", vpc))
                .filters(filter("group-name", NAME))
                .send()
        })
        .await?;
    out.security_groups
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| {
            ProviderError::permanent(
                "DescribeSecurityGroups",
                "InvalidVpcID.NotFound",
                format!("The vpc ID '{vpc}' does not exist: it has no default security group"),
            )
        })
}
