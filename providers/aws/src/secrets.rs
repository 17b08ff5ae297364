//! Secrets Manager: `secret`s, named `{stack}/{name}` unless the
//! configuration names them. CreateSecret (value, key, tags in the call)
//! to create, UpdateSecret / PutSecretValue to change, TagResource /
//! UntagResource for tags; DeleteSecret with the recovery window the
//! configuration gives (kept in the tag `berth:recovery_window`, as
//! Secrets Manager keeps no such field). To read a stack's: ListSecrets
//! filtered on the stack's tag (tags in the answer), then GetSecretValue
//! per secret (a changed value is drift; a secret without a value reads
//! none).
//!
//! A secret deleted within its window keeps its name: a create of that
//! name fails. When the deleted secret is berth's at the same address
//! (`destroy`, then `apply`), berth restores it (RestoreSecret) and sets
//! it as configured instead, where Terraform stops.

use std::collections::BTreeMap;

use aws_sdk_secretsmanager::types::{Filter, FilterNameStringType, SecretListEntry, Tag};
use berth_provider::adopt::adoption_tags;
use berth_provider::{ADDRESS_TAG, Attrs, Kind, ProviderError, Resource, STACK_TAG, Value, naming};
use futures::future::try_join_all;

use crate::attrs::{
    attrs, complete, create_tags, int_of, named, opt_str, resource, str_of, tag_diff, user_tags,
};
use crate::errors::gone;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const SERVICE: &str = "secretsmanager";

/// Where a secret's recovery window is kept, when it is not the default.
const WINDOW_TAG: &str = "berth:recovery_window";
const DEFAULT_WINDOW: i64 = 30;

/// Secrets Manager's answers to a create of a name a secret holds: AWS's
/// for a deleted one, and the one for a live one (moto's for both).
const TAKEN: [&str; 2] = ["InvalidRequestException", "ResourceExistsException"];

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let a = complete(Kind::Secret, &desired.attrs);
    let name =
        naming::given(&a, "name").map_or_else(|| naming::secret(stack, &desired.address), str::to_owned);
    let mut tags = create_tags(stack, &desired.address, &a);
    if let Some(days) = window_tag(&a) {
        tags.insert(WINDOW_TAG.to_owned(), days);
    }
    let sm = &p.clients.secrets;
    // Idempotent: sent again after a lost answer, the same token gives back
    // the secret the first sending made. Secrets Manager wants 32 to 64
    // characters (the token becomes the first version's id).
    let token = format!(
        "{}-first-version",
        p.tokens.for_create(stack, &desired.address, &[&name])
    );
    let created = p
        .call_unless(SERVICE, "CreateSecret", &TAKEN, || {
            sm.create_secret()
                .name(&name)
                .client_request_token(&token)
                .set_secret_string(str_of(&a, "value").map(str::to_owned))
                .set_description(str_of(&a, "description").map(str::to_owned))
                .set_kms_key_id(str_of(&a, "kms_key").map(str::to_owned))
                .set_tags(Some(sm_tags(&tags)))
                .send()
        })
        .await?;
    let arn = match created {
        Some(out) => out.arn.unwrap_or_default(),
        None => restore(p, stack, desired, &name, &a).await?,
    };
    Ok(resource(desired.address.clone(), named(a, name, arn)))
}

