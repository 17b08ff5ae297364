//! KMS: customer managed keys (`kms_key`) and the aliases naming them.
//!
//! Create: CreateKey (description, usage, spec, multi-Region, policy and
//! tags in the call, with `berth:deletion_window` when the window is not
//! 30 days, as KMS keeps no such field), then EnableKeyRotation,
//! DisableKey and CreateAlias per alias as configured. CreateKey takes no
//! idempotency token: it is sent once, and after a lost answer the
//! executor looks for the key by its tags (docs/aws.md, "Lost answers").
//!
//! A key has no name, and a destroyed one is only scheduled for deletion
//! (ScheduleKeyDeletion, after its aliases are deleted): within its
//! window it can come back. So a create first looks for a key of the
//! stack at the same address that is pending deletion (the tagging API,
//! then DescribeKey) and of the same usage, spec and multi-Region flag;
//! when there is one, berth restores it (CancelKeyDeletion, EnableKey, as
//! KMS leaves a restored key disabled) and brings it to the configuration
//! as an update would, instead of making a new key: what the key
//! encrypted (logs, secrets, parameters) stays readable.
//!
//! An alias another key holds is taken over (UpdateAlias) when that key
//! is berth's at the same address (the key a replacement replaces, or an
//! older one); any other holder is an error naming it.
//!
//! Read: the tagging API's keys of the stack, and ListAliases (account
//! wide) for keys given an alias in the last half hour that the tagging
//! API (which lags on AWS) does not list yet, their tags by
//! ListResourceTags; then DescribeKey (keys pending deletion are gone),
//! GetKeyPolicy and GetKeyRotationStatus per key.
//!
//! Lookup (`data kms_key`): DescribeKey of the id, ARN or alias given.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::time::Duration;

use aws_sdk_kms::types::{AliasListEntry, KeyManagerType, KeyMetadata, KeySpec, KeyState, KeyUsageType, Tag};
use berth_provider::adopt::adoption_tags;
use berth_provider::attrs::keep_chosen;
use berth_provider::kms::{ENCRYPT, SYMMETRIC, alias_movable, rotates};
use berth_provider::lookup::Matches;
use berth_provider::{ADDRESS_TAG, Address, Attrs, Kind, ProviderError, Resource, Value, policy};
use futures::future::try_join_all;

use crate::attrs::{
    attrs, bool_of, complete, create_tags, created_at, int_of, keep, opt_str, owned, resource, str_list,
    str_of, strs_of, tag_diff, user_tags,
};
use crate::errors::{build_error, gone, invalid, missing};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::tagging::{self, Tags};
use crate::{AwsProvider, paginate};

const SERVICE: &str = "kms";

/// The tagging API's resource type of a key.
const RESOURCE_TYPE: &str = "kms:key";

/// Where a key's deletion window is kept, when it is not the default.
const WINDOW_TAG: &str = "berth:deletion_window";
const DEFAULT_WINDOW: i64 = 30;

/// KMS's only key policy name.
const POLICY_NAME: &str = "default";

/// What KMS answers for a key or alias that does not exist.
const NOT_FOUND: &str = "NotFoundException";

/// What KMS answers for a call the key's state does not allow (a key
/// pending deletion, a disabled key's rotation).
const INVALID_STATE: &str = "KMSInvalidStateException";

/// How far back an alias the tagging API does not list the key of yet
/// may have been made or moved.
const LAG: Duration = Duration::from_secs(30 * 60);

