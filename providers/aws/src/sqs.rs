//! SQS: `sqs_queue`s, with their redrive and access policies.
//!
//! Create: GetQueueUrl first: a queue of that name the stack does not
//! hold under this address (its berth tags say otherwise, or it has none)
//! is refused before anything is sent, as CreateQueue answers the URL of an
//! existing queue whose attributes match those sent, and berth would take
//! someone else's queue for its own. Then CreateQueue (name, attributes and
//! tags in the call), sent again while SQS refuses the name of a queue
//! deleted less than 60 seconds ago (QueueDeletedRecently, for up to
//! [`DELETED_RECENTLY`]); CreateQueue sent again after a lost answer is
//! answered the URL of the queue the first sending made. Then
//! GetQueueAttributes, sent again while SQS does not know the new queue
//! yet, for its ARN and the settings SQS chose.
//!
//! Update: one SetQueueAttributes of every attribute that changed (an
//! empty Policy, RedrivePolicy or KmsMasterKeyId takes it off), TagQueue /
//! UntagQueue for the user's tags. Delete: DeleteQueue.
//!
//! To read a stack's: the tagging API's queues of the stack, and ListQueues
//! under berth's name prefix for the stack at the same time (the tagging
//! API lags on AWS: a listed queue it does not list yet has its tags read
//! by ListQueueTags); GetQueueUrl for a tagged queue the listing does not
//! hold (a given name); then GetQueueAttributes per queue.
//!
//! A queue's URL is its identity, as SQS answers it: on AWS
//! `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`; moto names the host the
//! request reached.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use aws_sdk_sqs::types::QueueAttributeName;
use berth_provider::adopt::adoption_tags;
use berth_provider::attrs::keep_chosen;
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value, naming, policy};
use futures::future::try_join_all;

use crate::attrs::{
    bool_of, canonical, complete, create_tags, int_of, keep, opt_str, owned, resource, str_of, tag_diff,
    user_tags,
};
use crate::errors::missing;
use crate::poll::Poll;
use crate::scope::Scope;
use crate::tagging::{self, Tags};
use crate::{AwsProvider, paginate};

const SERVICE: &str = "sqs";

/// The tagging API's filter for queues: the service alone (a queue's ARN,
/// `arn:aws:sqs:REGION:ACCOUNT:NAME`, names no resource type).
const RESOURCE_TYPE: &str = "sqs";

/// What SQS answers for a queue that does not exist: the query protocol's
/// code (which the SDK reads from `x-amzn-query-error`), and the JSON
/// protocol's.
const NOT_FOUND: &[&str] = &["AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"];

/// What CreateQueue answers for the name of a queue deleted less than 60
/// seconds ago.
const DELETED_RECENTLY: &[&str] = &[
    "AWS.SimpleQueueService.QueueDeletedRecently",
    "QueueDeletedRecently",
];

/// What CreateQueue answers for the name of a queue with other attributes.
const EXISTS: &[&str] = &["QueueAlreadyExists", "QueueNameExists"];

/// How long CreateQueue is sent again while SQS refuses the name of a
/// queue deleted a moment ago (SQS frees it after 60 seconds).
const DELETED_WAIT: Duration = Duration::from_secs(75);

/// How long the read after CreateQueue is sent again while SQS does not
/// know the new queue yet (AWS asks to wait a second before using it).
const PROPAGATION: Duration = Duration::from_secs(60);

/// The most queues one ListQueues page holds (the API's limit); sent, as
/// SQS paginates only when asked to.
const LIST_PAGE: i32 = 1000;

/// The settings SQS holds as whole numbers, always reported.
const NUMBERS: [(&str, &str); 5] = [
    ("visibility_timeout", "VisibilityTimeout"),
    ("message_retention", "MessageRetentionPeriod"),
    ("max_message_size", "MaximumMessageSize"),
    ("delay", "DelaySeconds"),
    ("receive_wait_time", "ReceiveMessageWaitTimeSeconds"),
];

