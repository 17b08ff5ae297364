//! CloudWatch Logs: log groups named `/ecs/{stack}/{name}` unless the
//! configuration names them. CreateLogGroup
//! (tags in the call) + PutRetentionPolicy; DeleteRetentionPolicy when the
//! retention is removed; to read a stack's, the tagging API
//! (`GetResources`) and DescribeLogGroups under berth's prefix
//! ([`read_all`]); to adopt one, DescribeLogGroups + ListTagsForResource.
//! A group's metric filters are in [`metric_filters`].

mod metric_filters;

use std::collections::{HashMap, HashSet};

use aws_sdk_cloudwatchlogs::types::LogGroupClass;
use berth_provider::adopt::adoption_tags;
use berth_provider::naming;
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use crate::attrs::{
    attrs, complete, create_tags, created_at, i32_of, opt_int, opt_str, resource, str_of, tag_diff, user_tags,
};
use crate::scope::Scope;
use crate::tagging::{self, Tags};
use crate::{AwsProvider, paginate};
use metric_filters::FILTERS;

const SERVICE: &str = "logs";

/// The ARN without the `:*` suffix DescribeLogGroups adds.
fn bare(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let logs = &p.clients.logs;
    let mut a = complete(Kind::LogGroup, &desired.attrs);
    let name =
        naming::given(&a, "name").map_or_else(|| naming::log_group(stack, &desired.address), str::to_owned);
    let tags: HashMap<String, String> = create_tags(stack, &desired.address, &a).into_iter().collect();
    // CreateLogGroup answers nothing: the ARN is built from the caller's
    // account, asked before anything is made.
    let arn = p
        .caller()
        .await?
        .arn(SERVICE, p.region(), &format!("log-group:{name}"));
    p.call_once(SERVICE, "CreateLogGroup", || {
        logs.create_log_group()
            .log_group_name(&name)
            .set_kms_key_id(str_of(&a, "kms_key").map(str::to_owned))
            .set_log_group_class(str_of(&a, "class").map(LogGroupClass::from))
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    if let Some(days) = i32_of(&a, "retention_days") {
        put_retention(p, &name, days).await?;
    }
    metric_filters::settle(p, &name, &Attrs::new(), &a).await?;
    a.insert("arn".to_owned(), Value::String(arn));
    a.insert("name".to_owned(), Value::String(name));
    Ok(resource(desired.address.clone(), a))
}

async fn describe(
    p: &AwsProvider,
    name: &str,
) -> Result<Option<aws_sdk_cloudwatchlogs::types::LogGroup>, ProviderError> {
    let logs = &p.clients.logs;
    let out = p
        .call(SERVICE, "DescribeLogGroups", || {
            logs.describe_log_groups().log_group_name_prefix(name).send()
        })
        .await?;
    Ok(out
        .log_groups
        .unwrap_or_default()
        .into_iter()
        .find(|g| g.log_group_name() == Some(name)))
}

async fn put_retention(p: &AwsProvider, name: &str, days: i32) -> Result<(), ProviderError> {
    let logs = &p.clients.logs;
    p.call(SERVICE, "PutRetentionPolicy", || {
        logs.put_retention_policy()
            .log_group_name(name)
            .retention_in_days(days)
            .send()
    })
    .await?;
    Ok(())
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let logs = &p.clients.logs;
    let mut new = complete(Kind::LogGroup, &desired.attrs);
    let old = &live.attrs;
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    if old.get("retention_days") != new.get("retention_days") {
        match i32_of(&new, "retention_days") {
            Some(days) => put_retention(p, &name, days).await?,
            None => {
                p.call(SERVICE, "DeleteRetentionPolicy", || {
                    logs.delete_retention_policy().log_group_name(&name).send()
                })
                .await?;
            }
        }
    }
    if old.get("kms_key") != new.get("kms_key") {
        match str_of(&new, "kms_key") {
            Some(key) => {
                p.call(SERVICE, "AssociateKmsKey", || {
                    logs.associate_kms_key()
                        .log_group_name(&name)
                        .kms_key_id(key)
                        .send()
                })
                .await?;
            }
            None => {
                p.call(SERVICE, "DisassociateKmsKey", || {
                    logs.disassociate_kms_key().log_group_name(&name).send()
                })
                .await?;
            }
        }
    }
    if old.get(FILTERS) != new.get(FILTERS) {
        metric_filters::settle(p, &name, old, &new).await?;
    }
    let (set, removed) = tag_diff(old, &new);
    if !set.is_empty() {
        let tags: HashMap<String, String> = set.into_iter().collect();
        p.call(SERVICE, "TagResource", || {
            logs.tag_resource()
                .resource_arn(&arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            logs.untag_resource()
                .resource_arn(&arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    new.insert("arn".to_owned(), Value::String(arn));
    new.insert("name".to_owned(), Value::String(name));
    Ok(resource(live.address.clone(), new))
}

/// TagResource: berth's tags on a log group it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let logs = &p.clients.logs;
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    let tags: HashMap<String, String> = adoption_tags(stack, &live.address).into_iter().collect();
    p.call(SERVICE, "TagResource", || {
        logs.tag_resource()
            .resource_arn(arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let logs = &p.clients.logs;
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    // AWS deletes them with the group; emulators (moto) keep them, and a
    // group made again under the name would read them as its own.
    metric_filters::settle(p, name, &live.attrs, &Attrs::new()).await?;
    p.call_unless(SERVICE, "DeleteLogGroup", &["ResourceNotFoundException"], || {
        logs.delete_log_group().log_group_name(name).send()
    })
    .await?;
    Ok(())
}

/// The stack's log groups: those the tagging API lists with the stack's
/// tag, and those under berth's prefix (`/ecs/{stack}/`), listed by
/// DescribeLogGroups at the same time. A group of the tagging API outside
/// the prefix (a name the configuration gives) is described by its name; a
/// group under the prefix the tagging API does not list yet (created
/// seconds ago) has its tags read by ListTagsForResource.
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let logs = &p.clients.logs;
    let scope = Scope::Stack(stack);
    let prefix = naming::log_group_prefix(stack);
    let (tagged, listed) = tokio::join!(
        tagging::tagged(p, stack, "logs"),
        p.list(SERVICE, "DescribeLogGroups", || {
            paginate!(
                logs.describe_log_groups().log_group_name_prefix(&prefix),
                log_groups
            )
        }),
    );
    let tagged: HashMap<String, Tags> = tagged?
        .into_iter()
        .filter(|(arn, _)| arn.contains(":log-group:"))
        .map(|(arn, tags)| (name_in(&arn).to_owned(), tags))
        .collect();
    let mut groups = listed?;
    let known: HashSet<&str> = groups.iter().filter_map(|g| g.log_group_name()).collect();
    let elsewhere = tagged
        .keys()
        .filter(|name| !known.contains(name.as_str()))
        .map(|name| describe(p, name));
    let elsewhere = try_join_all(elsewhere).await?;
    groups.extend(elsewhere.into_iter().flatten());
    let reads = groups.iter().filter_map(|g| {
        let name = g.log_group_name()?;
        let arn = bare(g.arn()?);
        let tags = tagged.get(name);
        Some(async move {
            let tags = match tags {
                Some(tags) => tags.clone(),
                None => tags_of(p, arn).await?,
            };
            Ok::<_, ProviderError>((g, name, arn, tags))
        })
    });
    // The region's filters are listed beside the groups' tag reads, not
    // after them: one call, no longer chain of calls.
    let filters = async {
        match groups.is_empty() {
            true => Ok(HashMap::new()),
            false => metric_filters::by_group(p, None).await,
        }
    };
    let (read, filters) = tokio::try_join!(try_join_all(reads), filters)?;
    Ok(read
        .into_iter()
        .filter_map(|(g, name, arn, tags)| decode(&scope, g, (name, arn), &tags, &filters))
        .collect())
}

/// ListTagsForResource: the tags of the log group `arn`.
async fn tags_of(p: &AwsProvider, arn: &str) -> Result<Tags, ProviderError> {
    let logs = &p.clients.logs;
    let out = p
        .call(SERVICE, "ListTagsForResource", || {
            logs.list_tags_for_resource().resource_arn(arn).send()
        })
        .await?;
    Ok(out.tags.unwrap_or_default().into_iter().collect())
}

/// The log group `g` (named `name`, ARN `arn`) with `tags` and its
/// metric filters among `filters`, if `scope` looks for it.
fn decode(
    scope: &Scope<'_>,
    g: &aws_sdk_cloudwatchlogs::types::LogGroup,
    (name, arn): (&str, &str),
    tags: &Tags,
    filters: &HashMap<String, Vec<Value>>,
) -> Option<Resource> {
    let address = scope.address(Kind::LogGroup, tagging::pairs(tags))?;
    let a = attrs([
        (
            FILTERS,
            Value::List(filters.get(name).cloned().unwrap_or_default()),
        ),
        ("retention_days", opt_int(g.retention_in_days())),
        ("kms_key", opt_str(g.kms_key_id())),
        ("class", opt_str(g.log_group_class().map(LogGroupClass::as_str))),
        ("tags", user_tags(tagging::pairs(tags))),
        ("arn", Value::from(arn)),
        ("name", Value::from(name)),
    ]);
    let at = g.creation_time().map(aws_smithy_types::DateTime::from_millis);
    Some(created_at(resource(address, a), at.as_ref()))
}

/// The log group's name in `id`: the name itself or its ARN.
fn name_in(id: &str) -> &str {
    match id.split_once(":log-group:") {
        Some((_, name)) => bare(name),
        None => id,
    }
}

/// The log group `scope` looks for by its name or ARN (`berth import`),
/// read as the stack's are.
pub(crate) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let logs = &p.clients.logs;
    let wanted = scope.id().map(name_in);
    let groups = p
        .list(SERVICE, "DescribeLogGroups", || {
            paginate!(
                logs.describe_log_groups()
                    .set_log_group_name_prefix(wanted.map(str::to_owned)),
                log_groups
            )
        })
        .await?;
    let filters = match groups.is_empty() {
        true => HashMap::new(),
        false => metric_filters::by_group(p, wanted).await?,
    };
    let reads = groups.iter().filter_map(|g| {
        let name = g.log_group_name().filter(|n| wanted.is_none_or(|w| w == *n))?;
        let arn = bare(g.arn()?);
        let filters = &filters;
        Some(async move {
            let tags = tags_of(p, arn).await?;
            Ok::<_, ProviderError>(decode(scope, g, (name, arn), &tags, filters))
        })
    });
    let found: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(found.into_iter().flatten().collect())
}
