//! Route tables: CreateRouteTable (tagged), CreateRoute per route,
//! AssociateRouteTable per subnet. Updates diff routes (Create / Replace /
//! DeleteRoute) and associations; delete disassociates first. Only routes
//! made by CreateRoute to the targets a route block names (internet or
//! virtual private gateways, NAT gateways, transit gateways, peering
//! connections) are berth's: the `local` route, propagated routes and
//! routes to other targets are not read.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::operation::create_route::builders::CreateRouteFluentBuilder;
use aws_sdk_ec2::operation::replace_route::builders::ReplaceRouteFluentBuilder;
use aws_sdk_ec2::types::{Route, RouteOrigin, RouteTable, TagSpecification};
use berth_provider::schema::ROUTE_TARGETS;
use berth_provider::{Attrs, Kind, ProviderError, Resource, STACK_TAG, Value};

use super::{SERVICE, filter_any, need, pairs, scope_filter};
use crate::attrs::{attrs, blocks_of, resource, str_list, str_of, strs_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const GONE: &[&str] = &["InvalidRouteTableID.NotFound"];

/// Where a route goes: a route block's target attribute and the id in it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// `GatewayId`: an internet gateway, or a virtual private gateway.
    Gateway(String),
    Nat(String),
    TransitGateway(String),
    Peering(String),
}

impl Target {
    /// The target a route block names.
    fn of_block(route: &Attrs) -> Option<Target> {
        ROUTE_TARGETS.iter().find_map(|attr| {
            let id = str_of(route, attr)?.to_owned();
            Some(match *attr {
                "gateway" => Target::Gateway(id),
                "nat_gateway" => Target::Nat(id),
                "transit_gateway" => Target::TransitGateway(id),
                _ => Target::Peering(id),
            })
        })
    }

    /// The target of a route AWS describes, if it is one a block can name
    /// (`local` is the VPC's own route).
    fn of_route(r: &Route) -> Option<Target> {
        let id = |v: Option<&str>| v.map(str::to_owned);
        id(r.gateway_id().filter(|g| *g != "local"))
            .map(Target::Gateway)
            .or_else(|| id(r.nat_gateway_id()).map(Target::Nat))
            .or_else(|| id(r.transit_gateway_id()).map(Target::TransitGateway))
            .or_else(|| id(r.vpc_peering_connection_id()).map(Target::Peering))
    }

    fn attr(&self) -> &'static str {
        match self {
            Target::Gateway(_) => "gateway",
            Target::Nat(_) => "nat_gateway",
            Target::TransitGateway(_) => "transit_gateway",
            Target::Peering(_) => "peering_connection",
        }
    }

    fn id(&self) -> &str {
        match self {
            Target::Gateway(id) | Target::Nat(id) | Target::TransitGateway(id) | Target::Peering(id) => id,
        }
    }

    /// The route block holding this target, for `cidr`.
    fn block(&self, cidr: String) -> Value {
        let mut route = attrs([("cidr", Value::String(cidr))]);
        for attr in ROUTE_TARGETS {
            let value = if attr == self.attr() {
                Value::from(self.id())
            } else {
                Value::Null
            };
            route.insert(attr.to_owned(), value);
        }
        Value::Map(route)
    }

    fn create(&self, req: CreateRouteFluentBuilder) -> CreateRouteFluentBuilder {
        match self {
            Target::Gateway(id) => req.gateway_id(id),
            Target::Nat(id) => req.nat_gateway_id(id),
            Target::TransitGateway(id) => req.transit_gateway_id(id),
            Target::Peering(id) => req.vpc_peering_connection_id(id),
        }
    }

    fn replace(&self, req: ReplaceRouteFluentBuilder) -> ReplaceRouteFluentBuilder {
        match self {
            Target::Gateway(id) => req.gateway_id(id),
            Target::Nat(id) => req.nat_gateway_id(id),
            Target::TransitGateway(id) => req.transit_gateway_id(id),
            Target::Peering(id) => req.vpc_peering_connection_id(id),
        }
    }
}

/// Declared routes: destination CIDR to target.
fn routes_of(a: &Attrs) -> BTreeMap<String, Target> {
    blocks_of(a, "route")
        .into_iter()
        .filter_map(|r| Some((str_of(r, "cidr")?.to_owned(), Target::of_block(r)?)))
        .collect()
}

/// The routes of a described table that a route block can state: made by
/// CreateRoute (not propagated from a virtual private gateway), to an IPv4
/// range, to a target a block names.
fn live_routes(t: &RouteTable) -> BTreeMap<String, Target> {
    t.routes()
        .iter()
        .filter(|r| r.origin() != Some(&RouteOrigin::EnableVgwRoutePropagation))
        .filter_map(|r| Some((r.destination_cidr_block()?.to_owned(), Target::of_route(r)?)))
        .collect()
}

/// Whether a described table is its VPC's main route table.
pub(super) fn is_main(t: &RouteTable) -> bool {
    t.associations().iter().any(|a| a.main().unwrap_or(false))
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
    stack: &str,
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
    for (cidr, target) in routes_of(a) {
        create_route(p, &id, &cidr, &target).await?;
    }
    attach_subnets(p, stack, &id, &strs_of(a, "subnets")).await?;
    Ok(attrs([("id", Value::String(id))]))
}

