//! A VPC's main route table (`default_route_table`): AWS makes it with
//! the VPC (its `local` route only) and deletes it with the VPC, so berth
//! takes it over instead of creating it, as Terraform's
//! `aws_default_route_table` does. Taking over finds it
//! (DescribeRouteTables, `vpc-id` and `association.main = true`), tags it
//! with exactly berth's and the configuration's tags, and makes its routes
//! the declared ones. Letting go removes berth's tags and leaves its
//! routes. It reads with the stack's route tables (one DescribeRouteTables
//! on the stack's tag).

use aws_sdk_ec2::types::RouteTable;
use berth_provider::{Address, Attrs, ProviderError, Value};

use super::{SERVICE, filter, route_table, take_over};
use crate::AwsProvider;
use crate::attrs::{attrs, str_of};

/// Takes over the main route table of `a`'s VPC for `address`: returns
/// its id.
pub(super) async fn take(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
) -> Result<Attrs, ProviderError> {
    let vpc = str_of(a, "vpc").unwrap_or_default();
    let table = find(p, vpc).await?;
    let id = table.route_table_id().unwrap_or_default().to_owned();
    take_over::claim(
        p,
        (stack, address, a),
        (&id, vpc, "main route table"),
        table.tags(),
    )
    .await?;
    route_table::sync_routes(p, &table, a).await?;
    Ok(attrs([("id", Value::String(id))]))
}

/// Makes the routes of the table `id` the declared ones of `new`.
pub(super) async fn update(p: &AwsProvider, id: &str, new: &Attrs) -> Result<(), ProviderError> {
    let table = route_table::need_table(p, id).await?;
    route_table::sync_routes(p, &table, new).await
}

/// Lets the table `id` go: DeleteTags of berth's tags; its routes stay.
pub(super) async fn let_go(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    take_over::untag(p, id, &["InvalidRouteTableID.NotFound"]).await
}

/// DescribeRouteTables: the main route table of `vpc`.
async fn find(p: &AwsProvider, vpc: &str) -> Result<RouteTable, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call(SERVICE, "DescribeRouteTables", || {
            ec2.describe_route_tables()
                .filters(filter("vpc-id", vpc))
                .filters(filter("association.main", "true"))
                .send()
        })
        .await?;
    out.route_tables
        .unwrap_or_default()
        .into_iter()
        .find(route_table::is_main)
        .ok_or_else(|| {
            ProviderError::permanent(
                "DescribeRouteTables",
                "InvalidVpcID.NotFound",
                format!("The vpc ID '{vpc}' does not exist: it has no main route table"),
            )
        })
}
