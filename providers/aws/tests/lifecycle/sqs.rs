//! `sqs_queue` through the real SDK against moto: a standard queue with
//! every setting (a KMS key instead of SQS's own encryption, a policy
//! naming its own ARN added by an update) read back as created and changed
//! in place (redrive added then removed, policy removed, tags changed), a
//! FIFO queue with high throughput, queues the tagging API does not list
//! yet, a queue of the same name that is not the stack's refused, a
//! create whose answer is lost, and a queue imported by URL, ARN or name
//! and adopted.

use std::collections::{BTreeMap, HashMap};

use crate::support::*;
use aws_sdk_sqs::types::QueueAttributeName;
use berth_aws::AwsProvider;
use berth_provider::{ADDRESS_TAG, Address, Kind, Provider, Resource, STACK_TAG, Value};
use berth_test_support::proxy::{FaultProxy, Faults, Rewrite};

fn queue(name: &str, pairs: &[(&str, Value)]) -> Resource {
    desired(Kind::SqsQueue, name, pairs)
}

fn one(r: &Resource) -> BTreeMap<String, Resource> {
    [(r.address.to_string(), r.clone())].into()
}

fn many(rs: &[&Resource]) -> BTreeMap<String, Resource> {
    rs.iter().map(|r| (r.address.to_string(), (*r).clone())).collect()
}

/// A policy letting SNS topics of the account send to the queue `arn`.
fn sendable_by_sns(arn: &str) -> Value {
    Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "FromTopics",
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": arn,
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:*"}},
        }],
    }))
}

/// GetQueueAttributes (all of them), as SQS names them.
async fn attributes(env: &Env, url: &str) -> HashMap<String, String> {
    let out = env
        .raw
        .sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .expect("GetQueueAttributes");
    out.attributes()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.as_str().to_owned(), v))
        .collect()
}

/// The queue's tags as SQS holds them.
async fn raw_tags(env: &Env, url: &str) -> BTreeMap<String, String> {
    let out = env
        .raw
        .sqs
        .list_queue_tags()
        .queue_url(url)
        .send()
        .await
        .expect("ListQueueTags");
    out.tags().cloned().unwrap_or_default().into_iter().collect()
}

/// The URLs of every queue in the region.
async fn queues(env: &Env) -> Vec<String> {
    let out = env.raw.sqs.list_queues().send().await.expect("ListQueues");
    out.queue_urls().to_vec()
}

