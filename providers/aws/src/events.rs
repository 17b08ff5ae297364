//! EventBridge: `event_rule`s on the default event bus, with their targets.
//!
//! Create: DescribeRule first: PutRule is an upsert, and would take over a
//! rule of that name that is not this stack's, so one the stack does not
//! hold under this address (its berth tags, read by ListTagsForResource,
//! say otherwise, or it has none) is refused before anything is sent. One
//! that is this address's was made by an earlier create whose answer was
//! lost: it is taken, and its targets no longer desired removed. Then
//! PutRule (name, schedule, pattern, description, state and tags in the
//! call) and PutTargets of every target. PutTargets and RemoveTargets
//! answer the targets they failed in their answer, not as an error: a
//! failed target is an error naming it, EventBridge's code and message (the
//! failed targets sent again, alone, while the code is transient, such as
//! ConcurrentModificationException). After a PutTargets that left a retry
//! policy to EventBridge, ListTargetsByRule reads what it chose.
//!
//! Update: PutRule with every setting when one changed (PutRule replaces
//! them all, and keeps the rule's tags and targets), TagResource /
//! UntagResource for the user's tags, RemoveTargets of the targets (by id)
//! no longer desired, then PutTargets of the new and changed ones (removed
//! first: a rule holds 5 targets at most).
//!
//! Delete: ListTargetsByRule, RemoveTargets of all of them (EventBridge
//! refuses to delete a rule that has targets), DeleteRule; a rule already
//! gone (ResourceNotFoundException) is deleted.
//!
//! To read a stack's: ListRules on the default bus and the tagging API's
//! rules of the stack at the same time; a listed rule the tagging API does
//! not answer (moto's lists no rules at all, AWS's lags) has its tags read
//! by ListTagsForResource, whatever its name, as a rule may have been given
//! one outside berth's prefix. Rules AWS services manage (ListRules names
//! them by `ManagedBy`) are left out. Then ListTargetsByRule per rule of
//! the stack. ListRules holds every setting of a rule: no DescribeRule.
//! The tagging API's rules ListRules does not hold are deleted ones it
//! still lists.
//!
//! A rule's name is its identity, in the provider's account and region,
//! on the default bus: `berth import` takes a name or an ARN
//! (`arn:aws:events:REGION:ACCOUNT:rule/NAME`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;

use aws_sdk_eventbridge::types::{
    AssignPublicIp, AwsVpcConfiguration, DeadLetterConfig, EcsParameters, LaunchType, NetworkConfiguration,
    PropagateTags, RetryPolicy, Rule, RuleState, SqsParameters, Tag, Target,
};
use berth_provider::adopt::adoption_tags;
use berth_provider::attrs::keep_chosen;
use berth_provider::{Address, Attrs, ErrorClass, Kind, ProviderError, Resource, Value, naming};
use futures::future::try_join_all;

use crate::AwsProvider;
use crate::attrs::{
    attrs, blocks_of, bool_of, canonical, checked_tags, complete, create_tags, i32_of, named, opt_int,
    opt_str, owned, resource, str_list, str_of, strs_of, tag_diff, user_tags,
};
use crate::errors::{build_error, classify, gone, missing};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::tagging::{self, Tags};

/// The service name counted in statistics (and of its endpoint,
/// `events.REGION.amazonaws.com`); IAM's actions are `events:...`.
const SERVICE: &str = "events";

/// The tagging API's filter for rules (on every bus; the reader keeps the
/// default bus's, whose ARNs are `...:rule/NAME`).
const RESOURCE_TYPE: &str = "events:rule";

/// What EventBridge answers for a rule that does not exist.
const NOT_FOUND: &str = "ResourceNotFoundException";

/// What berth answers for a rule of the name it would create that is not
/// the stack's (EventBridge's own code for a name taken).
const EXISTS: &str = "ResourceAlreadyExistsException";

/// The most rules or targets one ListRules or ListTargetsByRule page holds
/// (the API's limit).
const PAGE: i32 = 100;

/// The rule's settings PutRule sets, all at once.
const RULE_SETTINGS: [&str; 4] = ["schedule", "event_pattern", "description", "state"];

