//! EC2: VPCs, subnets, internet gateways, route tables, security groups
//! (and VPCs' default groups, main route tables and default network ACLs,
//! taken over), network ACLs, Elastic IPs, NAT gateways, VPC endpoints and
//! VPC flow logs.

mod default_acl;
mod default_group;
pub(crate) mod endpoint;
pub(crate) mod flow_log;
mod internet_gateway;
mod main_table;
pub(crate) mod nat;
mod network_acl;
mod route_table;
mod security_group;
mod security_group_rule;
mod subnet;
mod take_over;
mod vpc;

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use berth_provider::adopt::adoption_tags;
use berth_provider::naming;
use berth_provider::{Attrs, Kind, ProviderError, Resource, STACK_TAG, Value};

use crate::AwsProvider;
use crate::attrs::{attrs, complete, create_tags, resource, str_of, tag_diff};
use crate::scope::Scope;

pub(crate) const SERVICE: &str = "ec2";

/// Reads every EC2 resource of `stack`, one listing per type, in parallel.
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let scope = Scope::Stack(stack);
    let (vpcs, subnets, gateways, tables, groups, rules, addresses, nats, endpoints, flow_logs, acls) = tokio::join!(
        vpc::read(p, &scope),
        subnet::read(p, &scope),
        internet_gateway::read(p, &scope),
        route_table::read(p, &scope),
        security_group::read(p, &scope),
        security_group_rule::list(p, None),
        nat::read_addresses(p, &scope),
        nat::read_gateways(p, &scope),
        endpoint::read(p, &scope),
        flow_log::read(p, &scope),
        network_acl::read(p, &scope),
    );
    let rules = rules?;
    let mut groups = groups?;
    let mut out = security_group_rule::read(&rules, &scope);
    let own: Vec<&Attrs> = groups.iter().map(|g| &g.attrs).collect();
    security_group::fill_descriptions(&mut out, &own);
    // Another stack's group, which the stack's rules may be on.
    let foreign = security_group::foreign_groups(&out, &groups);
    if !foreign.is_empty() {
        let theirs = security_group::permissions_of(p, foreign).await?;
        security_group::fill_descriptions(&mut out, &theirs.iter().collect::<Vec<_>>());
    }
    security_group::leave_out(&mut groups, &security_group_rule::blocks_by_group(&rules));
    out.extend(groups);
    for part in [
        vpcs, subnets, gateways, tables, addresses, nats, endpoints, flow_logs, acls,
    ] {
        out.extend(part?);
    }
    Ok(out)
}

/// The EC2 resource `scope` looks for by its id (`vpc-...`, `subnet-...`,
/// `igw-...`, `rtb-...`, `sg-...`, `eipalloc-...`, `nat-...`,
/// `vpce-...`, `fl-...`), read as the stack's resources are.
pub(crate) async fn read_one(
    p: &AwsProvider,
    kind: Kind,
    scope: &Scope<'_>,
) -> Result<Vec<Resource>, ProviderError> {
    match kind {
        Kind::Vpc => vpc::read(p, scope).await,
        Kind::Subnet => subnet::read(p, scope).await,
        Kind::InternetGateway => internet_gateway::read(p, scope).await,
        Kind::RouteTable | Kind::DefaultRouteTable => route_table::read(p, scope).await,
        Kind::ElasticIp => nat::read_addresses(p, scope).await,
        Kind::NatGateway => nat::read_gateways(p, scope).await,
        Kind::VpcEndpoint => endpoint::read(p, scope).await,
        Kind::FlowLog => flow_log::read(p, scope).await,
        Kind::DefaultNetworkAcl | Kind::NetworkAcl => network_acl::read(p, scope).await,
        Kind::SecurityGroupRule => Ok(security_group_rule::read(
            &security_group_rule::list(p, None).await?,
            scope,
        )),
        _ => security_group::read(p, scope).await,
    }
}

/// CreateTags: berth's tags on a resource it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let id = identity(live)?;
    put_tags(p, &id, &adoption_tags(stack, &live.address)).await
}

