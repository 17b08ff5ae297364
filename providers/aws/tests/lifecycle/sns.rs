//! `sns_topic` through the real SDK against moto: a FIFO topic named with
//! `.fifo`, its subscriptions added, changed and removed in place, a policy
//! given then changed (and left out: the topic keeps it), tags, deletes
//! sent twice, and a topic imported by its ARN or name and adopted.

use std::collections::BTreeMap;

use crate::support::*;
use berth_provider::{ADDRESS_TAG, Address, Kind, Provider, Resource, STACK_TAG, Value};

/// SNS's account of a subscription: its protocol and the attributes berth
/// manages (empty when unset).
#[derive(Debug, PartialEq)]
struct Held {
    protocol: String,
    raw: String,
    filter: String,
    role: String,
}

/// The topic's subscriptions as SNS holds them, by endpoint.
async fn subscriptions(env: &Env, topic: &str) -> BTreeMap<String, Held> {
    let sns = &env.raw.sns;
    let out = sns
        .list_subscriptions_by_topic()
        .topic_arn(topic)
        .send()
        .await
        .expect("ListSubscriptionsByTopic");
    let mut held = BTreeMap::new();
    for sub in out.subscriptions() {
        let out = sns
            .get_subscription_attributes()
            .subscription_arn(sub.subscription_arn().unwrap_or_default())
            .send()
            .await
            .expect("GetSubscriptionAttributes");
        let attrs = out.attributes().cloned().unwrap_or_default();
        let get = |k: &str| attrs.get(k).cloned().unwrap_or_default();
        held.insert(
            sub.endpoint().unwrap_or_default().to_owned(),
            Held {
                protocol: sub.protocol().unwrap_or_default().to_owned(),
                raw: get("RawMessageDelivery"),
                filter: get("FilterPolicy"),
                role: get("SubscriptionRoleArn"),
            },
        );
    }
    held
}

/// GetTopicAttributes.
async fn attributes(env: &Env, topic: &str) -> std::collections::HashMap<String, String> {
    let out = env
        .raw
        .sns
        .get_topic_attributes()
        .topic_arn(topic)
        .send()
        .await
        .expect("GetTopicAttributes");
    out.attributes().cloned().unwrap_or_default()
}

/// The topic's tags as SNS holds them.
async fn raw_tags(env: &Env, topic: &str) -> BTreeMap<String, String> {
    let out = env
        .raw
        .sns
        .list_tags_for_resource()
        .resource_arn(topic)
        .send()
        .await
        .expect("ListTagsForResource");
    out.tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

fn topic(name: &str, pairs: &[(&str, Value)]) -> Resource {
    desired(Kind::SnsTopic, name, pairs)
}

fn sub(protocol: &str, endpoint: &str, more: &[(&str, Value)]) -> Value {
    let mut pairs = vec![("protocol", s(protocol)), ("endpoint", s(endpoint))];
    pairs.extend(more.iter().cloned());
    block(&pairs)
}

fn one(r: &Resource) -> BTreeMap<String, Resource> {
    [(r.address.to_string(), r.clone())].into()
}

/// A policy letting `service` publish to any topic of the account.
fn publish_by(service: &str) -> Value {
    Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Id": "berth-test",
        "Statement": [{
            "Sid": "Publish",
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sns:Publish",
            "Resource": "*",
        }],
    }))
}

const QUEUE_A: &str = "arn:aws:sqs:us-east-1:123456789012:orders-a.fifo";
const QUEUE_B: &str = "arn:aws:sqs:us-east-1:123456789012:orders-b.fifo";
const QUEUE_C: &str = "arn:aws:sqs:us-east-1:123456789012:orders-c.fifo";

