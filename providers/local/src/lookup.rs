//! Lookups (`data` blocks) in the simulated account: EC2's Describe calls
//! with their filters over the stored VPCs, subnets and security groups,
//! and the account's ACM certificates and Route 53 hosted zones. The local
//! cloud has no API that makes certificates or zones (berth manages
//! neither): they are listed in its file (`certificates`, `hosted_zones`),
//! as an account's would be there already.

use berth_provider::lookup::{DataKind, Filters, Matches, Query};
use berth_provider::{ADDRESS_TAG, Attrs, Kind, STACK_TAG, Value};

use crate::model::{CERT_ISSUED, Record};
use crate::sim::Sim;

/// The AWS call a lookup of `kind` makes.
pub fn call(kind: DataKind) -> &'static str {
    match kind {
        DataKind::Vpc => "DescribeVpcs",
        DataKind::Subnet | DataKind::Subnets => "DescribeSubnets",
        DataKind::SecurityGroup => "DescribeSecurityGroups",
        DataKind::Certificate => "ListCertificates",
        DataKind::HostedZone => "ListHostedZonesByName",
    }
}

/// Every match of `query`.
pub fn find(sim: &mut Sim, query: &Query) -> Matches {
    sim.call(call(query.kind));
    let filters = &query.filters;
    match query.kind {
        DataKind::Vpc => ec2(sim, Kind::Vpc, filters, &["id", "cidr", "tags"]),
        DataKind::Subnet | DataKind::Subnets => {
            ec2(sim, Kind::Subnet, filters, &["id", "cidr", "zone", "vpc"])
        }
        DataKind::SecurityGroup => ec2(sim, Kind::SecurityGroup, filters, &["id", "name", "vpc"]),
        DataKind::Certificate => certificates(sim, filters),
        DataKind::HostedZone => hosted_zones(sim, filters),
    }
}

/// The stored EC2 resources of `kind` the filters match, with `attrs`.
fn ec2(sim: &Sim, kind: Kind, filters: &Filters, attrs: &[&str]) -> Matches {
    sim.all(kind)
        .filter(|(_, rec)| ec2_matches(rec, filters))
        .map(|(_, rec)| {
            let all = rec.read_attrs();
            attrs
                .iter()
                .map(|a| ((*a).to_owned(), all.get(*a).cloned().unwrap_or(Value::Null)))
                .collect()
        })
        .collect()
}

fn ec2_matches(rec: &Record, filters: &Filters) -> bool {
    let attr = |name: &str| rec.attrs.get(name).and_then(Value::as_str);
    let tag = |name: &str| rec.tags.get(name).map(String::as_str);
    filters.id.as_deref().is_none_or(|id| attr("id") == Some(id))
        && filters.vpc.as_deref().is_none_or(|vpc| attr("vpc") == Some(vpc))
        && filters.zone.as_deref().is_none_or(|zone| attr("zone") == Some(zone))
        // The simulated account has no default VPC: every VPC is made.
        && filters.default != Some(true)
        && filters
            .name
            .as_deref()
            .is_none_or(|name| attr("name") == Some(name))
        && filters.tags.iter().all(|(k, v)| tag(k) == Some(v.as_str()))
        && filters.stack.as_deref().is_none_or(|s| tag(STACK_TAG) == Some(s))
        && filters.address_matches(tag(ADDRESS_TAG))
}

/// ACM: the newest issued certificate whose domain name is the filter's.
fn certificates(sim: &Sim, filters: &Filters) -> Matches {
    sim.st
        .certificates
        .iter()
        .filter(|c| c.region == sim.region && c.status == CERT_ISSUED)
        .filter(|c| filters.domain.as_deref().is_none_or(|d| c.domain == d))
        .max_by(|a, b| a.issued.cmp(&b.issued))
        .map(|c| Attrs::from([("arn".to_owned(), Value::String(c.arn.clone()))]))
        .into_iter()
        .collect()
}

/// Route 53 (global): zones by id, name (with or without the final dot)
/// and privacy.
fn hosted_zones(sim: &Sim, filters: &Filters) -> Matches {
    let dotted = |n: &str| format!("{}.", n.trim_end_matches('.'));
    sim.st
        .hosted_zones
        .iter()
        .filter(|z| filters.id.as_deref().is_none_or(|id| z.id == id))
        .filter(|z| {
            filters
                .name
                .as_deref()
                .is_none_or(|n| dotted(&z.name) == dotted(n))
        })
        .filter(|z| filters.private.is_none_or(|p| z.private == p))
        .map(|z| {
            Attrs::from([
                ("id".to_owned(), Value::String(z.id.clone())),
                ("name".to_owned(), Value::String(dotted(&z.name))),
            ])
        })
        .collect()
}
