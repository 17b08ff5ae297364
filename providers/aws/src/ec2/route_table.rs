//! Route tables: CreateRouteTable (tagged), CreateRoute per route,
//! AssociateRouteTable per subnet. Updates diff routes (Create / Replace /
//! DeleteRoute) and associations; delete disassociates first. Only routes
//! to internet gateways and NAT gateways are berth's: the `local` route and
//! routes to other targets are not read.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{RouteTable, TagSpecification};
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};

use super::{SERVICE, need, pairs, scope_filter};
use crate::attrs::{attrs, blocks_of, resource, str_list, str_of, strs_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const GONE: &[&str] = &["InvalidRouteTableID.NotFound"];

/// Declared routes: destination CIDR to the id of the internet gateway or
/// NAT gateway (`nat-...`) it goes to.
fn routes_of(a: &Attrs) -> BTreeMap<String, String> {
    blocks_of(a, "route")
        .into_iter()
        .filter_map(|r| {
            let target = str_of(r, "gateway").or_else(|| str_of(r, "nat_gateway"))?;
            Some((str_of(r, "cidr")?.to_owned(), target.to_owned()))
        })
        .collect()
}

/// Routes to internet gateways and NAT gateways in a described table.
fn live_routes(t: &RouteTable) -> BTreeMap<String, String> {
    t.routes()
        .iter()
        .filter_map(|r| {
            let target = r
                .gateway_id()
                .filter(|g| g.starts_with("igw-"))
                .or_else(|| r.nat_gateway_id())?;
            Some((r.destination_cidr_block()?.to_owned(), target.to_owned()))
        })
        .collect()
}

/// The route block's attribute a target id goes in.
fn target_attr(target: &str) -> &'static str {
    if target.starts_with("nat-") {
        "nat_gateway"
    } else {
        "gateway"
    }
}

/// Subnet associations of a described table: subnet id to association id.
fn live_associations(t: &RouteTable) -> BTreeMap<String, String> {
    t.associations()
        .iter()
        .filter(|a| !a.main().unwrap_or(false))
        .filter_map(|a| {
            Some((
                a.subnet_id()?.to_owned(),
                a.route_table_association_id()?.to_owned(),
            ))
        })
        .collect()
}

pub(super) async fn create(
    p: &AwsProvider,
    a: &Attrs,
    spec: TagSpecification,
) -> Result<Attrs, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call_once(SERVICE, "CreateRouteTable", || {
            ec2.create_route_table()
                .vpc_id(str_of(a, "vpc").unwrap_or_default())
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let id = need("CreateRouteTable", out.route_table.and_then(|t| t.route_table_id))?;
    for (cidr, gw) in routes_of(a) {
        create_route(p, &id, &cidr, &gw).await?;
    }
    for subnet in strs_of(a, "subnets") {
        associate(p, &id, &subnet).await?;
    }
    Ok(attrs([("id", Value::String(id))]))
}

async fn create_route(p: &AwsProvider, id: &str, cidr: &str, gw: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_repeatable(SERVICE, "CreateRoute", &["RouteAlreadyExists"], || {
        let req = ec2.create_route().route_table_id(id).destination_cidr_block(cidr);
        match target_attr(gw) {
            "nat_gateway" => req.nat_gateway_id(gw),
            _ => req.gateway_id(gw),
        }
        .send()
    })
    .await?;
    Ok(())
}

async fn associate(p: &AwsProvider, id: &str, subnet: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_repeatable(
        SERVICE,
        "AssociateRouteTable",
        &["Resource.AlreadyAssociated"],
        || {
            ec2.associate_route_table()
                .route_table_id(id)
                .subnet_id(subnet)
                .send()
        },
    )
    .await?;
    Ok(())
}

async fn disassociate(p: &AwsProvider, association: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_unless(
        SERVICE,
        "DisassociateRouteTable",
        &["InvalidAssociationID.NotFound"],
        || ec2.disassociate_route_table().association_id(association).send(),
    )
    .await?;
    Ok(())
}

async fn describe(p: &AwsProvider, id: &str) -> Result<Option<RouteTable>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call_unless(SERVICE, "DescribeRouteTables", GONE, || {
            ec2.describe_route_tables().route_table_ids(id).send()
        })
        .await?;
    Ok(out.and_then(|o| o.route_tables.unwrap_or_default().into_iter().next()))
}