/// DescribeAvailabilityZones: the region's zones (not Local or Wavelength
/// zones) that are available, by name, sorted.
pub(crate) async fn zones(p: &AwsProvider) -> Result<Vec<String>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call(SERVICE, "DescribeAvailabilityZones", || {
            ec2.describe_availability_zones().send()
        })
        .await?;
    let mut zones: Vec<String> = out
        .availability_zones()
        .iter()
        .filter(|z| z.zone_type().is_none_or(|t| t == "availability-zone"))
        .filter(|z| z.state().is_none_or(|s| s.as_str() == "available"))
        .filter_map(|z| z.zone_name().map(str::to_owned))
        .collect();
    zones.sort();
    Ok(zones)
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let attrs = complete(desired.address.kind, &desired.attrs);
    let spec = |kind: ResourceType| tag_spec(kind, &create_tags(stack, &desired.address, &attrs));
    let computed = match desired.address.kind {
        Kind::Vpc => vpc::create(p, &attrs, spec(ResourceType::Vpc)).await?,
        Kind::Subnet => subnet::create(p, &attrs, spec(ResourceType::Subnet)).await?,
        Kind::InternetGateway => {
            internet_gateway::create(p, &attrs, spec(ResourceType::InternetGateway)).await?
        }
        Kind::RouteTable => route_table::create(p, stack, &attrs, spec(ResourceType::RouteTable)).await?,
        Kind::SecurityGroupRule => {
            security_group_rule::create(p, &attrs, spec(ResourceType::SecurityGroupRule)).await?
        }
        Kind::DefaultSecurityGroup => default_group::take(p, stack, &desired.address, &attrs).await?,
        Kind::DefaultRouteTable => main_table::take(p, stack, &desired.address, &attrs).await?,
        Kind::DefaultNetworkAcl => default_acl::take(p, stack, &desired.address, &attrs).await?,
        Kind::NetworkAcl => {
            network_acl::create(
                p,
                (stack, &desired.address),
                &attrs,
                spec(ResourceType::NetworkAcl),
            )
            .await?
        }
        _ => {
            let name = naming::given(&attrs, "name").map_or_else(
                || naming::security_group(stack, &desired.address, fastrand::u32(..)),
                str::to_owned,
            );
            security_group::create(p, &name, &attrs, spec(ResourceType::SecurityGroup)).await?
        }
    };
    Ok(finish(desired, attrs, computed))
}

pub(crate) async fn update(
    p: &AwsProvider,
    stack: &str,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let kind = live.address.kind;
    let new = complete(kind, &desired.attrs);
    let old = &live.attrs;
    let id = identity(live)?;
    match kind {
        Kind::Vpc => vpc::update(p, &id, old, &new).await?,
        Kind::Subnet => subnet::update(p, &id, old, &new).await?,
        Kind::InternetGateway => internet_gateway::update(p, &id, old, &new).await?,
        Kind::RouteTable => route_table::update(p, stack, &id, &new).await?,
        // Any other change replaces it.
        Kind::SecurityGroupRule => {}
        Kind::DefaultSecurityGroup => default_group::update(p, &id, &new).await?,
        Kind::DefaultRouteTable => main_table::update(p, &id, &new).await?,
        Kind::DefaultNetworkAcl => default_acl::update(p, &id, &new).await?,
        Kind::NetworkAcl => network_acl::update(p, stack, &id, &new).await?,
        _ => security_group::update(p, &id, old, &new).await?,
    }
    update_tags(p, &id, old, &new).await?;
    let computed = kind
        .schema()
        .attrs
        .iter()
        .filter(|a| a.is_settled_by_cloud())
        .filter_map(|a| old.get(a.name).map(|v| (a.name.to_owned(), v.clone())))
        .collect();
    Ok(finish(live, new, computed))
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let id = identity(live)?;
    match live.address.kind {
        Kind::Vpc => vpc::delete(p, &id).await,
        Kind::Subnet => subnet::delete(p, &id).await,
        Kind::InternetGateway => internet_gateway::delete(p, &id).await,
        Kind::RouteTable => route_table::delete(p, &id).await,
        Kind::SecurityGroupRule => security_group_rule::delete(p, live).await,
        Kind::DefaultSecurityGroup => default_group::let_go(p, &id).await,
        Kind::DefaultRouteTable => main_table::let_go(p, &id).await,
        Kind::DefaultNetworkAcl => default_acl::let_go(p, &id).await,
        Kind::NetworkAcl => network_acl::delete(p, &id).await,
        _ => security_group::delete(p, &id).await,
    }
}

