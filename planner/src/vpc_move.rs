//! A load balancer's VPC is fixed for life (SetSubnets refuses subnets of
//! another VPC), yet nothing in its schema names the VPC: its subnets give
//! it. A load balancer whose subnets all move to another VPC (a VPC
//! replaced with its subnets, say) is replaced, not updated.

use std::collections::BTreeMap;

use berth_lang::DesiredResource;
use berth_provider::{Address, Attrs, Kind, Resource, Value};

/// The VPCs of subnets: live ones by id, planned ones by address.
pub(crate) struct SubnetVpcs {
    live: BTreeMap<String, Value>,
    planned: BTreeMap<Address, Value>,
}

impl SubnetVpcs {
    /// The live subnets' VPCs, by subnet id.
    pub(crate) fn new(live: &[Resource]) -> SubnetVpcs {
        let live = live
            .iter()
            .filter(|r| r.address.kind == Kind::Subnet)
            .filter_map(|r| {
                let id = r.attrs.get("id")?.as_str()?.to_owned();
                Some((id, r.attrs.get("vpc")?.clone()))
            })
            .collect();
        SubnetVpcs {
            live,
            planned: BTreeMap::new(),
        }
    }

    /// Records a planned subnet's VPC: its id, or unknown when the VPC is
    /// new.
    pub(crate) fn plan(&mut self, address: &Address, resolved: &Attrs) {
        if address.kind == Kind::Subnet {
            let vpc = resolved.get("vpc").cloned().unwrap_or(Value::Unknown);
            self.planned.insert(address.clone(), vpc);
        }
    }

    /// Whether the load balancer `desired` (the caller checks the kind),
    /// live as `live`, moves to
    /// another VPC: its live subnets are in one VPC and every subnet it is
    /// given is known to be elsewhere (in a VPC yet to be made, or another
    /// one). Subnets berth cannot place (not the stack's) decide nothing.
    pub(crate) fn moves(&self, desired: &DesiredResource, resolved: &Attrs, live: &Attrs) -> bool {
        let mut before: Vec<&Value> = ids(live).iter().filter_map(|id| self.live.get(*id)).collect();
        before.dedup();
        let [old] = before[..] else {
            return false;
        };
        let mut after: Vec<Option<&Value>> = ids(resolved).iter().map(|id| self.live.get(*id)).collect();
        if let Some(subnets) = desired.body.value("subnets") {
            after.extend(
                subnets
                    .refs()
                    .into_iter()
                    .filter(|r| r.address.kind == Kind::Subnet)
                    .map(|r| self.planned.get(&r.address)),
            );
        }
        !after.is_empty() && after.iter().all(|vpc| vpc.is_some_and(|v| v != old))
    }
}

/// The known subnet ids of `attrs`' `subnets`.
fn ids(attrs: &Attrs) -> Vec<&str> {
    match attrs.get("subnets") {
        Some(Value::List(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}