/// Brings routes and associations to `new`, diffing against what AWS holds
/// now (not the plan's snapshot), so a retried update converges.
pub(super) async fn update(p: &AwsProvider, id: &str, new: &Attrs) -> Result<(), ProviderError> {
    let Some(table) = describe(p, id).await? else {
        return Err(ProviderError::permanent(
            "DescribeRouteTables",
            "InvalidRouteTableID.NotFound",
            format!("The routeTable ID '{id}' does not exist"),
        ));
    };
    let ec2 = &p.clients.ec2;
    let (before, after) = (live_routes(&table), routes_of(new));
    for (cidr, gw) in &after {
        match before.get(cidr) {
            None => create_route(p, id, cidr, gw).await?,
            Some(old) if old != gw => {
                p.call(SERVICE, "ReplaceRoute", || {
                    let req = ec2
                        .replace_route()
                        .route_table_id(id)
                        .destination_cidr_block(cidr);
                    match target_attr(gw) {
                        "nat_gateway" => req.nat_gateway_id(gw),
                        _ => req.gateway_id(gw),
                    }
                    .send()
                })
                .await?;
            }
            Some(_) => {}
        }
    }
    for cidr in before.keys().filter(|c| !after.contains_key(*c)) {
        p.call_unless(SERVICE, "DeleteRoute", &["InvalidRoute.NotFound"], || {
            ec2.delete_route()
                .route_table_id(id)
                .destination_cidr_block(cidr)
                .send()
        })
        .await?;
    }
    let associations = live_associations(&table);
    let wanted: BTreeSet<String> = strs_of(new, "subnets").into_iter().collect();
    for (subnet, association) in &associations {
        if !wanted.contains(subnet) {
            disassociate(p, association).await?;
        }
    }
    for subnet in wanted.iter().filter(|s| !associations.contains_key(*s)) {
        associate(p, id, subnet).await?;
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    let Some(table) = describe(p, id).await? else {
        return Ok(());
    };
    for association in live_associations(&table).values() {
        disassociate(p, association).await?;
    }
    let ec2 = &p.clients.ec2;
    p.call_unless(SERVICE, "DeleteRouteTable", GONE, || {
        ec2.delete_route_table().route_table_id(id).send()
    })
    .await?;
    Ok(())
}

pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let tables = p
        .list(SERVICE, "DescribeRouteTables", || {
            paginate!(
                ec2.describe_route_tables()
                    .filters(scope_filter(scope, "route-table-id")),
                route_tables
            )
        })
        .await?;
    Ok(tables
        .iter()
        .filter_map(|t| {
            let address = scope.address(Kind::RouteTable, pairs(t.tags()))?;
            let id = t.route_table_id()?.to_owned();
            let routes = live_routes(t)
                .into_iter()
                .map(|(cidr, target)| {
                    let (gateway, nat) = match target_attr(&target) {
                        "nat_gateway" => (Value::Null, Value::String(target)),
                        _ => (Value::String(target), Value::Null),
                    };
                    Value::Map(attrs([
                        ("cidr", Value::String(cidr)),
                        ("gateway", gateway),
                        ("nat_gateway", nat),
                    ]))
                })
                .collect();
            let a = attrs([
                ("vpc", Value::from(t.vpc_id().unwrap_or_default())),
                ("subnets", str_list(live_associations(t).into_keys())),
                ("route", Value::List(routes)),
                ("tags", user_tags(pairs(t.tags()))),
                ("id", Value::String(id)),
            ]);
            Some(resource(address, a))
        })
        .collect())
}