/// A target's settings EventBridge chooses when they are left out (its
/// retry policy).
const CHOSEN: [&str; 2] = ["maximum_event_age", "maximum_retry_attempts"];

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let address = &desired.address;
    let mut a = complete(Kind::EventRule, &desired.attrs);
    // Patterns and inputs as compact JSON with sorted keys, the state in
    // capitals: as they are sent and read back.
    canonical(Kind::EventRule, &mut a);
    let name = naming::given(&a, "name").map_or_else(|| naming::event_rule(stack, address), str::to_owned);
    let earlier = refuse_foreign(p, stack, address, &name).await?;
    let call = "PutRule";
    let tags = checked_tags!(Tag, call, create_tags(stack, address, &a))?;
    // Sent again after a lost answer, PutRule sets the same rule again.
    let arn = put_rule(p, &name, &a, Some(tags)).await?;
    let targets = blocks_of(&a, "target");
    if let Some(held) = earlier {
        // The user's tags an earlier create put (PutRule leaves an
        // existing rule's tags as they are), and its targets, where they
        // are not what is desired now.
        let was = attrs([("tags", user_tags(tagging::pairs(&held)))]);
        let (set, removed) = tag_diff(&was, &a);
        retag(p, &arn, set, removed).await?;
        let wanted: BTreeSet<&str> = targets.iter().filter_map(|t| str_of(t, "id")).collect();
        let held = list_targets(p, &name).await?.unwrap_or_default();
        let stale = held
            .iter()
            .map(Target::id)
            .filter(|id| !wanted.contains(id))
            .map(str::to_owned)
            .collect();
        remove_targets(p, &name, stale).await?;
    }
    put_targets(p, &name, &targets).await?;
    let ids = targets
        .iter()
        .filter_map(|t| str_of(t, "id").map(str::to_owned))
        .collect();
    chosen_by_eventbridge(p, &name, &mut a, &ids).await?;
    Ok(resource(address.clone(), named(a, name, arn)))
}

/// Refuses to create the rule `name` when one of that name exists that is
/// not this stack's `address` (PutRule would take it over); the tags of
/// the rule of this address an earlier create whose answer was lost made.
async fn refuse_foreign(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    name: &str,
) -> Result<Option<Tags>, ProviderError> {
    let Some(held) = describe(p, name).await? else {
        return Ok(None);
    };
    let Some(tags) = tags_of(p, &held.arn).await? else {
        // Deleted meanwhile.
        return Ok(None);
    };
    if owned(stack, Kind::EventRule, tagging::pairs(&tags)).as_ref() == Some(address) {
        return Ok(Some(tags));
    }
    Err(ProviderError::permanent(
        "PutRule",
        EXISTS,
        format!(
            "the rule {name} exists already, not as this stack's {address}: `berth import {address} {name}` adopts it, or give the rule another `name`"
        ),
    ))
}

/// PutRule with every setting of `a` (what it leaves out, the rule does
/// not keep), and `tags` for a new rule (an existing rule keeps its own);
/// the rule's ARN.
async fn put_rule(
    p: &AwsProvider,
    name: &str,
    a: &Attrs,
    tags: Option<Vec<Tag>>,
) -> Result<String, ProviderError> {
    let call = "PutRule";
    let events = &p.clients.events;
    let out = p
        .call(SERVICE, call, || {
            events
                .put_rule()
                .name(name)
                .set_schedule_expression(text(a, "schedule"))
                .set_event_pattern(text(a, "event_pattern"))
                .set_description(text(a, "description"))
                .set_state(text(a, "state").map(|s| RuleState::from(s.as_str())))
                .set_tags(tags.clone())
                .send()
        })
        .await?;
    out.rule_arn.ok_or_else(|| missing(call))
}

/// PutTargets of the `target` blocks `targets`; a target EventBridge
/// fails is an error, after the failed ones were sent again while its
/// code is transient.
async fn put_targets(p: &AwsProvider, rule: &str, targets: &[&Attrs]) -> Result<(), ProviderError> {
    let call = "PutTargets";
    let mut pending = targets
        .iter()
        .map(|t| sdk_target(call, t))
        .collect::<Result<Vec<Target>, _>>()?;
    if pending.is_empty() {
        return Ok(());
    }
    let events = &p.clients.events;
    let mut poll = Poll::new(
        call,
        format!("targets of the rule {rule} refused"),
        p.retry.deadline,
        p.retry.base_delay,
    );
    loop {
        let out = p
            .call(SERVICE, call, || {
                events
                    .put_targets()
                    .rule(rule)
                    .set_targets(Some(pending.clone()))
                    .send()
            })
            .await?;
        let failed: Vec<Failed> = out
            .failed_entries()
            .iter()
            .map(|e| Failed::of(e.target_id(), e.error_code(), e.error_message()))
            .collect();
        let Some(err) = failure(call, rule, out.failed_entry_count(), &failed) else {
            return Ok(());
        };
        pending.retain(|t| failed.iter().any(|f| f.id == t.id()));
        if err.class == ErrorClass::Permanent || pending.is_empty() || poll.pause(&err.message).await.is_err()
        {
            return Err(err);
        }
        p.stats.add_retry(SERVICE, call);
    }
}

