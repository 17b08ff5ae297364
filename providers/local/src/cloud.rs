//! [`LocalCloud`]: the simulated account behind the [`Provider`] trait.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use berth_provider::schema::{Presence, Update};
use berth_provider::{
    ADDRESS_TAG, Address, Attrs, External, Kind, Provider, ProviderError, Resource, STACK_TAG,
};
use fastrand::Rng;

use crate::api::{self, fail};
use crate::attrs::{normalise, str_of};
use crate::error::LocalError;
use crate::faults::{self, Fault, FaultOp};
use crate::model::State;
use crate::sim::{self, Sim};
use crate::store::Store;
use crate::{ec2, ecs, elb, endpoint, iam, logs, names, nat};

/// A simulated AWS account persisted in one JSON file, holding every stack.
///
/// Opening it locks the file for the life of the value; every change is
/// written to the file (atomically) before the call returns.
#[derive(Debug)]
pub struct LocalCloud {
    region: String,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    state: State,
    rng: Rng,
    calls: BTreeMap<String, u64>,
}

impl LocalCloud {
    /// Opens (or starts, when the file is missing) the account stored at
    /// `path`, seen from `region`. Fails with [`LocalError::Locked`] at once
    /// if another process holds it.
    pub fn open(path: &Path, region: &str) -> Result<LocalCloud, LocalError> {
        let region_ok = region.contains('-')
            && region.ends_with(|c: char| c.is_ascii_digit())
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !region_ok {
            return Err(LocalError::Region(region.to_owned()));
        }
        let (store, state) = Store::open(path)?;
        Ok(LocalCloud {
            region: region.to_owned(),
            inner: Mutex::new(Inner {
                store,
                state,
                rng: Rng::new(),
                calls: BTreeMap::new(),
            }),
        })
    }

    /// Makes generated ids and names reproducible from `seed` (they still
    /// never collide with existing ones).
    pub fn with_seed(self, seed: u64) -> LocalCloud {
        self.lock().rng = Rng::with_seed(seed);
        self
    }

    /// The file holding the account.
    pub fn path(&self) -> std::path::PathBuf {
        self.lock().store.path().to_owned()
    }

    /// The region this handle sees.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// How many times each simulated AWS API was called through this handle,
    /// failed calls included.
    pub fn calls(&self) -> BTreeMap<String, u64> {
        self.lock().calls.clone()
    }

    /// Adds a fault to the account's file.
    pub fn add_fault(&self, fault: Fault) -> Result<(), LocalError> {
        let mut guard = self.lock();
        let Inner { store, state, .. } = &mut *guard;
        store.reload_if_changed(state)?;
        state.faults.push(fault);
        store.save(state)
    }

    /// The account's faults, spent ones included.
    pub fn faults(&self) -> Result<Vec<Fault>, LocalError> {
        let mut guard = self.lock();
        let Inner { store, state, .. } = &mut *guard;
        store.reload_if_changed(state)?;
        Ok(state.faults.clone())
    }

