//! The region's default VPC, as AWS makes one in every region of an
//! account (and moto's account has one): 172.31.0.0/16 with DNS support
//! and host names on, a default /20 subnet in each zone that maps public
//! IPs on launch, an internet gateway attached, and its default security
//! group. Stacks built on it (`data vpc { default = true }`, as
//! Terraform's tutorials and course stacks write) plan and apply on the
//! simulation as they do on AWS.
//!
//! No stack holds it (it is untagged), so only lookups see it; it is
//! recorded the first time the region's VPCs, subnets or groups are
//! looked up, at ids derived from the region, so that a plan and the
//! apply that follows find the same one, and a file of an older run gets
//! it too.

use berth_provider::{Attrs, Kind, Value};

use crate::ids;
use crate::sim::Sim;

/// The attribute marking the default VPC (and its subnets), as
/// DescribeVpcs' `isDefault` (DescribeSubnets' `defaultForAz`).
pub(crate) const DEFAULT: &str = "default";

/// Records the region's default VPC unless it is there.
pub(crate) fn ensure(sim: &mut Sim) {
    let vpc = ids::default_vpc_id(sim.region);
    if sim.rec(&vpc).is_some() {
        return;
    }
    let tags = std::collections::BTreeMap::new();
    let mut attrs = Attrs::new();
    attrs.insert("id".to_owned(), Value::from(vpc.as_str()));
    attrs.insert("cidr".to_owned(), Value::from("172.31.0.0/16"));
    attrs.insert("dns_support".to_owned(), Value::Bool(true));
    attrs.insert("dns_hostnames".to_owned(), Value::Bool(true));
    attrs.insert(DEFAULT.to_owned(), Value::Bool(true));
    let arn = sim.arn("ec2", &format!("vpc/{vpc}"));
    attrs.insert("arn".to_owned(), Value::String(arn));
    sim.insert(&vpc, Kind::Vpc, tags.clone(), attrs, false);
    crate::default_group::made_with(sim, &vpc);
    for (i, zone) in crate::ec2::zones(sim.region).into_iter().enumerate() {
        let id = ids::default_subnet_id(&vpc, &zone);
        let mut attrs = Attrs::new();
        attrs.insert("id".to_owned(), Value::from(id.as_str()));
        attrs.insert("vpc".to_owned(), Value::from(vpc.as_str()));
        attrs.insert(
            "cidr".to_owned(),
            Value::String(format!("172.31.{}.0/20", i * 16)),
        );
        attrs.insert("zone".to_owned(), Value::String(zone));
        attrs.insert("public".to_owned(), Value::Bool(true));
        attrs.insert(DEFAULT.to_owned(), Value::Bool(true));
        let arn = sim.arn("ec2", &format!("subnet/{id}"));
        attrs.insert("arn".to_owned(), Value::String(arn));
        sim.insert(&id, Kind::Subnet, tags.clone(), attrs, false);
    }
    let gateway = ids::default_gateway_id(&vpc);
    let mut attrs = Attrs::new();
    attrs.insert("id".to_owned(), Value::from(gateway.as_str()));
    attrs.insert("vpc".to_owned(), Value::from(vpc.as_str()));
    let arn = sim.arn("ec2", &format!("internet-gateway/{gateway}"));
    attrs.insert("arn".to_owned(), Value::String(arn));
    sim.insert(&gateway, Kind::InternetGateway, tags, attrs, false);
}
