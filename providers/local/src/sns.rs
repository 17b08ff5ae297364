//! SNS topics and their subscriptions, with CreateTopic's, Subscribe's,
//! SetTopicAttributes' and SetSubscriptionAttributes' rules (SNS answers
//! `InvalidParameter`). A topic's name is the account's in its region:
//! 1 to 256 letters, digits, `-` and `_`, a FIFO topic's (and only its)
//! ending in `.fifo`. CreateTopic of a name that exists gives that topic
//! back when the request agrees with it (its attributes, and tags among
//! the topic's: another stack's or address's topic is refused as having
//! different tags). Content-based deduplication is a FIFO topic's; a FIFO
//! topic delivers to SQS queues only. Each subscription names a protocol
//! SNS has and an endpoint of its shape; raw delivery is for SQS, HTTP(S)
//! and Firehose, and Firehose needs the role SNS writes with. A topic
//! created without a policy holds SNS's default one, kept while the
//! configuration leaves it out (`berth_provider::attrs::keep_chosen`,
//! which `cloud.rs` calls).
//!
//! Subscriptions are kept in the topic's attributes, one per protocol and
//! endpoint (Subscribe is idempotent: the same endpoint twice is one
//! subscription). Confirmation is not simulated: an email or HTTP
//! subscription is held confirmed at once.

use std::collections::BTreeMap;

use berth_provider::attrs::{blocks_of, bool_of, str_of};
use berth_provider::naming::{self, FIFO_SUFFIX};
use berth_provider::sns::{PROTOCOLS, RAW_PROTOCOLS, endpoint_fault};
use berth_provider::{Address, Attrs, Kind, ProviderError, Value, arn, policy};

use crate::api::invalid;
use crate::attrs::canonical_of;
use crate::sim::Sim;

const CREATE: &str = "CreateTopic";
const SET: &str = "SetTopicAttributes";
const SUBSCRIBE: &str = "Subscribe";
const SET_SUBSCRIPTION: &str = "SetSubscriptionAttributes";

/// The longest topic name SNS takes, a FIFO topic's `.fifo` included.
const NAME_MAX: usize = 256;

/// The longest topic policy SNS takes, in bytes of its JSON text.
const POLICY_MAX: usize = 30_720;

/// The topic's settings CreateTopic takes and SetTopicAttributes changes,
/// one a call.
const SETTINGS: [&str; 4] = ["display_name", "content_based_deduplication", "kms_key", "policy"];

/// A subscription's attributes Subscribe takes and SetSubscriptionAttributes
/// changes, one a call.
const SUBSCRIPTION_SETTINGS: [&str; 3] = ["raw_message_delivery", "filter_policy", "subscription_role"];

/// SNS's answer to a malformed request: `InvalidParameter`.
fn bad(call: &str, message: impl Into<String>) -> ProviderError {
    invalid(Kind::SnsTopic, call, message)
}

/// CreateTopic, named `{stack}-{name}` (with `.fifo` for a FIFO topic)
/// unless the configuration names it, then Subscribe for each
/// subscription; returns its key (ARN). A topic of that name already
/// there is given back if the request agrees with it, and takes the
/// subscriptions it lacks.
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(CREATE);
    let mut attrs = canonical_of(Kind::SnsTopic, &attrs);
    let fifo = bool_of(&attrs, "fifo");
    let name =
        naming::given(&attrs, "name").map_or_else(|| naming::sns_topic(stack, address, fifo), str::to_owned);
    check_name(&name, fifo)?;
    for setting in SETTINGS {
        check_setting(CREATE, setting, &attrs)?;
    }
    let arn = sim.arn("sns", &name);
    let want = blocks(&attrs);
    if let Some(rec) = sim.rec(&arn) {
        let (held, had) = (rec.attrs.clone(), rec.tags.clone());
        same_topic(&held, &attrs, &had, &tags)?;
        let mut subscriptions = blocks(&held);
        for sub in &want {
            subscribe(sim, fifo, &mut subscriptions, sub)?;
        }
        if let Some(attrs) = sim.attrs_mut(&arn) {
            attrs.insert("subscription".to_owned(), to_list(subscriptions));
        }
        return Ok(arn);
    }
    let mut subscriptions = Vec::new();
    for sub in &want {
        subscribe(sim, fifo, &mut subscriptions, sub)?;
    }
    attrs.insert("subscription".to_owned(), to_list(subscriptions));
    if attrs.get("policy").is_none_or(|p| *p == Value::Null) {
        attrs.insert("policy".to_owned(), default_policy(&sim.st.account, &arn));
    }
    Ok(sim.insert_named(Kind::SnsTopic, arn, name, tags, attrs, false))
}

