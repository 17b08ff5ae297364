//! SQS queues, with CreateQueue's and SetQueueAttributes' rules, each
//! answering with SQS's error code: a queue's name
//! (`berth_provider::sqs::name_fault`, InvalidParameterValue), the
//! settings SQS refuses together (`berth_provider::sqs::faults`), each
//! number within SQS's range (InvalidAttributeValue), a policy in IAM's
//! grammar for a resource's policy (InvalidAttributeValue), and a redrive
//! policy whose dead-letter queue exists in the account and region and is
//! of the queue's own type, FIFO or standard.
//!
//! A queue's name is the account's in its region; its key in the file is
//! its ARN, its URL (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`) its
//! identity. CreateQueue of a name that exists gives that queue back when
//! the request agrees with it (the settings it sends, and tags among the
//! queue's: another stack's or address's queue is refused as having
//! different tags), else answers QueueAlreadyExists. What SQS chooses for
//! a setting left out is settled at create: SQS's own encryption unless a
//! KMS key is given, and a FIFO queue's deduplication per `queue` and
//! throughput per `perQueue`; an update keeps what the queue has
//! (`berth_provider::attrs::keep_chosen`, which `cloud.rs` calls), except
//! that a KMS key given or taken away switches SQS's own encryption off
//! or back on, as SetQueueAttributes does.
//!
//! Not simulated: SQS refuses a name deleted less than 60 seconds ago
//! (QueueDeletedRecently). The local cloud keeps no clock (KMS keys and
//! secrets are held for their windows until restored, never timed out),
//! and berth's own flows here (`destroy` then `apply`, a named queue
//! replaced by destroying it first) would wait out those 60 seconds or
//! fail; the AWS adapter is the one that waits. Neither is a KMS key
//! checked: SQS takes any key id at CreateQueue and asks KMS only when a
//! message is sent. Messages are not kept: a queue is always empty.

use std::collections::BTreeMap;

use berth_provider::attrs::{bool_of, int_of, str_of};
use berth_provider::policy::{self, DocumentKind};
use berth_provider::schema::{Attr, Presence};
use berth_provider::sqs::{faults, name_fault, unknown_values};
use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::attrs::{canonical_of, value};
use crate::sim::Sim;

const CREATE: &str = "CreateQueue";
const SET: &str = "SetQueueAttributes";

/// SQS's answer to a request naming a queue that is not there.
const NON_EXISTENT: &str = "AWS.SimpleQueueService.NonExistentQueue";

/// The queue's settings: the attributes CreateQueue and
/// SetQueueAttributes take (all but its name, tags and what SQS
/// computes).
fn settings() -> impl Iterator<Item = &'static Attr> {
    Kind::SqsQueue
        .schema()
        .attrs
        .iter()
        .filter(|a| !matches!(a.presence, Presence::Computed | Presence::Named) && a.name != "tags")
}

/// CreateQueue, named `{stack}-{name}` (with `.fifo` for a FIFO queue)
/// unless the configuration names it; returns its key (ARN). A queue of
/// that name already there is given back if the request agrees with it.
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(CREATE);
    let asked = canonical_of(Kind::SqsQueue, &attrs);
    let fifo = bool_of(&asked, "fifo");
    let name =
        naming::given(&asked, "name").map_or_else(|| naming::sqs_queue(stack, address, fifo), str::to_owned);
    if let Some(fault) = name_fault(&name, fifo) {
        return Err(fail(
            CREATE,
            "InvalidParameterValue",
            format!(
                "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length: `{name}` ({fault})"
            ),
        ));
    }
    let mut attrs = asked.clone();
    choose(&mut attrs, fifo);
    check(sim, CREATE, &attrs, |_| true)?;
    let arn = sim.arn("sqs", &name);
    if let Some(rec) = sim.rec(&arn) {
        same_queue(&rec.attrs, &asked, &rec.tags, &tags)?;
        return Ok(arn);
    }
    let url = format!(
        "https://sqs.{}.amazonaws.com/{}/{name}",
        sim.region, sim.st.account
    );
    attrs.insert("url".to_owned(), Value::String(url));
    Ok(sim.insert_named(Kind::SqsQueue, arn, name, tags, attrs, false))
}

/// What SQS picks for the settings a new queue's request leaves out: its
/// own encryption unless a KMS key is given; a FIFO queue's
/// deduplication per queue and throughput per queue (a standard queue
/// has neither).
fn choose(attrs: &mut Attrs, fifo: bool) {
    let kms = attrs.get("kms_key").is_some_and(|k| *k != Value::Null);
    let mut chosen = vec![("sqs_managed_sse", Value::Bool(!kms))];
    if fifo {
        chosen.push(("deduplication_scope", Value::from("queue")));
        chosen.push(("fifo_throughput_limit", Value::from("perQueue")));
    }
    for (attr, v) in chosen {
        if *value(attrs, attr) == Value::Null {
            attrs.insert(attr.to_owned(), v);
        }
    }
}

/// Refuses a repeated CreateQueue that disagrees with the queue it
/// names: each setting it sends (one left out is not sent, so not
/// compared) must be the queue's, and its tags among the queue's,
/// berth's own included, so another stack's or address's queue is never
/// given back.
fn same_queue(
    held: &Attrs,
    asked: &Attrs,
    had: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let held = canonical_of(Kind::SqsQueue, held);
    let differs = settings().find(|a| {
        let want = value(asked, a.name);
        *want != Value::Null && want != value(&held, a.name)
    });
    if let Some(attr) = differs {
        return Err(fail(
            CREATE,
            "QueueAlreadyExists",
            format!(
                "A queue already exists with the same name and a different value for attribute {}",
                attr.aws
            ),
        ));
    }
    if tags.iter().any(|(k, v)| had.get(k) != Some(v)) {
        return Err(fail(
            CREATE,
            "QueueAlreadyExists",
            "A queue already exists with the same name and different tags",
        ));
    }
    Ok(())
}