/// RemoveTargets of `ids`; none to remove when the rule is gone. A target
/// EventBridge fails is an error, as for [`put_targets`].
async fn remove_targets(p: &AwsProvider, rule: &str, mut ids: Vec<String>) -> Result<(), ProviderError> {
    if ids.is_empty() {
        return Ok(());
    }
    let call = "RemoveTargets";
    let events = &p.clients.events;
    let mut poll = Poll::new(
        call,
        format!("targets of the rule {rule} kept"),
        p.retry.deadline,
        p.retry.base_delay,
    );
    loop {
        let out = p
            .call_unless(SERVICE, call, &[NOT_FOUND], || {
                events
                    .remove_targets()
                    .rule(rule)
                    .set_ids(Some(ids.clone()))
                    .send()
            })
            .await?;
        let Some(out) = out else { return Ok(()) };
        let failed: Vec<Failed> = out
            .failed_entries()
            .iter()
            .map(|e| Failed::of(e.target_id(), e.error_code(), e.error_message()))
            // A target already gone is removed.
            .filter(|f| f.code != NOT_FOUND)
            .collect();
        let count = if failed.is_empty() {
            0
        } else {
            out.failed_entry_count()
        };
        let Some(err) = failure(call, rule, count, &failed) else {
            return Ok(());
        };
        ids.retain(|id| failed.iter().any(|f| f.id == *id));
        if err.class == ErrorClass::Permanent || ids.is_empty() || poll.pause(&err.message).await.is_err() {
            return Err(err);
        }
        p.stats.add_retry(SERVICE, call);
    }
}

/// One target a PutTargets or RemoveTargets answer says failed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Failed {
    id: String,
    code: String,
    message: String,
}

impl Failed {
    fn of(id: Option<&str>, code: Option<&str>, message: Option<&str>) -> Failed {
        Failed {
            id: id.unwrap_or_default().to_owned(),
            code: code.unwrap_or("Unknown").to_owned(),
            message: message.unwrap_or_default().to_owned(),
        }
    }
}

/// The error of a `call` (PutTargets, RemoveTargets) that answered `count`
/// targets `failed`, naming each with EventBridge's code and message; none
/// when none failed. Its code is the first failure's; it is transient only
/// when every failure is (another change of the rule under way).
fn failure(call: &str, rule: &str, count: i32, failed: &[Failed]) -> Option<ProviderError> {
    if count == 0 && failed.is_empty() {
        return None;
    }
    let Some(first) = failed.first() else {
        return Some(ProviderError::permanent(
            call,
            "FailedEntry",
            format!("{count} target(s) of the rule {rule} failed, without saying which"),
        ));
    };
    let message = failed
        .iter()
        .map(|f| format!("target `{}` of the rule {rule}: {}: {}", f.id, f.code, f.message))
        .collect::<Vec<_>>()
        .join("; ");
    let retryable = failed
        .iter()
        .all(|f| classify(&f.code, &f.message, 400) != ErrorClass::Permanent);
    let class = if retryable {
        ErrorClass::Transient
    } else {
        ErrorClass::Permanent
    };
    Some(ProviderError::new(call, first.code.clone(), message, class))
}

/// The target block `t` as PutTargets takes it: an ECS target's settings
/// only with a `task_definition`, the network only when one is given.
fn sdk_target(call: &str, t: &Attrs) -> Result<Target, ProviderError> {
    let mut target = Target::builder()
        .id(str_of(t, "id").unwrap_or_default())
        .arn(str_of(t, "arn").unwrap_or_default())
        .set_role_arn(text(t, "role"))
        .set_input(text(t, "input"))
        .set_input_path(text(t, "input_path"));
    if let Some(task_definition) = str_of(t, "task_definition") {
        target = target.ecs_parameters(ecs_parameters(call, t, task_definition)?);
    }
    if let Some(queue) = text(t, "dead_letter_queue") {
        target = target.dead_letter_config(DeadLetterConfig::builder().arn(queue).build());
    }
    let (age, attempts) = (
        i32_of(t, "maximum_event_age"),
        i32_of(t, "maximum_retry_attempts"),
    );
    if age.is_some() || attempts.is_some() {
        target = target.retry_policy(
            RetryPolicy::builder()
                .set_maximum_event_age_in_seconds(age)
                .set_maximum_retry_attempts(attempts)
                .build(),
        );
    }
    if let Some(group) = text(t, "message_group_id") {
        target = target.sqs_parameters(SqsParameters::builder().message_group_id(group).build());
    }
    target.build().map_err(|e| build_error(call, e))
}