/// A FIFO queue's settings SQS chooses when left out (a standard queue has
/// none of them).
const FIFO_CHOSEN: [(&str, &str); 2] = [
    ("deduplication_scope", "DeduplicationScope"),
    ("fifo_throughput_limit", "FifoThroughputLimit"),
];

const FIFO_QUEUE: &str = "FifoQueue";
const CONTENT_DEDUPLICATION: &str = "ContentBasedDeduplication";
const MANAGED_SSE: &str = "SqsManagedSseEnabled";
const KMS_KEY: &str = "KmsMasterKeyId";
const KMS_REUSE: &str = "KmsDataKeyReusePeriodSeconds";
const REDRIVE: &str = "RedrivePolicy";
const POLICY: &str = "Policy";
const QUEUE_ARN: &str = "QueueArn";

/// The attributes an update takes off by setting them empty.
const REMOVABLE: [&str; 3] = [POLICY, REDRIVE, KMS_KEY];

/// A queue's attributes, as SQS names them.
type Held = HashMap<String, String>;

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let address = &desired.address;
    let mut a = complete(Kind::SqsQueue, &desired.attrs);
    canonical(Kind::SqsQueue, &mut a);
    let name = naming::given(&a, "name").map_or_else(
        || naming::sqs_queue(stack, address, bool_of(&a, "fifo")),
        str::to_owned,
    );
    let call = "CreateQueue";
    refuse_foreign(p, stack, address, &name).await?;
    let tags: HashMap<String, String> = create_tags(stack, address, &a).into_iter().collect();
    let attributes = sdk_attributes(&queue_attributes(&a));
    let sqs = &p.clients.sqs;
    // Idempotent by name and attributes: sent again after a lost answer,
    // CreateQueue answers the URL of the queue the first sending made.
    let send = || {
        p.call(SERVICE, call, || {
            sqs.create_queue()
                .queue_name(&name)
                .set_attributes(Some(attributes.clone()))
                .set_tags(Some(tags.clone()))
                .send()
        })
    };
    let poll = Poll::new(
        call,
        format!("the name {name} of a queue deleted a moment ago"),
        DELETED_WAIT,
        Duration::from_secs(5),
    );
    let out = poll
        .resend_while(|e| DELETED_RECENTLY.contains(&e.code.as_str()), send)
        .await
        .map_err(|e| exists(e, &name, address))?;
    let url = out.queue_url.ok_or_else(|| missing(call))?;
    let held = attributes_of_new(p, &url).await?;
    let read = decode(&url, &held, &Vec::new());
    // What SQS chose for what was left out (encryption, a FIFO queue's
    // deduplication scope and throughput quota).
    keep_chosen(Kind::SqsQueue, &read, &mut a);
    keep(&mut a, &read, &["url", "arn"]);
    a.insert("name".to_owned(), Value::String(name));
    Ok(resource(address.clone(), a))
}

/// Refuses to create the queue `name` when one of that name exists that
/// is not this stack's `address` (CreateQueue would answer its URL when the
/// attributes sent match its own).
async fn refuse_foreign(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    name: &str,
) -> Result<(), ProviderError> {
    let Some(url) = url_of(p, name).await? else {
        return Ok(());
    };
    let Some(tags) = tags_of(p, &url).await? else {
        // Deleted meanwhile.
        return Ok(());
    };
    if owned(stack, Kind::SqsQueue, tagging::pairs(&tags)).as_ref() == Some(address) {
        // Made by an earlier create of this resource that got no answer.
        return Ok(());
    }
    Err(ProviderError::permanent(
        "CreateQueue",
        EXISTS[0],
        format!(
            "the queue {name} exists already, not as this stack's {address}: `berth import {address} {name}` adopts it, or give the queue another `name`"
        ),
    ))
}

/// CreateQueue refused as a queue of that name exists with other
/// attributes: the way out said.
fn exists(mut err: ProviderError, name: &str, address: &Address) -> ProviderError {
    if EXISTS.contains(&err.code.as_str()) {
        err.message = format!(
            "the queue {name} exists already with other settings: `berth import {address} {name}` adopts it (apply then changes its settings), or give the queue another `name` ({})",
            err.message
        );
    }
    err
}

