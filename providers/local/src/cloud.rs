//! [`LocalCloud`]: the simulated account behind the [`Provider`] trait.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use async_trait::async_trait;
use berth_provider::adopt::{
    Found, Owner, adoption_tags, label_rules, read_call, revision_in, rule_labels, service_in,
};
use berth_provider::attrs::keep_chosen;
use berth_provider::dns;
use berth_provider::schema::cluster_name;
use berth_provider::schema::{Presence, Update};
use berth_provider::{
    ADDRESS_TAG, Address, Attrs, ErrorClass, External, Kind, LockInfo, OpStats, Provider, ProviderError,
    Resource, RetryPolicy, STACK_TAG, Value,
};
use fastrand::Rng;

use crate::api::{self, fail};
use crate::attrs::{normalise, str_of, strs_of};
use crate::error::LocalError;
use crate::faults::{self, Fault, FaultOp};
use crate::model::State;
use crate::sim::{self, Sim, Undo};
use crate::store::{self, Store};
use crate::{
    acm, cloudwatch, default_acl, default_group, discovery, ec2, ecr, ecs, efs, elb, endpoint, events,
    flow_logs, iam, kms, logs, lookup, main_table, managed_policy, names, nat, network_acl, route53, s3,
    secrets, sns, sqs, ssm,
};
use berth_provider::lookup::{Matches, Query};

/// A simulated AWS account persisted in one JSON file, holding every stack.
///
/// Opening it locks the file for the life of the value; every change is
/// written to the file (atomically) before the call returns.
#[derive(Debug)]
pub struct LocalCloud {
    region: String,
    retry: RetryPolicy,
    inner: Mutex<Inner>,
    /// One writer of the file at a time; operations that finish while it
    /// writes are saved together by the next one (group commit).
    writer: tokio::sync::Mutex<()>,
    /// A write is under way: the file is not to be reloaded meanwhile.
    writing: AtomicBool,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    state: State,
    rng: Rng,
    calls: BTreeMap<String, u64>,
    /// Retries and throttled attempts of injected faults, per call.
    retried: BTreeMap<String, OpStats>,
    /// Counts changes of `state`; `saved` is the last one in the file.
    version: u64,
    saved: u64,
}

impl Inner {
    /// Picks up hand edits of the file, unless changes of this process are
    /// not in it yet (they would be lost, and the file is ours to write).
    fn reload(&mut self, writing: bool) -> Result<(), LocalError> {
        if self.version == self.saved && !writing {
            self.store.reload_if_changed(&mut self.state)?;
        }
        Ok(())
    }

