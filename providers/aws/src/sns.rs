//! SNS: `sns_topic`s and their subscriptions.
//!
//! Create: CreateTopic (name, attributes and tags in the call), then
//! Subscribe per `subscription` block; the policy of a topic given none is
//! read back (GetTopicAttributes), as a read would. Update:
//! SetTopicAttributes per changed attribute, TagResource / UntagResource,
//! and the subscriptions, known by protocol and endpoint, against what
//! ListSubscriptionsByTopic holds now: Subscribe the new ones, Unsubscribe
//! the removed ones, SetSubscriptionAttributes per changed attribute.
//! Delete: DeleteTopic, which takes the subscriptions with it.
//!
//! To read a stack's: the tagging API's topics of the stack, and ListTopics
//! at the same time (the tagging API lags on AWS: a topic under berth's
//! name prefix for the stack that it does not list yet has its tags read by
//! ListTagsForResource); then GetTopicAttributes, ListSubscriptionsByTopic
//! and GetSubscriptionAttributes per confirmed subscription.
//!
//! An email or HTTP(S) subscription waits for its owner's confirmation:
//! until then SNS lists it as `PendingConfirmation`, without its ARN, so it
//! reads with its protocol and endpoint and the defaults, and it cannot be
//! unsubscribed (SNS drops it after three days). moto confirms every
//! subscription at once.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_sns::types::{Subscription, Tag, Topic};
use berth_provider::adopt::adoption_tags;
use berth_provider::attrs::keep_chosen;
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value, naming, policy};
use futures::future::try_join_all;

use crate::attrs::{
    attrs, blocks_of, bool_of, canonical, checked_tags, complete, create_tags, named, opt_str, resource,
    str_of, tag_diff, user_tags,
};
use crate::errors::{gone, missing};
use crate::scope::Scope;
use crate::tagging::{self, Tags};
use crate::{AwsProvider, paginate};

const SERVICE: &str = "sns";

/// The tagging API's filter for topics: the service alone. A topic's ARN
/// (`arn:aws:sns:REGION:ACCOUNT:NAME`) names no resource type, and topics
/// are the only SNS resources berth tags; the reader keeps topic ARNs.
const RESOURCE_TYPE: &str = "sns";

/// What SNS answers for a topic or subscription that does not exist.
const NOT_FOUND: &str = "NotFound";

/// What SNS's tagging calls answer for a topic that does not exist.
const RESOURCE_NOT_FOUND: &str = "ResourceNotFound";

/// What ListSubscriptionsByTopic names a subscription by while it waits
/// for its owner's confirmation.
const PENDING: &str = "PendingConfirmation";

/// A subscription's attributes berth manages: the block's attribute and
/// SNS's name for it.
const SUBSCRIPTION_ATTRS: [(&str, &str); 3] = [
    ("raw_message_delivery", "RawMessageDelivery"),
    ("filter_policy", "FilterPolicy"),
    ("subscription_role", "SubscriptionRoleArn"),
];

/// The topic's attributes SetTopicAttributes changes as they are (the
/// policy aside: left out, it stays).
const TOPIC_ATTRS: [(&str, &str); 3] = [
    ("display_name", "DisplayName"),
    ("content_based_deduplication", "ContentBasedDeduplication"),
    ("kms_key", "KmsMasterKeyId"),
];