/// How long CreateKey and PutKeyPolicy are sent again while KMS does not
/// yet see a principal the policy names (a role made seconds before: IAM
/// is eventually consistent).
const PROPAGATION: Duration = Duration::from_secs(2 * 60);

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let a = complete(Kind::KmsKey, &desired.attrs);
    check_aliases(p, stack, &desired.address, &a).await?;
    if let Some(meta) = pending(p, stack, &desired.address, &a).await? {
        return restore(p, stack, desired, a, &meta).await;
    }
    let call = "CreateKey";
    let mut tags = create_tags(stack, &desired.address, &a);
    if let Some(days) = window_tag(&a) {
        tags.insert(WINDOW_TAG.to_owned(), days);
    }
    let tags = kms_tags(call, tags)?;
    let doc = document(&a);
    let kms = &p.clients.kms;
    // No token: sent once, and after a lost answer the executor looks for
    // the key by its tags before making another.
    let out = while_principals_propagate(call, || {
        p.call_once(SERVICE, call, || {
            kms.create_key()
                .set_description(str_of(&a, "description").map(str::to_owned))
                .key_usage(KeyUsageType::from(str_of(&a, "usage").unwrap_or(ENCRYPT)))
                .key_spec(KeySpec::from(str_of(&a, "spec").unwrap_or(SYMMETRIC)))
                .multi_region(bool_of(&a, "multi_region"))
                .set_policy(doc.clone())
                .set_tags(Some(tags.clone()))
                .send()
        })
    })
    .await?;
    let meta = out.key_metadata.ok_or_else(|| missing(call))?;
    let key = meta.key_id().to_owned();
    let arn = meta.arn().unwrap_or_default().to_owned();
    if bool_of(&a, "rotation") {
        set_rotation(p, &key, true).await?;
    }
    if !bool_of(&a, "enabled") {
        set_enabled(p, &key, false).await?;
    }
    for alias in strs_of(&a, "aliases") {
        create_alias(p, stack, &desired.address, &key, &a, &alias).await?;
    }
    let mut done = a;
    if done.get("policy").is_none_or(|v| *v == Value::Null) {
        // Left out, KMS's default policy: read back, as a read would.
        let held = policy_of(p, &key).await?;
        done.insert("policy".to_owned(), held.unwrap_or(Value::Null));
    }
    Ok(resource(desired.address.clone(), made(done, arn, key)))
}

/// `a` with the key's ARN and id.
fn made(mut a: Attrs, arn: String, key: String) -> Attrs {
    a.insert("arn".to_owned(), Value::String(arn));
    a.insert("key_id".to_owned(), Value::String(key));
    a
}

/// The key of the stack at `address` that is pending deletion and of the
/// usage, spec and multi-Region flag `a` asks for (another one would be
/// a different key, which the configuration replaces): the newest, when
/// a replaced key is pending too.
async fn pending(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
) -> Result<Option<KeyMetadata>, ProviderError> {
    let wanted = address.to_string();
    let tagged = tagging::tagged(p, stack, RESOURCE_TYPE).await?;
    let here = tagged
        .iter()
        .filter(|(_, tags)| tags.iter().any(|(k, v)| k == ADDRESS_TAG && *v == wanted))
        .map(|(arn, _)| describe(p, arn));
    let found = try_join_all(here).await?;
    Ok(found
        .into_iter()
        .flatten()
        .filter(|m| m.key_state() == Some(&KeyState::PendingDeletion))
        .filter(|m| {
            str_of(a, "usage") == m.key_usage().map(KeyUsageType::as_str)
                && str_of(a, "spec") == m.key_spec().map(KeySpec::as_str)
                && bool_of(a, "multi_region") == m.multi_region().unwrap_or(false)
        })
        .max_by_key(|m| m.creation_date().map_or(0, |d| d.secs())))
}

/// CancelKeyDeletion and EnableKey of the key `meta`, pending deletion,
/// then the configuration `a` on it as an update brings it.
async fn restore(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
    a: Attrs,
    meta: &KeyMetadata,
) -> Result<Resource, ProviderError> {
    let kms = &p.clients.kms;
    let key = meta.key_id().to_owned();
    // Sent again after an unanswered one that took effect, KMS refuses to
    // cancel the deletion of a key no longer pending it: done.
    p.call_unless_repeated(SERVICE, "CancelKeyDeletion", &[], &[INVALID_STATE], || {
        kms.cancel_key_deletion().key_id(&key).send()
    })
    .await?;
    // KMS leaves a restored key disabled, and refuses rotation changes on
    // a disabled key: enabled here, disabled at the end when configured so.
    set_enabled(p, &key, true).await?;
    let old = current(p, &key)
        .await?
        .ok_or_else(|| ProviderError::permanent("DescribeKey", NOT_FOUND, format!("key {key} is gone")))?;
    let mut new = a;
    change(p, stack, &desired.address, &key, &old, &mut new).await?;
    keep(&mut new, &old, &["arn", "key_id"]);
    Ok(resource(desired.address.clone(), new))
}