/// RestoreSecret of the deleted secret `name` when it is berth's at this
/// address, then the configuration's value, description and key on it;
/// otherwise Secrets Manager's refusal.
async fn restore(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
    name: &str,
    a: &Attrs,
) -> Result<String, ProviderError> {
    let sm = &p.clients.secrets;
    let out = p
        .call(SERVICE, "DescribeSecret", || {
            sm.describe_secret().secret_id(name).send()
        })
        .await?;
    let tag = |key: &str| {
        out.tags()
            .iter()
            .find(|t| t.key() == Some(key))
            .and_then(Tag::value)
    };
    let address = desired.address.to_string();
    if out.deleted_date().is_none() {
        return Err(crate::errors::invalid(
            "CreateSecret",
            format!(
                "a secret named {name} already exists: import it (`berth import {address} {name}`) or name this one otherwise"
            ),
        ));
    }
    if tag(STACK_TAG) != Some(stack) || tag(ADDRESS_TAG) != Some(&address) {
        return Err(crate::errors::invalid(
            "CreateSecret",
            format!(
                "a secret named {name} is scheduled for deletion and is not {address} of stack {stack}: restore it or wait for its deletion"
            ),
        ));
    }
    p.call(SERVICE, "RestoreSecret", || {
        sm.restore_secret().secret_id(name).send()
    })
    .await?;
    let arn = out.arn().unwrap_or_default().to_owned();
    let old = decode(&out_entry(&out), None);
    apply_changes(p, &arn, &old, a, true).await?;
    retag_as(p, &arn, &old, a).await?;
    Ok(arn)
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let new = complete(Kind::Secret, &desired.attrs);
    let old = &live.attrs;
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    apply_changes(p, &arn, old, &new, false).await?;
    retag_as(p, &arn, old, &new).await?;
    let mut result = named(new, name, arn);
    if result.get("value").is_none_or(|v| *v == Value::Null) {
        // Left out, the value stays whatever it is.
        result.insert(
            "value".to_owned(),
            old.get("value").cloned().unwrap_or(Value::Null),
        );
    }
    Ok(resource(live.address.clone(), result))
}

/// UpdateSecret for a changed description or key (or all of them on a
/// restored secret), PutSecretValue for a value given and changed.
async fn apply_changes(
    p: &AwsProvider,
    arn: &str,
    old: &Attrs,
    new: &Attrs,
    all: bool,
) -> Result<(), ProviderError> {
    let sm = &p.clients.secrets;
    let changed = |k: &str| all || old.get(k) != new.get(k);
    if changed("description") || (changed("kms_key") && str_of(new, "kms_key").is_some()) {
        p.call(SERVICE, "UpdateSecret", || {
            sm.update_secret()
                .secret_id(arn)
                .description(str_of(new, "description").unwrap_or_default())
                .set_kms_key_id(str_of(new, "kms_key").map(str::to_owned))
                .send()
        })
        .await?;
    }
    if let Some(value) = str_of(new, "value")
        && (all || old.get("value") != new.get("value"))
    {
        p.call(SERVICE, "PutSecretValue", || {
            sm.put_secret_value().secret_id(arn).secret_string(value).send()
        })
        .await?;
    }
    Ok(())
}

/// The user's tags and the recovery window's tag from `old`'s to `new`'s.
async fn retag_as(p: &AwsProvider, arn: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let (mut set, mut removed) = tag_diff(old, new);
    if int_of(old, "recovery_window_days") != int_of(new, "recovery_window_days") {
        match window_tag(new) {
            Some(days) => {
                set.insert(WINDOW_TAG.to_owned(), days);
            }
            None => removed.push(WINDOW_TAG.to_owned()),
        }
    }
    retag(p, arn, set, removed).await
}