/// A subscription's identity: its protocol and endpoint.
type Key = (String, String);

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut a = complete(Kind::SnsTopic, &desired.attrs);
    // Protocols in SNS's case, the policy as a document.
    canonical(Kind::SnsTopic, &mut a);
    let fifo = bool_of(&a, "fifo");
    let name = naming::given(&a, "name")
        .map_or_else(|| naming::sns_topic(stack, &desired.address, fifo), str::to_owned);
    let call = "CreateTopic";
    let tags = checked_tags!(Tag, call, create_tags(stack, &desired.address, &a))?;
    let attributes = topic_attributes(&a);
    let sns = &p.clients.sns;
    // CreateTopic is idempotent by name: sent again after a lost answer,
    // with the same attributes and tags, it answers the ARN of the topic
    // the first sending made. (A topic of that name with other attributes
    // or tags is refused on AWS: InvalidParameter.)
    let out = p
        .call(SERVICE, call, || {
            sns.create_topic()
                .name(&name)
                .set_attributes(Some(attributes.clone()))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let arn = out.topic_arn.ok_or_else(|| missing(call))?;
    for sub in blocks_of(&a, "subscription") {
        subscribe(p, &arn, sub).await?;
    }
    if a.get("policy").is_none_or(|v| *v == Value::Null) {
        // Left out, SNS's default policy: read back, as a read would.
        let held = attributes_of(p, &arn)
            .await?
            .and_then(|held| held.get("Policy").map(|doc| policy::from_aws(doc)));
        a.insert("policy".to_owned(), held.unwrap_or(Value::Null));
    }
    Ok(resource(desired.address.clone(), named(a, name, arn)))
}

/// CreateTopic's attributes: only those `a` sets, as a FIFO topic's
/// deduplication is refused on a standard topic.
fn topic_attributes(a: &Attrs) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(display) = str_of(a, "display_name") {
        out.insert("DisplayName".to_owned(), display.to_owned());
    }
    if bool_of(a, "fifo") {
        out.insert("FifoTopic".to_owned(), "true".to_owned());
        out.insert(
            "ContentBasedDeduplication".to_owned(),
            bool_of(a, "content_based_deduplication").to_string(),
        );
    }
    if let Some(key) = str_of(a, "kms_key") {
        out.insert("KmsMasterKeyId".to_owned(), key.to_owned());
    }
    if let Some(doc) = document(a) {
        out.insert("Policy".to_owned(), doc);
    }
    out
}