pub(crate) async fn update(
    p: &AwsProvider,
    stack: &str,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut new = complete(Kind::KmsKey, &desired.attrs);
    let old = &live.attrs;
    let key = key_of(old).to_owned();
    change(p, stack, &live.address, &key, old, &mut new).await?;
    keep(&mut new, old, &["arn", "key_id"]);
    Ok(resource(live.address.clone(), new))
}

/// Brings the key `key` from `old` to `new` (a policy `new` leaves out
/// stays as it is: filled in from `old`). EnableKey first and DisableKey
/// last, as KMS refuses rotation changes on a disabled key.
async fn change(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    key: &str,
    old: &Attrs,
    new: &mut Attrs,
) -> Result<(), ProviderError> {
    let kms = &p.clients.kms;
    keep_chosen(Kind::KmsKey, old, new);
    let new = &*new;
    let changed = |k: &str| old.get(k) != new.get(k);
    if changed("description") {
        let description = str_of(new, "description").unwrap_or_default();
        p.call(SERVICE, "UpdateKeyDescription", || {
            kms.update_key_description()
                .key_id(key)
                .description(description)
                .send()
        })
        .await?;
    }
    if changed("policy")
        && let Some(doc) = document(new)
    {
        let call = "PutKeyPolicy";
        while_principals_propagate(call, || {
            p.call(SERVICE, call, || {
                kms.put_key_policy()
                    .key_id(key)
                    .policy_name(POLICY_NAME)
                    .policy(&doc)
                    .send()
            })
        })
        .await?;
    }
    let enabled = bool_of(new, "enabled");
    if enabled && !bool_of(old, "enabled") {
        set_enabled(p, key, true).await?;
    }
    if changed("rotation") {
        // On a key that stays disabled, KMS refuses this
        // (KMSInvalidStateException); moto takes it.
        set_rotation(p, key, bool_of(new, "rotation")).await?;
    }
    let (before, after) = (strs_of(old, "aliases"), strs_of(new, "aliases"));
    for alias in before.iter().filter(|a| !after.contains(a)) {
        p.call_unless(SERVICE, "DeleteAlias", &[NOT_FOUND], || {
            kms.delete_alias().alias_name(alias).send()
        })
        .await?;
    }
    for alias in after.iter().filter(|a| !before.contains(a)) {
        create_alias(p, stack, address, key, new, alias).await?;
    }
    retag_as(p, key, old, new).await?;
    if !enabled && bool_of(old, "enabled") {
        set_enabled(p, key, false).await?;
    }
    Ok(())
}

/// EnableKey or DisableKey.
async fn set_enabled(p: &AwsProvider, key: &str, enabled: bool) -> Result<(), ProviderError> {
    let kms = &p.clients.kms;
    if enabled {
        p.call(SERVICE, "EnableKey", || kms.enable_key().key_id(key).send())
            .await?;
    } else {
        p.call(SERVICE, "DisableKey", || kms.disable_key().key_id(key).send())
            .await?;
    }
    Ok(())
}

/// EnableKeyRotation or DisableKeyRotation.
async fn set_rotation(p: &AwsProvider, key: &str, on: bool) -> Result<(), ProviderError> {
    let kms = &p.clients.kms;
    if on {
        p.call(SERVICE, "EnableKeyRotation", || {
            kms.enable_key_rotation().key_id(key).send()
        })
        .await?;
    } else {
        p.call(SERVICE, "DisableKeyRotation", || {
            kms.disable_key_rotation().key_id(key).send()
        })
        .await?;
    }
    Ok(())
}