#[tokio::test]
async fn a_standard_queue_with_every_setting_reads_back_and_changes_in_place() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "sqs-std";
    let dlq = create(p, stack, queue("failed", &[])).await;
    assert_eq!(text(&dlq, "name"), "sqs-std-failed", "berth's name, no `.fifo`");
    assert_eq!(
        dlq.attrs["sqs_managed_sse"],
        Value::Bool(true),
        "SQS's own encryption when left out"
    );
    assert_eq!(
        dlq.attrs["deduplication_scope"],
        Value::Null,
        "a FIFO queue's only"
    );
    let settings = [
        ("visibility_timeout", Value::Int(45)),
        ("message_retention", Value::Int(86_400)),
        ("max_message_size", Value::Int(2048)),
        ("delay", Value::Int(5)),
        ("receive_wait_time", Value::Int(10)),
        ("kms_key", s("alias/orders")),
        ("kms_data_key_reuse", Value::Int(600)),
        ("tags", tags(&[("team", "shop"), ("tier", "1")])),
    ];
    // Created without the policy that names the queue's own ARN (not
    // known yet): the executor adds it by an update.
    let live = create(p, stack, queue("orders", &settings)).await;
    let url = text(&live, "url");
    let arn = text(&live, "arn");
    assert!(url.ends_with("/123456789012/sqs-std-orders"), "{url}");
    assert_eq!(arn, "arn:aws:sqs:us-east-1:123456789012:sqs-std-orders");
    assert_eq!(
        live.attrs["sqs_managed_sse"],
        Value::Bool(false),
        "a KMS key instead"
    );
    let held = attributes(&env, &url).await;
    for (key, value) in [
        ("VisibilityTimeout", "45"),
        ("MessageRetentionPeriod", "86400"),
        ("MaximumMessageSize", "2048"),
        ("DelaySeconds", "5"),
        ("ReceiveMessageWaitTimeSeconds", "10"),
        ("KmsMasterKeyId", "alias/orders"),
        ("KmsDataKeyReusePeriodSeconds", "600"),
        ("SqsManagedSseEnabled", "false"),
    ] {
        assert_eq!(held.get(key).map(String::as_str), Some(value), "{key}: {held:?}");
    }
    assert!(
        !held.contains_key("FifoQueue") && !held.contains_key("Policy"),
        "{held:?}"
    );
    let tags_held = raw_tags(&env, &url).await;
    assert_eq!(tags_held.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_eq!(
        tags_held.get(ADDRESS_TAG).map(String::as_str),
        Some("sqs_queue.orders")
    );
    assert_eq!(tags_held.get("tier").map(String::as_str), Some("1"));
    assert_same(&read(p, stack).await, &many(&[&dlq, &live]));

    let with_policy = with(live.clone(), "policy", sendable_by_sns(&arn));
    let policed = p.update(stack, &live, &with_policy).await.expect("update");
    let policy = attributes(&env, &url).await.remove("Policy").unwrap_or_default();
    assert!(
        policy.contains("sns.amazonaws.com") && policy.contains(&arn),
        "{policy}"
    );
    assert_same(&read(p, stack).await, &many(&[&dlq, &policed]));

    // A longer visibility timeout, a dead-letter queue, the policy removed,
    // the tags changed: in place.
    let changed = queue(
        "orders",
        &[
            ("visibility_timeout", Value::Int(90)),
            ("message_retention", Value::Int(86_400)),
            ("max_message_size", Value::Int(2048)),
            ("delay", Value::Int(5)),
            ("receive_wait_time", Value::Int(10)),
            ("kms_key", s("alias/orders")),
            ("kms_data_key_reuse", Value::Int(600)),
            ("dead_letter_queue", s(&text(&dlq, "arn"))),
            ("max_receive_count", Value::Int(4)),
            ("tags", tags(&[("team", "billing"), ("owner", "ops")])),
        ],
    );
    let updated = p.update(stack, &policed, &changed).await.expect("update");
    assert_eq!(text(&updated, "url"), url, "the same queue");
    assert_eq!(updated.attrs["sqs_managed_sse"], Value::Bool(false));
    let held = attributes(&env, &url).await;
    assert_eq!(held.get("VisibilityTimeout").map(String::as_str), Some("90"));
    assert!(!held.contains_key("Policy"), "{held:?}");
    let redrive: serde_json::Value =
        serde_json::from_str(held.get("RedrivePolicy").map_or("{}", String::as_str)).expect("JSON");
    assert_eq!(redrive["deadLetterTargetArn"], text(&dlq, "arn").as_str());
    assert_eq!(redrive["maxReceiveCount"], 4);
    let tags_held = raw_tags(&env, &url).await;
    assert_eq!(tags_held.get("team").map(String::as_str), Some("billing"));
    assert_eq!(tags_held.get("owner").map(String::as_str), Some("ops"));
    assert!(!tags_held.contains_key("tier"), "{tags_held:?}");
    assert_eq!(tags_held.get(STACK_TAG).map(String::as_str), Some(stack), "kept");
    assert_same(&read(p, stack).await, &many(&[&dlq, &updated]));

    // The redrive policy taken off, SQS's own encryption instead of the KMS
    // key; the policy given again.
    let back = queue(
        "orders",
        &[
            ("visibility_timeout", Value::Int(90)),
            ("sqs_managed_sse", Value::Bool(true)),
            ("policy", sendable_by_sns(&arn)),
        ],
    );
    let again = p.update(stack, &updated, &back).await.expect("update");
    let held = attributes(&env, &url).await;
    assert!(!held.contains_key("RedrivePolicy"), "{held:?}");
    assert!(!held.contains_key("KmsMasterKeyId"), "{held:?}");
    assert_eq!(held.get("SqsManagedSseEnabled").map(String::as_str), Some("true"));
    assert_eq!(
        held.get("MessageRetentionPeriod").map(String::as_str),
        Some("345600")
    );
    assert!(held.contains_key("Policy"), "{held:?}");
    assert_eq!(again.attrs["policy"], policed.attrs["policy"]);
    assert_same(&read(p, stack).await, &many(&[&dlq, &again]));

    // Another setting changed: the policy stays (moto drops it from a
    // SetQueueAttributes without it).
    let delayed = with(again.clone(), "delay", Value::Int(30));
    let delayed = p.update(stack, &again, &delayed).await.expect("update");
    assert!(attributes(&env, &url).await.contains_key("Policy"));
    assert_same(&read(p, stack).await, &many(&[&dlq, &delayed]));

    // Deleted; a delete sent again is done.
    for r in [&delayed, &dlq] {
        p.delete(stack, r).await.expect("delete");
        p.delete(stack, r).await.expect("delete again");
    }
    assert!(read(p, stack).await.is_empty());
    assert!(queues(&env).await.is_empty());
}