/// Refuses a repeated CreateTopic that disagrees with the topic it names:
/// it must ask for the same settings (a policy left out is not sent, so
/// not compared) and tags the topic has, berth's own included, so another
/// stack's or address's topic is never given back.
fn same_topic(
    held: &Attrs,
    asked: &Attrs,
    had: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let held = canonical_of(Kind::SnsTopic, held);
    let differs = SETTINGS
        .iter()
        .filter(|s| **s != "policy" || asked.get("policy").is_some_and(|p| *p != Value::Null))
        .any(|s| held.get(*s).unwrap_or(&Value::Null) != asked.get(*s).unwrap_or(&Value::Null));
    if differs {
        return Err(bad(
            CREATE,
            "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
        ));
    }
    if tags.iter().any(|(k, v)| had.get(k) != Some(v)) {
        return Err(bad(
            CREATE,
            "Invalid parameter: Tags Reason: Topic already exists with different tags",
        ));
    }
    Ok(())
}

/// SetTopicAttributes for each setting that changes, then the
/// subscriptions by protocol and endpoint: Subscribe for a new one,
/// SetSubscriptionAttributes for each attribute of one that changes,
/// Unsubscribe for one no longer there (tags: `cloud.rs`). A policy left
/// out is the topic's already (`keep_chosen`).
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &mut Attrs) -> Result<(), ProviderError> {
    let old = canonical_of(Kind::SnsTopic, old);
    *new = canonical_of(Kind::SnsTopic, new);
    for setting in SETTINGS {
        if old.get(setting) != new.get(setting) {
            sim.call(SET);
            check_setting(SET, setting, new)?;
        }
    }
    let fifo = bool_of(new, "fifo");
    let had = blocks(&old);
    let mut held: Vec<Attrs> = Vec::new();
    for sub in blocks(new) {
        let was = had.iter().find(|h| same_endpoint(h, &sub));
        match was {
            Some(was) if !held.iter().any(|h| same_endpoint(h, &sub)) => {
                for setting in SUBSCRIPTION_SETTINGS {
                    if was.get(setting) != sub.get(setting) {
                        sim.call(SET_SUBSCRIPTION);
                        check_subscription_setting(SET_SUBSCRIPTION, setting, &sub)?;
                    }
                }
                held.push(sub);
            }
            _ => subscribe(sim, fifo, &mut held, &sub)?,
        }
    }
    for _ in had.iter().filter(|h| !held.iter().any(|s| same_endpoint(s, h))) {
        sim.call("Unsubscribe");
    }
    new.insert("subscription".to_owned(), to_list(held));
    Ok(())
}

/// DeleteTopic: the topic goes, its subscriptions with it.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteTopic");
    sim.remove(key);
    Ok(())
}

/// The subscription blocks of `attrs`.
fn blocks(attrs: &Attrs) -> Vec<Attrs> {
    blocks_of(attrs, "subscription").into_iter().cloned().collect()
}

fn to_list(subscriptions: Vec<Attrs>) -> Value {
    Value::List(subscriptions.into_iter().map(Value::Map).collect())
}

/// Whether two subscriptions are one to SNS: the same protocol and
/// endpoint.
fn same_endpoint(a: &Attrs, b: &Attrs) -> bool {
    str_of(a, "protocol") == str_of(b, "protocol") && str_of(a, "endpoint") == str_of(b, "endpoint")
}