/// CreateAlias `alias` for `key` (berth's `address` of `stack`, of the
/// usage and spec in `a`). An alias another key holds is moved to `key`
/// when that key is berth's at the same address (the key a replacement
/// replaces, or an older one); otherwise it is an error naming the key.
/// Sent again after an unanswered one that took effect, it finds the
/// alias on `key` already: done.
async fn create_alias(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    key: &str,
    a: &Attrs,
    alias: &str,
) -> Result<(), ProviderError> {
    let kms = &p.clients.kms;
    let call = "CreateAlias";
    let send = || async {
        p.call(SERVICE, call, || {
            kms.create_alias().alias_name(alias).target_key_id(key).send()
        })
        .await
        .map(|_| ())
    };
    match send().await {
        Err(e) if e.code == "AlreadyExistsException" => {}
        other => return other,
    }
    // Sent once the alias is free: answered AlreadyExists, an earlier
    // sending took effect and its answer was lost when `key` holds it.
    let send_to_free = || async {
        match send().await {
            Err(e) if e.code == "AlreadyExistsException" => match holder_of(p, alias).await? {
                Some((holder, _)) if holder.key_id() == key => Ok(()),
                _ => Err(e),
            },
            other => other,
        }
    };
    let Some((holder, tags)) = holder_of(p, alias).await? else {
        // Deleted in between: it is free now.
        return send_to_free().await;
    };
    if holder.key_id() == key {
        return Ok(());
    }
    if let Some(refusal) = refused(stack, address, alias, &holder, &tags) {
        return Err(refusal);
    }
    if compatible(&holder, a) {
        p.call(SERVICE, "UpdateAlias", || {
            kms.update_alias().alias_name(alias).target_key_id(key).send()
        })
        .await?;
        return Ok(());
    }
    // UpdateAlias moves an alias only between keys of the same type and
    // usage (KMS: ValidationException; moto does not check): a key
    // replaced by one of another spec or usage gives it up first.
    p.call_unless(SERVICE, "DeleteAlias", &[NOT_FOUND], || {
        kms.delete_alias().alias_name(alias).send()
    })
    .await?;
    send_to_free().await
}

/// The key holding `alias`, with its tags; none when no key does.
async fn holder_of(p: &AwsProvider, alias: &str) -> Result<Option<(KeyMetadata, Tags)>, ProviderError> {
    let Some(holder) = describe(p, alias).await? else {
        return Ok(None);
    };
    let tags = tags_of(p, holder.key_id()).await?.unwrap_or_default();
    Ok(Some((holder, tags)))
}

/// The error for `alias`, which the key `holder` (tagged `tags`) holds,
/// unless that key is berth's `address` of `stack` (whose aliases its
/// successor takes over).
fn refused(
    stack: &str,
    address: &Address,
    alias: &str,
    holder: &KeyMetadata,
    tags: &Tags,
) -> Option<ProviderError> {
    if owned(stack, Kind::KmsKey, tagging::pairs(tags)).as_ref() == Some(address) {
        return None;
    }
    let owner = tags
        .iter()
        .find(|(k, _)| k == ADDRESS_TAG)
        .map(|(_, v)| format!(" ({v})"))
        .unwrap_or_default();
    Some(invalid(
        "CreateAlias",
        format!(
            "alias {alias} is held by key {}{owner}, not by {address} of stack {stack}: delete the alias or name this key otherwise",
            holder.key_id()
        ),
    ))
}

/// Refuses, before a key is made or restored, an alias that a key other
/// than berth's at `address` holds: CreateAlias would refuse it after
/// the key is made, leaving the key behind half configured.
async fn check_aliases(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
) -> Result<(), ProviderError> {
    let checks = strs_of(a, "aliases").into_iter().map(|alias| async move {
        match holder_of(p, &alias).await? {
            Some((holder, tags)) => refused(stack, address, &alias, &holder, &tags).map_or(Ok(()), Err),
            None => Ok(()),
        }
    });
    try_join_all(checks).await?;
    Ok(())
}

/// Whether UpdateAlias may move an alias from the key `holder` to a key
/// of the usage and spec in `a`.
fn compatible(holder: &KeyMetadata, a: &Attrs) -> bool {
    let spec = holder.key_spec().map_or(SYMMETRIC, KeySpec::as_str);
    let usage = holder.key_usage().map_or(ENCRYPT, KeyUsageType::as_str);
    let to = (
        str_of(a, "spec").unwrap_or(SYMMETRIC),
        str_of(a, "usage").unwrap_or(ENCRYPT),
    );
    alias_movable((spec, usage), to)
}

