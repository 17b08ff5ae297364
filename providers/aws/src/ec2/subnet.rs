//! Subnets: CreateSubnet, ModifySubnetAttribute (MapPublicIpOnLaunch),
//! DescribeSubnets, DeleteSubnet.

use aws_sdk_ec2::types::{AttributeBooleanValue, TagSpecification};
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};

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
    let out = p
        .call_once(SERVICE, "CreateSubnet", || {
            ec2.create_subnet()
                .vpc_id(str_of(a, "vpc").unwrap_or_default())
                .cidr_block(str_of(a, "cidr").unwrap_or_default())
                .availability_zone(str_of(a, "zone").unwrap_or_default())
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let subnet = out.subnet.ok_or_else(|| crate::errors::missing("CreateSubnet"))?;
    let id = need("CreateSubnet", subnet.subnet_id)?;
    if bool_of(a, "public") {
        set_public(p, &id, true).await?;
    }
    let arn = match subnet.subnet_arn {
        Some(arn) => Value::String(arn),
        None => arn(p, p.partition().await, subnet.owner_id.as_deref(), "subnet", &id),
    };
    Ok(attrs([("id", Value::String(id)), ("arn", arn)]))
}

async fn set_public(p: &AwsProvider, id: &str, on: bool) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    let value = AttributeBooleanValue::builder().value(on).build();
    p.call(SERVICE, "ModifySubnetAttribute", || {
        ec2.modify_subnet_attribute()
            .subnet_id(id)
            .map_public_ip_on_launch(value.clone())
            .send()
    })
    .await?;
    Ok(())
}

pub(super) async fn update(p: &AwsProvider, id: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    if old.get("public") != new.get("public") {
        set_public(p, id, bool_of(new, "public")).await?;
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "DeleteSubnet", &["InvalidSubnetID.NotFound"], || {
        ec2.delete_subnet().subnet_id(id).send()
    })
    .await?;
    Ok(())
}

pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let subnets = p
        .list(SERVICE, "DescribeSubnets", || {
            paginate!(
                ec2.describe_subnets().filters(scope_filter(scope, "subnet-id")),
                subnets
            )
        })
        .await?;
    let partition = p.partition().await;
    Ok(subnets
        .iter()
        .filter_map(|s| {
            let address = scope.address(Kind::Subnet, pairs(s.tags()))?;
            let id = s.subnet_id()?.to_owned();
            let arn = match s.subnet_arn() {
                Some(arn) => Value::from(arn),
                None => arn(p, partition, s.owner_id(), "subnet", &id),
            };
            let a = attrs([
                ("vpc", Value::from(s.vpc_id().unwrap_or_default())),
                ("cidr", Value::from(s.cidr_block().unwrap_or_default())),
                ("zone", Value::from(s.availability_zone().unwrap_or_default())),
                (
                    "public",
                    Value::Bool(s.map_public_ip_on_launch().unwrap_or(false)),
                ),
                ("tags", user_tags(pairs(s.tags()))),
                ("id", Value::String(id)),
                ("arn", arn),
            ]);
            Some(resource(address, a))
        })
        .collect())
}