/// GetQueueAttributes of a queue just made, sent again while SQS does not
/// know it yet, for [`PROPAGATION`] at most.
async fn attributes_of_new(p: &AwsProvider, url: &str) -> Result<Held, ProviderError> {
    let call = "GetQueueAttributes";
    let poll = Poll::new(
        call,
        format!("the new queue {url} unknown"),
        PROPAGATION,
        Duration::from_secs(1),
    );
    let unknown = || ProviderError::permanent(call, NOT_FOUND[0], "the new queue is not known yet");
    poll.resend_while(
        |e| NOT_FOUND.contains(&e.code.as_str()),
        || async { attributes_of(p, url).await?.ok_or_else(unknown) },
    )
    .await
}

/// The attributes CreateQueue sends for `a` (and that an update compares):
/// every setting given, the defaults filled in; a FIFO queue's settings only
/// for a FIFO queue (SQS refuses them on a standard one); the KMS data key
/// reuse only with a KMS key; SQS's own encryption off when a KMS key is
/// given and it is left out (moto otherwise reports both).
fn queue_attributes(a: &Attrs) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    for (attr, aws) in NUMBERS {
        if let Some(n) = int_of(a, attr) {
            out.insert(aws, n.to_string());
        }
    }
    if bool_of(a, "fifo") {
        out.insert(FIFO_QUEUE, "true".to_owned());
        out.insert(
            CONTENT_DEDUPLICATION,
            bool_of(a, "content_based_deduplication").to_string(),
        );
        for (attr, aws) in FIFO_CHOSEN {
            if let Some(v) = str_of(a, attr) {
                out.insert(aws, v.to_owned());
            }
        }
    }
    let kms = str_of(a, "kms_key").filter(|k| !k.is_empty());
    match a.get("sqs_managed_sse") {
        Some(Value::Bool(on)) => {
            out.insert(MANAGED_SSE, on.to_string());
        }
        _ if kms.is_some() => {
            out.insert(MANAGED_SSE, "false".to_owned());
        }
        _ => {}
    }
    if let Some(key) = kms {
        out.insert(KMS_KEY, key.to_owned());
        if let Some(reuse) = int_of(a, "kms_data_key_reuse") {
            out.insert(KMS_REUSE, reuse.to_string());
        }
    }
    if let Some(redrive) = redrive_policy(a) {
        out.insert(REDRIVE, redrive);
    }
    if let Some(doc) = a.get("policy").filter(|v| **v != Value::Null) {
        out.insert(POLICY, policy::to_json_text(doc));
    }
    out
}

/// The attributes as the SDK takes them.
fn sdk_attributes(attributes: &BTreeMap<&str, String>) -> HashMap<QueueAttributeName, String> {
    attributes
        .iter()
        .map(|(k, v)| (QueueAttributeName::from(*k), v.clone()))
        .collect()
}