    /// Removes every fault.
    pub fn clear_faults(&self) -> Result<(), LocalError> {
        let mut guard = self.lock();
        let Inner { store, state, .. } = &mut *guard;
        store.reload_if_changed(state)?;
        state.faults.clear();
        store.save(state)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs one provider operation: picks up hand edits of the file, fires a
    /// matching fault (before anything changes), runs `f` on a copy of the
    /// state and, if it succeeds and `writes`, stores the copy. An operation
    /// either happens completely or not at all.
    fn run<T>(
        &self,
        op: FaultOp,
        stack: &str,
        target: Option<(Kind, &Address)>,
        call: &str,
        writes: bool,
        f: impl FnOnce(&mut Sim) -> Result<T, ProviderError>,
    ) -> Result<T, ProviderError> {
        let storage = |e: LocalError| fail(call, "LocalCloudStorageError", e.to_string());
        let mut guard = self.lock();
        let Inner {
            store,
            state,
            rng,
            calls,
        } = &mut *guard;
        store.reload_if_changed(state).map_err(storage)?;
        if let Some(err) = faults::fire(&mut state.faults, op, stack, target, call) {
            *calls.entry(call.to_owned()).or_default() += 1;
            store.save(state).map_err(storage)?;
            return Err(err);
        }
        let mut work = if writes { state.clone() } else { State::default() };
        let st = if writes { &mut work } else { &mut *state };
        let mut sim = Sim {
            st,
            region: &self.region,
            rng,
            calls,
        };
        let out = f(&mut sim)?;
        if writes {
            store.save(&work).map_err(storage)?;
            *state = work;
        }
        Ok(out)
    }
}

/// The key of `live`'s resource, if it exists and belongs to `stack`.
/// Resources of other stacks are invisible to this stack's calls: they read
/// as not found. Deregistered task definitions are not found either.
fn locate(sim: &Sim, stack: &str, live: &Resource, call: &str) -> Result<String, ProviderError> {
    let kind = live.address.kind;
    let field = kind.schema().identity;
    let identity = str_of(&live.attrs, field).unwrap_or_default();
    sim.find(kind, identity)
        .filter(|k| {
            sim.rec(k)
                .is_some_and(|r| r.stack() == Some(stack) && !r.is_inactive())
        })
        .ok_or_else(|| sim::not_found(kind, identity, call))
}

fn read(sim: &Sim, key: &str, address: &Address) -> Resource {
    Resource {
        address: address.clone(),
        attrs: sim.rec(key).map(|r| r.read_attrs()).unwrap_or_default(),
    }
}

/// Refuses a change AWS cannot make in place.
fn check_in_place(kind: Kind, call: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let schema = kind.schema();
    let attrs = schema
        .attrs
        .iter()
        .filter(|a| !a.is_computed() && a.update == Update::Replace)
        // A name left out keeps the one the resource has.
        .filter(|a| a.presence != Presence::Named || new.contains_key(a.name))
        .map(|a| a.name);
    let blocks = schema
        .blocks
        .iter()
        .filter(|b| b.update == Update::Replace)
        .map(|b| b.name);
    for name in attrs.chain(blocks) {
        if old.get(name) != new.get(name) {
            let code = match kind {
                Kind::Vpc
                | Kind::Subnet
                | Kind::InternetGateway
                | Kind::RouteTable
                | Kind::SecurityGroup
                | Kind::ElasticIp
                | Kind::NatGateway
                | Kind::VpcEndpoint => "OperationNotPermitted",
                _ => api::of(kind).invalid,
            };
            return Err(fail(
                call,
                code,
                format!("{kind}.{name} cannot be changed on an existing resource: it must be replaced"),
            ));
        }
    }
    Ok(())
}

#[async_trait]
impl Provider for LocalCloud {
    /// The simulation sees every resource at once, so children of external
    /// parents are found by their tags like the rest.
    async fn read_stack(&self, stack: &str, _external: &[External]) -> Result<Vec<Resource>, ProviderError> {
        self.run(FaultOp::Read, stack, None, "GetResources", false, |sim| {
            for kind in Kind::ALL {
                sim.call(api::of(kind).describe);
            }
            let mut found: Vec<(Address, &String)> = sim
                .st
                .resources
                .iter()
                .filter(|(_, r)| sim.visible(r) && r.stack() == Some(stack) && !r.is_inactive())
                .filter_map(|(k, r)| r.address().filter(|a| a.kind == r.kind).map(|a| (a, k)))
                .collect();
            found.sort();
            Ok(found.into_iter().map(|(a, k)| read(sim, k, &a)).collect())
        })
    }

    async fn create(&self, stack: &str, desired: &Resource) -> Result<Resource, ProviderError> {
        let address = &desired.address;
        let kind = address.kind;
        let call = api::of(kind).create;
        self.run(FaultOp::Create, stack, Some((kind, address)), call, true, |sim| {
            let (mut attrs, mut tags) = normalise(kind, call, &desired.attrs)?;
            if kind == Kind::SecurityGroup {
                names::security_group(sim, stack, address, &mut attrs)?;
            }
            tags.insert(STACK_TAG.to_owned(), stack.to_owned());
            tags.insert(ADDRESS_TAG.to_owned(), address.to_string());
            let key = match kind {
                Kind::Vpc | Kind::Subnet | Kind::InternetGateway | Kind::RouteTable | Kind::SecurityGroup => {
                    ec2::create(sim, kind, attrs, tags)?
                }
                Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener => {
                    elb::create(sim, kind, stack, address, attrs, tags)?
                }
                Kind::Cluster | Kind::TaskDefinition | Kind::Service => {
                    ecs::create(sim, kind, stack, address, attrs, tags)?
                }
                Kind::LogGroup => logs::create(sim, stack, address, attrs, tags)?,
                Kind::Role => iam::create(sim, stack, address, attrs, tags)?,
                Kind::ElasticIp | Kind::NatGateway => nat::create(sim, kind, stack, address, attrs, tags)?,
                Kind::VpcEndpoint => endpoint::create(sim, stack, address, attrs, tags)?,
            };
            Ok(read(sim, &key, address))
        })
    }