/// The user's tags and the window's tag from `old`'s to `new`'s.
async fn retag_as(p: &AwsProvider, key: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let (mut set, mut removed) = tag_diff(old, new);
    if window_of(old) != window_of(new) {
        match window_tag(new) {
            Some(days) => {
                set.insert(WINDOW_TAG.to_owned(), days);
            }
            None => removed.push(WINDOW_TAG.to_owned()),
        }
    }
    retag(p, key, set, removed).await
}

/// TagResource and UntagResource.
async fn retag(
    p: &AwsProvider,
    key: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<(), ProviderError> {
    let kms = &p.clients.kms;
    if !set.is_empty() {
        let tags = kms_tags("TagResource", set)?;
        p.call(SERVICE, "TagResource", || {
            kms.tag_resource().key_id(key).set_tags(Some(tags.clone())).send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            kms.untag_resource()
                .key_id(key)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// TagResource: berth's tags on a key it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    retag(
        p,
        key_of(&live.attrs),
        adoption_tags(stack, &live.address),
        Vec::new(),
    )
    .await
}

/// DeleteAlias of every alias naming the key (they would outlive it until
/// KMS deletes it, unusable, keeping their names from a new key), then
/// ScheduleKeyDeletion with the configured window.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let kms = &p.clients.kms;
    let key = key_of(&live.attrs);
    let aliases = match alias_names(p, key).await {
        Err(e) if e.code == NOT_FOUND => return Ok(()),
        other => other?,
    };
    for alias in &aliases {
        p.call_unless(SERVICE, "DeleteAlias", &[NOT_FOUND], || {
            kms.delete_alias().alias_name(alias).send()
        })
        .await?;
    }
    let days = int_of(&live.attrs, "deletion_window_days")
        .and_then(|d| i32::try_from(d).ok())
        .unwrap_or(DEFAULT_WINDOW as i32);
    let sent = p
        .call_unless(SERVICE, "ScheduleKeyDeletion", &[NOT_FOUND], || {
            kms.schedule_key_deletion()
                .key_id(key)
                .pending_window_in_days(days)
                .send()
        })
        .await;
    match sent {
        // A key already pending deletion (a delete sent again after a lost
        // answer) is refused by KMS; moto schedules it again.
        Err(e) if e.code == INVALID_STATE => {
            let state = describe(p, key).await?;
            if state.as_ref().is_none_or(|m| !live_state(m)) {
                Ok(())
            } else {
                Err(e)
            }
        }
        other => other.map(|_| ()),
    }
}

/// The stack's keys: those the tagging API lists, and those whose alias
/// was made or moved in the last half hour that it does not list yet
/// (their tags by ListResourceTags).
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let (tagged, aliases) =
        tokio::try_join!(tagging::tagged(p, stack, RESOURCE_TYPE), list_aliases(p, None))?;
    let mut found: HashMap<String, Tags> = tagged
        .into_iter()
        .map(|(arn, tags)| (key_id_in(&arn).to_owned(), tags))
        .collect();
    let lately = aws_smithy_types::DateTime::from(std::time::SystemTime::now() - LAG).secs();
    let mut unlisted: Vec<&str> = aliases
        .iter()
        // AWS managed keys are never a stack's.
        .filter(|a| a.alias_name().is_some_and(|n| !n.starts_with("alias/aws/")))
        // moto answers no dates: every alias counts as recent there.
        .filter(|a| {
            let at = a.last_updated_date().or(a.creation_date());
            at.is_none_or(|at| at.secs() >= lately)
        })
        .filter_map(AliasListEntry::target_key_id)
        .filter(|k| !found.contains_key(*k))
        .collect();
    unlisted.sort_unstable();
    unlisted.dedup();
    let reads = unlisted.into_iter().map(|key| async move {
        // A key the caller may not read the tags of (its policy says so)
        // is no key berth could manage: not the stack's.
        let tags = match tags_of(p, key).await {
            Err(e) if e.code == "AccessDeniedException" => None,
            other => other?,
        };
        Ok::<_, ProviderError>(tags.map(|t| (key.to_owned(), t)))
    });
    for (key, tags) in try_join_all(reads).await?.into_iter().flatten() {
        if owned(stack, Kind::KmsKey, tagging::pairs(&tags)).is_some() {
            found.insert(key, tags);
        }
    }
    let by_key = names_by_key(&aliases);
    let scope = Scope::Stack(stack);
    let reads = found.into_iter().map(|(key, tags)| {
        let (scope, by_key) = (&scope, &by_key);
        async move {
            if scope.address(Kind::KmsKey, tagging::pairs(&tags)).is_none() {
                return Ok(None);
            }
            let Some(meta) = describe(p, &key).await?.filter(live_state) else {
                return Ok(None);
            };
            let names = by_key.get(key.as_str()).cloned().unwrap_or_default();
            read(p, scope, meta, &tags, names).await
        }
    });
    let read: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(read.into_iter().flatten().collect())
}

/// The key `scope` looks for, by key id, key ARN or alias name.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    let Some(meta) = describe(p, id).await?.filter(live_state) else {
        return Ok(None);
    };
    let key = meta.key_id().to_owned();
    let (tags, names) = tokio::try_join!(tags_of(p, &key), alias_names(p, &key))?;
    let Some(tags) = tags else { return Ok(None) };
    read(p, scope, meta, &tags, names).await
}