async fn retag(
    p: &AwsProvider,
    arn: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<(), ProviderError> {
    let sm = &p.clients.secrets;
    if !set.is_empty() {
        let tags = sm_tags(&set);
        p.call(SERVICE, "TagResource", || {
            sm.tag_resource()
                .secret_id(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            sm.untag_resource()
                .secret_id(arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// TagResource: berth's tags on a secret it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    retag(p, arn, adoption_tags(stack, &live.address), Vec::new()).await
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let sm = &p.clients.secrets;
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    let days = int_of(&live.attrs, "recovery_window_days").unwrap_or(DEFAULT_WINDOW);
    // Sent again after an unanswered one that took effect, DeleteSecret
    // refuses the secret as already marked deleted (InvalidRequestException):
    // done. Force-deleted, it is not found: done too.
    p.call_unless_repeated(
        SERVICE,
        "DeleteSecret",
        &["ResourceNotFoundException"],
        &["InvalidRequestException"],
        || {
            let delete = sm.delete_secret().secret_id(arn);
            match days {
                0 => delete.force_delete_without_recovery(true),
                days => delete.recovery_window_in_days(days),
            }
            .send()
        },
    )
    .await?;
    Ok(())
}

/// The stack's secrets: ListSecrets on the stack's tag, and their values.
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let filters = vec![
        filter(FilterNameStringType::TagKey, STACK_TAG),
        filter(FilterNameStringType::TagValue, stack),
    ];
    let listed = list(p, filters).await?;
    read(p, &Scope::Stack(stack), listed).await
}

/// The secret `scope` looks for, by name or ARN.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let sm = &p.clients.secrets;
    let id = scope.id().unwrap_or_default();
    let out = p
        .call(SERVICE, "DescribeSecret", || {
            sm.describe_secret().secret_id(id).send()
        })
        .await
        .map(Some)
        .or_else(|e| gone(e, "ResourceNotFoundException"))?;
    let Some(out) = out.filter(|o| o.deleted_date().is_none()) else {
        return Ok(None);
    };
    Ok(read(p, scope, vec![out_entry(&out)]).await?.into_iter().next())
}

fn filter(key: FilterNameStringType, value: &str) -> Filter {
    Filter::builder().key(key).values(value).build()
}

async fn list(p: &AwsProvider, filters: Vec<Filter>) -> Result<Vec<SecretListEntry>, ProviderError> {
    let sm = &p.clients.secrets;
    p.list(SERVICE, "ListSecrets", || {
        paginate!(
            sm.list_secrets()
                .set_filters(Some(filters.clone()))
                .max_results(100),
            secret_list
        )
    })
    .await
}

/// The secrets `listed` that `scope` looks for (ListSecrets filters on
/// any tag key and any tag value: the pair is checked here), with their
/// values.
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    listed: Vec<SecretListEntry>,
) -> Result<Vec<Resource>, ProviderError> {
    let reads = listed
        .into_iter()
        .filter(|s| s.deleted_date().is_none())
        .map(|entry| async move {
            let pairs = || entry.tags().iter().filter_map(|t| Some((t.key()?, t.value()?)));
            let Some(address) = scope.address(Kind::Secret, pairs()) else {
                return Ok(None);
            };
            let value = value_of(p, entry.arn().unwrap_or_default()).await?;
            Ok::<_, ProviderError>(Some(resource(address, decode(&entry, value))))
        });
    let found: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(found.into_iter().flatten().collect())
}

/// GetSecretValue's string; none for a secret without a value yet.
async fn value_of(p: &AwsProvider, arn: &str) -> Result<Option<String>, ProviderError> {
    let sm = &p.clients.secrets;
    let out = p
        .call(SERVICE, "GetSecretValue", || {
            sm.get_secret_value().secret_id(arn).send()
        })
        .await
        .map(Some)
        .or_else(|e| gone(e, "ResourceNotFoundException"))?;
    Ok(out.and_then(|o| o.secret_string))
}

/// DescribeSecret's answer as a listing's entry.
fn out_entry(
    out: &aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput,
) -> SecretListEntry {
    SecretListEntry::builder()
        .set_arn(out.arn().map(str::to_owned))
        .set_name(out.name().map(str::to_owned))
        .set_description(out.description().map(str::to_owned))
        .set_kms_key_id(out.kms_key_id().map(str::to_owned))
        .set_tags(Some(out.tags().to_vec()))
        .build()
}

fn decode(entry: &SecretListEntry, value: Option<String>) -> Attrs {
    let tags: Vec<(&str, &str)> = entry
        .tags()
        .iter()
        .filter_map(|t| Some((t.key()?, t.value()?)))
        .collect();
    let window = tags
        .iter()
        .find(|(k, _)| *k == WINDOW_TAG)
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .unwrap_or(DEFAULT_WINDOW);
    attrs([
        ("value", value.map_or(Value::Null, Value::String)),
        (
            "description",
            opt_str(entry.description().filter(|d| !d.is_empty())),
        ),
        ("kms_key", opt_str(entry.kms_key_id())),
        ("recovery_window_days", Value::Int(window)),
        (
            "tags",
            user_tags(tags.into_iter().filter(|(k, _)| *k != WINDOW_TAG)),
        ),
        ("arn", opt_str(entry.arn())),
        ("name", opt_str(entry.name())),
    ])
}

/// The window's tag value, when the configuration's is not the default.
fn window_tag(a: &Attrs) -> Option<String> {
    int_of(a, "recovery_window_days")
        .filter(|d| *d != DEFAULT_WINDOW)
        .map(|d| d.to_string())
}

fn sm_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}
