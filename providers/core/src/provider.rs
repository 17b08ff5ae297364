use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::time::Duration;

use crate::adopt::Found;
use crate::lookup::{Matches, Query};
use crate::{Address, Attrs, Kind, LockInfo, OpStats, ProviderError};

/// One resource: its address in the stack and its attributes.
///
/// As desired, references are already replaced by the values they point at.
/// As read from the cloud, it also holds the computed attributes (`id`,
/// `arn`, ...).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Resource {
    pub address: Address,
    pub attrs: Attrs,
    /// When the cloud made it (RFC 3339), for live resources whose API
    /// says so; `None` for desired ones and where AWS does not tell (EC2's
    /// networking). Shown when two live resources carry one address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

/// Two reads are equal when they say the same of the same address: a
/// create's answer (which may not carry the creation time) equals the
/// resource read back.
impl PartialEq for Resource {
    fn eq(&self, other: &Self) -> bool {
        self.address == other.address && self.attrs == other.attrs
    }
}

impl Eq for Resource {}

/// A resource berth does not own (another stack's, the console's) that the
/// configuration names by id, ARN or name where a reference could stand:
/// `listener { load_balancer = "arn:aws:elasticloadbalancing:..." }`. Its
/// children that belong to the stack are found through it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct External {
    pub kind: Kind,
    /// The id, ARN or name as written.
    pub id: String,
}

/// A cloud that can hold a stack's resources.
///
/// Implementations own naming, tagging (`berth:stack` and `berth:address` on
/// the create call itself) and the cloud's API rules; they never render.
/// Where a wait sends the events the cloud reports as it goes, one
/// message at a time (an ECS service event: "(service app) has started 2
/// tasks: ...").
pub type WaitEvents<'a> = dyn Fn(&Address, &str) + Send + Sync + 'a;

/// The error code of a wait whose deployment the cloud rolled back.
pub const ROLLED_BACK: &str = "DeploymentRolledBack";

#[async_trait]
pub trait Provider: Send + Sync {
    /// Every resource the cloud holds that is tagged with this stack, with its
    /// nested children (routes, rules, associations) folded into its parent.
    /// Resources AWS lists only under their parent (listeners under a load
    /// balancer, services in a cluster) are also looked for under the
    /// `external` parents.
    async fn read_stack(&self, stack: &str, external: &[External]) -> Result<Vec<Resource>, ProviderError>;

    /// [`Provider::read_stack`] with no external parents.
    async fn read_all(&self, stack: &str) -> Result<Vec<Resource>, ProviderError> {
        self.read_stack(stack, &[]).await
    }

    /// Reads the live resource of `address`'s kind that AWS knows by `id`
    /// (an id, an ARN or a name, as AWS names that kind), whatever its
    /// tags, in the form [`Provider::read_stack`] returns, at `address`,
    /// with the berth tags it carries. `Ok(None)` when there is none.
    async fn read_one(&self, address: &Address, id: &str) -> Result<Option<Found>, ProviderError>;

    /// Tags `live` (as [`Provider::read_one`] found it) with `berth:stack =
    /// stack` and `berth:address` = its address, so that the stack owns
    /// it from then on. Its other tags stay as they are. A listener's rules
    /// are tagged too, each with its label in `live` (see
    /// [`crate::adopt::label_rules`]).
    async fn adopt(&self, stack: &str, live: &Resource) -> Result<(), ProviderError>;

    /// Creates a resource and returns it as read back, computed values known.
    async fn create(&self, stack: &str, desired: &Resource) -> Result<Resource, ProviderError>;

    /// Changes a resource in place to match `desired`.
    async fn update(
        &self,
        stack: &str,
        live: &Resource,
        desired: &Resource,
    ) -> Result<Resource, ProviderError>;

    /// Deletes a resource.
    async fn delete(&self, stack: &str, live: &Resource) -> Result<(), ProviderError>;

    /// Takes the stack's lock for `me` if no one holds it (`Ok(None)`), by
    /// an atomic create in the cloud; otherwise returns the holder.
    async fn try_lock(&self, stack: &str, me: &LockInfo) -> Result<Option<LockInfo>, ProviderError>;

    /// The holder of the stack's lock, if anyone holds it.
    async fn read_lock(&self, stack: &str) -> Result<Option<LockInfo>, ProviderError>;

    /// Records a heartbeat of `me` in the lock: `Ok(false)` when the lock is
    /// no longer `me`'s (it was released by force).
    async fn refresh_lock(&self, stack: &str, me: &LockInfo) -> Result<bool, ProviderError>;

    /// Releases the stack's lock if `holder` (by its id) still holds it;
    /// `Ok(false)` when it no longer did (released, or taken, by force).
    async fn release_lock(&self, stack: &str, holder: &LockInfo) -> Result<bool, ProviderError>;

    /// The account the provider works in, named in the line saying where a
    /// run goes; `None` where there is none (the local cloud). An error
    /// when it cannot be asked: the endpoint or the credentials that fail
    /// this first call fail every later one, so a run stops at once,
    /// naming it, rather than waiting out each read in turn.
    async fn account(&self) -> Result<Option<String>, ProviderError> {
        Ok(None)
    }

    /// Calls made through this provider so far, per `service:Operation`,
    /// with the retries and throttles the provider handled.
    fn stats(&self) -> BTreeMap<String, OpStats>;

    /// Waits until `resource`, as created or read, is ready to serve (an ECS
    /// service: as many tasks running as desired, one deployment, on the
    /// task definition it names), for at most `timeout`, passing what the
    /// cloud reports meanwhile (ECS service events) to `events`. A
    /// deployment the cloud rolled back (the ECS circuit breaker) fails
    /// with code [`ROLLED_BACK`]. Kinds with nothing to wait for return at
    /// once.
    async fn wait_until_ready(
        &self,
        _resource: &Resource,
        _timeout: Duration,
        _events: &WaitEvents<'_>,
    ) -> Result<(), ProviderError> {
        Ok(())
    }

    /// The availability zones of the cloud's region that the account can
    /// use, by name, sorted: what `availability_zones()` evaluates to.
    async fn availability_zones(&self) -> Result<Vec<String>, ProviderError>;

    /// Every live resource a `data` block's filters match, whoever owns
    /// it, in no particular order: the language decides what zero or
    /// several matches mean. Reads only.
    async fn lookup(&self, query: &Query) -> Result<Matches, ProviderError>;
}