/// `data kms_key`: DescribeKey of a key id, ARN or alias name, whoever
/// made the key (an AWS managed key's alias makes AWS make it); a key
/// pending deletion or none is no match.
pub(crate) async fn lookup(p: &AwsProvider, id: &str) -> Result<Matches, ProviderError> {
    let Some(meta) = describe(p, id).await?.filter(live_state) else {
        return Ok(Vec::new());
    };
    Ok(vec![attrs([
        ("arn", opt_str(meta.arn())),
        ("id", Value::from(meta.key_id())),
        ("description", opt_str(meta.description())),
        ("usage", opt_str(meta.key_usage().map(KeyUsageType::as_str))),
        ("spec", opt_str(meta.key_spec().map(KeySpec::as_str))),
        ("manager", opt_str(meta.key_manager().map(KeyManagerType::as_str))),
        ("state", opt_str(meta.key_state().map(KeyState::as_str))),
    ])])
}

/// The key `key` as it is now, whatever its tags: what a restore starts
/// from.
async fn current(p: &AwsProvider, key: &str) -> Result<Option<Attrs>, ProviderError> {
    let Some(meta) = describe(p, key).await? else {
        return Ok(None);
    };
    let (tags, names, doc, rotation) = tokio::try_join!(
        tags_of(p, key),
        alias_names(p, key),
        policy_of(p, key),
        rotation_of(p, &meta)
    )?;
    Ok(Some(decode(
        &meta,
        &tags.unwrap_or_default(),
        names,
        doc,
        rotation,
    )))
}

/// The key `meta` with `tags` and the alias `names` naming it, if `scope`
/// looks for it: its policy and rotation read.
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    meta: KeyMetadata,
    tags: &Tags,
    names: Vec<String>,
) -> Result<Option<Resource>, ProviderError> {
    let Some(address) = scope.address(Kind::KmsKey, tagging::pairs(tags)) else {
        return Ok(None);
    };
    let key = meta.key_id();
    let (doc, rotation) = tokio::try_join!(policy_of(p, key), rotation_of(p, &meta))?;
    let Some(doc) = doc else { return Ok(None) };
    let a = decode(&meta, tags, names, Some(doc), rotation);
    Ok(Some(created_at(resource(address, a), meta.creation_date())))
}

/// DescribeKey of a key id, key ARN or alias name; none when KMS knows no
/// such key or alias.
pub(crate) async fn describe(p: &AwsProvider, id: &str) -> Result<Option<KeyMetadata>, ProviderError> {
    let kms = &p.clients.kms;
    let out = p
        .call(SERVICE, "DescribeKey", || kms.describe_key().key_id(id).send())
        .await
        .map(Some)
        .or_else(|e| gone(e, NOT_FOUND))?;
    Ok(out.and_then(|o| o.key_metadata))
}

/// Whether a key is one a stack has: not pending deletion (of itself or,
/// for a multi-Region key, of its replicas first).
fn live_state(meta: &KeyMetadata) -> bool {
    !matches!(
        meta.key_state(),
        Some(KeyState::PendingDeletion | KeyState::PendingReplicaDeletion)
    )
}