/// SetQueueAttributes with the settings that change, in one call (tags:
/// `cloud.rs`). A KMS key given or taken away switches SQS's own
/// encryption off or back on, unless `desired` (the configuration as
/// written) sets it itself.
pub(crate) fn update(
    sim: &mut Sim,
    old: &Attrs,
    new: &mut Attrs,
    desired: &Attrs,
) -> Result<(), ProviderError> {
    let old = canonical_of(Kind::SqsQueue, old);
    *new = canonical_of(Kind::SqsQueue, new);
    let sse_given = desired.get("sqs_managed_sse").is_some_and(|v| *v != Value::Null);
    if !sse_given && value(&old, "kms_key") != value(new, "kms_key") {
        let kms = *value(new, "kms_key") != Value::Null;
        new.insert("sqs_managed_sse".to_owned(), Value::Bool(!kms));
    }
    let changed = |attr: &str| value(&old, attr) != value(new, attr);
    if settings().any(|a| changed(a.name)) {
        sim.call(SET);
        check(sim, SET, new, changed)?;
    }
    Ok(())
}

/// DeleteQueue. A queue that is another's dead-letter queue goes all the
/// same, as on AWS: the other's redrive policy names a queue no longer
/// there.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteQueue");
    sim.remove(key);
    Ok(())
}

/// The rules of `call` for a queue of `attrs`: the settings SQS refuses
/// together, the numbers' ranges, then, when `changed`, the policy and
/// the redrive policy (an existing dead-letter queue is not asked about
/// again by a call that leaves the redrive policy as it is).
fn check(sim: &Sim, call: &str, attrs: &Attrs, changed: impl Fn(&str) -> bool) -> Result<(), ProviderError> {
    let get = |a: &str| attrs.get(a);
    if let Some(fault) = unknown_values(get).into_iter().chain(faults(get)).next() {
        return Err(fail(
            call,
            fault.code,
            format!("{}: {}", aws_name(fault.attr), fault.message),
        ));
    }
    for attr in settings().filter(|a| a.name != "max_receive_count") {
        if let (Some((lo, hi)), Some(n)) = (attr.range, int_of(attrs, attr.name))
            && !(lo..=hi).contains(&n)
        {
            return Err(fail(
                call,
                "InvalidAttributeValue",
                format!(
                    "Invalid value for the parameter {}: {n} is not {lo} to {hi}",
                    attr.aws
                ),
            ));
        }
    }
    if changed("policy")
        && let Some(doc) = attrs.get("policy").filter(|d| **d != Value::Null)
    {
        check_policy(call, doc)?;
    }
    if changed("dead_letter_queue") || changed("max_receive_count") {
        check_redrive(sim, call, attrs)?;
    }
    Ok(())
}

/// SQS's name of the setting `attr`.
fn aws_name(attr: &str) -> &'static str {
    settings()
        .find(|a| a.name == attr)
        .map_or("Attributes", |a| a.aws)
}

/// A queue policy in IAM's grammar for a resource's policy: each
/// statement names a principal and a resource.
fn check_policy(call: &str, doc: &Value) -> Result<(), ProviderError> {
    let Some(p) = policy::problems(doc, DocumentKind::Queue).into_iter().next() else {
        return Ok(());
    };
    let at = p.location();
    let at = if at.is_empty() { at } else { format!("{at}: ") };
    Err(fail(
        call,
        "InvalidAttributeValue",
        format!(
            "Invalid value for the parameter Policy. Reason: {at}{}",
            p.message
        ),
    ))
}

/// A redrive policy SQS takes: a receive count of 1 to 1,000 and a
/// dead-letter queue of the account and region, FIFO for a FIFO queue
/// and standard for a standard one.
fn check_redrive(sim: &Sim, call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let Some(dlq) = str_of(attrs, "dead_letter_queue") else {
        return Ok(());
    };
    let count = int_of(attrs, "max_receive_count").unwrap_or_default();
    let invalid = |code: &str, reason: String| {
        fail(
            call,
            code,
            format!(
                r#"Value {{"deadLetterTargetArn":"{dlq}","maxReceiveCount":"{count}"}} for parameter RedrivePolicy is invalid. Reason: {reason}"#
            ),
        )
    };
    let range = Kind::SqsQueue
        .schema()
        .attr("max_receive_count")
        .and_then(|a| a.range);
    if let Some((lo, hi)) = range
        && !(lo..=hi).contains(&count)
    {
        return Err(invalid(
            "InvalidParameterValue",
            format!(
                "Invalid value for maxReceiveCount: {count}, valid values are from {lo} to {hi} both inclusive."
            ),
        ));
    }
    let Some(target) = sim.find(Kind::SqsQueue, dlq).and_then(|k| sim.rec(&k)) else {
        return Err(invalid(
            NON_EXISTENT,
            "Dead letter target does not exist.".to_owned(),
        ));
    };
    if bool_of(&target.attrs, "fifo") != bool_of(attrs, "fifo") {
        return Err(invalid(
            "InvalidParameterCombination",
            "Dead-letter queue must be same type of queue as the source.".to_owned(),
        ));
    }
    Ok(())
}