/// The RedrivePolicy JSON of `a`'s dead-letter queue, when it has one.
fn redrive_policy(a: &Attrs) -> Option<String> {
    let target = str_of(a, "dead_letter_queue")?;
    let count = int_of(a, "max_receive_count")?;
    Some(
        serde_json::json!({
            "deadLetterTargetArn": target,
            "maxReceiveCount": count,
        })
        .to_string(),
    )
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut new = complete(Kind::SqsQueue, &desired.attrs);
    canonical(Kind::SqsQueue, &mut new);
    let old = &live.attrs;
    let url = str_of(old, "url").unwrap_or_default().to_owned();
    let sse_given = new.get("sqs_managed_sse").is_some_and(|v| *v != Value::Null);
    // Left out, the queue keeps what SQS chose.
    keep_chosen(Kind::SqsQueue, old, &mut new);
    let has_key = |a: &Attrs| str_of(a, "kms_key").is_some_and(|k| !k.is_empty());
    if !sse_given && has_key(&new) {
        // A KMS key given, SQS's own encryption left out: off, as at
        // create.
        new.insert("sqs_managed_sse".to_owned(), Value::Bool(false));
    } else if !sse_given && has_key(old) {
        // The KMS key gone, SQS's own encryption left out: on, as a new
        // queue's, rather than the queue left unencrypted.
        new.insert("sqs_managed_sse".to_owned(), Value::Bool(true));
    }
    let (before, after) = (queue_attributes(old), queue_attributes(&new));
    let mut changed: BTreeMap<&str, String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    for aws in REMOVABLE {
        if before.contains_key(aws) && !after.contains_key(aws) {
            changed.insert(aws, String::new());
        }
    }
    // moto drops the policy of a queue on any SetQueueAttributes without
    // one; AWS keeps it. Sent again, it stays on both.
    if !changed.is_empty()
        && let Some(doc) = after.get(POLICY)
    {
        changed.entry(POLICY).or_insert_with(|| doc.clone());
    }
    if !changed.is_empty() {
        let attributes = sdk_attributes(&changed);
        let sqs = &p.clients.sqs;
        p.call(SERVICE, "SetQueueAttributes", || {
            sqs.set_queue_attributes()
                .queue_url(&url)
                .set_attributes(Some(attributes.clone()))
                .send()
        })
        .await?;
    }
    let (set, removed) = tag_diff(old, &new);
    retag(p, &url, set, removed).await?;
    keep(&mut new, old, &["name", "url", "arn"]);
    Ok(resource(live.address.clone(), new))
}

/// TagQueue `set`, UntagQueue `removed`.
async fn retag(
    p: &AwsProvider,
    url: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<(), ProviderError> {
    let sqs = &p.clients.sqs;
    if !set.is_empty() {
        let tags: HashMap<String, String> = set.into_iter().collect();
        p.call(SERVICE, "TagQueue", || {
            sqs.tag_queue().queue_url(url).set_tags(Some(tags.clone())).send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagQueue", || {
            sqs.untag_queue()
                .queue_url(url)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// TagQueue: berth's tags on a queue it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let url = str_of(&live.attrs, "url").unwrap_or_default();
    retag(p, url, adoption_tags(stack, &live.address), Vec::new()).await
}

/// DeleteQueue; a queue already gone is deleted.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let sqs = &p.clients.sqs;
    let url = str_of(&live.attrs, "url").unwrap_or_default();
    p.call_unless(SERVICE, "DeleteQueue", NOT_FOUND, || {
        sqs.delete_queue().queue_url(url).send()
    })
    .await?;
    Ok(())
}

/// The stack's queues (see the module's comment for how they are found).
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let prefix = naming::sqs_queue_prefix(stack);
    let (tagged, listed) =
        tokio::try_join!(tagging::tagged(p, stack, RESOURCE_TYPE), list_queues(p, &prefix))?;
    // The listed queues by name (the last part of a URL).
    let listed: HashMap<&str, &String> = listed
        .iter()
        .filter_map(|url| Some((name_in_url(url)?, url)))
        .filter(|(name, _)| name.starts_with(&prefix))
        .collect();
    let tagged: HashMap<&str, &Tags> = tagged
        .iter()
        .filter_map(|(arn, tags)| Some((name_in(arn)?, tags)))
        .collect();
    // Tagged queues the listing does not hold (given names): their URLs.
    let located =
        tagged
            .iter()
            .filter(|(name, _)| !listed.contains_key(*name))
            .map(|(name, tags)| async move {
                let url = url_of(p, name).await?;
                Ok::<_, ProviderError>(url.map(|url| (url, (*tags).clone())))
            });
    // Listed queues the tagging API does not list (yet): their tags.
    let unlisted = listed
        .iter()
        .filter(|(name, _)| !tagged.contains_key(*name))
        .map(|(_, url)| async move {
            let tags = tags_of(p, url).await?;
            Ok::<_, ProviderError>(tags.map(|tags| ((*url).clone(), tags)))
        });
    let (located, unlisted) = tokio::try_join!(try_join_all(located), try_join_all(unlisted))?;
    let mut found: Vec<(String, Tags)> = listed
        .iter()
        .filter_map(|(name, url)| Some(((*url).clone(), tagged.get(name).copied()?.clone())))
        .collect();
    found.extend(located.into_iter().flatten());
    found.extend(unlisted.into_iter().flatten());
    let scope = Scope::Stack(stack);
    let reads = found.iter().map(|(url, tags)| read(p, &scope, url, tags));
    let read: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(read.into_iter().flatten().collect())
}

/// The queue `scope` looks for, by URL, ARN or name (in the provider's
/// account and region).
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    let url = if id.starts_with("https://") || id.starts_with("http://") {
        id.to_owned()
    } else {
        let name = name_in(id).unwrap_or(id);
        match url_of(p, name).await? {
            Some(url) => url,
            None => return Ok(None),
        }
    };
    let Some(tags) = tags_of(p, &url).await? else {
        return Ok(None);
    };
    read(p, scope, &url, &tags).await
}

/// The queue at `url` with `tags`, if `scope` looks for it and it is still
/// there (the tagging API lists deleted queues for a while).
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    url: &str,
    tags: &Tags,
) -> Result<Option<Resource>, ProviderError> {
    let Some(address) = scope.address(Kind::SqsQueue, tagging::pairs(tags)) else {
        return Ok(None);
    };
    let Some(held) = attributes_of(p, url).await? else {
        return Ok(None);
    };
    Ok(Some(resource(address, decode(url, &held, tags))))
}

