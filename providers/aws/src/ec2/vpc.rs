//! VPCs: CreateVpc, ModifyVpcAttribute for the DNS flags (one per call, as
//! the API requires), DescribeVpcs + DescribeVpcAttribute, DeleteVpc.

use aws_sdk_ec2::types::{AttributeBooleanValue, TagSpecification, VpcAttributeName};
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use super::{SERVICE, arn, need, pairs, scope_filter};
use crate::attrs::{attrs, bool_of, resource, str_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

pub(super) async fn create(
    p: &AwsProvider,
    a: &Attrs,
    spec: TagSpecification,
) -> Result<Attrs, ProviderError> {
    let ec2 = &p.clients.ec2;
    let cidr = str_of(a, "cidr").unwrap_or_default();
    let out = p
        .call_once(SERVICE, "CreateVpc", || {
            ec2.create_vpc()
                .cidr_block(cidr)
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let vpc = out.vpc.ok_or_else(|| crate::errors::missing("CreateVpc"))?;
    let id = need("CreateVpc", vpc.vpc_id)?;
    if bool_of(a, "dns_hostnames") {
        set_flag(p, &id, "dns_hostnames", true).await?;
    }
    if !bool_of(a, "dns_support") {
        set_flag(p, &id, "dns_support", false).await?;
    }
    let arn = arn(p, p.partition().await, vpc.owner_id.as_deref(), "vpc", &id);
    Ok(attrs([("id", Value::String(id)), ("arn", arn)]))
}

async fn set_flag(p: &AwsProvider, id: &str, flag: &str, on: bool) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    let value = AttributeBooleanValue::builder().value(on).build();
    p.call(SERVICE, "ModifyVpcAttribute", || {
        let req = ec2.modify_vpc_attribute().vpc_id(id);
        if flag == "dns_hostnames" {
            req.enable_dns_hostnames(value.clone()).send()
        } else {
            req.enable_dns_support(value.clone()).send()
        }
    })
    .await?;
    Ok(())
}

pub(super) async fn update(p: &AwsProvider, id: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    // Support must be on before hostnames can be; off after they are off.
    let order: [&str; 2] = if bool_of(new, "dns_support") {
        ["dns_support", "dns_hostnames"]
    } else {
        ["dns_hostnames", "dns_support"]
    };
    for flag in order {
        if old.get(flag) != new.get(flag) {
            set_flag(p, id, flag, bool_of(new, flag)).await?;
        }
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "DeleteVpc", &["InvalidVpcID.NotFound"], || {
        ec2.delete_vpc().vpc_id(id).send()
    })
    .await?;
    Ok(())
}

async fn flag(p: &AwsProvider, id: &str, name: VpcAttributeName) -> Result<bool, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call(SERVICE, "DescribeVpcAttribute", || {
            ec2.describe_vpc_attribute()
                .vpc_id(id)
                .attribute(name.clone())
                .send()
        })
        .await?;
    let value = match name {
        VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames,
        _ => out.enable_dns_support,
    };
    Ok(value.and_then(|v| v.value).unwrap_or(false))
}

pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let vpcs = p
        .list(SERVICE, "DescribeVpcs", || {
            paginate!(ec2.describe_vpcs().filters(scope_filter(scope, "vpc-id")), vpcs)
        })
        .await?;
    let partition = p.partition().await;
    let reads = vpcs.iter().filter_map(|vpc| {
        let address = scope.address(Kind::Vpc, pairs(vpc.tags()))?;
        let id = vpc.vpc_id()?.to_owned();
        Some(async move {
            let (hostnames, support) = tokio::try_join!(
                flag(p, &id, VpcAttributeName::EnableDnsHostnames),
                flag(p, &id, VpcAttributeName::EnableDnsSupport),
            )?;
            let a = attrs([
                ("cidr", Value::from(vpc.cidr_block().unwrap_or_default())),
                ("dns_hostnames", Value::Bool(hostnames)),
                ("dns_support", Value::Bool(support)),
                ("tags", user_tags(pairs(vpc.tags()))),
                ("arn", arn(p, partition, vpc.owner_id(), "vpc", &id)),
                ("id", Value::String(id)),
            ]);
            Ok::<_, ProviderError>(resource(address, a))
        })
    });
    try_join_all(reads).await
}