/// An ECS target's parameters.
fn ecs_parameters(call: &str, t: &Attrs, task_definition: &str) -> Result<EcsParameters, ProviderError> {
    let subnets = strs_of(t, "subnets");
    let groups = strs_of(t, "security_groups");
    let public = bool_of(t, "public_ip");
    let network = if subnets.is_empty() && groups.is_empty() && !public {
        None
    } else {
        let vpc = AwsVpcConfiguration::builder()
            .set_subnets(Some(subnets))
            .set_security_groups((!groups.is_empty()).then_some(groups))
            .assign_public_ip(if public {
                AssignPublicIp::Enabled
            } else {
                AssignPublicIp::Disabled
            })
            .build()
            .map_err(|e| build_error(call, e))?;
        Some(NetworkConfiguration::builder().awsvpc_configuration(vpc).build())
    };
    EcsParameters::builder()
        .task_definition_arn(task_definition)
        .task_count(i32_of(t, "task_count").unwrap_or(1))
        .set_launch_type(text(t, "launch_type").map(|l| LaunchType::from(l.as_str())))
        .set_platform_version(text(t, "platform_version"))
        .set_network_configuration(network)
        .set_propagate_tags(text(t, "propagate_tags").map(|v| PropagateTags::from(v.as_str())))
        .enable_ecs_managed_tags(bool_of(t, "enable_ecs_managed_tags"))
        .enable_execute_command(bool_of(t, "enable_execute_command"))
        .set_group(text(t, "group"))
        .build()
        .map_err(|e| build_error(call, e))
}

/// What EventBridge chose for the retry policy of the targets `ids` of
/// `a` that leave it out (ListTargetsByRule, only when one does).
async fn chosen_by_eventbridge(
    p: &AwsProvider,
    rule: &str,
    a: &mut Attrs,
    ids: &BTreeSet<String>,
) -> Result<(), ProviderError> {
    let left_out = blocks_of(a, "target").into_iter().any(|t| {
        str_of(t, "id").is_some_and(|id| ids.contains(id))
            && CHOSEN.iter().any(|k| t.get(*k).is_none_or(|v| *v == Value::Null))
    });
    if !left_out {
        return Ok(());
    }
    let held: BTreeMap<String, Value> = list_targets(p, rule)
        .await?
        .unwrap_or_default()
        .iter()
        .map(|t| (t.id().to_owned(), target_block(t)))
        .collect();
    let Some(Value::List(items)) = a.get_mut("target") else {
        return Ok(());
    };
    for item in items {
        let Value::Map(t) = item else { continue };
        let Some(id) = str_of(t, "id").filter(|id| ids.contains(*id)).map(str::to_owned) else {
            continue;
        };
        let Some(Value::Map(was)) = held.get(&id) else {
            continue;
        };
        for k in CHOSEN {
            if t.get(k).is_none_or(|v| *v == Value::Null)
                && let Some(v) = was.get(k)
            {
                t.insert(k.to_owned(), v.clone());
            }
        }
    }
    Ok(())
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut new = complete(Kind::EventRule, &desired.attrs);
    canonical(Kind::EventRule, &mut new);
    let old = &live.attrs;
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    // A target's retry policy left out stays what EventBridge chose.
    keep_chosen(Kind::EventRule, old, &mut new);
    let value = |a: &Attrs, k: &str| a.get(k).cloned().unwrap_or(Value::Null);
    if RULE_SETTINGS.iter().any(|k| value(old, k) != value(&new, k)) {
        put_rule(p, &name, &new, None).await?;
    }
    let (set, removed) = tag_diff(old, &new);
    retag(p, &arn, set, removed).await?;
    let (before, after) = (by_id(old), by_id(&new));
    let removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .map(|id| (*id).to_owned())
        .collect();
    remove_targets(p, &name, removed).await?;
    let changed: Vec<&Attrs> = after
        .iter()
        .filter(|(id, t)| before.get(*id).is_none_or(|was| !same_target(was, t)))
        .map(|(_, t)| *t)
        .collect();
    let ids: BTreeSet<String> = changed
        .iter()
        .filter_map(|t| str_of(t, "id").map(str::to_owned))
        .collect();
    put_targets(p, &name, &changed).await?;
    chosen_by_eventbridge(p, &name, &mut new, &ids).await?;
    Ok(resource(live.address.clone(), named(new, name, arn)))
}

