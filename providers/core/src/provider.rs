use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::{Address, Attrs, Kind, ProviderError};

/// One resource: its address in the stack and its attributes.
///
/// As desired, references are already replaced by the values they point at.
/// As read from the cloud, it also holds the computed attributes (`id`,
/// `arn`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub address: Address,
    pub attrs: Attrs,
}

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

    /// The availability zones of the cloud's region that the account can
    /// use, by name, sorted: what `availability_zones()` evaluates to.
    async fn availability_zones(&self) -> Result<Vec<String>, ProviderError>;
}