/// Subscribe: `sub` joins `held`, unless it is there already (the same
/// protocol and endpoint): then it is that subscription, or refused when
/// its attributes differ.
fn subscribe(sim: &mut Sim, fifo: bool, held: &mut Vec<Attrs>, sub: &Attrs) -> Result<(), ProviderError> {
    sim.call(SUBSCRIBE);
    check_subscription(fifo, sub)?;
    match held.iter().find(|h| same_endpoint(h, sub)) {
        None => held.push(sub.clone()),
        Some(h) if SUBSCRIPTION_SETTINGS.iter().all(|s| h.get(*s) == sub.get(*s)) => {}
        Some(_) => {
            return Err(bad(
                SUBSCRIBE,
                "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
            ));
        }
    }
    Ok(())
}

/// A topic name SNS takes: 1 to 256 letters, digits, `-` and `_`, with
/// `.fifo` at the end of a FIFO topic's and of no other.
fn check_name(name: &str, fifo: bool) -> Result<(), ProviderError> {
    let base = if fifo {
        name.strip_suffix(FIFO_SUFFIX)
    } else {
        Some(name)
    };
    let valid = base.is_some_and(|b| {
        !b.is_empty()
            && b.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    }) && name.len() <= NAME_MAX;
    if valid {
        Ok(())
    } else {
        Err(bad(CREATE, "Invalid parameter: Topic Name"))
    }
}

/// The rule of one topic setting: content-based deduplication on a FIFO
/// topic only; a policy a JSON object within SNS's size.
fn check_setting(call: &str, setting: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    match setting {
        "content_based_deduplication" if bool_of(attrs, setting) && !bool_of(attrs, "fifo") => Err(bad(
            call,
            "Invalid parameter: ContentBasedDeduplication Reason: Content-based deduplication can only be set for FIFO topics",
        )),
        "policy" => match attrs.get(setting) {
            Some(Value::Null) | None => Ok(()),
            Some(doc @ Value::Map(_)) if policy::to_json_text(doc).len() > POLICY_MAX => Err(bad(
                call,
                format!("Invalid parameter: Policy Error: the policy is longer than {POLICY_MAX} bytes"),
            )),
            Some(Value::Map(_)) => Ok(()),
            Some(_) => Err(bad(
                call,
                "Invalid parameter: Policy Error: the policy is not a JSON object",
            )),
        },
        _ => Ok(()),
    }
}

/// Subscribe's rules: a protocol SNS has, SQS alone on a FIFO topic, an
/// endpoint of the protocol's shape, no FIFO queue on a standard topic;
/// then those of its attributes.
fn check_subscription(fifo: bool, sub: &Attrs) -> Result<(), ProviderError> {
    let protocol = str_of(sub, "protocol").unwrap_or_default();
    let endpoint = str_of(sub, "endpoint").unwrap_or_default();
    if !PROTOCOLS.contains(&protocol) {
        return Err(bad(
            SUBSCRIBE,
            format!("Invalid parameter: Amazon SNS does not support this protocol string: {protocol}"),
        ));
    }
    if fifo && protocol != "sqs" {
        return Err(bad(
            SUBSCRIBE,
            format!(
                "Invalid parameter: Protocol Reason: FIFO topics deliver to SQS queues only, not {protocol}"
            ),
        ));
    }
    if let Some(wanted) = endpoint_fault(protocol, endpoint) {
        return Err(bad(
            SUBSCRIBE,
            format!("Invalid parameter: Endpoint Reason: {endpoint} is not {wanted}"),
        ));
    }
    if protocol == "sqs" && !fifo && endpoint.ends_with(FIFO_SUFFIX) {
        return Err(bad(
            SUBSCRIBE,
            "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
        ));
    }
    for setting in SUBSCRIPTION_SETTINGS {
        check_subscription_setting(SUBSCRIBE, setting, sub)?;
    }
    Ok(())
}