/// GetKeyPolicy, as a document; none when the key is gone.
async fn policy_of(p: &AwsProvider, key: &str) -> Result<Option<Value>, ProviderError> {
    let kms = &p.clients.kms;
    let out = p
        .call_unless(SERVICE, "GetKeyPolicy", &[NOT_FOUND], || {
            kms.get_key_policy().key_id(key).policy_name(POLICY_NAME).send()
        })
        .await?;
    Ok(out.map(|o| o.policy().map_or(Value::Null, policy::from_aws)))
}

/// GetKeyRotationStatus of a symmetric encryption key; other keys never
/// rotate (KMS answers UnsupportedOperationException for them), so they
/// cost no call.
async fn rotation_of(p: &AwsProvider, meta: &KeyMetadata) -> Result<bool, ProviderError> {
    let spec = meta.key_spec().map_or(SYMMETRIC, KeySpec::as_str);
    if !rotates(spec) {
        return Ok(false);
    }
    let kms = &p.clients.kms;
    let out = p
        .call_unless(SERVICE, "GetKeyRotationStatus", &[NOT_FOUND], || {
            kms.get_key_rotation_status().key_id(meta.key_id()).send()
        })
        .await?;
    Ok(out.is_some_and(|o| o.key_rotation_enabled()))
}

/// ListResourceTags, as key/value pairs; none when the key is gone.
async fn tags_of(p: &AwsProvider, key: &str) -> Result<Option<Tags>, ProviderError> {
    let kms = &p.clients.kms;
    let tags = p
        .list(SERVICE, "ListResourceTags", || {
            paginate!(kms.list_resource_tags().key_id(key), tags)
        })
        .await
        .map(Some)
        .or_else(|e| gone(e, NOT_FOUND))?;
    Ok(tags.map(|tags| tags.into_iter().map(|t| (t.tag_key, t.tag_value)).collect()))
}

/// ListAliases: the account's aliases, or those of `key`.
async fn list_aliases(p: &AwsProvider, key: Option<&str>) -> Result<Vec<AliasListEntry>, ProviderError> {
    let kms = &p.clients.kms;
    p.list(SERVICE, "ListAliases", || {
        paginate!(
            kms.list_aliases().set_key_id(key.map(str::to_owned)).limit(100),
            aliases
        )
    })
    .await
}

/// The names of the aliases of `key`.
async fn alias_names(p: &AwsProvider, key: &str) -> Result<Vec<String>, ProviderError> {
    let aliases = list_aliases(p, Some(key)).await?;
    Ok(aliases
        .iter()
        .filter_map(AliasListEntry::alias_name)
        .map(str::to_owned)
        .collect())
}

/// Alias names by the key they name, each key's sorted.
fn names_by_key(aliases: &[AliasListEntry]) -> HashMap<&str, Vec<String>> {
    let mut out: HashMap<&str, Vec<String>> = HashMap::new();
    for a in aliases {
        if let (Some(name), Some(key)) = (a.alias_name(), a.target_key_id()) {
            out.entry(key).or_default().push(name.to_owned());
        }
    }
    for names in out.values_mut() {
        names.sort();
    }
    out
}

/// The key's attributes as berth holds them.
fn decode(
    meta: &KeyMetadata,
    tags: &Tags,
    mut aliases: Vec<String>,
    doc: Option<Value>,
    rotation: bool,
) -> Attrs {
    aliases.sort();
    let window = tags
        .iter()
        .find(|(k, _)| k == WINDOW_TAG)
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .unwrap_or(DEFAULT_WINDOW);
    attrs([
        (
            "description",
            opt_str(meta.description().filter(|d| !d.is_empty())),
        ),
        ("usage", opt_str(meta.key_usage().map(KeyUsageType::as_str))),
        ("spec", opt_str(meta.key_spec().map(KeySpec::as_str))),
        ("multi_region", Value::Bool(meta.multi_region().unwrap_or(false))),
        ("enabled", Value::Bool(meta.enabled())),
        ("rotation", Value::Bool(rotation)),
        ("deletion_window_days", Value::Int(window)),
        ("policy", doc.unwrap_or(Value::Null)),
        ("aliases", str_list(aliases)),
        (
            "tags",
            user_tags(tagging::pairs(tags).filter(|(k, _)| *k != WINDOW_TAG)),
        ),
        ("arn", opt_str(meta.arn())),
        ("key_id", Value::from(meta.key_id())),
    ])
}