/// The `target` blocks of `a` by id.
fn by_id(a: &Attrs) -> BTreeMap<&str, &Attrs> {
    blocks_of(a, "target")
        .into_iter()
        .filter_map(|t| Some((str_of(t, "id")?, t)))
        .collect()
}

/// Whether two target blocks set the same: every attribute of the block's
/// schema, one left out the same as null.
fn same_target(a: &Attrs, b: &Attrs) -> bool {
    let schema = Kind::EventRule.schema();
    let Some(block) = schema.blocks.iter().find(|b| b.name == "target") else {
        return a == b;
    };
    block
        .attrs
        .iter()
        .all(|attr| a.get(attr.name).unwrap_or(&Value::Null) == b.get(attr.name).unwrap_or(&Value::Null))
}

/// TagResource `set`, UntagResource `removed`.
async fn retag(
    p: &AwsProvider,
    arn: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<(), ProviderError> {
    let events = &p.clients.events;
    if !set.is_empty() {
        let call = "TagResource";
        let tags = checked_tags!(Tag, call, set)?;
        p.call(SERVICE, call, || {
            events
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            events
                .untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// TagResource: berth's tags on a rule it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    retag(p, arn, adoption_tags(stack, &live.address), Vec::new()).await
}

/// ListTargetsByRule, RemoveTargets of every target, DeleteRule; a rule
/// already gone is deleted.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    let Some(targets) = list_targets(p, name).await? else {
        return Ok(());
    };
    let ids = targets.iter().map(|t| t.id().to_owned()).collect();
    remove_targets(p, name, ids).await?;
    let events = &p.clients.events;
    p.call_unless(SERVICE, "DeleteRule", &[NOT_FOUND], || {
        events.delete_rule().name(name).send()
    })
    .await?;
    Ok(())
}

/// The stack's rules (see the module's comment for how they are found).
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let (tagged, listed) = tokio::try_join!(tagging::tagged(p, stack, RESOURCE_TYPE), list_rules(p))?;
    let reads = joined(&listed, &tagged)
        .into_iter()
        .map(|(held, tags)| async move {
            let tags = match tags {
                Some(tags) => tags.clone(),
                // Not answered by the tagging API (yet).
                None => match tags_of(p, &held.arn).await? {
                    Some(tags) => tags,
                    None => return Ok(None),
                },
            };
            read(p, &Scope::Stack(stack), held, &tags).await
        });
    let read: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(read.into_iter().flatten().collect())
}

/// The rules ListRules `listed` on the default bus that no AWS service
/// manages, each with its tags where the tagging API's answer `tagged` (by
/// ARN) has them. A rule `tagged` holds that `listed` does not is a
/// deleted one the tagging API still lists.
fn joined<'t>(listed: &[Rule], tagged: &'t HashMap<String, Tags>) -> Vec<(Held, Option<&'t Tags>)> {
    let tagged: HashMap<&str, &Tags> = tagged
        .iter()
        .filter_map(|(arn, tags)| Some((name_in(arn)?, tags)))
        .collect();
    listed
        .iter()
        .filter_map(Held::of_rule)
        .filter(|held| !held.managed)
        .map(|held| {
            let tags = tagged.get(held.name.as_str()).copied();
            (held, tags)
        })
        .collect()
}

/// The rule `scope` looks for, by name or ARN (on the default bus of the
/// provider's account and region); none for a rule an AWS service manages.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    let name = if id.starts_with("arn:") {
        match name_in(id) {
            Some(name) => name,
            None => return Ok(None),
        }
    } else {
        id
    };
    let Some(held) = describe(p, name).await? else {
        return Ok(None);
    };
    if held.managed {
        return Ok(None);
    }
    let Some(tags) = tags_of(p, &held.arn).await? else {
        return Ok(None);
    };
    read(p, scope, held, &tags).await
}

/// The rule `held` with `tags`, if `scope` looks for it, with its targets
/// (ListTargetsByRule); none when it is gone meanwhile.
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    held: Held,
    tags: &Tags,
) -> Result<Option<Resource>, ProviderError> {
    let Some(address) = scope.address(Kind::EventRule, tagging::pairs(tags)) else {
        return Ok(None);
    };
    let Some(targets) = list_targets(p, &held.name).await? else {
        return Ok(None);
    };
    Ok(Some(resource(address, decode(&held, tags, &targets))))
}

/// ListRules on the default bus, every page.
async fn list_rules(p: &AwsProvider) -> Result<Vec<Rule>, ProviderError> {
    let events = &p.clients.events;
    p.list(SERVICE, "ListRules", || {
        every_page(|token| async move {
            let page = events
                .list_rules()
                .limit(PAGE)
                .set_next_token(token)
                .send()
                .await?;
            Ok((page.rules.unwrap_or_default(), page.next_token))
        })
    })
    .await
}