/// The rule of one subscription attribute, as `call` (Subscribe or
/// SetSubscriptionAttributes) answers it: raw delivery for SQS, HTTP(S)
/// and Firehose only; a filter policy a JSON object; a role, an IAM
/// role's ARN, that a Firehose subscription needs.
fn check_subscription_setting(call: &str, setting: &str, sub: &Attrs) -> Result<(), ProviderError> {
    // Subscribe names the attribute at fault among its Attributes.
    let prefix = if call == SUBSCRIBE {
        "Invalid parameter: Attributes Reason: "
    } else {
        "Invalid parameter: "
    };
    let protocol = str_of(sub, "protocol").unwrap_or_default();
    let fault = match setting {
        "raw_message_delivery" if bool_of(sub, setting) && !RAW_PROTOCOLS.contains(&protocol) => {
            Some(format!(
                "RawMessageDelivery: Delivery protocol [{protocol}] does not support raw message delivery"
            ))
        }
        "filter_policy" => str_of(sub, setting)
            .filter(|text| !serde_json::from_str::<serde_json::Value>(text).is_ok_and(|j| j.is_object()))
            .map(|_| "FilterPolicy: failed to parse JSON as an object".to_owned()),
        "subscription_role" => match str_of(sub, setting) {
            None if protocol == "firehose" => {
                Some("SubscriptionRoleArn: a firehose subscription needs a role".to_owned())
            }
            Some(role) if !is_role_arn(role) => {
                Some(format!("SubscriptionRoleArn: {role} is not a role's ARN"))
            }
            _ => None,
        },
        _ => None,
    };
    match fault {
        Some(fault) => Err(bad(call, format!("{prefix}{fault}"))),
        None => Ok(()),
    }
}

/// Whether `text` is an IAM role's ARN (`arn:aws:iam::ACCOUNT:role/NAME`).
fn is_role_arn(text: &str) -> bool {
    arn::is_of(text, "iam")
        && text
            .split(':')
            .nth(5)
            .and_then(|r| r.strip_prefix("role/"))
            .is_some_and(|name| !name.is_empty())
}

/// The policy SNS gives a topic created without one: the account's
/// principals may do the topic's owner's actions on it.
fn default_policy(account: &str, arn: &str) -> Value {
    policy::canonical(&Value::from_json(&serde_json::json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": { "AWS": "*" },
            "Action": [
                "SNS:GetTopicAttributes",
                "SNS:SetTopicAttributes",
                "SNS:AddPermission",
                "SNS:RemovePermission",
                "SNS:DeleteTopic",
                "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic",
                "SNS:Publish",
            ],
            "Resource": arn,
            "Condition": { "StringEquals": { "AWS:SourceOwner": account } },
        }],
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_keep_to_snss_rules() {
        assert!(check_name("alerts", false).is_ok());
        assert!(check_name("alerts.fifo", true).is_ok());
        assert!(check_name(&"a".repeat(256), false).is_ok());
        assert!(check_name(&format!("{}.fifo", "a".repeat(251)), true).is_ok());
        for (name, fifo) in [
            ("", false),
            (".fifo", true),
            ("alerts", true),
            ("alerts.fifo", false),
            ("al erts", false),
            ("alerts.v2", false),
        ] {
            let e = check_name(name, fifo).unwrap_err();
            assert_eq!(
                (e.call.as_str(), e.code.as_str()),
                (CREATE, "InvalidParameter"),
                "{name}"
            );
        }
        assert!(check_name(&"a".repeat(257), false).is_err());
        assert!(check_name(&format!("{}.fifo", "a".repeat(252)), true).is_err());
    }

    #[test]
    fn role_arns() {
        assert!(is_role_arn("arn:aws:iam::123456789012:role/firehose"));
        assert!(is_role_arn("arn:aws:iam::123456789012:role/path/firehose"));
        assert!(!is_role_arn("arn:aws:iam::123456789012:user/me"));
        assert!(!is_role_arn("firehose"));
    }
}