/// ListQueues: the URLs of the account's queues in the region whose names
/// start with `prefix`.
async fn list_queues(p: &AwsProvider, prefix: &str) -> Result<Vec<String>, ProviderError> {
    let sqs = &p.clients.sqs;
    p.list(SERVICE, "ListQueues", || {
        paginate!(
            sqs.list_queues().queue_name_prefix(prefix).max_results(LIST_PAGE),
            queue_urls
        )
    })
    .await
}

/// GetQueueUrl; none when there is no queue of that name.
async fn url_of(p: &AwsProvider, name: &str) -> Result<Option<String>, ProviderError> {
    let sqs = &p.clients.sqs;
    let out = p
        .call_unless(SERVICE, "GetQueueUrl", NOT_FOUND, || {
            sqs.get_queue_url().queue_name(name).send()
        })
        .await?;
    Ok(out.and_then(|o| o.queue_url))
}

/// GetQueueAttributes (all of them); none when the queue is gone.
async fn attributes_of(p: &AwsProvider, url: &str) -> Result<Option<Held>, ProviderError> {
    let sqs = &p.clients.sqs;
    let out = p
        .call_unless(SERVICE, "GetQueueAttributes", NOT_FOUND, || {
            sqs.get_queue_attributes()
                .queue_url(url)
                .attribute_names(QueueAttributeName::All)
                .send()
        })
        .await?;
    Ok(out.map(|o| {
        o.attributes
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k.as_str().to_owned(), v))
            .collect()
    }))
}

/// ListQueueTags, as key/value pairs; none when the queue is gone.
async fn tags_of(p: &AwsProvider, url: &str) -> Result<Option<Tags>, ProviderError> {
    let sqs = &p.clients.sqs;
    let out = p
        .call_unless(SERVICE, "ListQueueTags", NOT_FOUND, || {
            sqs.list_queue_tags().queue_url(url).send()
        })
        .await?;
    Ok(out.map(|o| o.tags.unwrap_or_default().into_iter().collect()))
}

/// The non-empty value of `key` among SQS's attributes.
fn attribute<'a>(held: &'a Held, key: &str) -> Option<&'a str> {
    held.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

