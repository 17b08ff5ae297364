//! Adopting a live resource berth did not create (`berth import ADDRESS
//! ID`): reading it by its id whatever its tags, and what it carries of
//! berth's tags already.

use std::collections::BTreeMap;

use crate::{ADDRESS_TAG, Address, Kind, ProviderError, Resource, STACK_TAG};

/// The kinds both providers can read by id and tag: the others are refused
/// by `berth import` before anything is read, never half-adopted.
pub const ADOPTABLE: &[Kind] = &[
    Kind::Vpc,
    Kind::Subnet,
    Kind::InternetGateway,
    Kind::RouteTable,
    Kind::SecurityGroup,
    Kind::LoadBalancer,
    Kind::TargetGroup,
    Kind::LogGroup,
    Kind::Role,
    Kind::Cluster,
    Kind::EcrRepository,
];

/// berth's tags a live resource carries: whose it is already, if anyone's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Owner {
    /// `berth:stack`, when set.
    pub stack: Option<String>,
    /// `berth:address`, when set.
    pub address: Option<String>,
}

impl Owner {
    /// berth's tags among `tags`; `None` when it carries neither.
    pub fn of<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<Owner> {
        let mut owner = Owner::default();
        for (k, v) in tags {
            if k == STACK_TAG {
                owner.stack = Some(v.to_owned());
            } else if k == ADDRESS_TAG {
                owner.address = Some(v.to_owned());
            }
        }
        (owner != Owner::default()).then_some(owner)
    }
}

/// A live resource read by its id: in the canonical form `read_stack`
/// returns, at the address it is to be adopted to, with the berth tags it
/// carries.
#[derive(Clone, Debug)]
pub struct Found {
    pub resource: Resource,
    pub owner: Option<Owner>,
}

/// The tags adopting a resource into `stack` sets on it.
pub fn adoption_tags(stack: &str, address: &Address) -> BTreeMap<String, String> {
    BTreeMap::from([
        (STACK_TAG.to_owned(), stack.to_owned()),
        (ADDRESS_TAG.to_owned(), address.to_string()),
    ])
}

/// The call that reads one resource of an adoptable kind by its id: named
/// when it finds nothing.
pub fn read_call(kind: Kind) -> &'static str {
    match kind {
        Kind::Vpc => "DescribeVpcs",
        Kind::Subnet => "DescribeSubnets",
        Kind::InternetGateway => "DescribeInternetGateways",
        Kind::RouteTable => "DescribeRouteTables",
        Kind::SecurityGroup => "DescribeSecurityGroups",
        Kind::LoadBalancer => "DescribeLoadBalancers",
        Kind::TargetGroup => "DescribeTargetGroups",
        Kind::LogGroup => "DescribeLogGroups",
        Kind::Role => "GetRole",
        Kind::Cluster => "DescribeClusters",
        Kind::EcrRepository => "DescribeRepositories",
        _ => "Describe",
    }
}

/// The error of a provider asked to adopt a kind outside [`ADOPTABLE`].
pub fn not_adoptable(kind: Kind) -> ProviderError {
    ProviderError::permanent(
        "Import",
        "NotSupported",
        format!("adopting an existing resource is not supported yet for {kind}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_is_whatever_berth_tags_a_resource_carries() {
        assert_eq!(Owner::of([("Name", "legacy")]), None);
        assert_eq!(
            Owner::of([("berth:stack", "other"), ("team", "x")]),
            Some(Owner {
                stack: Some("other".into()),
                address: None
            })
        );
        let address: Address = "vpc.main".parse().expect("address");
        let tags = adoption_tags("app", &address);
        assert_eq!(
            Owner::of(tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            Some(Owner {
                stack: Some("app".into()),
                address: Some("vpc.main".into())
            })
        );
    }
}