/// Every page of a listing EventBridge pages by NextToken (its SDK has no
/// paginators): `page` sends the request of one token and answers its
/// items and the next token. The items, and how many pages they took.
async fn every_page<T, E, F, Fut>(mut page: F) -> Result<(Vec<T>, u64), E>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), E>>,
{
    let mut items = Vec::new();
    let mut next = None;
    let mut pages = 0u64;
    loop {
        let (found, token) = page(next).await?;
        pages += 1;
        items.extend(found);
        match token.filter(|t| !t.is_empty()) {
            Some(token) => next = Some(token),
            None => return Ok((items, pages)),
        }
    }
}

/// ListTargetsByRule, every page; none when the rule is gone.
async fn list_targets(p: &AwsProvider, rule: &str) -> Result<Option<Vec<Target>>, ProviderError> {
    let events = &p.clients.events;
    p.list(SERVICE, "ListTargetsByRule", || {
        every_page(|token| async move {
            let page = events
                .list_targets_by_rule()
                .rule(rule)
                .limit(PAGE)
                .set_next_token(token)
                .send()
                .await?;
            Ok((page.targets.unwrap_or_default(), page.next_token))
        })
    })
    .await
    .map(Some)
    .or_else(|e| gone(e, NOT_FOUND))
}

/// DescribeRule; none when there is no rule of that name.
async fn describe(p: &AwsProvider, name: &str) -> Result<Option<Held>, ProviderError> {
    let events = &p.clients.events;
    let out = p
        .call_unless(SERVICE, "DescribeRule", &[NOT_FOUND], || {
            events.describe_rule().name(name).send()
        })
        .await?;
    Ok(out.and_then(|o| {
        Some(Held {
            arn: o.arn?,
            name: o.name.unwrap_or_else(|| name.to_owned()),
            schedule: o.schedule_expression,
            pattern: o.event_pattern,
            description: o.description,
            state: o.state.map(|s| s.as_str().to_owned()),
            managed: o.managed_by.is_some_and(|m| !m.is_empty()),
        })
    }))
}

/// ListTagsForResource, as key/value pairs; none when the rule is gone.
async fn tags_of(p: &AwsProvider, arn: &str) -> Result<Option<Tags>, ProviderError> {
    let events = &p.clients.events;
    let out = p
        .call_unless(SERVICE, "ListTagsForResource", &[NOT_FOUND], || {
            events.list_tags_for_resource().resource_arn(arn).send()
        })
        .await?;
    Ok(out.map(|o| {
        o.tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect()
    }))
}

/// A rule's settings, as ListRules and DescribeRule answer them.
#[derive(Debug, Clone, Default)]
struct Held {
    name: String,
    arn: String,
    schedule: Option<String>,
    pattern: Option<String>,
    description: Option<String>,
    state: Option<String>,
    /// Managed by an AWS service (`ManagedBy`).
    managed: bool,
}

impl Held {
    /// A listed rule of the default bus.
    fn of_rule(r: &Rule) -> Option<Held> {
        if r.event_bus_name().is_some_and(|b| b != "default") {
            return None;
        }
        Some(Held {
            name: r.name()?.to_owned(),
            arn: r.arn()?.to_owned(),
            schedule: r.schedule_expression().map(str::to_owned),
            pattern: r.event_pattern().map(str::to_owned),
            description: r.description().map(str::to_owned),
            state: r.state().map(|s| s.as_str().to_owned()),
            managed: r.managed_by().is_some_and(|m| !m.is_empty()),
        })
    }
}

/// The non-empty `s`, as a value.
fn given(s: Option<&str>) -> Value {
    opt_str(s.filter(|s| !s.is_empty()))
}

/// The rule's attributes as berth holds them.
fn decode(held: &Held, tags: &Tags, targets: &[Target]) -> Attrs {
    attrs([
        ("schedule", given(held.schedule.as_deref())),
        ("event_pattern", given(held.pattern.as_deref())),
        ("description", given(held.description.as_deref())),
        (
            "state",
            Value::from(
                held.state
                    .as_deref()
                    .filter(|s| !s.is_empty())
                    .unwrap_or("ENABLED"),
            ),
        ),
        ("tags", user_tags(tagging::pairs(tags))),
        ("target", Value::List(targets.iter().map(target_block).collect())),
        ("arn", Value::from(held.arn.as_str())),
        ("name", Value::from(held.name.as_str())),
    ])
}

