//! Elastic IPs and NAT gateways. AllocateAddress (domain vpc, tagged) /
//! ReleaseAddress; CreateNatGateway (tagged, with a ClientToken derived
//! from the stack, the address and the request, so a retried create never
//! makes a second gateway), waited for until `available`; DeleteNatGateway
//! waited for until `deleted`, so that the Elastic IP it used can be
//! released next. Both are read by their `berth:stack` tag, or by their id
//! when adopted.

use std::time::Duration;

use aws_sdk_ec2::types::{DomainType, Filter, NatGatewayState, ResourceType};
use berth_provider::{ADDRESS_TAG, Attrs, Kind, ProviderError, Resource, Value};

use super::{SERVICE, finish, identity, need, pairs, scope_filter, stack_filter, tag_spec, update_tags};
use crate::attrs::{attrs, complete, create_tags, resource, str_of, user_tags};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// How long a NAT gateway may take to become available or deleted (AWS
/// takes one to a few minutes).
const WAIT: Duration = Duration::from_secs(15 * 60);

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let a = complete(desired.address.kind, &desired.attrs);
    let tags = create_tags(stack, &desired.address, &a);
    let computed = match desired.address.kind {
        Kind::ElasticIp => allocate(p, tag_spec(ResourceType::ElasticIp, &tags)).await?,
        _ => {
            let subnet = str_of(&a, "subnet").unwrap_or_default();
            let allocation = str_of(&a, "elastic_ip").unwrap_or_default();
            let token = p
                .tokens
                .for_create(stack, &desired.address, &[subnet, allocation]);
            let spec = tag_spec(ResourceType::Natgateway, &tags);
            let ec2 = &p.clients.ec2;
            let call = "CreateNatGateway";
            // AWS answers a retry with the gateway the unanswered attempt
            // made (the client token); moto ignores the token and refuses
            // the Elastic IP as taken, by that same gateway.
            let out = p
                .call_repeatable(SERVICE, call, &["Resource.AlreadyAssociated"], || {
                    ec2.create_nat_gateway()
                        .subnet_id(subnet)
                        .allocation_id(allocation)
                        .client_token(&token)
                        .tag_specifications(spec.clone())
                        .send()
                })
                .await?;
            let id = match out {
                Some(out) => need(call, out.nat_gateway.and_then(|n| n.nat_gateway_id))?,
                None => made_unanswered(p, stack, desired, subnet).await?,
            };
            wait(p, &id, NatGatewayState::Available).await?;
            attrs([("id", Value::String(id))])
        }
    };
    Ok(finish(desired, a, computed))
}

/// The NAT gateway an unanswered CreateNatGateway made for `desired` in
/// `subnet`, found by its tags (they were in the call).
async fn made_unanswered(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
    subnet: &str,
) -> Result<String, ProviderError> {
    let ec2 = &p.clients.ec2;
    let call = "DescribeNatGateways";
    let filter = |name: &str, values: &[&str]| {
        Filter::builder()
            .name(name)
            .set_values(Some(values.iter().map(|v| (*v).to_owned()).collect()))
            .build()
    };
    let address = desired.address.to_string();
    let out = p
        .call(SERVICE, call, || {
            ec2.describe_nat_gateways()
                .filter(stack_filter(stack))
                .filter(filter(&format!("tag:{ADDRESS_TAG}"), &[&address]))
                .filter(filter("subnet-id", &[subnet]))
                .filter(filter("state", &["pending", "available"]))
                .send()
        })
        .await?;
    let found = out.nat_gateways().iter().find_map(|n| n.nat_gateway_id());
    found.map(str::to_owned).ok_or_else(|| {
        ProviderError::permanent(
            "CreateNatGateway",
            "Resource.AlreadyAssociated",
            format!("the Elastic IP is associated, and not with a NAT gateway of {address}"),
        )
    })
}