    /// Writes the state now (for calls made outside operations).
    fn save_now(&mut self) -> Result<(), LocalError> {
        self.version += 1;
        self.store.save(&self.state)?;
        self.saved = self.version;
        Ok(())
    }
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
            retry: RetryPolicy::default(),
            inner: Mutex::new(Inner {
                store,
                state,
                rng: Rng::new(),
                calls: BTreeMap::new(),
                retried: BTreeMap::new(),
                version: 0,
                saved: 0,
            }),
            writer: tokio::sync::Mutex::new(()),
            writing: AtomicBool::new(false),
        })
    }

    /// Retries injected throttling and transient faults by `policy`
    /// instead of AWS's default backoff (tests use a fast one).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> LocalCloud {
        self.retry = policy;
        self
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
        let mut inner = self.lock();
        inner.reload(self.writing())?;
        inner.state.faults.push(fault);
        inner.save_now()
    }

    /// The account's faults, spent ones included.
    pub fn faults(&self) -> Result<Vec<Fault>, LocalError> {
        let mut inner = self.lock();
        inner.reload(self.writing())?;
        Ok(inner.state.faults.clone())
    }

    /// Removes every fault.
    pub fn clear_faults(&self) -> Result<(), LocalError> {
        let mut inner = self.lock();
        inner.reload(self.writing())?;
        inner.state.faults.clear();
        inner.save_now()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn writing(&self) -> bool {
        self.writing.load(Ordering::SeqCst)
    }

    /// Returns once change number `version` is in the file. The first
    /// operation to get here writes the state as it is then, with every
    /// change made meanwhile; those finished during its write are saved by
    /// the next writer in one go. The write runs off the async threads, so
    /// other operations go on in memory while it lasts.
    async fn commit(&self, version: u64, call: &str) -> Result<(), ProviderError> {
        let storage = |e: LocalError| fail(call, "LocalCloudStorageError", e.to_string());
        let _writer = self.writer.lock().await;
        let (bytes, path, upto) = {
            let inner = self.lock();
            if inner.saved >= version {
                return Ok(());
            }
            (
                inner.store.encode(&inner.state).map_err(storage)?,
                inner.store.path().to_owned(),
                inner.version,
            )
        };
        self.writing.store(true, Ordering::SeqCst);
        let written = tokio::task::spawn_blocking(move || store::write_atomic(&path, &bytes)).await;
        let mut inner = self.lock();
        inner.store.wrote();
        self.writing.store(false, Ordering::SeqCst);
        match written {
            Ok(Ok(())) => {
                inner.saved = upto;
                Ok(())
            }
            Ok(Err(e)) => Err(storage(e)),
            Err(e) => Err(fail(call, "LocalCloudStorageError", e.to_string())),
        }
    }

    /// Runs one provider operation as [`LocalCloud::run`] does, retrying
    /// throttling and transient faults with backoff until the policy's
    /// deadline, as the AWS adapter retries AWS's errors; an update whose
    /// answer was lost is idempotent and made again too. The rest is
    /// returned: a create whose answer was lost is for the executor to
    /// look for.
    async fn retried<T>(
        &self,
        op: FaultOp,
        stack: &str,
        target: Option<(Kind, &Address)>,
        call: &str,
        f: impl Fn(&mut Sim) -> Result<T, ProviderError>,
    ) -> Result<T, ProviderError> {
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            let (result, changed) = self.run(op, stack, target, call, &f);
            if let Some(version) = changed {
                self.commit(version, call).await?;
            }
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let again = match err.class {
                ErrorClass::Throttling | ErrorClass::Transient => true,
                ErrorClass::Indeterminate => op == FaultOp::Update,
                ErrorClass::Unreachable | ErrorClass::Permanent => false,
            };
            let wait = self.retry.delay(attempt);
            if !again || start.elapsed() + wait > self.retry.deadline {
                return Err(err);
            }
            self.count_retry(call, err.class == ErrorClass::Throttling);
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    fn count_retry(&self, call: &str, throttled: bool) {
        let mut guard = self.lock();
        let stats = guard.retried.entry(call.to_owned()).or_default();
        stats.retries += 1;
        stats.throttles += u64::from(throttled);
    }

    /// Runs one provider operation in memory: picks up hand edits of the
    /// file, fires a matching fault (before anything changes; a `lost` one
    /// after), runs `f`, and undoes what `f` changed if it fails, so an
    /// operation happens completely or not at all. Returns the change
    /// number to commit ([`LocalCloud::commit`]) when the state changed.
    fn run<T>(
        &self,
        op: FaultOp,
        stack: &str,
        target: Option<(Kind, &Address)>,
        call: &str,
        f: impl FnOnce(&mut Sim) -> Result<T, ProviderError>,
    ) -> (Result<T, ProviderError>, Option<u64>) {
        let storage = |e: LocalError| fail(call, "LocalCloudStorageError", e.to_string());
        let writing = self.writing();
        let mut guard = self.lock();
        if let Err(e) = guard.reload(writing) {
            return (Err(storage(e)), None);
        }
        let inner = &mut *guard;
        let fired = faults::fire(&mut inner.state.faults, op, stack, target, call);
        let lost = match fired {
            Some(err) if err.class != ErrorClass::Indeterminate => {
                *inner.calls.entry(call.to_owned()).or_default() += 1;
                inner.version += 1;
                return (Err(err), Some(inner.version));
            }
            lost => lost,
        };
        let mut sim = Sim {
            st: &mut inner.state,
            region: &self.region,
            rng: &mut inner.rng,
            calls: &mut inner.calls,
            undo: Undo::default(),
        };
        let result = f(&mut sim);
        let undo = std::mem::take(&mut sim.undo);
        let changed = !undo.is_empty() || lost.is_some();
        if result.is_err() {
            undo.restore(&mut inner.state);
        }
        let result = match (result, lost) {
            (Ok(_), Some(err)) => Err(err),
            (result, _) => result,
        };
        if changed {
            inner.version += 1;
            (result, Some(inner.version))
        } else {
            (result, None)
        }
    }
}

fn lock_error(e: LocalError) -> ProviderError {
    fail("WriteLockFile", "LocalCloudStorageError", e.to_string())
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

/// The resource at `key` in the canonical form, as the AWS adapter
/// returns it too.
fn read(sim: &Sim, key: &str, address: &Address) -> Resource {
    let rec = sim.rec(key);
    let schema = address.kind.schema().as_block();
    Resource {
        address: address.clone(),
        attrs: rec
            .map(|r| {
                let mut attrs = r.read_attrs();
                // A file an older berth wrote lacks the attributes added
                // since, nested blocks' too: they read as left out, as AWS
                // reads them, not as a change.
                let full = berth_provider::schema::complete(address.kind, &attrs);
                attrs.extend(full);
                // Record sets take no tags: their owner is berth's marker.
                if schema.attr("tags").is_none() {
                    attrs.remove("tags");
                }
                berth_provider::schema::canonical(&attrs, &schema)
            })
            .unwrap_or_default(),
        created: rec.and_then(|r| r.created.clone()),
    }
}

/// The key of the resource of `kind` AWS would know by `id`: its identity,
/// its ARN, the name of the kinds AWS lets one name by it (not security
/// groups: their names are unique per VPC only), a service's
/// `CLUSTER/SERVICE`, a task definition's `FAMILY:REVISION` or `FAMILY`
/// (its latest active revision), a Cloud Map service's id, a KMS key's id
/// or one of its aliases (as DescribeKey takes them).
fn lookup(sim: &Sim, kind: Kind, id: &str) -> Option<String> {
    // Route 53 ids as `berth import` takes them: `/hostedzone/Z...`, and a
    // record's `ZONE_NAME_TYPE` in any case, with or without the root's dot.
    let record;
    let id = match kind {
        Kind::HostedZone => dns::zone_id(id),
        Kind::DnsRecord => match dns::record_in(id) {
            Some((zone, name, kind)) => {
                record = dns::record_id(&zone, &name, &kind);
                &record
            }
            None => id,
        },
        _ => id,
    };
    let by_name = matches!(
        kind,
        Kind::Role
            | Kind::ManagedPolicy
            | Kind::LogGroup
            | Kind::Cluster
            | Kind::EcrRepository
            | Kind::SsmParameter
            | Kind::LoadBalancer
            | Kind::TargetGroup
            | Kind::SqsQueue
    );
    let named = |r: &crate::model::Record| {
        let is = |f: &str| str_of(&r.attrs, f) == Some(id);
        let service = || {
            service_in(id).is_some_and(|(cluster, name)| {
                str_of(&r.attrs, "cluster").map(cluster_name) == Some(cluster)
                    && str_of(&r.attrs, "name") == Some(name)
            })
        };
        is("arn")
            || (by_name && is("name"))
            || (kind == Kind::Service && service())
            || (kind == Kind::DiscoveryService && is("id"))
            || (kind == Kind::KmsKey
                && (is("key_id") || strs_of(&r.attrs, "aliases").iter().any(|a| a == id)))
    };
    if let Some(key) = sim
        .find(kind, id)
        .or_else(|| sim.all(kind).find(|(_, r)| named(r)).map(|(k, _)| k.clone()))
    {
        return Some(key);
    }
    if kind != Kind::TaskDefinition {
        return None;
    }
    let (family, revision) = revision_in(id);
    sim.all(kind)
        .filter(|(_, r)| !r.is_inactive() && str_of(&r.attrs, "family") == Some(family))
        .filter_map(|(k, r)| Some((r.attrs.get("revision")?.as_int()?, k)))
        .filter(|(n, _)| revision.is_none_or(|want| *n == want))
        .max()
        .map(|(_, k)| k.clone())
}

/// Refuses a change AWS cannot make in place.
fn check_in_place(kind: Kind, call: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let schema = kind.schema();
    let null = Value::Null;
    let attrs = schema
        .attrs
        .iter()
        .filter(|a| !a.is_computed())
        .filter(|a| {
            let (was, is) = (old.get(a.name), new.get(a.name));
            schema.forces_replacement(a, was.unwrap_or(&null), is.unwrap_or(&null))
        })
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
                | Kind::DefaultSecurityGroup
                | Kind::DefaultRouteTable
                | Kind::DefaultNetworkAcl
                | Kind::ElasticIp
                | Kind::NatGateway
                | Kind::VpcEndpoint
                | Kind::FlowLog => "OperationNotPermitted",
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
        self.retried(FaultOp::Read, stack, None, "GetResources", |sim| {
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
            let mut out: Vec<Resource> = found.into_iter().map(|(a, k)| read(sim, k, &a)).collect();
            berth_provider::dns::alias_targets(&mut out);
            Ok(out)
        })
        .await
    }

    /// Any visible record of the kind, tagged or not; deregistered task
    /// definitions are not found.
    async fn read_one(&self, address: &Address, id: &str) -> Result<Option<Found>, ProviderError> {
        let kind = address.kind;
        let call = read_call(kind);
        self.retried(FaultOp::Read, "", None, call, |sim| {
            sim.call(call);
            let found = lookup(sim, kind, id).filter(|k| sim.rec(k).is_some_and(|r| !r.is_inactive()));
            Ok(found.map(|key| {
                let owner = sim
                    .rec(&key)
                    .and_then(|r| Owner::of(r.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
                Found {
                    resource: read(sim, &key, address),
                    owner,
                }
            }))
        })
        .await
    }

    /// Sets berth's tags on the record, with the kind's tagging call; a
    /// listener's rules take the labels `live` gives them (AWS keeps a
    /// rule's label in its `berth:rule` tag).
    async fn adopt(&self, stack: &str, live: &Resource) -> Result<(), ProviderError> {
        let address = &live.address;
        let kind = address.kind;
        let call = api::of(kind).tag;
        self.retried(FaultOp::Update, stack, Some((kind, address)), call, |sim| {
            sim.call(call);
            let identity = str_of(&live.attrs, kind.schema().identity).unwrap_or_default();
            let key = lookup(sim, kind, identity).ok_or_else(|| sim::not_found(kind, identity, call))?;
            if let Some(rec) = sim.rec_mut(&key) {
                rec.tags.extend(adoption_tags(stack, address));
                if kind == Kind::Listener {
                    label_rules(&mut rec.attrs, &rule_labels(&live.attrs));
                }
            }
            Ok(())
        })
        .await
    }

    async fn create(&self, stack: &str, desired: &Resource) -> Result<Resource, ProviderError> {
        let address = &desired.address;
        let kind = address.kind;
        let call = api::of(kind).create;
        self.retried(FaultOp::Create, stack, Some((kind, address)), call, |sim| {
            let (mut attrs, mut tags) = normalise(kind, call, &desired.attrs)?;
            if kind == Kind::SecurityGroup {
                names::security_group(sim, stack, address, &mut attrs)?;
            }
            tags.insert(STACK_TAG.to_owned(), stack.to_owned());
            tags.insert(ADDRESS_TAG.to_owned(), address.to_string());
            let key = match kind {
                Kind::Vpc
                | Kind::Subnet
                | Kind::InternetGateway
                | Kind::RouteTable
                | Kind::SecurityGroup
                | Kind::SecurityGroupRule => ec2::create(sim, kind, attrs, tags)?,
                Kind::DefaultSecurityGroup => default_group::create(sim, attrs, tags)?,
                Kind::DefaultRouteTable => main_table::create(sim, attrs, tags)?,
                Kind::DefaultNetworkAcl => default_acl::create(sim, attrs, tags)?,
                Kind::NetworkAcl => network_acl::create(sim, attrs, tags)?,
                Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
                    elb::create(sim, kind, stack, address, attrs, tags)?
                }
                Kind::Cluster | Kind::TaskDefinition | Kind::Service => {
                    ecs::create(sim, kind, stack, address, attrs, tags)?
                }
                Kind::LogGroup => logs::create(sim, stack, address, attrs, tags)?,
                Kind::Role => iam::create(sim, stack, address, attrs, tags)?,
                Kind::ManagedPolicy => managed_policy::create(sim, stack, address, attrs, tags)?,
                Kind::ElasticIp | Kind::NatGateway => nat::create(sim, kind, stack, address, attrs, tags)?,
                Kind::VpcEndpoint => endpoint::create(sim, stack, address, attrs, tags)?,
                Kind::EcrRepository => ecr::create(sim, stack, address, attrs, tags)?,
                Kind::DnsNamespace => discovery::create_namespace(sim, attrs, tags)?,
                Kind::DiscoveryService => discovery::create_service(sim, attrs, tags)?,
                Kind::HostedZone => route53::create_zone(sim, attrs, tags)?,
                Kind::DnsRecord => route53::create_record(sim, attrs, tags)?,
                Kind::SsmParameter => ssm::create(sim, stack, address, attrs, tags)?,
                Kind::MetricAlarm => cloudwatch::create(sim, stack, address, attrs, tags)?,
                Kind::Secret => secrets::create(sim, stack, address, attrs, tags)?,
                Kind::Certificate => acm::create(sim, attrs, tags)?,
                Kind::KmsKey => kms::create(sim, attrs, tags)?,
                Kind::FlowLog => flow_logs::create(sim, stack, address, attrs, tags)?,
                Kind::SnsTopic => sns::create(sim, stack, address, attrs, tags)?,
                Kind::S3Bucket => s3::create(sim, stack, address, attrs, tags)?,
                Kind::SqsQueue => sqs::create(sim, stack, address, attrs, tags)?,
                Kind::EfsFileSystem => efs::create_file_system(sim, stack, address, attrs, tags)?,
                Kind::EfsAccessPoint => efs::create_access_point(sim, attrs, tags)?,
                Kind::EventRule => events::create(sim, stack, address, attrs, tags)?,
            };
            Ok(read(sim, &key, address))
        })
        .await
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
        self.retried(FaultOp::Update, stack, Some((kind, address)), api.update, |sim| {
            let key = locate(sim, stack, live, api.update)?;
            let (mut new, tags) = normalise(kind, api.update, &desired.attrs)?;
            let old = sim.rec(&key).map(|r| r.attrs.clone()).unwrap_or_default();
            keep_chosen(kind, &old, &mut new);
            check_in_place(kind, api.update, &old, &new)?;
            match kind {
                Kind::Vpc
                | Kind::Subnet
                | Kind::InternetGateway
                | Kind::RouteTable
                | Kind::SecurityGroup
                | Kind::SecurityGroupRule => ec2::update(sim, kind, &key, &old, &new)?,
                Kind::DefaultSecurityGroup => default_group::update(sim, &key, &old, &new)?,
                Kind::DefaultRouteTable => main_table::update(sim, &key, &old, &new)?,
                Kind::DefaultNetworkAcl => default_acl::update(sim, &old, &new)?,
                Kind::NetworkAcl => network_acl::update(sim, &key, &old, &new)?,
                Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
                    elb::update(sim, kind, &key, &old, &new)?
                }
                Kind::Cluster | Kind::TaskDefinition | Kind::Service => {
                    ecs::update(sim, kind, &key, &old, &mut new)?
                }
                Kind::LogGroup => logs::update(sim, &old, &new)?,
                Kind::Role => iam::update(sim, &old, &new)?,
                Kind::ManagedPolicy => managed_policy::update(sim, &key, &old, &new)?,
                // Only tags change in place.
                Kind::ElasticIp | Kind::NatGateway | Kind::FlowLog | Kind::EfsAccessPoint => {}
                Kind::VpcEndpoint => endpoint::update(sim, &old, &mut new)?,
                Kind::EcrRepository => ecr::update(sim, &old, &new)?,
                // Only tags change in place.
                Kind::DnsNamespace => {}
                Kind::DiscoveryService => discovery::update_service(sim, &old, &new)?,
                Kind::HostedZone => route53::update_zone(sim, &old, &new)?,
                Kind::DnsRecord => route53::update_record(sim, &mut new)?,
                Kind::SsmParameter => ssm::update(sim, &old, &mut new)?,
                Kind::MetricAlarm => cloudwatch::update(sim, &old, &new)?,
                Kind::Secret => secrets::update(sim, &old, &mut new)?,
                Kind::Certificate => acm::update(sim, &key, &old, &mut new)?,
                Kind::KmsKey => kms::update(sim, &key, &old, &new)?,
                Kind::SnsTopic => sns::update(sim, &old, &mut new)?,
                Kind::S3Bucket => s3::update(sim, &key, &old, &mut new, &tags)?,
                Kind::SqsQueue => sqs::update(sim, &old, &mut new, &desired.attrs)?,
                Kind::EfsFileSystem => efs::update_file_system(sim, &key, &old, &mut new)?,
                Kind::EventRule => events::update(sim, &old, &mut new)?,
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
            if let Some(rec) = sim.rec_mut(&key) {
                rec.attrs.extend(new);
                rec.tags.retain(|k, _| k == STACK_TAG || k == ADDRESS_TAG);
                rec.tags.extend(tags);
            }
            Ok(read(sim, &key, address))
        })
        .await
    }

    /// The account's file lock, taken when the cloud was opened, is every
    /// stack's lock: this records `me` as its holder.
    async fn try_lock(&self, _stack: &str, me: &LockInfo) -> Result<Option<LockInfo>, ProviderError> {
        self.lock().store.set_holder(Some(me)).map_err(lock_error)?;
        Ok(None)
    }

    async fn read_lock(&self, _stack: &str) -> Result<Option<LockInfo>, ProviderError> {
        Ok(self.lock().store.holder())
    }

    async fn refresh_lock(&self, _stack: &str, me: &LockInfo) -> Result<bool, ProviderError> {
        let mut guard = self.lock();
        if guard.store.holder().is_none_or(|h| h.id != me.id) {
            return Ok(false);
        }
        let beat = LockInfo {
            heartbeat: berth_provider::lock::now(),
            ..me.clone()
        };
        guard.store.set_holder(Some(&beat)).map_err(lock_error)?;
        Ok(true)
    }

    async fn release_lock(&self, _stack: &str, holder: &LockInfo) -> Result<bool, ProviderError> {
        let mut guard = self.lock();
        if guard.store.holder().is_none_or(|h| h.id != holder.id) {
            return Ok(false);
        }
        guard.store.set_holder(None).map_err(lock_error)?;
        Ok(true)
    }

    /// Per simulated call (no service prefix): the calls that reached the
    /// simulation, and the retries and throttles of injected faults.
    fn stats(&self) -> BTreeMap<String, OpStats> {
        let guard = self.lock();
        let mut out: BTreeMap<String, OpStats> = guard.retried.clone();
        for (call, n) in &guard.calls {
            out.entry(call.clone()).or_default().calls = *n;
        }
        out
    }

    /// Zones `a` to `f` of the region: those its subnets take.
    async fn availability_zones(&self) -> Result<Vec<String>, ProviderError> {
        self.retried(FaultOp::Read, "", None, "DescribeAvailabilityZones", |sim| {
            sim.call("DescribeAvailabilityZones");
            Ok(ec2::zones(sim.region))
        })
        .await
    }

    async fn lookup(&self, query: &Query) -> Result<Matches, ProviderError> {
        let call = lookup::call(query.kind);
        self.retried(FaultOp::Read, "", None, call, |sim| Ok(lookup::find(sim, query)))
            .await
    }

    async fn delete(&self, stack: &str, live: &Resource) -> Result<(), ProviderError> {
        let address = &live.address;
        let kind = address.kind;
        let call = api::of(kind).delete;
        self.retried(FaultOp::Delete, stack, Some((kind, address)), call, |sim| {
            let key = match locate(sim, stack, live, call) {
                Ok(key) => key,
                // DeleteRule succeeds however often it is called: a rule
                // not there (or another stack's, which this stack does
                // not see) is left as it is.
                Err(_) if kind == Kind::EventRule => {
                    sim.call(call);
                    return Ok(());
                }
                Err(e) => return Err(e),
            };
            match kind {
                Kind::Vpc
                | Kind::Subnet
                | Kind::InternetGateway
                | Kind::RouteTable
                | Kind::SecurityGroup
                | Kind::SecurityGroupRule => ec2::delete(sim, kind, &key),
                Kind::DefaultSecurityGroup => default_group::delete(sim, &key),
                Kind::DefaultRouteTable => main_table::delete(sim, &key),
                Kind::DefaultNetworkAcl => default_acl::delete(sim, &key),
                Kind::NetworkAcl => network_acl::delete(sim, &key),
                Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
                    elb::delete(sim, kind, &key)
                }
                Kind::Cluster | Kind::TaskDefinition | Kind::Service => ecs::delete(sim, kind, &key),
                Kind::LogGroup => logs::delete(sim, &key),
                Kind::Role => iam::delete(sim, &key),
                Kind::ManagedPolicy => managed_policy::delete(sim, &key),
                Kind::ElasticIp | Kind::NatGateway => nat::delete(sim, kind, &key),
                Kind::EcrRepository => ecr::delete(sim, &key),
                Kind::DnsNamespace => discovery::delete_namespace(sim, &key),
                Kind::DiscoveryService => discovery::delete_service(sim, &key),
                Kind::HostedZone => route53::delete_zone(sim, &key),
                Kind::DnsRecord => route53::delete_record(sim, &key),
                Kind::SsmParameter => ssm::delete(sim, &key),
                Kind::MetricAlarm => cloudwatch::delete(sim, &key),
                Kind::Secret => secrets::delete(sim, &key),
                Kind::Certificate => acm::delete(sim, &key),
                Kind::KmsKey => kms::delete(sim, &key),
                Kind::VpcEndpoint => {
                    sim.call(call);
                    sim.remove(&key);
                    Ok(())
                }
                Kind::FlowLog => flow_logs::delete(sim, &key),
                Kind::SnsTopic => sns::delete(sim, &key),
                Kind::S3Bucket => s3::delete(sim, &key),
                Kind::SqsQueue => sqs::delete(sim, &key),
                Kind::EfsFileSystem => efs::delete_file_system(sim, &key),
                Kind::EfsAccessPoint => efs::delete_access_point(sim, &key),
                Kind::EventRule => events::delete(sim, &key),
            }
        })
        .await
    }
}