/// One `target` block: an ECS target's parameters, its network, dead-letter
/// queue, retry policy and SQS message group flattened into it.
fn target_block(t: &Target) -> Value {
    let ecs = t.ecs_parameters();
    let vpc = ecs
        .and_then(EcsParameters::network_configuration)
        .and_then(NetworkConfiguration::awsvpc_configuration);
    let retry = t.retry_policy();
    Value::Map(attrs([
        ("id", Value::from(t.id())),
        ("arn", Value::from(t.arn())),
        ("role", given(t.role_arn())),
        ("input", given(t.input())),
        ("input_path", given(t.input_path())),
        (
            "task_definition",
            given(ecs.map(EcsParameters::task_definition_arn)),
        ),
        (
            "task_count",
            Value::Int(i64::from(ecs.and_then(EcsParameters::task_count).unwrap_or(1))),
        ),
        (
            "launch_type",
            given(ecs.and_then(|e| e.launch_type()).map(LaunchType::as_str)),
        ),
        (
            "platform_version",
            given(ecs.and_then(EcsParameters::platform_version)),
        ),
        (
            "subnets",
            str_list(vpc.map(AwsVpcConfiguration::subnets).unwrap_or_default()),
        ),
        (
            "security_groups",
            str_list(vpc.map(AwsVpcConfiguration::security_groups).unwrap_or_default()),
        ),
        (
            "public_ip",
            Value::Bool(
                vpc.and_then(AwsVpcConfiguration::assign_public_ip) == Some(&AssignPublicIp::Enabled),
            ),
        ),
        (
            "propagate_tags",
            given(ecs.and_then(|e| e.propagate_tags()).map(PropagateTags::as_str)),
        ),
        (
            "enable_ecs_managed_tags",
            Value::Bool(ecs.is_some_and(EcsParameters::enable_ecs_managed_tags)),
        ),
        (
            "enable_execute_command",
            Value::Bool(ecs.is_some_and(EcsParameters::enable_execute_command)),
        ),
        ("group", given(ecs.and_then(EcsParameters::group))),
        (
            "dead_letter_queue",
            given(t.dead_letter_config().and_then(DeadLetterConfig::arn)),
        ),
        (
            "maximum_event_age",
            opt_int(retry.and_then(RetryPolicy::maximum_event_age_in_seconds)),
        ),
        (
            "maximum_retry_attempts",
            opt_int(retry.and_then(RetryPolicy::maximum_retry_attempts)),
        ),
        (
            "message_group_id",
            given(t.sqs_parameters().and_then(SqsParameters::message_group_id)),
        ),
    ]))
}

