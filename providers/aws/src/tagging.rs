//! The Resource Groups Tagging API: `GetResources` filtered on
//! `berth:stack = STACK` lists the ARNs of a stack's resources of a type,
//! with their tags, whatever service they belong to: one paginated listing
//! instead of a tag read per resource (log groups) or a listing per parent
//! (services per cluster, revisions per task definition family).
//!
//! It lists what was ever tagged, deleted resources included for a while
//! (inactive task definition revisions, draining services): readers keep
//! what the service's own Describe call says is live. It is eventually
//! consistent on AWS (moto answers at once): a resource created seconds
//! ago may be missing, so readers that can check cheaply fall back on
//! their own listing (see docs/aws.md).

use std::collections::HashMap;

use aws_sdk_resourcegroupstagging::types::TagFilter;
use berth_provider::{ProviderError, STACK_TAG};

use crate::{AwsProvider, paginate};

/// The service name counted in statistics (and of its endpoint,
/// `tagging.REGION.amazonaws.com`); the IAM action is `tag:GetResources`.
pub(crate) const SERVICE: &str = "tagging";

/// Most resources one page holds (the API's limit).
const PAGE: i32 = 100;

/// A resource's tags, as key/value pairs.
pub(crate) type Tags = Vec<(String, String)>;

/// The stack's resources of `resource_type` (`ecs:service`, `logs`, ...),
/// by ARN, with their tags.
pub(crate) async fn tagged(
    p: &AwsProvider,
    stack: &str,
    resource_type: &str,
) -> Result<HashMap<String, Tags>, ProviderError> {
    let tagging = &p.clients.tagging;
    let filter = TagFilter::builder().key(STACK_TAG).values(stack).build();
    let found = p
        .list(SERVICE, "GetResources", || {
            paginate!(
                tagging
                    .get_resources()
                    .tag_filters(filter.clone())
                    .resource_type_filters(resource_type)
                    .resources_per_page(PAGE),
                resource_tag_mapping_list
            )
        })
        .await?;
    Ok(found
        .into_iter()
        .filter_map(|r| {
            let tags = r
                .tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect();
            Some((r.resource_arn?, tags))
        })
        .collect())
}

/// Key/value pairs of `tags`.
pub(crate) fn pairs(tags: &Tags) -> impl Iterator<Item = (&str, &str)> {
    tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}