    async fn update(
        &self,
        stack: &str,
        live: &Resource,
        desired: &Resource,
    ) -> Result<Resource, ProviderError> {
        let address = &live.address;
        let kind = address.kind;
        let api = api::of(kind);
        self.run(
            FaultOp::Update,
            stack,
            Some((kind, address)),
            api.update,
            true,
            |sim| {
                let key = locate(sim, stack, live, api.update)?;
                let (mut new, tags) = normalise(kind, api.update, &desired.attrs)?;
                let old = sim.rec(&key).map(|r| r.attrs.clone()).unwrap_or_default();
                check_in_place(kind, api.update, &old, &new)?;
                match kind {
                    Kind::Vpc
                    | Kind::Subnet
                    | Kind::InternetGateway
                    | Kind::RouteTable
                    | Kind::SecurityGroup => ec2::update(sim, kind, &key, &old, &new)?,
                    Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener => {
                        elb::update(sim, kind, &key, &old, &new)?
                    }
                    Kind::Cluster | Kind::TaskDefinition | Kind::Service => {
                        ecs::update(sim, kind, &key, &old, &new)?
                    }
                    Kind::LogGroup => logs::update(sim, &old, &new)?,
                    Kind::Role => iam::update(sim, &old, &new)?,
                    // Only tags change in place.
                    Kind::ElasticIp | Kind::NatGateway => {}
                    Kind::VpcEndpoint => endpoint::update(sim, &old, &mut new)?,
                }
                let tags_changed = sim.rec(&key).is_some_and(|r| {
                    let user: BTreeMap<String, String> = r
                        .tags
                        .iter()
                        .filter(|(k, _)| k.as_str() != STACK_TAG && k.as_str() != ADDRESS_TAG)
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    user != tags
                });
                if tags_changed {
                    sim.call(api.tag);
                }
                if let Some(rec) = sim.st.resources.get_mut(&key) {
                    rec.attrs.extend(new);
                    rec.tags.retain(|k, _| k == STACK_TAG || k == ADDRESS_TAG);
                    rec.tags.extend(tags);
                }
                Ok(read(sim, &key, address))
            },
        )
    }

    /// Zones `a` to `f` of the region: those its subnets take.
    async fn availability_zones(&self) -> Result<Vec<String>, ProviderError> {
        self.run(
            FaultOp::Read,
            "",
            None,
            "DescribeAvailabilityZones",
            false,
            |sim| {
                sim.call("DescribeAvailabilityZones");
                Ok(ec2::zones(sim.region))
            },
        )
    }

    async fn delete(&self, stack: &str, live: &Resource) -> Result<(), ProviderError> {
        let address = &live.address;
        let kind = address.kind;
        let call = api::of(kind).delete;
        self.run(FaultOp::Delete, stack, Some((kind, address)), call, true, |sim| {
            let key = locate(sim, stack, live, call)?;
            match kind {
                Kind::Vpc | Kind::Subnet | Kind::InternetGateway | Kind::RouteTable | Kind::SecurityGroup => {
                    ec2::delete(sim, kind, &key)
                }
                Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener => elb::delete(sim, kind, &key),
                Kind::Cluster | Kind::TaskDefinition | Kind::Service => ecs::delete(sim, kind, &key),
                Kind::LogGroup => logs::delete(sim, &key),
                Kind::Role => iam::delete(sim, &key),
                Kind::ElasticIp | Kind::NatGateway => nat::delete(sim, kind, &key),
                Kind::VpcEndpoint => {
                    sim.call(call);
                    sim.st.resources.remove(&key);
                    Ok(())
                }
            }
        })
    }
}