/// Subscribe the block `sub` to `topic`, with only the attributes it sets
/// (raw delivery only when on: SNS refuses the attribute, even off, for
/// protocols without it, such as email). SNS answers a subscription the
/// topic already has (same protocol and endpoint) with its ARN, so a
/// resend after a lost answer makes no second one.
async fn subscribe(p: &AwsProvider, topic: &str, sub: &Attrs) -> Result<(), ProviderError> {
    let sns = &p.clients.sns;
    let mut attributes = HashMap::new();
    for (attr, aws) in SUBSCRIPTION_ATTRS {
        let value = match sub.get(attr) {
            Some(Value::String(v)) => v.clone(),
            Some(Value::Bool(true)) => "true".to_owned(),
            _ => continue,
        };
        attributes.insert(aws.to_owned(), value);
    }
    p.call(SERVICE, "Subscribe", || {
        sns.subscribe()
            .topic_arn(topic)
            .protocol(str_of(sub, "protocol").unwrap_or_default())
            .endpoint(str_of(sub, "endpoint").unwrap_or_default())
            .set_attributes(Some(attributes.clone()))
            .return_subscription_arn(true)
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
    let mut new = complete(Kind::SnsTopic, &desired.attrs);
    canonical(Kind::SnsTopic, &mut new);
    let old = &live.attrs;
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    // Left out, the topic keeps the policy it has.
    keep_chosen(Kind::SnsTopic, old, &mut new);
    let changed = |k: &str| old.get(k) != new.get(k);
    for (attr, aws) in TOPIC_ATTRS {
        if changed(attr) {
            // An empty value takes the attribute off (no display name, no
            // encryption).
            set_topic_attribute(p, &arn, aws, &text(new.get(attr))).await?;
        }
    }
    if changed("policy")
        && let Some(doc) = document(&new)
    {
        set_topic_attribute(p, &arn, "Policy", &doc).await?;
    }
    let (set, removed) = tag_diff(old, &new);
    retag(p, &arn, set, removed).await?;
    change_subscriptions(p, &arn, old, &new).await?;
    Ok(resource(live.address.clone(), named(new, name, arn)))
}

async fn set_topic_attribute(
    p: &AwsProvider,
    arn: &str,
    name: &str,
    value: &str,
) -> Result<(), ProviderError> {
    let sns = &p.clients.sns;
    p.call(SERVICE, "SetTopicAttributes", || {
        sns.set_topic_attributes()
            .topic_arn(arn)
            .attribute_name(name)
            .attribute_value(value)
            .send()
    })
    .await?;
    Ok(())
}

/// Brings the topic's subscriptions from `old`'s blocks to `new`'s,
/// against what SNS holds now: Subscribe the new ones, Unsubscribe the
/// removed ones, SetSubscriptionAttributes for a changed attribute.
async fn change_subscriptions(
    p: &AwsProvider,
    topic: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let (before, after) = (by_key(old), by_key(new));
    if before == after {
        return Ok(());
    }
    let sns = &p.clients.sns;
    let held: BTreeMap<Key, Option<String>> = list_subscriptions(p, topic)
        .await?
        .unwrap_or_default()
        .iter()
        .filter_map(|s| {
            let key = (s.protocol()?.to_owned(), s.endpoint()?.to_owned());
            match s.subscription_arn()? {
                arn if confirmed(arn) => Some((key, Some(arn.to_owned()))),
                PENDING => Some((key, None)),
                // Anything else (`Deleted`) is going away: subscribed again
                // if the configuration keeps it.
                _ => None,
            }
        })
        .collect();
    for (key, arn) in &held {
        if after.contains_key(key) {
            continue;
        }
        // A subscription pending confirmation has no ARN to unsubscribe
        // by: SNS drops it after three days.
        if let Some(arn) = arn {
            p.call_unless(SERVICE, "Unsubscribe", &[NOT_FOUND], || {
                sns.unsubscribe().subscription_arn(arn).send()
            })
            .await?;
        }
    }
    let defaults = default_subscription();
    for (key, sub) in &after {
        let Some(arn) = held.get(key) else {
            subscribe(p, topic, sub).await?;
            continue;
        };
        // A subscription pending confirmation has no ARN to change it by:
        // it keeps what it was subscribed with.
        let Some(arn) = arn else { continue };
        let was = before.get(key).copied().unwrap_or(&defaults);
        for (attr, aws) in SUBSCRIPTION_ATTRS {
            if was.get(attr) != sub.get(attr) {
                let value = text(sub.get(attr));
                p.call(SERVICE, "SetSubscriptionAttributes", || {
                    sns.set_subscription_attributes()
                        .subscription_arn(arn)
                        .attribute_name(aws)
                        .attribute_value(&value)
                        .send()
                })
                .await?;
            }
        }
    }
    Ok(())
}

/// The `subscription` blocks of `a` by protocol and endpoint.
fn by_key(a: &Attrs) -> BTreeMap<Key, &Attrs> {
    blocks_of(a, "subscription")
        .into_iter()
        .map(|sub| {
            let part = |k: &str| str_of(sub, k).unwrap_or_default().to_owned();
            ((part("protocol"), part("endpoint")), sub)
        })
        .collect()
}

/// A subscription's attributes as SNS holds them when none is set.
fn default_subscription() -> Attrs {
    attrs([
        ("raw_message_delivery", Value::Bool(false)),
        ("filter_policy", Value::Null),
        ("subscription_role", Value::Null),
    ])
}

/// An attribute's value as SNS's attribute calls take it: bools as
/// `true`/`false`, none as the empty string.
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

async fn retag(
    p: &AwsProvider,
    arn: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<(), ProviderError> {
    let sns = &p.clients.sns;
    if !set.is_empty() {
        let call = "TagResource";
        let tags = checked_tags!(Tag, call, set)?;
        p.call(SERVICE, call, || {
            sns.tag_resource()
                .resource_arn(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            sns.untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// TagResource: berth's tags on a topic it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    retag(p, arn, adoption_tags(stack, &live.address), Vec::new()).await
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let sns = &p.clients.sns;
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    // The topic's subscriptions go with it.
    p.call_unless(SERVICE, "DeleteTopic", &[NOT_FOUND], || {
        sns.delete_topic().topic_arn(arn).send()
    })
    .await?;
    Ok(())
}

/// The stack's topics (see the module's comment for how they are found).
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let prefix = naming::sns_topic_prefix(stack);
    let (tagged, listed) = tokio::try_join!(tagging::tagged(p, stack, RESOURCE_TYPE), list_topics(p))?;
    let mut found: HashMap<String, Tags> = tagged
        .into_iter()
        .filter(|(arn, _)| name_in(arn).is_some())
        .collect();
    let unlisted = listed
        .iter()
        .filter_map(Topic::topic_arn)
        .filter(|arn| name_in(arn).is_some_and(|name| name.starts_with(&prefix)))
        .filter(|arn| !found.contains_key(*arn));
    let reads = unlisted.map(|arn| async move {
        Ok::<_, ProviderError>(tags_of(p, arn).await?.map(|tags| (arn.to_owned(), tags)))
    });
    found.extend(try_join_all(reads).await?.into_iter().flatten());
    let scope = Scope::Stack(stack);
    let reads = found.iter().map(|(arn, tags)| read(p, &scope, arn, tags));
    let read: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(read.into_iter().flatten().collect())
}

/// The topic `scope` looks for, by ARN or name (in the provider's account
/// and region).
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    let arn = if id.starts_with("arn:") {
        id.to_owned()
    } else {
        p.caller().await?.arn(SERVICE, p.region(), id)
    };
    let Some(attributes) = attributes_of(p, &arn).await? else {
        return Ok(None);
    };
    let Some(tags) = tags_of(p, &arn).await? else {
        return Ok(None);
    };
    let Some(address) = scope.address(Kind::SnsTopic, tagging::pairs(&tags)) else {
        return Ok(None);
    };
    let Some(subscriptions) = subscriptions_of(p, &arn).await? else {
        return Ok(None);
    };
    Ok(Some(resource(
        address,
        decode(&arn, &attributes, &tags, subscriptions),
    )))
}

/// The topic `arn` with `tags`, if `scope` looks for it and it is still
/// there (the tagging API lists deleted topics for a while).
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    arn: &str,
    tags: &Tags,
) -> Result<Option<Resource>, ProviderError> {
    let Some(address) = scope.address(Kind::SnsTopic, tagging::pairs(tags)) else {
        return Ok(None);
    };
    let (attributes, subscriptions) = tokio::try_join!(attributes_of(p, arn), subscriptions_of(p, arn))?;
    let (Some(attributes), Some(subscriptions)) = (attributes, subscriptions) else {
        return Ok(None);
    };
    Ok(Some(resource(
        address,
        decode(arn, &attributes, tags, subscriptions),
    )))
}

/// A lookup's topics: those ListTopics lists whose ARN ends in the name.
pub(crate) async fn lookup(
    p: &AwsProvider,
    f: &berth_provider::lookup::Filters,
) -> Result<Vec<Attrs>, ProviderError> {
    Ok(list_topics(p)
        .await?
        .iter()
        .filter_map(|t| berth_provider::lookup::topic_match(t.topic_arn()?, f))
        .collect())
}

/// ListTopics: the ARNs of the account's topics in the region.
async fn list_topics(p: &AwsProvider) -> Result<Vec<Topic>, ProviderError> {
    let sns = &p.clients.sns;
    p.list(SERVICE, "ListTopics", || paginate!(sns.list_topics(), topics))
        .await
}

/// GetTopicAttributes; none when the topic is gone.
async fn attributes_of(p: &AwsProvider, arn: &str) -> Result<Option<HashMap<String, String>>, ProviderError> {
    let sns = &p.clients.sns;
    let out = p
        .call_unless(SERVICE, "GetTopicAttributes", &[NOT_FOUND], || {
            sns.get_topic_attributes().topic_arn(arn).send()
        })
        .await?;
    Ok(out.map(|o| o.attributes.unwrap_or_default()))
}

/// ListTagsForResource, as key/value pairs; none when the topic is gone.
async fn tags_of(p: &AwsProvider, arn: &str) -> Result<Option<Tags>, ProviderError> {
    let sns = &p.clients.sns;
    let out = p
        .call_unless(
            SERVICE,
            "ListTagsForResource",
            &[RESOURCE_NOT_FOUND, NOT_FOUND],
            || sns.list_tags_for_resource().resource_arn(arn).send(),
        )
        .await?;
    Ok(out.map(|o| {
        o.tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect()
    }))
}

/// ListSubscriptionsByTopic, paginated; none when the topic is gone.
async fn list_subscriptions(
    p: &AwsProvider,
    topic: &str,
) -> Result<Option<Vec<Subscription>>, ProviderError> {
    let sns = &p.clients.sns;
    p.list(SERVICE, "ListSubscriptionsByTopic", || {
        paginate!(sns.list_subscriptions_by_topic().topic_arn(topic), subscriptions)
    })
    .await
    .map(Some)
    .or_else(|e| gone(e, NOT_FOUND))
}

/// The topic's subscriptions as `subscription` blocks, in protocol and
/// endpoint order: a confirmed one with its attributes
/// (GetSubscriptionAttributes), a pending one with the defaults (SNS
/// names it by no ARN to read them by). None when the topic is gone.
async fn subscriptions_of(p: &AwsProvider, topic: &str) -> Result<Option<Vec<Value>>, ProviderError> {
    let Some(listed) = list_subscriptions(p, topic).await? else {
        return Ok(None);
    };
    let reads = listed.iter().map(|s| async move {
        let (Some(protocol), Some(endpoint)) = (s.protocol(), s.endpoint()) else {
            return Ok(None);
        };
        let arn = s.subscription_arn().unwrap_or_default();
        let held = if confirmed(arn) {
            match subscription_attributes(p, arn).await? {
                Some(held) => held,
                // Unsubscribed since the listing.
                None => return Ok(None),
            }
        } else if arn == PENDING {
            HashMap::new()
        } else {
            // Anything else (`Deleted`) is a subscription going away.
            return Ok(None);
        };
        let key = (protocol.to_owned(), endpoint.to_owned());
        Ok::<_, ProviderError>(Some((key, subscription(protocol, endpoint, &held))))
    });
    let found: BTreeMap<Key, Value> = try_join_all(reads).await?.into_iter().flatten().collect();
    Ok(Some(found.into_values().collect()))
}

/// GetSubscriptionAttributes; none when the subscription is gone.
async fn subscription_attributes(
    p: &AwsProvider,
    arn: &str,
) -> Result<Option<HashMap<String, String>>, ProviderError> {
    let sns = &p.clients.sns;
    let out = p
        .call_unless(SERVICE, "GetSubscriptionAttributes", &[NOT_FOUND], || {
            sns.get_subscription_attributes().subscription_arn(arn).send()
        })
        .await?;
    Ok(out.map(|o| o.attributes.unwrap_or_default()))
}

/// Whether ListSubscriptionsByTopic names a subscription by its ARN: a
/// confirmed one (a pending one is `PendingConfirmation`).
fn confirmed(arn: &str) -> bool {
    arn.starts_with("arn:")
}

/// The non-empty value of `key` among SNS's attributes.
fn attribute<'a>(held: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    held.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

/// Whether the attribute `key` is `true` (SNS writes bools as text).
fn flag(held: &HashMap<String, String>, key: &str) -> bool {
    attribute(held, key).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// One `subscription` block.
fn subscription(protocol: &str, endpoint: &str, held: &HashMap<String, String>) -> Value {
    Value::Map(attrs([
        ("protocol", Value::from(protocol)),
        ("endpoint", Value::from(endpoint)),
        (
            "raw_message_delivery",
            Value::Bool(flag(held, "RawMessageDelivery")),
        ),
        ("filter_policy", opt_str(attribute(held, "FilterPolicy"))),
        (
            "subscription_role",
            opt_str(attribute(held, "SubscriptionRoleArn")),
        ),
    ]))
}

/// The topic's attributes as berth holds them.
fn decode(arn: &str, held: &HashMap<String, String>, tags: &Tags, subscriptions: Vec<Value>) -> Attrs {
    attrs([
        ("display_name", opt_str(attribute(held, "DisplayName"))),
        ("fifo", Value::Bool(flag(held, "FifoTopic"))),
        (
            "content_based_deduplication",
            Value::Bool(flag(held, "ContentBasedDeduplication")),
        ),
        ("kms_key", opt_str(attribute(held, "KmsMasterKeyId"))),
        (
            "policy",
            attribute(held, "Policy").map_or(Value::Null, policy::from_aws),
        ),
        ("tags", user_tags(tagging::pairs(tags))),
        ("subscription", Value::List(subscriptions)),
        ("arn", Value::from(arn)),
        ("name", opt_str(name_in(arn))),
    ])
}

/// The topic's name in its ARN (`arn:P:sns:R:A:NAME`); none for another
/// ARN (a subscription's has one part more).
fn name_in(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts[..] {
        ["arn", _, "sns", _, _, name] if !name.is_empty() => Some(name),
        _ => None,
    }
}

/// The topic policy as SNS takes it, when one is given.
fn document(a: &Attrs) -> Option<String> {
    a.get("policy")
        .filter(|v| **v != Value::Null)
        .map(policy::to_json_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_come_out_of_topic_arns_only() {
        assert_eq!(
            name_in("arn:aws:sns:eu-west-1:123456789012:blog-alerts.fifo"),
            Some("blog-alerts.fifo")
        );
        assert_eq!(
            name_in("arn:aws:sns:eu-west-1:123456789012:blog-alerts:6d8f-11"),
            None,
            "a subscription"
        );
        assert_eq!(name_in("arn:aws:sqs:eu-west-1:123456789012:jobs"), None);
    }

    #[test]
    fn attributes_decode_with_defaults_for_what_sns_leaves_out() {
        let held: HashMap<String, String> = [
            ("DisplayName", ""),
            ("Policy", r#"{"Version":"2008-10-17","Statement":[]}"#),
            ("FifoTopic", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let tags = vec![
            ("berth:stack".to_owned(), "s".to_owned()),
            ("team".to_owned(), "web".to_owned()),
        ];
        let a = decode("arn:aws:sns:us-east-1:1:s-t.fifo", &held, &tags, Vec::new());
        assert_eq!(a["display_name"], Value::Null);
        assert_eq!(a["fifo"], Value::Bool(true));
        assert_eq!(a["content_based_deduplication"], Value::Bool(false));
        assert_eq!(a["kms_key"], Value::Null);
        assert!(matches!(a["policy"], Value::Map(_)), "{a:?}");
        assert_eq!(a["name"], Value::from("s-t.fifo"));
        assert_eq!(
            a["tags"],
            Value::Map(Attrs::from([("team".to_owned(), Value::from("web"))]))
        );
        let pending = subscription("email", "ops@example.com", &HashMap::new());
        assert_eq!(
            pending.as_map().map(|m| m["raw_message_delivery"].clone()),
            Some(Value::Bool(false))
        );
    }

    #[test]
    fn attribute_values_are_sns_text() {
        assert_eq!(text(Some(&Value::Bool(true))), "true");
        assert_eq!(text(Some(&Value::Null)), "");
        assert_eq!(text(Some(&Value::from("arn:aws:kms:x"))), "arn:aws:kms:x");
    }
}
