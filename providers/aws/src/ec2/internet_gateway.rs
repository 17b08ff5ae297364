//! Internet gateways: CreateInternetGateway (tagged) then
//! AttachInternetGateway; an update attaches a gateway found detached (a
//! gateway moving to another VPC is replaced); delete detaches first.

use aws_sdk_ec2::types::TagSpecification;
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};

use super::{SERVICE, arn, need, pairs, scope_filter};
use crate::attrs::{attrs, resource, str_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const GONE: &[&str] = &["InvalidInternetGatewayID.NotFound", "Gateway.NotAttached"];

pub(super) async fn create(
    p: &AwsProvider,
    a: &Attrs,
    spec: TagSpecification,
) -> Result<Attrs, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call_once(SERVICE, "CreateInternetGateway", || {
            ec2.create_internet_gateway()
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let igw = out
        .internet_gateway
        .ok_or_else(|| crate::errors::missing("CreateInternetGateway"))?;
    let id = need("CreateInternetGateway", igw.internet_gateway_id)?;
    if let Some(vpc) = str_of(a, "vpc") {
        attach(p, &id, vpc).await?;
    }
    let arn = arn(
        p,
        p.partition().await,
        igw.owner_id.as_deref(),
        "internet-gateway",
        &id,
    );
    Ok(attrs([("id", Value::String(id)), ("arn", arn)]))
}

async fn attach(p: &AwsProvider, id: &str, vpc: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_repeatable(
        SERVICE,
        "AttachInternetGateway",
        &["Resource.AlreadyAssociated"],
        || {
            ec2.attach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(vpc)
                .send()
        },
    )
    .await?;
    Ok(())
}

async fn detach(p: &AwsProvider, id: &str, vpc: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "DetachInternetGateway", GONE, || {
        ec2.detach_internet_gateway()
            .internet_gateway_id(id)
            .vpc_id(vpc)
            .send()
    })
    .await?;
    Ok(())
}

/// The VPC the gateway is attached to now, asked of AWS.
async fn attached_vpc(p: &AwsProvider, id: &str) -> Result<Option<String>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call_unless(SERVICE, "DescribeInternetGateways", GONE, || {
            ec2.describe_internet_gateways().internet_gateway_ids(id).send()
        })
        .await?;
    Ok(out
        .and_then(|o| o.internet_gateways.unwrap_or_default().into_iter().next())
        .and_then(|g| g.attachments.unwrap_or_default().into_iter().next())
        .and_then(|a| a.vpc_id))
}

pub(super) async fn update(p: &AwsProvider, id: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let want = str_of(new, "vpc");
    let now = attached_vpc(p, id).await?;
    if old.get("vpc") == new.get("vpc") && now.as_deref() == want {
        return Ok(());
    }
    if let Some(vpc) = &now {
        detach(p, id, vpc).await?;
    }
    if let Some(vpc) = want {
        attach(p, id, vpc).await?;
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    if let Some(vpc) = attached_vpc(p, id).await? {
        detach(p, id, &vpc).await?;
    }
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "DeleteInternetGateway", GONE, || {
        ec2.delete_internet_gateway().internet_gateway_id(id).send()
    })
    .await?;
    Ok(())
}

pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let gateways = p
        .list(SERVICE, "DescribeInternetGateways", || {
            paginate!(
                ec2.describe_internet_gateways()
                    .filters(scope_filter(scope, "internet-gateway-id")),
                internet_gateways
            )
        })
        .await?;
    let partition = p.partition().await;
    Ok(gateways
        .iter()
        .filter_map(|g| {
            let address = scope.address(Kind::InternetGateway, pairs(g.tags()))?;
            let id = g.internet_gateway_id()?.to_owned();
            let vpc = g.attachments().iter().find_map(|a| a.vpc_id());
            let a = attrs([
                ("vpc", vpc.map_or(Value::Null, Value::from)),
                ("tags", user_tags(pairs(g.tags()))),
                ("arn", arn(p, partition, g.owner_id(), "internet-gateway", &id)),
                ("id", Value::String(id)),
            ]);
            Some(resource(address, a))
        })
        .collect())
}