#[tokio::test]
async fn a_fifo_topic_changes_its_subscriptions_in_place() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "sns-fifo";
    let want = topic(
        "orders",
        &[
            ("fifo", Value::Bool(true)),
            ("content_based_deduplication", Value::Bool(true)),
            ("tags", tags(&[("team", "shop")])),
            (
                "subscription",
                list(vec![
                    sub("sqs", QUEUE_A, &[("raw_message_delivery", Value::Bool(true))]),
                    sub("SQS", QUEUE_B, &[("filter_policy", s(r#"{"kind":["refund"]}"#))]),
                ]),
            ),
        ],
    );
    let live = create(p, stack, want).await;
    assert_eq!(
        text(&live, "name"),
        "sns-fifo-orders.fifo",
        "berth's name, `.fifo` last"
    );
    let arn = text(&live, "arn");
    assert!(arn.ends_with(":sns-fifo-orders.fifo"), "{arn}");
    let held = attributes(&env, &arn).await;
    assert_eq!(held.get("FifoTopic").map(String::as_str), Some("true"));
    assert_eq!(
        held.get("ContentBasedDeduplication").map(String::as_str),
        Some("true")
    );
    let subs = subscriptions(&env, &arn).await;
    assert_eq!(subs.len(), 2, "{subs:?}");
    assert_eq!(subs[QUEUE_A].raw, "true");
    assert_eq!(subs[QUEUE_B].protocol, "sqs", "sent in SNS's case");
    assert_eq!(subs[QUEUE_B].filter, r#"{"kind":["refund"]}"#);
    assert!(
        matches!(live.attrs["policy"], Value::Map(_)),
        "SNS's default policy read back: {live:?}"
    );
    assert_same(&read(p, stack).await, &one(&live));

    // A removed, B's filter changed and raw delivery on, C added;
    // deduplication off and the tags changed: all in place.
    let changed = topic(
        "orders",
        &[
            ("fifo", Value::Bool(true)),
            ("tags", tags(&[("team", "billing"), ("tier", "1")])),
            (
                "subscription",
                list(vec![
                    sub(
                        "sqs",
                        QUEUE_B,
                        &[
                            ("filter_policy", s(r#"{"kind":["refund","void"]}"#)),
                            ("raw_message_delivery", Value::Bool(true)),
                        ],
                    ),
                    sub("sqs", QUEUE_C, &[]),
                ]),
            ),
        ],
    );
    let updated = p.update(stack, &live, &changed).await.expect("update");
    assert_eq!(text(&updated, "arn"), arn, "the same topic");
    assert_eq!(updated.attrs["policy"], live.attrs["policy"], "the policy stays");
    let subs = subscriptions(&env, &arn).await;
    assert_eq!(
        subs.keys().map(String::as_str).collect::<Vec<_>>(),
        [QUEUE_B, QUEUE_C],
        "{subs:?}"
    );
    assert_eq!(subs[QUEUE_B].raw, "true");
    assert_eq!(subs[QUEUE_B].filter, r#"{"kind":["refund","void"]}"#);
    assert_ne!(subs[QUEUE_C].raw, "true");
    let held = attributes(&env, &arn).await;
    assert_eq!(
        held.get("ContentBasedDeduplication").map(String::as_str),
        Some("false")
    );
    let held = raw_tags(&env, &arn).await;
    assert_eq!(held.get("team").map(String::as_str), Some("billing"));
    assert_eq!(held.get("tier").map(String::as_str), Some("1"));
    assert_eq!(held.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_same(&read(p, stack).await, &one(&updated));

    // B's filter and raw delivery taken off, the tier tag removed.
    let back = topic(
        "orders",
        &[
            ("fifo", Value::Bool(true)),
            ("tags", tags(&[("team", "billing")])),
            (
                "subscription",
                list(vec![sub("sqs", QUEUE_B, &[]), sub("sqs", QUEUE_C, &[])]),
            ),
        ],
    );
    let again = p.update(stack, &updated, &back).await.expect("update");
    let subs = subscriptions(&env, &arn).await;
    assert_ne!(subs[QUEUE_B].raw, "true", "{subs:?}");
    assert_eq!(subs[QUEUE_B].filter, "");
    assert!(!raw_tags(&env, &arn).await.contains_key("tier"));
    assert_same(&read(p, stack).await, &one(&again));

    // Deleted, with its subscriptions; a delete sent again is done.
    p.delete(stack, &again).await.expect("delete");
    p.delete(stack, &again).await.expect("delete again");
    assert!(read(p, stack).await.is_empty());
    let out = env.raw.sns.list_topics().send().await.expect("ListTopics");
    assert!(out.topics().is_empty(), "{out:?}");
    let out = env
        .raw
        .sns
        .list_subscriptions()
        .send()
        .await
        .expect("ListSubscriptions");
    assert!(out.subscriptions().is_empty(), "{out:?}");
}

#[tokio::test]
async fn a_policy_given_then_changed_stays_when_left_out() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "sns-policy";
    let role = "arn:aws:iam::123456789012:role/berth/firehose";
    let want = topic(
        "ops",
        &[
            ("name", s("ops-alerts")),
            ("display_name", s("Ops")),
            ("policy", publish_by("cloudwatch.amazonaws.com")),
            (
                "subscription",
                list(vec![
                    sub("email", "ops@example.com", &[]),
                    sub(
                        "firehose",
                        "arn:aws:firehose:us-east-1:123456789012:deliverystream/alerts",
                        &[("subscription_role", s(role))],
                    ),
                ]),
            ),
        ],
    );
    let live = create(p, stack, want).await;
    assert_eq!(text(&live, "name"), "ops-alerts", "the given name, as written");
    let arn = text(&live, "arn");
    let held = attributes(&env, &arn).await;
    assert_eq!(held.get("DisplayName").map(String::as_str), Some("Ops"));
    assert!(
        held.get("Policy")
            .is_some_and(|d| d.contains("cloudwatch.amazonaws.com")),
        "{held:?}"
    );
    let subs = subscriptions(&env, &arn).await;
    assert_eq!(subs["ops@example.com"].protocol, "email");
    assert_eq!(subs["ops@example.com"].raw, "false", "not sent for email");
    assert_eq!(
        subs["arn:aws:firehose:us-east-1:123456789012:deliverystream/alerts"].role,
        role
    );
    assert_same(&read(p, stack).await, &one(&live));

    // Another policy, the display name taken off, the email subscription
    // removed and an HTTPS one added.
    let changed = topic(
        "ops",
        &[
            ("name", s("ops-alerts")),
            ("policy", publish_by("events.amazonaws.com")),
            (
                "subscription",
                list(vec![
                    sub(
                        "firehose",
                        "arn:aws:firehose:us-east-1:123456789012:deliverystream/alerts",
                        &[("subscription_role", s(role))],
                    ),
                    sub("https", "https://hooks.example.com/ops", &[]),
                ]),
            ),
        ],
    );
    let updated = p.update(stack, &live, &changed).await.expect("update");
    let held = attributes(&env, &arn).await;
    assert_eq!(held.get("DisplayName").map(String::as_str), Some(""));
    let policy = held.get("Policy").cloned().unwrap_or_default();
    assert!(
        policy.contains("events.amazonaws.com") && !policy.contains("cloudwatch"),
        "{policy}"
    );
    let subs = subscriptions(&env, &arn).await;
    assert!(!subs.contains_key("ops@example.com"), "{subs:?}");
    assert_eq!(subs["https://hooks.example.com/ops"].protocol, "https");
    assert_same(&read(p, stack).await, &one(&updated));

    // The policy left out: the topic keeps the one it has.
    let kept = with(changed.clone(), "policy", Value::Null);
    let again = p.update(stack, &updated, &kept).await.expect("update");
    assert_eq!(again.attrs["policy"], updated.attrs["policy"]);
    assert_eq!(attributes(&env, &arn).await.get("Policy"), Some(&policy));
    assert_same(&read(p, stack).await, &one(&again));

    p.delete(stack, &again).await.expect("delete");
    p.delete(stack, &again).await.expect("delete again");
    assert!(read(p, stack).await.is_empty());
}

#[tokio::test]
async fn a_topic_is_imported_by_arn_or_name_and_adopted() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "sns-import";
    let sns = &env.raw.sns;
    let out = sns
        .create_topic()
        .name("legacy")
        .attributes("DisplayName", "Legacy")
        .send()
        .await
        .expect("CreateTopic");
    let arn = out.topic_arn().expect("ARN").to_owned();
    sns.subscribe()
        .topic_arn(&arn)
        .protocol("sqs")
        .endpoint("arn:aws:sqs:us-east-1:123456789012:legacy")
        .send()
        .await
        .expect("Subscribe");

    let address = Address::new(Kind::SnsTopic, "legacy");
    let found = p
        .read_one(&address, &arn)
        .await
        .expect("read_one")
        .expect("the topic");
    assert!(found.owner.is_none(), "no berth tags yet");
    let r = &found.resource;
    assert_eq!(text(r, "name"), "legacy");
    assert_eq!(r.attrs["display_name"], s("Legacy"));
    assert_eq!(
        r.attrs["subscription"],
        list(vec![block(&[
            ("endpoint", s("arn:aws:sqs:us-east-1:123456789012:legacy")),
            ("protocol", s("sqs")),
            ("raw_message_delivery", Value::Bool(false)),
        ])])
    );
    let by_name = p
        .read_one(&address, "legacy")
        .await
        .expect("read_one")
        .expect("the topic by its name");
    assert_eq!(by_name.resource, found.resource);
    assert!(
        p.read_one(&address, "nothing").await.expect("read_one").is_none(),
        "no such topic"
    );

    p.adopt(stack, r).await.expect("adopt");
    let tags = raw_tags(&env, &arn).await;
    assert_eq!(
        tags.get(ADDRESS_TAG).map(String::as_str),
        Some("sns_topic.legacy")
    );
    assert_same(&read(p, stack).await, &one(r));
}