#[tokio::test]
async fn a_fifo_queue_takes_high_throughput_and_keeps_what_sqs_chose() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "sqs-fifo";
    let plain = create(p, stack, queue("events", &[("fifo", Value::Bool(true))])).await;
    assert_eq!(text(&plain, "name"), "sqs-fifo-events.fifo");
    assert_eq!(plain.attrs["deduplication_scope"], s("queue"), "SQS's choice");
    assert_eq!(plain.attrs["fifo_throughput_limit"], s("perQueue"));
    assert_eq!(plain.attrs["content_based_deduplication"], Value::Bool(false));

    let fast = [
        ("fifo", Value::Bool(true)),
        ("name", s("orders-fast.fifo")),
        ("content_based_deduplication", Value::Bool(true)),
        ("deduplication_scope", s("messageGroup")),
        ("fifo_throughput_limit", s("perMessageGroupId")),
    ];
    let live = create(p, stack, queue("orders", &fast)).await;
    assert_eq!(
        text(&live, "name"),
        "orders-fast.fifo",
        "the given name, as written"
    );
    let url = text(&live, "url");
    let held = attributes(&env, &url).await;
    assert_eq!(held.get("FifoQueue").map(String::as_str), Some("true"));
    assert_eq!(
        held.get("ContentBasedDeduplication").map(String::as_str),
        Some("true")
    );
    assert_eq!(
        held.get("DeduplicationScope").map(String::as_str),
        Some("messageGroup")
    );
    assert_eq!(
        held.get("FifoThroughputLimit").map(String::as_str),
        Some("perMessageGroupId")
    );
    assert_same(&read(p, stack).await, &many(&[&plain, &live]));

    // Left out, the pair stays as it is; deduplication off.
    let left_out = queue(
        "orders",
        &[
            ("fifo", Value::Bool(true)),
            ("name", s("orders-fast.fifo")),
            ("receive_wait_time", Value::Int(20)),
        ],
    );
    let kept = p.update(stack, &live, &left_out).await.expect("update");
    assert_eq!(kept.attrs["deduplication_scope"], s("messageGroup"));
    assert_eq!(kept.attrs["fifo_throughput_limit"], s("perMessageGroupId"));
    let held = attributes(&env, &url).await;
    assert_eq!(
        held.get("ContentBasedDeduplication").map(String::as_str),
        Some("false")
    );
    assert_eq!(
        held.get("FifoThroughputLimit").map(String::as_str),
        Some("perMessageGroupId")
    );
    assert_same(&read(p, stack).await, &many(&[&plain, &kept]));

    // Back to per queue, both at once.
    let slow = with(
        with(kept.clone(), "deduplication_scope", s("queue")),
        "fifo_throughput_limit",
        s("perQueue"),
    );
    let slow = p.update(stack, &kept, &slow).await.expect("update");
    let held = attributes(&env, &url).await;
    assert_eq!(held.get("DeduplicationScope").map(String::as_str), Some("queue"));
    assert_eq!(
        held.get("FifoThroughputLimit").map(String::as_str),
        Some("perQueue")
    );
    assert_same(&read(p, stack).await, &many(&[&plain, &slow]));

    for r in [&slow, &plain] {
        p.delete(stack, r).await.expect("delete");
    }
    assert!(read(p, stack).await.is_empty());
}

/// The tagging API is eventually consistent on AWS: a queue made a moment
/// ago may be missing from GetResources. ListQueues under berth's prefix
/// for the stack finds it, ListQueueTags confirms it is the stack's.
/// Here every GetResources answer is emptied.
#[tokio::test]
async fn queues_the_tagging_api_does_not_list_yet_are_read() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "sqs-lag";
    let jobs = create(p, stack, queue("jobs", &[("visibility_timeout", Value::Int(60))])).await;
    let named = create(p, stack, queue("named", &[("name", s("elsewhere"))])).await;
    // Another stack's queue under this stack's prefix is not this stack's.
    create(p, "sqs-lag-other", queue("x", &[("name", s("sqs-lag-x"))])).await;
    let nothing_indexed =
        |op: &str, _: &str| (op == "GetResources").then(|| r#"{"ResourceTagMappingList": []}"#.to_owned());
    let faults = Faults {
        rewrite: Some(Rewrite(std::sync::Arc::new(nothing_indexed))),
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&env.moto.endpoint, faults).expect("proxy starts");
    let lagging = AwsProvider::from_sdk_config(&sdk_config(&proxy.endpoint).await).expect("provider");
    let live = read(&lagging, stack).await;
    assert_eq!(
        live.keys().collect::<Vec<_>>(),
        ["sqs_queue.jobs"],
        "a given name outside the prefix waits for the tagging API"
    );
    // moto's URLs name the host the request reached (here the proxy's).
    let mut found = live["sqs_queue.jobs"].clone();
    assert!(
        text(&found, "url").ends_with("/123456789012/sqs-lag-jobs"),
        "{found:?}"
    );
    found.attrs.insert("url".to_owned(), jobs.attrs["url"].clone());
    assert_same(&one(&found), &one(&jobs));
    let stats = lagging.stats();
    assert_eq!(stats["sqs:ListQueueTags"].calls, 2, "{stats:?}");
    // With the tagging API answering, both.
    assert_same(&read(p, stack).await, &many(&[&jobs, &named]));
}