/// The key's id in its ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
fn key_id_in(arn: &str) -> &str {
    arn.rsplit_once(":key/").map_or(arn, |(_, id)| id)
}

/// The id KMS calls take for the key of `a`: its key id, else its ARN.
fn key_of(a: &Attrs) -> &str {
    str_of(a, "key_id")
        .or_else(|| str_of(a, "arn"))
        .unwrap_or_default()
}

/// The key policy as KMS takes it, when one is given.
fn document(a: &Attrs) -> Option<String> {
    a.get("policy")
        .filter(|v| **v != Value::Null)
        .map(policy::to_json_text)
}

fn window_of(a: &Attrs) -> i64 {
    int_of(a, "deletion_window_days").unwrap_or(DEFAULT_WINDOW)
}

/// The window's tag value, when the configuration's is not the default.
fn window_tag(a: &Attrs) -> Option<String> {
    Some(window_of(a))
        .filter(|d| *d != DEFAULT_WINDOW)
        .map(|d| d.to_string())
}

/// `tags` as KMS's `Tag`s (TagKey/TagValue); a missing part is an error
/// of `call`.
fn kms_tags(call: &str, tags: BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.into_iter()
        .map(|(k, v)| Tag::builder().tag_key(k).tag_value(v).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| build_error(call, e))
}

/// Sends `f` again while KMS refuses its policy for naming a principal it
/// does not see yet (`MalformedPolicyDocumentException`, "invalid
/// principals"): a role made seconds before, as IAM is eventually
/// consistent. The refusal means the call did nothing, so sending it
/// again is safe. After [`PROPAGATION`], KMS's refusal is the error.
async fn while_principals_propagate<T, F, Fut>(call: &str, f: F) -> Result<T, ProviderError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let poll = Poll::new(
        call,
        "the policy's principals unknown".to_owned(),
        PROPAGATION,
        Duration::from_secs(2),
    );
    let unseen = |e: &ProviderError| {
        e.code == "MalformedPolicyDocumentException" && e.message.contains("invalid principals")
    };
    poll.resend_while(unseen, f).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(spec: &str, usage: &str) -> KeyMetadata {
        KeyMetadata::builder()
            .key_id("1234abcd-12ab-34cd-56ef-1234567890ab")
            .arn("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
            .key_spec(KeySpec::from(spec))
            .key_usage(KeyUsageType::from(usage))
            .enabled(true)
            .description("")
            .build()
            .expect("metadata")
    }

    #[test]
    fn the_window_lives_in_a_tag_and_an_empty_description_reads_as_none() {
        let tags = vec![
            (WINDOW_TAG.to_owned(), "7".to_owned()),
            ("team".to_owned(), "web".to_owned()),
            ("berth:stack".to_owned(), "s".to_owned()),
        ];
        let a = decode(
            &meta(SYMMETRIC, "ENCRYPT_DECRYPT"),
            &tags,
            vec!["alias/b".to_owned(), "alias/a".to_owned()],
            None,
            true,
        );
        assert_eq!(a["deletion_window_days"], Value::Int(7));
        assert_eq!(a["description"], Value::Null);
        assert_eq!(
            a["tags"],
            Value::Map(Attrs::from([("team".to_owned(), Value::from("web"))]))
        );
        assert_eq!(a["aliases"], str_list(["alias/a", "alias/b"]));
        assert_eq!(a["key_id"], Value::from("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assert_eq!(window_tag(&a), Some("7".to_owned()));
        assert_eq!(
            window_tag(&attrs([("deletion_window_days", Value::Int(30))])),
            None
        );
    }

    #[test]
    fn key_ids_in_arns() {
        assert_eq!(key_id_in("arn:aws:kms:us-east-1:1:key/mrk-1"), "mrk-1");
        assert_eq!(key_id_in("k"), "k");
    }
}