/// The string attribute `key` of `a`, owned, if set and not empty.
fn text(a: &Attrs, key: &str) -> Option<String> {
    str_of(a, key).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The rule's name in its ARN (`arn:P:events:R:A:rule/NAME`); none for a
/// rule of another bus (`rule/BUS/NAME`) or another ARN.
fn name_in(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts[..] {
        ["arn", _, "events", _, _, resource] => resource
            .strip_prefix("rule/")
            .filter(|name| !name.is_empty() && !name.contains('/')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_out_of_default_bus_rule_arns_only() {
        assert_eq!(
            name_in("arn:aws:events:eu-west-1:123456789012:rule/blog-nightly"),
            Some("blog-nightly")
        );
        assert_eq!(
            name_in("arn:aws:events:eu-west-1:123456789012:rule/orders/blog-nightly"),
            None,
            "a custom bus's"
        );
        assert_eq!(
            name_in("arn:aws:events:eu-west-1:123456789012:event-bus/orders"),
            None
        );
        assert_eq!(name_in("arn:aws:sns:eu-west-1:123456789012:rule/x"), None);
        assert_eq!(name_in("blog-nightly"), None);
    }

    #[test]
    fn an_ecs_target_round_trips_through_the_sdk() {
        let given = attrs([
            (
                "target",
                Value::List(vec![Value::Map(attrs([
                    ("id", Value::from("report")),
                    ("arn", Value::from("arn:aws:ecs:us-east-1:1:cluster/blog")),
                    ("role", Value::from("arn:aws:iam::1:role/berth/events")),
                    (
                        "task_definition",
                        Value::from("arn:aws:ecs:us-east-1:1:task-definition/t:3"),
                    ),
                    ("launch_type", Value::from("fargate")),
                    (
                        "subnets",
                        Value::List(vec![Value::from("subnet-b"), Value::from("subnet-a")]),
                    ),
                    ("public_ip", Value::Bool(true)),
                    ("input", Value::from(r#"{ "b": 1, "a": [2] }"#)),
                    ("maximum_retry_attempts", Value::Int(3)),
                ]))]),
            ),
            ("schedule", Value::from("rate(1 day)")),
        ]);
        let mut a = complete(Kind::EventRule, &given);
        canonical(Kind::EventRule, &mut a);
        let block = blocks_of(&a, "target")[0];
        let target = sdk_target("PutTargets", block).expect("a target");
        let ecs = target.ecs_parameters().expect("ECS parameters");
        assert_eq!(ecs.task_count(), Some(1));
        assert_eq!(ecs.launch_type(), Some(&LaunchType::Fargate));
        assert_eq!(target.input(), Some(r#"{"a":[2],"b":1}"#), "compact, keys sorted");
        assert_eq!(
            target
                .retry_policy()
                .and_then(RetryPolicy::maximum_event_age_in_seconds),
            None,
            "EventBridge's choice"
        );
        let mut read = attrs([("target", Value::List(vec![target_block(&target)]))]);
        canonical(Kind::EventRule, &mut read);
        assert_eq!(read["target"], a["target"], "reads back as sent");
    }

    #[test]
    fn a_plain_target_has_the_ecs_defaults_and_no_network() {
        let target = Target::builder()
            .id("keep")
            .arn("arn:aws:sqs:us-east-1:1:dlq.fifo")
            .sqs_parameters(SqsParameters::builder().message_group_id("g").build())
            .build()
            .expect("target");
        let block = target_block(&target);
        let block = block.as_map().expect("a block");
        assert_eq!(block["task_count"], Value::Int(1));
        assert_eq!(block["subnets"], Value::List(Vec::new()));
        assert_eq!(block["public_ip"], Value::Bool(false));
        assert_eq!(block["message_group_id"], Value::from("g"));
        assert_eq!(block["maximum_event_age"], Value::Null);
        let sent = sdk_target("PutTargets", block).expect("target");
        assert!(sent.ecs_parameters().is_none(), "{sent:?}");
    }

    #[test]
    fn listed_rules_take_the_tagging_apis_tags_where_it_has_them() {
        let listed = |name: &str| {
            Rule::builder()
                .name(name)
                .arn(format!("arn:aws:events:us-east-1:1:rule/{name}"))
                .event_bus_name("default")
                .schedule_expression("rate(1 day)")
                .build()
        };
        let rules = [
            listed("s-jobs"),
            listed("given"),
            Rule::builder()
                .name("aws-managed")
                .arn("arn:aws:events:us-east-1:1:rule/aws-managed")
                .managed_by("ecs.amazonaws.com")
                .build(),
            Rule::builder()
                .name("s-jobs")
                .arn("arn:aws:events:us-east-1:1:rule/orders/s-jobs")
                .event_bus_name("orders")
                .build(),
        ];
        let tags = vec![("berth:stack".to_owned(), "s".to_owned())];
        let tagged = HashMap::from([
            ("arn:aws:events:us-east-1:1:rule/s-jobs".to_owned(), tags.clone()),
            (
                "arn:aws:events:us-east-1:1:rule/s-deleted".to_owned(),
                tags.clone(),
            ),
            (
                "arn:aws:events:us-east-1:1:rule/orders/given".to_owned(),
                tags.clone(),
            ),
        ]);
        let found: Vec<(String, bool)> = joined(&rules, &tagged)
            .into_iter()
            .map(|(held, tags)| (held.name, tags.is_some()))
            .collect();
        // Managed and other buses' rules left out; the deleted one the
        // tagging API lists not read; the given name's tags to be read.
        assert_eq!(found, [("s-jobs".to_owned(), true), ("given".to_owned(), false)]);
    }

    #[test]
    fn failed_entries_name_the_target_and_the_code() {
        assert_eq!(failure("PutTargets", "r", 0, &[]), None);
        let refused = [Failed::of(
            Some("run"),
            Some("ValidationException"),
            Some("no role"),
        )];
        let err = failure("PutTargets", "blog-nightly", 1, &refused).expect("an error");
        assert_eq!(err.code, "ValidationException");
        assert_eq!(err.class, ErrorClass::Permanent);
        assert_eq!(
            err.to_string(),
            "PutTargets failed: ValidationException: target `run` of the rule blog-nightly: ValidationException: no role"
        );
        let busy = [Failed::of(
            Some("run"),
            Some("ConcurrentModificationException"),
            Some("busy"),
        )];
        assert_eq!(
            failure("PutTargets", "r", 1, &busy).map(|e| e.class),
            Some(ErrorClass::Transient)
        );
        let unnamed = failure("RemoveTargets", "r", 2, &[]).expect("an error");
        assert_eq!(unnamed.code, "FailedEntry");
    }
}