#[tokio::test]
async fn a_queue_of_the_same_name_that_is_not_the_stacks_is_refused() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "sqs-foreign";
    let sqs = &env.raw.sqs;
    // Someone else's queue, with the defaults: CreateQueue would answer its
    // URL.
    sqs.create_queue()
        .queue_name("sqs-foreign-jobs")
        .tags("team", "other")
        .send()
        .await
        .expect("CreateQueue");
    let err = p
        .create(stack, &queue("jobs", &[]))
        .await
        .expect_err("not the stack's");
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("CreateQueue", "QueueAlreadyExists")
    );
    assert!(
        err.message
            .contains("`berth import sqs_queue.jobs sqs-foreign-jobs`"),
        "{err}"
    );
    let url = queues(&env).await.pop().expect("the queue");
    let held = raw_tags(&env, &url).await;
    assert_eq!(
        held,
        BTreeMap::from([("team".to_owned(), "other".to_owned())]),
        "left alone"
    );

    // The stack's own queue (an earlier create), with other settings:
    // SQS refuses, and the message says what to do.
    sqs.create_queue()
        .queue_name("sqs-foreign-slow")
        .attributes(QueueAttributeName::VisibilityTimeout, "300")
        .tags(STACK_TAG, stack)
        .tags(ADDRESS_TAG, "sqs_queue.slow")
        .send()
        .await
        .expect("CreateQueue");
    let err = p
        .create(stack, &queue("slow", &[]))
        .await
        .expect_err("other settings");
    assert_eq!(err.code, "QueueAlreadyExists", "{err}");
    assert!(err.message.contains("with other settings"), "{err}");
    // The same settings: its URL, the same queue.
    let made = create(
        p,
        stack,
        queue("slow", &[("visibility_timeout", Value::Int(300))]),
    )
    .await;
    assert!(text(&made, "url").ends_with("/sqs-foreign-slow"));
    assert_eq!(queues(&env).await.len(), 2);
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_makes_one_queue() {
    let Some(env) = env().await else { return };
    let stack = "sqs-lost";
    let faults = Faults {
        lose_first: true,
        only: vec!["CreateQueue".to_owned()],
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&env.moto.endpoint, faults).expect("proxy starts");
    let lossy = provider_of(&sdk_config(&proxy.endpoint).await);
    let made = create(&lossy, stack, queue("jobs", &[("delay", Value::Int(3))])).await;
    let stats = lossy.stats();
    assert_eq!(stats["sqs:CreateQueue"].calls, 2, "sent again: {stats:?}");
    assert_eq!(proxy.stats().lost, 1, "{:?}", proxy.stats());
    assert_eq!(queues(&env).await.len(), 1, "one queue");
    assert_eq!(made.attrs["delay"], Value::Int(3));
    assert_same(&read(&lossy, stack).await, &one(&made));
}

#[tokio::test]
async fn a_queue_is_imported_by_url_arn_or_name_and_adopted() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "sqs-import";
    let out = env
        .raw
        .sqs
        .create_queue()
        .queue_name("legacy")
        .attributes(QueueAttributeName::VisibilityTimeout, "75")
        .tags("team", "ops")
        .send()
        .await
        .expect("CreateQueue");
    let url = out.queue_url().expect("URL").to_owned();
    let arn = "arn:aws:sqs:us-east-1:123456789012:legacy";

    let address = Address::new(Kind::SqsQueue, "legacy");
    let found = p
        .read_one(&address, &url)
        .await
        .expect("read_one")
        .expect("the queue");
    assert!(found.owner.is_none(), "no berth tags yet");
    let r = &found.resource;
    assert_eq!(text(r, "name"), "legacy");
    assert_eq!(text(r, "arn"), arn);
    assert_eq!(r.attrs["visibility_timeout"], Value::Int(75));
    assert_eq!(r.attrs["policy"], Value::Null);
    assert_eq!(r.attrs["tags"], tags(&[("team", "ops")]));
    for id in [arn, "legacy"] {
        let again = p
            .read_one(&address, id)
            .await
            .expect("read_one")
            .expect("the queue");
        assert_eq!(again.resource, found.resource, "by {id}");
    }
    assert!(
        p.read_one(&address, "nothing").await.expect("read_one").is_none(),
        "no such queue"
    );

    p.adopt(stack, r).await.expect("adopt");
    let held = raw_tags(&env, &url).await;
    assert_eq!(
        held.get(ADDRESS_TAG).map(String::as_str),
        Some("sqs_queue.legacy")
    );
    assert_eq!(held.get("team").map(String::as_str), Some("ops"));
    assert_same(&read(p, stack).await, &one(r));
}
