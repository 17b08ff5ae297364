use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::{Address, Attrs, ProviderError};

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

/// A cloud that can hold a stack's resources.
///
/// Implementations own naming, tagging (`berth:stack` and `berth:address` on
/// the create call itself) and the cloud's API rules; they never render.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Every resource the cloud holds that is tagged with this stack, with its
    /// nested children (routes, rules, associations) folded into its parent.
    async fn read_all(&self, stack: &str) -> Result<Vec<Resource>, ProviderError>;

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
}