/// Whether the attribute `key` is `true` (SQS writes bools as text).
fn flag(held: &Held, key: &str) -> bool {
    attribute(held, key).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The whole-number attribute `key`, or the default of `attr` when SQS
/// leaves it out.
fn number(held: &Held, key: &str, attr: &str) -> Value {
    match attribute(held, key).and_then(|v| v.parse::<i64>().ok()) {
        Some(n) => Value::Int(n),
        None => Kind::SqsQueue
            .schema()
            .attr(attr)
            .map_or(Value::Null, |a| a.default_value()),
    }
}

/// The queue's attributes as berth holds them: a FIFO queue's settings
/// only for a FIFO queue, the dead-letter queue and its receive count out
/// of the RedrivePolicy JSON, no policy when SQS holds none.
fn decode(url: &str, held: &Held, tags: &Tags) -> Attrs {
    let fifo = flag(held, FIFO_QUEUE);
    let mut a: Attrs = NUMBERS
        .iter()
        .map(|(attr, aws)| ((*attr).to_owned(), number(held, aws, attr)))
        .collect();
    let redrive = attribute(held, REDRIVE)
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .unwrap_or_default();
    let target = redrive.get("deadLetterTargetArn").and_then(|v| v.as_str());
    // A number on AWS; a string in older policies.
    let count = redrive.get("maxReceiveCount").and_then(|v| match v {
        serde_json::Value::String(s) => s.parse::<i64>().ok(),
        other => other.as_i64(),
    });
    let kms = attribute(held, KMS_KEY);
    let arn = attribute(held, QUEUE_ARN);
    for (k, v) in [
        ("fifo", Value::Bool(fifo)),
        (
            "content_based_deduplication",
            Value::Bool(fifo && flag(held, CONTENT_DEDUPLICATION)),
        ),
        ("sqs_managed_sse", Value::Bool(flag(held, MANAGED_SSE))),
        ("kms_key", opt_str(kms)),
        (
            "kms_data_key_reuse",
            number(held, KMS_REUSE, "kms_data_key_reuse"),
        ),
        ("dead_letter_queue", opt_str(target)),
        ("max_receive_count", count.map_or(Value::Null, Value::Int)),
        (
            "policy",
            attribute(held, POLICY).map_or(Value::Null, policy::from_aws),
        ),
        ("tags", user_tags(tagging::pairs(tags))),
        ("url", Value::from(url)),
        ("arn", opt_str(arn)),
        (
            "name",
            opt_str(arn.and_then(name_in).or_else(|| name_in_url(url))),
        ),
    ] {
        a.insert(k.to_owned(), v);
    }
    for (attr, aws) in FIFO_CHOSEN {
        let v = if fifo {
            opt_str(attribute(held, aws))
        } else {
            Value::Null
        };
        a.insert(attr.to_owned(), v);
    }
    a
}

/// The queue's name in its ARN (`arn:P:sqs:R:A:NAME`); none for another
/// ARN.
fn name_in(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts[..] {
        ["arn", _, "sqs", _, _, name] if !name.is_empty() => Some(name),
        _ => None,
    }
}

/// The queue's name in its URL (`https://HOST/ACCOUNT/NAME`).
fn name_in_url(url: &str) -> Option<&str> {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty() && !name.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(pairs: &[(&str, &str)]) -> Held {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn names_come_out_of_queue_arns_and_urls() {
        assert_eq!(
            name_in("arn:aws:sqs:eu-west-1:123456789012:blog-jobs.fifo"),
            Some("blog-jobs.fifo")
        );
        assert_eq!(name_in("arn:aws:sns:eu-west-1:123456789012:alerts"), None);
        assert_eq!(name_in("jobs"), None);
        assert_eq!(
            name_in_url("https://sqs.eu-west-1.amazonaws.com/123456789012/blog-jobs"),
            Some("blog-jobs")
        );
        assert_eq!(name_in_url("http://localhost:5000/123456789012/q/"), Some("q"));
    }

    #[test]
    fn a_fifo_queue_decodes_with_its_redrive_policy_and_defaults() {
        let queue = held(&[
            ("QueueArn", "arn:aws:sqs:us-east-1:1:s-jobs.fifo"),
            ("FifoQueue", "true"),
            ("ContentBasedDeduplication", "true"),
            ("DeduplicationScope", "queue"),
            ("FifoThroughputLimit", "perQueue"),
            ("VisibilityTimeout", "120"),
            ("SqsManagedSseEnabled", "true"),
            (
                "RedrivePolicy",
                r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:s-dlq.fifo","maxReceiveCount":"5"}"#,
            ),
        ]);
        let tags = vec![
            ("berth:stack".to_owned(), "s".to_owned()),
            ("team".to_owned(), "web".to_owned()),
        ];
        let a = decode("https://sqs.us-east-1.amazonaws.com/1/s-jobs.fifo", &queue, &tags);
        assert_eq!(a["visibility_timeout"], Value::Int(120));
        assert_eq!(a["message_retention"], Value::Int(345_600), "SQS's default");
        assert_eq!(a["max_message_size"], Value::Int(1_048_576));
        assert_eq!(a["kms_data_key_reuse"], Value::Int(300));
        assert_eq!(a["content_based_deduplication"], Value::Bool(true));
        assert_eq!(a["deduplication_scope"], Value::from("queue"));
        assert_eq!(
            a["dead_letter_queue"],
            Value::from("arn:aws:sqs:us-east-1:1:s-dlq.fifo")
        );
        assert_eq!(a["max_receive_count"], Value::Int(5), "read from a string");
        assert_eq!(a["policy"], Value::Null);
        assert_eq!(a["kms_key"], Value::Null);
        assert_eq!(a["name"], Value::from("s-jobs.fifo"));
        assert_eq!(
            a["tags"],
            Value::Map(Attrs::from([("team".to_owned(), Value::from("web"))]))
        );
    }

    #[test]
    fn a_standard_queue_has_no_fifo_settings() {
        let queue = held(&[
            ("QueueArn", "arn:aws:sqs:us-east-1:1:s-q"),
            ("DeduplicationScope", "queue"),
            ("ContentBasedDeduplication", "true"),
        ]);
        let a = decode("https://sqs.us-east-1.amazonaws.com/1/s-q", &queue, &Vec::new());
        assert_eq!(a["fifo"], Value::Bool(false));
        assert_eq!(a["content_based_deduplication"], Value::Bool(false));
        assert_eq!(a["deduplication_scope"], Value::Null);
        assert_eq!(a["dead_letter_queue"], Value::Null);
        assert_eq!(a["max_receive_count"], Value::Null);
    }

    #[test]
    fn attributes_sent_follow_the_queue_type_and_encryption() {
        let a = |pairs: &[(&str, Value)]| -> Attrs {
            let given: Attrs = pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
            complete(Kind::SqsQueue, &given)
        };
        let standard = queue_attributes(&a(&[("kms_key", Value::from("alias/app"))]));
        assert_eq!(standard.get(MANAGED_SSE).map(String::as_str), Some("false"));
        assert_eq!(standard.get(KMS_REUSE).map(String::as_str), Some("300"));
        assert!(!standard.contains_key(FIFO_QUEUE) && !standard.contains_key(CONTENT_DEDUPLICATION));
        assert_eq!(standard.get("VisibilityTimeout").map(String::as_str), Some("30"));
        let fifo = queue_attributes(&a(&[
            ("fifo", Value::Bool(true)),
            (
                "dead_letter_queue",
                Value::from("arn:aws:sqs:us-east-1:1:dlq.fifo"),
            ),
            ("max_receive_count", Value::Int(3)),
        ]));
        assert_eq!(fifo.get(CONTENT_DEDUPLICATION).map(String::as_str), Some("false"));
        assert!(!fifo.contains_key(MANAGED_SSE) && !fifo.contains_key(KMS_REUSE));
        assert!(!fifo.contains_key("DeduplicationScope"), "SQS's choice");
        assert_eq!(
            fifo.get(REDRIVE).map(String::as_str),
            Some(r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq.fifo","maxReceiveCount":3}"#)
        );
    }
}
