//! A VPC's main route table, taken over (`default_route_table`).
//!
//! AWS makes one with every VPC (its `local` route only) and deletes it
//! with the VPC. The simulation records it once a stack takes it over, at
//! the id [`ids::main_route_table_id`] gives the VPC. Taking over tags it
//! and makes its routes the declared ones, checked as a route table's;
//! letting go removes berth's tags and leaves its routes.

use berth_provider::{Attrs, Kind, ProviderError, Value};

use crate::attrs::{blocks_of, str_of};
use crate::default_group::{refuse_taken, untag};
use crate::ec2::check_route_table;
use crate::ids;
use crate::sim::Sim;

type Tags = std::collections::BTreeMap<String, String>;

/// Takes over the main route table of `attrs`' VPC: returns its key (id).
pub(crate) fn create(sim: &mut Sim, mut attrs: Attrs, tags: Tags) -> Result<String, ProviderError> {
    let call = "DescribeRouteTables";
    sim.call(call);
    let vpc = str_of(&attrs, "vpc").unwrap_or_default().to_owned();
    let (vpc, _) = sim.need(Kind::Vpc, &vpc, call)?;
    let key = ids::main_route_table_id(&vpc);
    refuse_taken(sim, &key, &vpc, &tags, "main route table")?;
    check_route_table(sim, "CreateRoute", (Some(&key), None), &attrs)?;
    let before = sim.rec(&key).map(|r| r.attrs.clone()).unwrap_or_default();
    sim.call("CreateTags");
    count_route_calls(sim, &before, &attrs);
    attrs.insert("vpc".to_owned(), Value::String(vpc));
    attrs.insert("id".to_owned(), Value::String(key.clone()));
    sim.insert(&key, Kind::DefaultRouteTable, tags, attrs, false);
    Ok(key)
}

/// Makes the table's routes `new`'s (checked as a route table's).
pub(crate) fn update(sim: &mut Sim, key: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    check_route_table(sim, "CreateRoute", (Some(key), None), new)?;
    count_route_calls(sim, old, new);
    Ok(())
}

/// Lets the table go: DeleteTags of berth's tags; its routes stay.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    untag(sim, key);
    Ok(())
}

/// Counts CreateRoute, ReplaceRoute and DeleteRoute going from `old`'s
/// routes to `new`'s, by destination, as the AWS adapter sends them.
fn count_route_calls(sim: &mut Sim, old: &Attrs, new: &Attrs) {
    let cidr = |r: &Attrs| str_of(r, "cidr").map(str::to_owned);
    let (was, is) = (blocks_of(old, "route"), blocks_of(new, "route"));
    for route in &is {
        match was.iter().find(|w| cidr(w) == cidr(route)) {
            None => sim.call("CreateRoute"),
            Some(w) if w != route => sim.call("ReplaceRoute"),
            Some(_) => {}
        }
    }
    for _ in was.iter().filter(|w| !is.iter().any(|r| cidr(r) == cidr(w))) {
        sim.call("DeleteRoute");
    }
}
