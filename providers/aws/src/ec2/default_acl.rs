//! A VPC's default network ACL (`default_network_acl`): AWS makes it with
//! the VPC (entries allowing all traffic in and out) and deletes it with
//! the VPC, so berth takes it over instead of creating it, as Terraform's
//! `aws_default_network_acl` does. Taking over finds it
//! (DescribeNetworkAcls, `vpc-id` and `default = true`), tags it with
//! exactly berth's and the configuration's tags, and makes its entries
//! the declared ones (Create / Replace / DeleteNetworkAclEntry by
//! direction and number; the last entry, 32767, is AWS's and not read).
//! Letting go removes berth's tags and leaves its entries. Read with the
//! stack's network ACLs ([`super::network_acl::read`]).

use aws_sdk_ec2::types::NetworkAcl;
use berth_provider::{Address, Attrs, ProviderError, Value};

use super::network_acl::{GONE, need_acl, sync_entries};
use super::{SERVICE, arn, filter, take_over};
use crate::AwsProvider;
use crate::attrs::{attrs, str_of};

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
    sync_entries(p, &need_acl(p, id).await?, new).await
}

/// Lets the ACL `id` go: DeleteTags of berth's tags; its entries stay.
pub(super) async fn let_go(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    take_over::untag(p, id, GONE).await
}

/// DescribeNetworkAcls: the default network ACL of `vpc`.
pub(super) async fn find(p: &AwsProvider, vpc: &str) -> Result<NetworkAcl, ProviderError> {
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