/// The resource as `create`/`update` return it: the completed desired
/// attributes plus the computed ones, in canonical order.
fn finish(base: &Resource, mut attrs: Attrs, computed: Attrs) -> Resource {
    attrs.extend(computed);
    resource(base.address.clone(), attrs)
}

/// The id of what a create made, with the values of `chosen` that `a`
/// (the configuration) leaves out taken from `live`, the resource read
/// back: what AWS settled for them.
fn settled(id: String, a: &Attrs, live: Option<Attrs>, chosen: &[&str]) -> Attrs {
    let mut computed = attrs([("id", Value::String(id))]);
    if let Some(live) = live {
        for key in chosen {
            if a.get(*key).is_none_or(|v| *v == Value::Null) {
                computed.insert((*key).to_owned(), live.get(*key).cloned().unwrap_or(Value::Null));
            }
        }
    }
    computed
}

/// The EC2 id of a live resource.
fn identity(live: &Resource) -> Result<String, ProviderError> {
    str_of(&live.attrs, "id").map(str::to_owned).ok_or_else(|| {
        crate::errors::invalid(
            "Describe",
            format!("{} has no id: it was not read from AWS", live.address),
        )
    })
}

/// `TagSpecifications` for a create call.
fn tag_spec(kind: ResourceType, tags: &BTreeMap<String, String>) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(kind)
        .set_tags(Some(ec2_tags(tags)))
        .build()
}

fn ec2_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// The filter selecting what `scope` looks for: the stack's resources, or
/// the one whose id (filter `id_filter`) is given.
fn scope_filter(scope: &Scope<'_>, id_filter: &str) -> Filter {
    match scope {
        Scope::Stack(stack) => stack_filter(stack),
        Scope::One(one) => filter(id_filter, &one.id),
    }
}

/// The filter selecting a stack's resources.
fn stack_filter(stack: &str) -> Filter {
    filter(&format!("tag:{STACK_TAG}"), stack)
}

/// The EC2 filter `name` = `value`.
pub(crate) fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// The EC2 filter `name` = any of `values`.
fn filter_any(name: &str, values: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.to_vec()))
        .build()
}

/// Key/value pairs of EC2 tags.
fn pairs(tags: &[Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter()
        .filter_map(|t| Some((t.key()?, t.value().unwrap_or_default())))
}

/// `arn:PARTITION:ec2:REGION:OWNER:TYPE/ID`, with the caller's partition
/// ([`AwsProvider::partition`]).
fn arn(p: &AwsProvider, partition: &str, owner: Option<&str>, ty: &str, id: &str) -> Value {
    Value::String(format!(
        "arn:{partition}:ec2:{}:{}:{ty}/{id}",
        p.region(),
        owner.unwrap_or_default()
    ))
}

/// The id AWS returned, or an error naming the call.
fn need(call: &str, id: Option<String>) -> Result<String, ProviderError> {
    id.ok_or_else(|| ProviderError::permanent(call, "MissingId", "AWS returned no id"))
}

/// CreateTags / DeleteTags for a change of the user's tags.
async fn update_tags(p: &AwsProvider, id: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let (set, removed) = tag_diff(old, new);
    if !set.is_empty() {
        put_tags(p, id, &set).await?;
    }
    remove_tags(p, id, removed.iter().map(String::as_str), &[]).await
}

/// CreateTags of `tags` on `id`.
async fn put_tags(p: &AwsProvider, id: &str, tags: &BTreeMap<String, String>) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    let tags = ec2_tags(tags);
    p.call(SERVICE, "CreateTags", || {
        ec2.create_tags()
            .resources(id)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// DeleteTags of the `keys` of `id` (none: no call); an answer with a
/// code of `gone` (it went with its VPC) has nothing left to remove.
async fn remove_tags<'k>(
    p: &AwsProvider,
    id: &str,
    keys: impl IntoIterator<Item = &'k str>,
    gone: &[&str],
) -> Result<(), ProviderError> {
    let tags: Vec<Tag> = keys.into_iter().map(|k| Tag::builder().key(k).build()).collect();
    if tags.is_empty() {
        return Ok(());
    }
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "DeleteTags", gone, || {
        ec2.delete_tags()
            .resources(id)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}