async fn allocate(
    p: &AwsProvider,
    spec: aws_sdk_ec2::types::TagSpecification,
) -> Result<Attrs, ProviderError> {
    let ec2 = &p.clients.ec2;
    let call = "AllocateAddress";
    // No client token: an unanswered allocation is looked for by its tags
    // before another is made.
    let out = p
        .call_once(SERVICE, call, || {
            ec2.allocate_address()
                .domain(DomainType::Vpc)
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let id = need(call, out.allocation_id)?;
    Ok(attrs([
        ("id", Value::String(id)),
        ("public_ip", Value::from(out.public_ip.unwrap_or_default())),
    ]))
}

/// Polls DescribeNatGateways until the gateway is in `state`; `failed` (or
/// `deleted` while waiting for `available`) is an error with AWS's reason.
async fn wait(p: &AwsProvider, id: &str, state: NatGatewayState) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    let call = "DescribeNatGateways";
    let mut poll = Poll::new(
        call,
        format!("{id} not {}", state.as_str()),
        WAIT,
        Duration::from_secs(2),
    );
    loop {
        let out = p
            .call_unless(
                SERVICE,
                call,
                &["NatGatewayNotFound", "InvalidNatGatewayID.NotFound"],
                || ec2.describe_nat_gateways().nat_gateway_ids(id).send(),
            )
            .await?;
        let nat = out.and_then(|o| o.nat_gateways.unwrap_or_default().into_iter().next());
        let now = nat.as_ref().and_then(|n| n.state().cloned());
        match now {
            // Gone from the listing: deleted.
            None if state == NatGatewayState::Deleted => return Ok(()),
            Some(s) if s == state => return Ok(()),
            Some(NatGatewayState::Failed) | Some(NatGatewayState::Deleted) | None => {
                let why = nat
                    .as_ref()
                    .and_then(|n| n.failure_message())
                    .unwrap_or("the NAT gateway is gone");
                return Err(ProviderError::permanent(
                    "CreateNatGateway",
                    nat.as_ref()
                        .and_then(|n| n.failure_code())
                        .unwrap_or("NatGatewayFailed"),
                    format!("{id}: {why}"),
                ));
            }
            Some(now) => poll.pause(now.as_str()).await?,
        }
    }
}

/// Only tags change in place.
pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let kind = live.address.kind;
    let new = complete(kind, &desired.attrs);
    let id = identity(live)?;
    update_tags(p, &id, &live.attrs, &new).await?;
    let computed = kind
        .schema()
        .attrs
        .iter()
        .filter(|a| a.is_settled_by_cloud())
        .filter_map(|a| live.attrs.get(a.name).map(|v| (a.name.to_owned(), v.clone())))
        .collect();
    Ok(finish(live, new, computed))
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let id = identity(live)?;
    let ec2 = &p.clients.ec2;
    match live.address.kind {
        Kind::ElasticIp => {
            p.call_unless(
                SERVICE,
                "ReleaseAddress",
                &["InvalidAllocationID.NotFound"],
                || ec2.release_address().allocation_id(&id).send(),
            )
            .await?;
        }
        _ => {
            p.call_unless(
                SERVICE,
                "DeleteNatGateway",
                &["NatGatewayNotFound", "InvalidNatGatewayID.NotFound"],
                || ec2.delete_nat_gateway().nat_gateway_id(&id).send(),
            )
            .await?;
            // The Elastic IP stays associated until the gateway is gone.
            wait(p, &id, NatGatewayState::Deleted).await?;
        }
    }
    Ok(())
}

/// The Elastic IPs `scope` looks for (DescribeAddresses, not paginated:
/// filtered on the stack's tag, or on the allocation id adopted).
pub(super) async fn read_addresses(
    p: &AwsProvider,
    scope: &Scope<'_>,
) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let addresses = p
        .call(SERVICE, "DescribeAddresses", || {
            ec2.describe_addresses()
                .filters(scope_filter(scope, "allocation-id"))
                .send()
        })
        .await?;
    Ok(addresses
        .addresses()
        .iter()
        .filter_map(|e| {
            let address = scope.address(Kind::ElasticIp, pairs(e.tags()))?;
            let a = attrs([
                ("tags", user_tags(pairs(e.tags()))),
                ("id", Value::from(e.allocation_id()?)),
                ("public_ip", Value::from(e.public_ip().unwrap_or_default())),
            ]);
            Some(resource(address, a))
        })
        .collect())
}

/// The NAT gateways `scope` looks for, pending or available.
pub(super) async fn read_gateways(
    p: &AwsProvider,
    scope: &Scope<'_>,
) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let gateways = p
        .list(SERVICE, "DescribeNatGateways", || {
            paginate!(
                ec2.describe_nat_gateways()
                    .filter(scope_filter(scope, "nat-gateway-id")),
                nat_gateways
            )
        })
        .await?;
    Ok(gateways
        .iter()
        .filter_map(|n| {
            // Deleted and failed gateways linger in the listing for an hour.
            let live = matches!(
                n.state(),
                Some(NatGatewayState::Available | NatGatewayState::Pending)
            );
            if !live {
                return None;
            }
            let address = scope.address(Kind::NatGateway, pairs(n.tags()))?;
            let allocation = n
                .nat_gateway_addresses()
                .iter()
                .find_map(|a| a.allocation_id())
                .unwrap_or_default();
            let a = attrs([
                ("subnet", Value::from(n.subnet_id().unwrap_or_default())),
                ("elastic_ip", Value::from(allocation)),
                ("tags", user_tags(pairs(n.tags()))),
                ("id", Value::from(n.nat_gateway_id()?)),
            ]);
            Some(resource(address, a))
        })
        .collect())
}