async fn create_route(p: &AwsProvider, id: &str, cidr: &str, target: &Target) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    p.call_repeatable(SERVICE, "CreateRoute", &["RouteAlreadyExists"], || {
        target
            .create(ec2.create_route().route_table_id(id).destination_cidr_block(cidr))
            .send()
    })
    .await?;
    Ok(())
}

/// An association another update replaced or removed meanwhile.
const GONE_ASSOCIATION: &[&str] = &["InvalidAssociationID.NotFound"];

/// Associates `subnets` with the table `id`, after one DescribeRouteTables
/// of the tables holding them: one no table holds is associated
/// (AssociateRouteTable), one another table of `stack` holds is moved here
/// (ReplaceRouteTableAssociation: an apply moving a subnet between two of
/// its tables changes both, in either order), one this table holds is
/// done (a retried update), and one a table of another stack or tool
/// holds is refused, as AWS refuses it.
async fn attach_subnets(
    p: &AwsProvider,
    stack: &str,
    id: &str,
    subnets: &[String],
) -> Result<(), ProviderError> {
    if subnets.is_empty() {
        return Ok(());
    }
    let ec2 = &p.clients.ec2;
    let out = p
        .call(SERVICE, "DescribeRouteTables", || {
            ec2.describe_route_tables()
                .filters(filter_any("association.subnet-id", subnets))
                .send()
        })
        .await?;
    for subnet in subnets {
        let holder = out.route_tables().iter().find_map(|t| {
            let association = live_associations(t).remove(subnet)?;
            Some((t, association))
        });
        match holder {
            None => associate(p, id, subnet).await?,
            Some((t, _)) if t.route_table_id() == Some(id) => {}
            Some((t, association)) if pairs(t.tags()).any(|(k, v)| k == STACK_TAG && v == stack) => {
                let moved = p
                    .call_unless(SERVICE, "ReplaceRouteTableAssociation", GONE_ASSOCIATION, || {
                        ec2.replace_route_table_association()
                            .association_id(&association)
                            .route_table_id(id)
                            .send()
                    })
                    .await?;
                // Its table's own update let it go meanwhile.
                if moved.is_none() {
                    associate(p, id, subnet).await?;
                }
            }
            Some((t, _)) => {
                return Err(ProviderError::permanent(
                    "AssociateRouteTable",
                    "Resource.AlreadyAssociated",
                    format!(
                        "the subnet {subnet} is associated with route table {}, which stack {stack} does not own",
                        t.route_table_id().unwrap_or_default()
                    ),
                ));
            }
        }
    }
    Ok(())
}

async fn associate(p: &AwsProvider, id: &str, subnet: &str) -> Result<(), ProviderError> {
    let ec2 = &p.clients.ec2;
    // Answered AlreadyAssociated after a lost answer: this call's.
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
    p.call_unless(SERVICE, "DisassociateRouteTable", GONE_ASSOCIATION, || {
        ec2.disassociate_route_table().association_id(association).send()
    })
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
pub(super) async fn update(p: &AwsProvider, stack: &str, id: &str, new: &Attrs) -> Result<(), ProviderError> {
    let table = need_table(p, id).await?;
    sync_routes(p, &table, new).await?;
    let associations = live_associations(&table);
    let wanted: BTreeSet<String> = strs_of(new, "subnets").into_iter().collect();
    for (subnet, association) in &associations {
        if !wanted.contains(subnet) {
            disassociate(p, association).await?;
        }
    }
    let joining: Vec<String> = wanted
        .into_iter()
        .filter(|s| !associations.contains_key(s))
        .collect();
    attach_subnets(p, stack, id, &joining).await?;
    Ok(())
}

/// The table `id`, described now; an error when it is gone.
pub(super) async fn need_table(p: &AwsProvider, id: &str) -> Result<RouteTable, ProviderError> {
    describe(p, id).await?.ok_or_else(|| {
        ProviderError::permanent(
            "DescribeRouteTables",
            "InvalidRouteTableID.NotFound",
            format!("The routeTable ID '{id}' does not exist"),
        )
    })
}

/// Makes `table`'s routes `new`'s `route` blocks: CreateRoute,
/// ReplaceRoute (another target) and DeleteRoute by destination.
pub(super) async fn sync_routes(
    p: &AwsProvider,
    table: &RouteTable,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let id = table.route_table_id().unwrap_or_default();
    let ec2 = &p.clients.ec2;
    let (before, after) = (live_routes(table), routes_of(new));
    for (cidr, target) in &after {
        match before.get(cidr) {
            None => create_route(p, id, cidr, target).await?,
            Some(old) if old != target => {
                p.call(SERVICE, "ReplaceRoute", || {
                    target
                        .replace(
                            ec2.replace_route()
                                .route_table_id(id)
                                .destination_cidr_block(cidr),
                        )
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
            // By its tags: a table of the stack made main by hand stays a
            // route table.
            let address = scope
                .address(Kind::RouteTable, pairs(t.tags()))
                .or_else(|| scope.address(Kind::DefaultRouteTable, pairs(t.tags())))?;
            let id = t.route_table_id()?.to_owned();
            let routes = live_routes(t)
                .into_iter()
                .map(|(cidr, target)| target.block(cidr))
                .collect();
            if address.kind == Kind::DefaultRouteTable {
                let a = attrs([
                    ("vpc", Value::from(t.vpc_id().unwrap_or_default())),
                    ("route", Value::List(routes)),
                    ("tags", user_tags(pairs(t.tags()))),
                    ("id", Value::String(id)),
                ]);
                return Some(resource(address, a));
            }
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
